import TrawlIndex

/// Reads `.txt` and `.text` files: the first non-blank line is the title, the rest the body, and
/// a block of `Key: value` lines right after the title (or at the very top) gives metadata.
///
/// ```
/// BAHIA COCOA REVIEW
///
/// Date: 26-FEB-1987 15:01:01.79
/// Places: el-salvador, usa, uruguay
/// Topics: cocoa
///
/// SALVADOR, Feb 26 - Showers continued ...
/// ```
/// Known keys (any case): `Date`/`Published` → date, `Author`/`By`/`From` → author, `Source`,
/// `Tags`/`Topics`/`Keywords` (split on `,` and `;`), `Language`/`Lang` (primary subtag),
/// `URL`; others (`Places`) are ignored. The header lines stay in the body, so the indexed text
/// is the same as without them. At the very top, the block must hold a known key (or `Title` /
/// `Subject`, which then gives the title); the title is otherwise the first non-blank line after it.
enum PlainTextReader {
    /// The one document of a plain-text file; decoding problems become warnings.
    static func extract(_ bytes: [UInt8], context: ExtractionContext) -> Extraction {
        var (text, note) = TextDecoding.decode(bytes)
        var extraction = Extraction()
        if let note { extraction.warnings.append("The file is \(note).") }
        let document = text.withUTF8 { read($0[...], warnings: &extraction.warnings) }
        extraction.documents = [document]
        return extraction
    }

    private typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>
    private static let newline = UInt8(ascii: "\n")
    /// Header blocks are looked for only in the first lines of a file.
    private static let headerLineLimit = 30

    private static func read(_ bytes: Bytes, warnings: inout [String]) -> ExtractedDocument {
        let start = UTF8Whitespace.firstNonWhitespace(in: bytes)
        guard start < bytes.endIndex else { return ExtractedDocument(title: "", body: "") }
        // The line holding the first non-blank byte.
        let firstLineStart = bytes[..<start].lastIndex(of: newline).map { $0 + 1 } ?? bytes.startIndex
        let linesBefore = bytes[bytes.startIndex..<firstLineStart].count(where: { $0 == newline })
        var document = ExtractedDocument(title: "", body: "")

        let topBlock = headerBlock(in: bytes, from: firstLineStart, linesSeen: linesBefore)
        if !topBlock.lines.isEmpty,
            topBlock.lines.contains(where: { knownKeys.contains($0.key) || titleKeys.contains($0.key) })
        {
            apply(topBlock.lines, to: &document, warnings: &warnings)
            let rest = bytes[topBlock.end...]
            if let title = topBlock.lines.first(where: { titleKeys.contains($0.key) }) {
                document.title = title.value
                document.body = UTF8Whitespace.trimmedString(bytes[firstLineStart...])
                return document
            }
            let split = splitPlainText(rest)
            document.title = split.title
            let headers = UTF8Whitespace.trimmedString(bytes[firstLineStart..<topBlock.end])
            document.body = split.body.isEmpty ? headers : headers + "\n\n" + split.body
            return document
        }

        // Today's split: the first non-blank line is the title, everything after it the body.
        let lineEnd = bytes[start...].firstIndex(of: newline) ?? bytes.endIndex
        document.title = UTF8Whitespace.trimmedString(bytes[start..<lineEnd])
        guard lineEnd < bytes.endIndex else { return document }
        document.body = UTF8Whitespace.trimmedString(bytes[(lineEnd + 1)...])

        // A header block may follow the title after blank lines.
        var lineStart = lineEnd + 1
        var linesSeen = linesBefore + 1
        while lineStart < bytes.endIndex, linesSeen < headerLineLimit {
            let end = bytes[lineStart...].firstIndex(of: newline) ?? bytes.endIndex
            if UTF8Whitespace.firstNonWhitespace(in: bytes[lineStart..<end]) < end { break }
            lineStart = end + 1
            linesSeen += 1
        }
        if lineStart < bytes.endIndex {
            let block = headerBlock(in: bytes, from: lineStart, linesSeen: linesSeen)
            apply(block.lines, to: &document, warnings: &warnings)
        }
        return document
    }

