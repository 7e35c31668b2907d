import Foundation
import TrawlIndex
import Yams

/// Reads Markdown: YAML front matter into metadata, the first heading into the title, and the text
/// with its markup stripped into the body.
///
/// The body is built in one linear pass over the UTF-8 bytes, a line at a time: block markers
/// (headings, quotes, lists, tables, fences, rules) are recognised at the start of each line, then
/// the line's inline markup (emphasis, code, links, images, HTML tags, escapes, entities) is removed
/// with a few passes over that line only. Only the title and body become Strings.
enum MarkdownReader {
    /// The file as one document: title, body, and the front matter's date and metadata.
    static func extract(_ bytes: [UInt8], context: ExtractionContext) -> Extraction {
        let (utf8, note) = TextDecoding.decodeToUTF8(bytes)
        var warnings: [String] = []
        if let note { warnings.append("the file is \(note)") }

        var bodyStart = 0
        var frontMatter = FrontMatter()
        switch findFrontMatter(in: utf8) {
        case .none:
            break
        case .unclosed:
            warnings.append(
                "the front matter opened by '---' on line 1 is never closed; the file is indexed as text")
        case .block(let yaml, let end):
            bodyStart = end
            frontMatter = parseFrontMatter(yaml, warnings: &warnings)
        }

        var converter = BodyConverter(bytes: utf8)
        converter.convert(from: bodyStart)
        var out = converter.writer.out

        var title = frontMatter.title ?? ""
        if let heading = converter.firstHeading {
            let headingText = String(decoding: out[heading.content], as: UTF8.self)
            if title.isEmpty {
                title = headingText
                out.removeSubrange(heading.separatorStart..<heading.content.upperBound)
            } else if heading.separatorStart == 0, looselyEqual(headingText, title) {
                // `title:` in the front matter and a leading `# Title` say the same thing once.
                out.removeSubrange(heading.separatorStart..<heading.content.upperBound)
            }
        }
        var body: String
        if title.isEmpty {
            let split = splitFirstLine(out)
            title = split.first
            body = split.rest
        } else {
            body = UTF8Whitespace.trimmedString(out)
        }
        title = UTF8Whitespace.trimmedString(Array(title.utf8))
        if title.isEmpty && body.isEmpty {
            return Extraction(warnings: warnings, skipReason: "the file has no text")
        }
        var document = ExtractedDocument(title: title, body: body)
        document.metadata = frontMatter.metadata
        if let date = frontMatter.date {
            document.date = date
            document.metadata.dateSource = .metadata
        }
        return Extraction(documents: [document], warnings: warnings)
    }

    // MARK: - Front matter

    private enum FrontMatterBlock {
        case none
        case unclosed
        /// The YAML between the fences, and the byte offset just after the closing fence's line.
        case block(yaml: String, end: Int)
    }

    /// What the front matter says about the document.
    private struct FrontMatter {
        var title: String?
        var date: Double?
        var metadata = DocumentMetadata()
    }

    /// Finds a `---` line at the very start and the `---` or `...` line that closes it.
    private static func findFrontMatter(in bytes: [UInt8]) -> FrontMatterBlock {
        let first = lineRange(from: 0, in: bytes)
        guard isFence(bytes[first], "---") else { return .none }
        var start = first.upperBound + 1
        let yamlStart = min(start, bytes.count)
        while start <= bytes.count {
            let line = lineRange(from: start, in: bytes)
            if isFence(bytes[line], "---") || isFence(bytes[line], "...") {
                let yaml = String(decoding: bytes[yamlStart..<line.lowerBound], as: UTF8.self)
                return .block(yaml: yaml, end: min(line.upperBound + 1, bytes.count))
            }
            start = line.upperBound + 1
        }
        return .unclosed
    }

    /// Whether the line is exactly `fence`, ignoring trailing spaces, tabs and a carriage return.
    private static func isFence(_ line: ArraySlice<UInt8>, _ fence: StaticString) -> Bool {
        var end = line.endIndex
        while end > line.startIndex, isSpaceOrTab(line[end - 1]) || line[end - 1] == cr { end -= 1 }
        guard end - line.startIndex == fence.utf8CodeUnitCount else { return false }
        return fence.withUTF8Buffer { line[line.startIndex..<end].elementsEqual($0) }
    }

    private static func parseFrontMatter(_ yaml: String, warnings: inout [String]) -> FrontMatter {
        if let excess = FrontMatterBudget().excess(of: yaml) {
            warnings.append("front matter \(excess); indexed without it")
            return FrontMatter()
        }
        let loaded: Any?
        do {
            loaded = try Yams.load(yaml: yaml)
        } catch {
            warnings.append("front matter is not valid YAML (\(describe(error))); indexed without it")
            return FrontMatter()
        }
        guard let loaded else { return FrontMatter() }
        guard let mapping = loaded as? [AnyHashable: Any] else {
            let kind = loaded is [Any] ? "a list" : "a single value"
            warnings.append("front matter is \(kind), not a mapping of keys to values; indexed without it")
            return FrontMatter()
        }
        var fields: [String: Any] = [:]
        for (key, value) in mapping {
            let name = String(describing: key.base).lowercased()
            if fields[name] == nil { fields[name] = value }
        }
        var result = FrontMatter()
        if let title = fields["title"].flatMap(scalarText), !title.isEmpty { result.title = title }
        if let value = fields["date"] ?? fields["published"] {
            if let date = value as? Date {
                result.date = date.timeIntervalSince1970
            } else if let written = scalarText(value), !written.isEmpty {
                result.date = DateParsing.parse(written)
                if result.date == nil {
                    warnings.append("front matter date \"\(written)\" is not a date Trawl reads; ignored")
                }
            }
        }
        result.metadata.author =
            (fields["author"] ?? fields["authors"]).map { textList($0, splitCommas: false) }
            .map { $0.joined(separator: ", ") } ?? ""
        result.metadata.source = (fields["source"] ?? fields["publisher"]).flatMap(scalarText) ?? ""
        var tags: [String] = []
        for key in ["tags", "keywords", "categories"] {
            if let value = fields[key] { tags += textList(value, splitCommas: true) }
        }
        result.metadata.tags = uniqued(tags)
        if let language = (fields["lang"] ?? fields["language"]).flatMap(scalarText) {
            result.metadata.language = primaryLanguageSubtag(language)
        }
        result.metadata.url = (fields["url"] ?? fields["link"]).flatMap(scalarText) ?? ""
        return result
    }

    /// One line saying what Yams found wrong, with the line number in the Markdown file.
    private static func describe(_ error: Error) -> String {
        // The YAML starts on the file's second line, after the opening `---`.
        func located(_ problem: String, _ context: YamlError.Context?, _ mark: Mark) -> String {
            var detail = "line \(mark.line + 1): \(problem)"
            if let context {
                detail += " \(context.text)"
                if context.mark.line != mark.line {
                    detail += " that starts on line \(context.mark.line + 1)"
                }
            }
            return detail
        }
        guard let error = error as? YamlError else { return String(describing: error) }
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            return located(problem, context, mark)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return
                "line \(context.mark.line + 1): the key \(duplicates.joined(separator: ", ")) appears twice"
        case .reader(let problem, _, _, _):
            return problem
        default:
            return String(describing: error).trimmingWhitespace()
        }
    }

    /// A YAML scalar as text: strings trimmed, numbers and booleans written out.
    private static func scalarText(_ value: Any) -> String? {
        switch value {
        case let text as String: return text.trimmingWhitespace()
        case let number as Int: return String(number)
        case let number as Double: return String(number)
        case let flag as Bool: return flag ? "true" : "false"
        case let date as Date: return ISO8601DateFormatter().string(from: date)
        default: return nil
        }
    }

    /// A YAML list (of scalars or of mappings with a `name`), or a scalar split at commas.
    private static func textList(_ value: Any, splitCommas: Bool) -> [String] {
        if let items = value as? [Any] {
            return items.compactMap { item in
                if let mapping = item as? [AnyHashable: Any] {
                    return mapping.first { String(describing: $0.key.base).lowercased() == "name" }
                        .flatMap { scalarText($0.value) }
                }
                return scalarText(item)
            }.filter { !$0.isEmpty }
        }
        guard let text = scalarText(value), !text.isEmpty else { return [] }
        guard splitCommas else { return [text] }
        return text.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
    }

    private static func uniqued(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }

    /// `en-GB` → `en`.
    private static func primaryLanguageSubtag(_ tag: String) -> String {
        String(tag.split(whereSeparator: { $0 == "-" || $0 == "_" }).first ?? "").lowercased()
    }

    /// Whether two titles have the same letters and digits, ignoring case and punctuation.
    private static func looselyEqual(_ first: String, _ second: String) -> Bool {
        func key(_ text: String) -> [Unicode.Scalar] {
            text.unicodeScalars.filter { $0.properties.isAlphabetic || $0.properties.numericType != nil }
                .flatMap { $0.properties.lowercaseMapping.unicodeScalars }
        }
        return key(first) == key(second)
    }

    /// The first non-blank line, trimmed, and the rest, trimmed.
    private static func splitFirstLine(_ bytes: [UInt8]) -> (first: String, rest: String) {
        let start = UTF8Whitespace.firstNonWhitespace(in: bytes)
        guard start < bytes.endIndex else { return ("", "") }
        let end = bytes[start...].firstIndex(of: newline) ?? bytes.endIndex
        let first = UTF8Whitespace.trimmedString(bytes[start..<end])
        let rest = end < bytes.endIndex ? UTF8Whitespace.trimmedString(bytes[(end + 1)...]) : ""
        return (first, rest)
    }

    // MARK: - Bytes

    fileprivate static let newline = UInt8(ascii: "\n")
    fileprivate static let cr = UInt8(ascii: "\r")

    fileprivate static func isSpaceOrTab(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    /// The line starting at `start`, without its `\n`.
    fileprivate static func lineRange(from start: Int, in bytes: [UInt8]) -> Range<Int> {
        guard start < bytes.count else { return bytes.count..<bytes.count }
        var end = start
        while end < bytes.count && bytes[end] != newline { end += 1 }
        return start..<end
    }
}