    /// The first non-blank line is the title; everything after it, trimmed, the body.
    private static func splitPlainText(_ bytes: Bytes) -> (title: String, body: String) {
        let start = UTF8Whitespace.firstNonWhitespace(in: bytes)
        guard start < bytes.endIndex else { return ("", "") }
        let lineEnd = bytes[start...].firstIndex(of: newline) ?? bytes.endIndex
        let title = UTF8Whitespace.trimmedString(bytes[start..<lineEnd])
        let body = lineEnd < bytes.endIndex ? UTF8Whitespace.trimmedString(bytes[(lineEnd + 1)...]) : ""
        return (title, body)
    }

    /// One `Key: value` line; the key lower-cased.
    private struct HeaderLine {
        var key: String
        var value: String
    }

    /// The consecutive `Key: value` lines starting at `start`, and where they end (the start of the
    /// first line that is not one).
    private static func headerBlock(in bytes: Bytes, from start: Int, linesSeen: Int) -> (
        lines: [HeaderLine], end: Int
    ) {
        var lines: [HeaderLine] = []
        var lineStart = start
        var linesSeen = linesSeen
        while lineStart < bytes.endIndex, linesSeen < headerLineLimit {
            let end = bytes[lineStart...].firstIndex(of: newline) ?? bytes.endIndex
            guard let line = headerLine(bytes[lineStart..<end]) else { break }
            lines.append(line)
            linesSeen += 1
            lineStart = end < bytes.endIndex ? end + 1 : end
        }
        return (lines, lineStart)
    }

    /// A line `Key: value` whose key is one word of ASCII letters, digits, `-` or `_` (at most 30
    /// bytes, starting with a letter) followed by a colon and a space, tab or the end of the line.
    private static func headerLine(_ line: Bytes) -> HeaderLine? {
        guard let first = line.first, (first | 0x20) >= 0x61, (first | 0x20) <= 0x7A,
            let colon = line.prefix(31).firstIndex(of: UInt8(ascii: ":"))
        else { return nil }
        let key = line[line.startIndex..<colon]
        guard
            key.allSatisfy({
                ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D
                    || $0 == 0x5F
            })
        else { return nil }
        let afterColon = colon + 1
        guard
            afterColon == line.endIndex || line[afterColon] == 0x20 || line[afterColon] == 0x09
                || line[afterColon] == 0x0D
        else { return nil }
        return HeaderLine(
            key: String(decoding: key.map { $0 | 0x20 }, as: UTF8.self),
            value: UTF8Whitespace.trimmedString(line[afterColon...]))
    }

    private static let knownKeys: Set<String> = [
        "date", "published", "author", "by", "from", "source", "tags", "topics", "keywords", "language",
        "lang", "url",
    ]
    private static let titleKeys: Set<String> = ["title", "subject"]

    /// Sets the fields the header lines give; the first line of each field wins.
    private static func apply(
        _ lines: [HeaderLine], to document: inout ExtractedDocument, warnings: inout [String]
    ) {
        var tagsSeen = false
        for line in lines where !line.value.isEmpty {
            switch line.key {
            case "date", "published":
                guard document.date == nil else { continue }
                if let date = DateParsing.parse(line.value) {
                    document.date = date
                    document.metadata.dateSource = .metadata
                } else {
                    warnings.append(
                        "The header line “\(line.key): \(line.value)” holds no date Trawl can read; ignored.")
                }
            case "author", "by", "from":
                if document.metadata.author.isEmpty { document.metadata.author = line.value }
            case "source":
                if document.metadata.source.isEmpty { document.metadata.source = line.value }
            case "tags", "topics", "keywords":
                guard !tagsSeen else { continue }
                tagsSeen = true
                document.metadata.tags = tags(in: line.value)
            case "language", "lang":
                if document.metadata.language.isEmpty {
                    let primary = line.value.split(whereSeparator: { $0 == "-" || $0 == "_" }).first ?? ""
                    document.metadata.language = primary.lowercased()
                }
            case "url":
                if document.metadata.url.isEmpty { document.metadata.url = line.value }
            default:
                continue
            }
        }
    }

    /// Tags split on `,` and `;`, trimmed, empty ones and repeats dropped, order kept.
    static func tags(in value: String) -> [String] {
        var seen = Set<String>()
        var tags: [String] = []
        for part in value.split(whereSeparator: { $0 == "," || $0 == ";" }) {
            let tag = part.trimmingWhitespace()
            if !tag.isEmpty, seen.insert(tag).inserted { tags.append(tag) }
        }
        return tags
    }
}