// MARK: - Body

/// Appends the body's lines and paragraphs, never writing a blank line twice.
private struct BodyWriter {
    var out: [UInt8] = []
    var paragraphOpen = false
    /// Where the open paragraph's "\n\n" separator starts (its content when it is the first).
    var paragraphSeparatorStart = 0
    var paragraphContentStart = 0

    mutating func appendLine(_ line: ArraySlice<UInt8>) {
        if paragraphOpen {
            out.append(MarkdownReader.newline)
        } else {
            paragraphSeparatorStart = out.count
            if !out.isEmpty { out.append(contentsOf: [MarkdownReader.newline, MarkdownReader.newline]) }
            paragraphContentStart = out.count
            paragraphOpen = true
        }
        out.append(contentsOf: line)
    }

    mutating func endParagraph() { paragraphOpen = false }
}

/// A heading written into the body: where its separator starts, and its text.
private struct HeadingSpan {
    var separatorStart: Int
    var content: Range<Int>
}

/// Turns the Markdown lines after the front matter into plain text.
///
/// A paragraph's lines (list items and quotes included) are collected with their block markers
/// removed and stripped of inline markup together, so emphasis and links may span lines.
private struct BodyConverter {
    let bytes: [UInt8]
    var writer = BodyWriter()
    var firstHeading: HeadingSpan?
    var inline = InlineStripper()

    private var fence: (byte: UInt8, count: Int)?
    private var inHTMLComment = false
    /// Inside `<script>` or `<style>`: the closing tag that ends it.
    private var rawBlockEnd: [UInt8]?
    private var inTable = false
    /// The open paragraph's lines, block markers removed, inline markup not yet.
    private var pending: [UInt8] = []
    /// Whether `pending` holds only ordinary lines (no list items or quotes), so that a `---`
    /// under it makes it a Setext heading.
    private var pendingIsPlain = true
    private var line: [UInt8] = []

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func convert(from start: Int) {
        var position = start
        while position < bytes.count {
            let range = MarkdownReader.lineRange(from: position, in: bytes)
            var end = range.upperBound
            if end > range.lowerBound && bytes[end - 1] == MarkdownReader.cr { end -= 1 }
            convertLine(range.lowerBound..<end, next: range.upperBound + 1)
            position = range.upperBound + 1
        }
        endParagraph()
    }

    private mutating func endParagraph() {
        flushPending()
        writer.endParagraph()
    }

    /// Strips the open paragraph's inline markup and writes its lines.
    private mutating func flushPending() {
        guard !pending.isEmpty else { return }
        line.removeAll(keepingCapacity: true)
        inline.strip(pending[...], into: &line)
        pending.removeAll(keepingCapacity: true)
        var lineStart = 0
        while lineStart <= line.count {
            let lineEnd = line[lineStart...].firstIndex(of: MarkdownReader.newline) ?? line.count
            var start = lineStart
            var end = lineEnd
            while start < end && MarkdownReader.isSpaceOrTab(line[start]) { start += 1 }
            while end > start && MarkdownReader.isSpaceOrTab(line[end - 1]) { end -= 1 }
            if start < end { writer.appendLine(line[start..<end]) }
            lineStart = lineEnd + 1
        }
    }

    private mutating func convertLine(_ range: Range<Int>, next: Int) {
        var end = range.upperBound
        while end > range.lowerBound && MarkdownReader.isSpaceOrTab(bytes[end - 1]) { end -= 1 }
        var start = range.lowerBound
        if let open = fence {
            if isFenceLine(start..<end, closing: open) {
                fence = nil
                writer.endParagraph()
            } else if start == end {
                writer.endParagraph()
            } else {
                writer.appendLine(bytes[start..<end])
            }
            return
        }
        if inHTMLComment {
            // The text after a multi-line comment's `-->` is read as a line of its own.
            guard let close = find("-->", in: start..<end) else { return }
            inHTMLComment = false
            start = close + 3
            guard start < end else { return }
        }
        if let closing = rawBlockEnd {
            if findCaseInsensitive(closing, in: start..<end) != nil { rawBlockEnd = nil }
            return
        }
        if let open = unclosedCommentStart(start..<end) {
            // The comment runs on over the next lines: only the text before it belongs here.
            inHTMLComment = true
            end = open
            while end > start && MarkdownReader.isSpaceOrTab(bytes[end - 1]) { end -= 1 }
            if start == end { return }
        }
        while start < end && MarkdownReader.isSpaceOrTab(bytes[start]) { start += 1 }
        var quoted = false
        while start < end && bytes[start] == UInt8(ascii: ">") {
            quoted = true
            start += 1
            while start < end && MarkdownReader.isSpaceOrTab(bytes[start]) { start += 1 }
        }
        guard start < end else {
            endParagraph()
            inTable = false
            return
        }
        let lead = bytes[start]
        if (lead == UInt8(ascii: "`") || lead == UInt8(ascii: "~")), let open = fenceOpening(start..<end) {
            fence = open
            endParagraph()
            inTable = false
            return
        }
        if lead == UInt8(ascii: "<"), let closing = rawBlockClosing(start..<end) {
            if findCaseInsensitive(closing, in: start..<end) == nil { rawBlockEnd = closing }
            return
        }
        if lead == UInt8(ascii: "#"), let text = atxHeadingText(start..<end) {
            endParagraph()
            appendHeading(bytes[text])
            inTable = false
            return
        }
        if lead == UInt8(ascii: "["), isReferenceDefinition(start..<end) { return }
        if !pending.isEmpty, pendingIsPlain, !quoted, !inTable,
            lead == UInt8(ascii: "=") || lead == UInt8(ascii: "-"), isSetextUnderline(start..<end)
        {
            let text = pending.map { $0 == MarkdownReader.newline ? UInt8(ascii: " ") : $0 }
            pending.removeAll(keepingCapacity: true)
            endParagraph()
            appendHeading(text[...])
            return
        }
        if isThematicBreak(start..<end) {
            endParagraph()
            inTable = false
            return
        }
        if bytes[start..<end].contains(UInt8(ascii: "|")) {
            if isDelimiterRow(start..<end) {
                inTable = true
                return
            }
            if !inTable, next < bytes.count {
                let nextLine = MarkdownReader.lineRange(from: next, in: bytes)
                if isDelimiterRow(nextLine) {
                    endParagraph()
                    inTable = true
                }
            }
            if inTable {
                appendTableRow(start..<end)
                return
            }
        } else if inTable {
            inTable = false
            endParagraph()
        }
        let (contentStart, isListItem) = afterListMarker(start..<end)
        guard contentStart < end else { return }
        if pending.isEmpty {
            pendingIsPlain = true
        } else {
            pending.append(MarkdownReader.newline)
        }
        pendingIsPlain = pendingIsPlain && !isListItem && !quoted
        pending.append(contentsOf: bytes[contentStart..<end])
    }

    // MARK: Lines

    private mutating func appendStripped() {
        var start = 0
        var end = line.count
        while start < end && MarkdownReader.isSpaceOrTab(line[start]) { start += 1 }
        while end > start && MarkdownReader.isSpaceOrTab(line[end - 1]) { end -= 1 }
        if start < end { writer.appendLine(line[start..<end]) }
    }

    private mutating func appendHeading(_ text: ArraySlice<UInt8>) {
        writer.endParagraph()
        line.removeAll(keepingCapacity: true)
        inline.strip(text, into: &line)
        let before = writer.out.count
        appendStripped()
        writer.endParagraph()
        guard writer.out.count > before, firstHeading == nil else { return }
        firstHeading = HeadingSpan(
            separatorStart: writer.paragraphSeparatorStart,
            content: writer.paragraphContentStart..<writer.out.count)
    }

    /// Where a `<!--` that this line does not close starts.
    private func unclosedCommentStart(_ range: Range<Int>) -> Int? {
        guard bytes[range].contains(UInt8(ascii: "<")), var open = find("<!--", in: range) else { return nil }
        while true {
            guard let close = find("-->", in: (open + 4)..<max(open + 4, range.upperBound)) else {
                return open
            }
            guard let reopened = find("<!--", in: (close + 3)..<max(close + 3, range.upperBound)) else {
                return nil
            }
            open = reopened
        }
    }

    /// A table row: its cells, markup stripped, separated by single spaces.
    private mutating func appendTableRow(_ range: Range<Int>) {
        var cells: [UInt8] = []
        cells.reserveCapacity(range.count)
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\"), index + 1 < range.upperBound, bytes[index + 1] == UInt8(ascii: "|")
            {
                cells.append(UInt8(ascii: "|"))
                index += 2
                continue
            }
            cells.append(byte == UInt8(ascii: "|") ? UInt8(ascii: " ") : byte)
            index += 1
        }
        line.removeAll(keepingCapacity: true)
        inline.strip(cells[...], into: &line)
        // Collapse the runs of spaces the pipes leave.
        var collapsed: [UInt8] = []
        collapsed.reserveCapacity(line.count)
        for byte in line where !(MarkdownReader.isSpaceOrTab(byte) && collapsed.last == UInt8(ascii: " ")) {
            collapsed.append(MarkdownReader.isSpaceOrTab(byte) ? UInt8(ascii: " ") : byte)
        }
        line = collapsed
        appendStripped()
    }

    // MARK: Block recognisers

    /// "```" or "~~~" (three or more) opening a fenced code block; a backtick fence's info string
    /// may not hold a backtick.
    private func fenceOpening(_ range: Range<Int>) -> (byte: UInt8, count: Int)? {
        let byte = bytes[range.lowerBound]
        var index = range.lowerBound
        while index < range.upperBound && bytes[index] == byte { index += 1 }
        let count = index - range.lowerBound
        guard count >= 3 else { return nil }
        if byte == UInt8(ascii: "`") && bytes[index..<range.upperBound].contains(byte) { return nil }
        return (byte, count)
    }

    private func isFenceLine(_ range: Range<Int>, closing open: (byte: UInt8, count: Int)) -> Bool {
        var index = range.lowerBound
        while index < range.upperBound && MarkdownReader.isSpaceOrTab(bytes[index]) { index += 1 }
        let runStart = index
        while index < range.upperBound && bytes[index] == open.byte { index += 1 }
        return index - runStart >= open.count && index == range.upperBound
    }

    /// The closing tag of a `<script>` or `<style>` block starting the line.
    private func rawBlockClosing(_ range: Range<Int>) -> [UInt8]? {
        for name in ["script", "style"] {
            let open = Array("<\(name)".utf8)
            guard range.count >= open.count + 1 else { continue }
            let after = bytes[range.lowerBound + open.count]
            if startsWithCaseInsensitive(open, at: range.lowerBound, before: range.upperBound),
                after == UInt8(ascii: ">") || MarkdownReader.isSpaceOrTab(after)
            {
                return Array("</\(name)".utf8)
            }
        }
        return nil
    }

    /// The text of an ATX heading (`## Text ##`), or nil when the line is not one.
    private func atxHeadingText(_ range: Range<Int>) -> Range<Int>? {
        var index = range.lowerBound
        while index < range.upperBound && bytes[index] == UInt8(ascii: "#") { index += 1 }
        let level = index - range.lowerBound
        guard (1...6).contains(level), index == range.upperBound || MarkdownReader.isSpaceOrTab(bytes[index])
        else { return nil }
        var end = range.upperBound
        var closing = end
        while closing > index && bytes[closing - 1] == UInt8(ascii: "#") { closing -= 1 }
        if closing < end && (closing == index || MarkdownReader.isSpaceOrTab(bytes[closing - 1])) {
            end = closing
        }
        return index..<end
    }

    /// `[label]: url` (not a footnote `[^1]: text`).
    private func isReferenceDefinition(_ range: Range<Int>) -> Bool {
        guard range.count > 3, bytes[range.lowerBound + 1] != UInt8(ascii: "^") else { return false }
        var index = range.lowerBound + 1
        while index < range.upperBound && bytes[index] != UInt8(ascii: "]") {
            if bytes[index] == UInt8(ascii: "[") { return false }
            index += 1
        }
        return index > range.lowerBound + 1 && index + 1 < range.upperBound
            && bytes[index + 1] == UInt8(ascii: ":")
    }

    /// `====` or `----` (two or more dashes) under a paragraph.
    private func isSetextUnderline(_ range: Range<Int>) -> Bool {
        let byte = bytes[range.lowerBound]
        guard bytes[range].allSatisfy({ $0 == byte }) else { return false }
        return byte == UInt8(ascii: "=") || range.count >= 2
    }

    /// Three or more `*`, `-` or `_`, spaces allowed between them.
    private func isThematicBreak(_ range: Range<Int>) -> Bool {
        let byte = bytes[range.lowerBound]
        guard byte == UInt8(ascii: "*") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") else {
            return false
        }
        var count = 0
        for other in bytes[range] {
            if other == byte {
                count += 1
            } else if !MarkdownReader.isSpaceOrTab(other) {
                return false
            }
        }
        return count >= 3
    }

    /// A table's `---|:---:|` row.
    private func isDelimiterRow(_ range: Range<Int>) -> Bool {
        var pipes = 0
        var dashes = 0
        for byte in bytes[range] {
            switch byte {
            case UInt8(ascii: "|"): pipes += 1
            case UInt8(ascii: "-"): dashes += 1
            case UInt8(ascii: ":"), UInt8(ascii: " "), UInt8(ascii: "\t"), MarkdownReader.cr: break
            default: return false
            }
        }
        return pipes > 0 && dashes > 0
    }

    /// Where the text starts after a list marker (`-`, `*`, `+`, `1.`, `1)`) and a task box.
    private func afterListMarker(_ range: Range<Int>) -> (start: Int, isListItem: Bool) {
        var index = range.lowerBound
        let lead = bytes[index]
        if lead == UInt8(ascii: "-") || lead == UInt8(ascii: "*") || lead == UInt8(ascii: "+") {
            index += 1
        } else {
            while index < range.upperBound && index - range.lowerBound < 9
                && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index])
            {
                index += 1
            }
            guard index > range.lowerBound, index < range.upperBound,
                bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ")")
            else { return (range.lowerBound, false) }
            index += 1
        }
        guard index == range.upperBound || MarkdownReader.isSpaceOrTab(bytes[index]) else {
            return (range.lowerBound, false)
        }
        while index < range.upperBound && MarkdownReader.isSpaceOrTab(bytes[index]) { index += 1 }
        // A task list's "[ ] " or "[x] ".
        if index + 3 <= range.upperBound, bytes[index] == UInt8(ascii: "["),
            bytes[index + 2] == UInt8(ascii: "]"),
            [UInt8(ascii: " "), UInt8(ascii: "x"), UInt8(ascii: "X")].contains(bytes[index + 1]),
            index + 3 == range.upperBound || MarkdownReader.isSpaceOrTab(bytes[index + 3])
        {
            index += 3
        }
        return (index, true)
    }

    // MARK: Searching

    private func find(_ needle: StaticString, in range: Range<Int>) -> Int? {
        needle.withUTF8Buffer { pattern in
            guard range.count >= pattern.count else { return nil }
            for start in range.lowerBound...(range.upperBound - pattern.count)
            where bytes[start..<(start + pattern.count)].elementsEqual(pattern) {
                return start
            }
            return nil
        }
    }

    private func findCaseInsensitive(_ needle: [UInt8], in range: Range<Int>) -> Int? {
        guard range.count >= needle.count else { return nil }
        for start in range.lowerBound...(range.upperBound - needle.count)
        where startsWithCaseInsensitive(needle, at: start, before: range.upperBound) {
            return start
        }
        return nil
    }

    private func startsWithCaseInsensitive(_ needle: [UInt8], at start: Int, before end: Int) -> Bool {
        guard end - start >= needle.count else { return false }
        for offset in 0..<needle.count where bytes[start + offset] | 0x20 != needle[offset] | 0x20 {
            return false
        }
        return true
    }
}

// MARK: - Inline markup

/// Removes a line's inline markup: emphasis, code spans, links, images, HTML tags, autolinks,
/// backslash escapes and character references. Linear in the line's length.
private struct InlineStripper {
    private enum Mark: UInt8 {
        case keep, drop, verbatim
    }

    private var work: [UInt8] = []
    private var marks: [Mark] = []
    private var parenClose: [Int] = []
    private var bracketClose: [Int] = []
    private var bracketPairs: [(open: Int, close: Int)] = []
    private var runs: [(start: Int, length: Int, byte: UInt8)] = []

    /// Bytes that may start inline markup; lines without any are copied as they are.
    private static let special: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for byte in "\\`<[*_~&".utf8 { table[Int(byte)] = true }
        return table
    }()

    mutating func strip(_ text: ArraySlice<UInt8>, into out: inout [UInt8]) {
        guard text.contains(where: { Self.special[Int($0)] }) else {
            out.append(contentsOf: text)
            return
        }
        work.removeAll(keepingCapacity: true)
        work.append(contentsOf: text)
        let count = work.count
        marks.removeAll(keepingCapacity: true)
        marks.append(contentsOf: repeatElement(.keep, count: count))
        parenClose.removeAll(keepingCapacity: true)
        parenClose.append(contentsOf: repeatElement(-1, count: count))
        bracketClose.removeAll(keepingCapacity: true)
        bracketClose.append(contentsOf: repeatElement(-1, count: count))
        bracketPairs.removeAll(keepingCapacity: true)
        runs.removeAll(keepingCapacity: true)

        scanCodeTagsAndBrackets()
        dropLinkSyntax()
        dropEmphasis()
        emit(into: &out)
    }

    private func byte(_ index: Int) -> UInt8 { work[index] }

    private mutating func dropRange(_ range: Range<Int>) {
        for index in range { marks[index] = .drop }
    }

    /// Pass 1: escapes, code spans, HTML and autolinks are settled; brackets, parentheses and
    /// emphasis runs outside them are recorded for the next passes.
    private mutating func scanCodeTagsAndBrackets() {
        let count = work.count
        var bracketStack: [Int] = []
        var parenStack: [Int] = []
        // Backtick run lengths known to have no closing run further on (keeps hostile lines linear).
        var noCloser = [Bool](repeating: false, count: 17)
        var index = 0
        while index < count {
            let current = work[index]
            switch current {
            case UInt8(ascii: "\\"):
                if index + 1 < count, isASCIIPunctuation(work[index + 1]) {
                    marks[index] = .drop
                    marks[index + 1] = .verbatim
                    index += 2
                    continue
                }
            case UInt8(ascii: "`"):
                let length = runLength(at: index)
                if length < noCloser.count, !noCloser[length],
                    let closer = closingBackticks(length, from: index + length)
                {
                    dropRange(index..<(index + length))
                    for inner in (index + length)..<closer { marks[inner] = .verbatim }
                    dropRange(closer..<(closer + length))
                    index = closer + length
                } else {
                    if length < noCloser.count { noCloser[length] = true }
                    index += length
                }
                continue
            case UInt8(ascii: "<"):
                if let end = htmlEnd(at: index) {
                    index = end
                    continue
                }
            case UInt8(ascii: "["):
                bracketStack.append(index)
            case UInt8(ascii: "]"):
                if let open = bracketStack.popLast() {
                    bracketClose[open] = index
                    bracketPairs.append((open, index))
                }
            case UInt8(ascii: "("):
                parenStack.append(index)
            case UInt8(ascii: ")"):
                if let open = parenStack.popLast() { parenClose[open] = index }
            case UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "~"):
                let length = runLength(at: index)
                runs.append((index, length, current))
                index += length
                continue
            default:
                break
            }
            index += 1
        }
    }

    private func runLength(at start: Int) -> Int {
        var end = start
        while end < work.count && work[end] == work[start] { end += 1 }
        return end - start
    }

    /// The start of the next run of exactly `length` backticks at or after `start`.
    private func closingBackticks(_ length: Int, from start: Int) -> Int? {
        var index = start
        while index < work.count {
            if work[index] == UInt8(ascii: "`") {
                let run = runLength(at: index)
                if run == length { return index }
                index += run
            } else {
                index += 1
            }
        }
        return nil
    }

    /// Settles the `<...>` at `start`: a comment, a tag (dropped) or an autolink (its address kept).
    /// Returns where scanning resumes, or nil when the `<` is plain text.
    private mutating func htmlEnd(at start: Int) -> Int? {
        let count = work.count
        if start + 3 < count, work[start + 1] == UInt8(ascii: "!"), work[start + 2] == UInt8(ascii: "-"),
            work[start + 3] == UInt8(ascii: "-")
        {
            var index = start + 4
            while index + 2 < count {
                if work[index] == UInt8(ascii: "-"), work[index + 1] == UInt8(ascii: "-"),
                    work[index + 2] == UInt8(ascii: ">")
                {
                    dropRange(start..<(index + 3))
                    return index + 3
                }
                index += 1
            }
            // Unclosed: the rest is comment (the converter has cut multi-line comments already).
            dropRange(start..<count)
            return count
        }
        // Stop at the next `<` so that a line of many `<` stays linear.
        var end = start + 1
        while end < count && work[end] != UInt8(ascii: ">") && work[end] != UInt8(ascii: "<") { end += 1 }
        guard end < count, work[end] == UInt8(ascii: ">"), end > start + 1 else { return nil }
        let content = (start + 1)..<end
        if isAutolink(content) {
            marks[start] = .drop
            for index in content { marks[index] = .verbatim }
            marks[end] = .drop
            return end + 1
        }
        let first = work[start + 1]
        guard
            ASCII.isLetter(first) || first == UInt8(ascii: "/") || first == UInt8(ascii: "!")
                || first == UInt8(ascii: "?")
        else { return nil }
        dropRange(start..<(end + 1))
        return end + 1
    }

    /// `scheme:rest` or `name@host`, without spaces.
    private func isAutolink(_ range: Range<Int>) -> Bool {
        guard ASCII.isLetter(work[range.lowerBound]) else { return false }
        var sawColon = false
        var sawAt = false
        var schemeOK = true
        for index in range {
            let current = work[index]
            if current == 0x20 || current == 0x09 || current == 0x0A { return false }
            if current == UInt8(ascii: ":") && !sawColon {
                sawColon = schemeOK && index - range.lowerBound >= 2
            } else if !sawColon
                && !(ASCII.isLetter(current) || ASCII.isDigit(current) || current == 0x2B
                    || current == 0x2D || current == 0x2E)
            {
                schemeOK = false
            }
            if current == UInt8(ascii: "@") { sawAt = true }
        }
        return sawColon || sawAt
    }

    /// Pass 2: `[text](url)`, `![alt](src)` and `[text][ref]` keep only their text.
    private mutating func dropLinkSyntax() {
        for (open, close) in bracketPairs where marks[open] == .keep {
            let after = close + 1
            guard after < work.count else { continue }
            let end: Int
            if work[after] == UInt8(ascii: "("), parenClose[after] >= 0 {
                end = parenClose[after]
            } else if work[after] == UInt8(ascii: "["), bracketClose[after] >= 0 {
                end = bracketClose[after]
            } else {
                continue
            }
            marks[open] = .drop
            if open > 0, work[open - 1] == UInt8(ascii: "!"), marks[open - 1] == .keep {
                marks[open - 1] = .drop
            }
            dropRange(close..<(end + 1))
        }
    }

    /// Pass 3: `*`, `_`, `**`, `__` and `~~` runs that open or close emphasis are dropped; `_` inside
    /// words (snake_case) and a `*` between spaces (`5 * 3`) stay.
    private mutating func dropEmphasis() {
        var openers: [UInt8: [Int]] = [:]
        for (number, run) in runs.enumerated() where marks[run.start] == .keep {
            if run.byte == UInt8(ascii: "~") && run.length != 2 { continue }
            let before = run.start > 0 ? work[run.start - 1] : 0x20
            let after = run.start + run.length < work.count ? work[run.start + run.length] : 0x20
            let leftFlanking =
                !isWhitespace(after)
                && (!isASCIIPunctuation(after) || isWhitespace(before) || isASCIIPunctuation(before))
            let rightFlanking =
                !isWhitespace(before)
                && (!isASCIIPunctuation(before) || isWhitespace(after) || isASCIIPunctuation(after))
            let canOpen: Bool
            let canClose: Bool
            if run.byte == UInt8(ascii: "_") {
                canOpen = leftFlanking && (!rightFlanking || isASCIIPunctuation(before))
                canClose = rightFlanking && (!leftFlanking || isASCIIPunctuation(after))
            } else {
                canOpen = leftFlanking
                canClose = rightFlanking
            }
            if canClose, let opener = openers[run.byte]?.popLast() {
                let first = runs[opener]
                dropRange(first.start..<(first.start + first.length))
                dropRange(run.start..<(run.start + run.length))
            } else if canOpen {
                openers[run.byte, default: []].append(number)
            } else if canClose && run.length >= 2 {
                // An unmatched `**` or `__` is markup, never text.
                dropRange(run.start..<(run.start + run.length))
            }
        }
        for run in openers.values.joined().map({ runs[$0] }) where run.length >= 2 {
            dropRange(run.start..<(run.start + run.length))
        }
    }

    /// Pass 4: the kept bytes, with character references decoded outside code.
    private func emit(into out: inout [UInt8]) {
        var index = 0
        while index < work.count {
            switch marks[index] {
            case .drop:
                index += 1
            case .verbatim:
                out.append(work[index])
                index += 1
            case .keep:
                if work[index] == UInt8(ascii: "&"), let (decoded, end) = characterReference(at: index) {
                    out.append(contentsOf: decoded)
                    index = end
                } else {
                    out.append(work[index])
                    index += 1
                }
            }
        }
    }

    /// `&amp;`, `&#233;` or `&#xE9;` at `start`, read as `HTMLEntities` reads them: its UTF-8 and
    /// the index after it.
    private func characterReference(at start: Int) -> ([UInt8], Int)? {
        guard let (scalar, end) = HTMLEntities.reference(at: start, in: work) else { return nil }
        var bytes: [UInt8] = []
        HTMLEntities.appendUTF8(scalar, to: &bytes)
        return (bytes, end)
    }

    private func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A }
    private func isASCIIPunctuation(_ byte: UInt8) -> Bool {
        (0x21...0x2F).contains(byte) || (0x3A...0x40).contains(byte) || (0x5B...0x60).contains(byte)
            || (0x7B...0x7E).contains(byte)
    }
}
