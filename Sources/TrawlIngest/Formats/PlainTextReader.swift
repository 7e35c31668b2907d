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
        if let note { extraction.warnings.append(note) }
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
            topBlock.lines.contains(where: { $0.field != nil })
        {
            apply(topBlock.lines, in: bytes, to: &document, warnings: &warnings)
            let rest = bytes[topBlock.end...]
            if let title = topBlock.lines.first(where: { $0.field == .title && !$0.value.isEmpty }) {
                document.title = String(decoding: bytes[title.value], as: UTF8.self)
                document.body = UTF8Whitespace.trimmedString(bytes[firstLineStart...])
                return document
            }
            let split = TitleSplit.split(rest)
            document.title = split.title
            let headers = UTF8Whitespace.trimmedString(bytes[firstLineStart..<topBlock.end])
            document.body = split.body.isEmpty ? headers : headers + "\n\n" + split.body
            return document
        }

        // The plain split: the first non-blank line is the title, everything after it the body.
        (document.title, document.body) = TitleSplit.split(bytes)
        let lineEnd = bytes[start...].firstIndex(of: newline) ?? bytes.endIndex
        guard lineEnd < bytes.endIndex else { return document }

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
            apply(block.lines, in: bytes, to: &document, warnings: &warnings)
        }
        return document
    }

    /// The fields a header line can give.
    private enum HeaderField {
        case title, date, author, source, tags, language, url
    }

    /// One `Key: value` line: what its key means (nil for keys Trawl does not use, like `Places`),
    /// the key as written and where its trimmed value lies.
    private struct HeaderLine {
        var field: HeaderField?
        var key: Range<Int>
        var value: Range<Int>
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
        guard let first = line.first, ASCII.isLetter(first),
            let colon = line.prefix(31).firstIndex(of: UInt8(ascii: ":"))
        else { return nil }
        let key = line[line.startIndex..<colon]
        guard
            key.allSatisfy({
                ASCII.isLetter($0) || ASCII.isDigit($0) || $0 == 0x2D || $0 == 0x5F
            })
        else { return nil }
        let afterColon = colon + 1
        guard
            afterColon == line.endIndex || line[afterColon] == 0x20 || line[afterColon] == 0x09
                || line[afterColon] == 0x0D
        else { return nil }
        // Trim the value on bytes; its String is built only when its field is used.
        var valueStart = afterColon
        while valueStart < line.endIndex, isBlank(line[valueStart]) { valueStart += 1 }
        var valueEnd = line.endIndex
        while valueEnd > valueStart, isBlank(line[valueEnd - 1]) { valueEnd -= 1 }
        return HeaderLine(field: field(named: key), key: key.indices, value: valueStart..<valueEnd)
    }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }

    /// The field a key names, matched without regard to ASCII case and without building a String.
    private static func field(named key: Bytes) -> HeaderField? {
        guard key.count <= 9 else { return nil }
        for (name, field) in fieldNames where name.count == key.count {
            if zip(name, key).allSatisfy({ $0 == $1 | 0x20 }) { return field }
        }
        return nil
    }

    private static let fieldNames: [([UInt8], HeaderField)] = {
        let names: [(String, HeaderField)] = [
            ("date", .date), ("published", .date), ("author", .author), ("by", .author), ("from", .author),
            ("source", .source), ("tags", .tags), ("topics", .tags), ("keywords", .tags),
            ("language", .language), ("lang", .language), ("url", .url), ("title", .title),
            ("subject", .title),
        ]
        return names.map { (Array($0.0.utf8), $0.1) }
    }()

    /// Sets the fields the header lines give; the first line of each field wins.
    private static func apply(
        _ lines: [HeaderLine], in bytes: Bytes, to document: inout ExtractedDocument, warnings: inout [String]
    ) {
        var tagsSeen = false
        for line in lines where !line.value.isEmpty {
            guard let field = line.field else { continue }
            let value = bytes[line.value]
            switch field {
            case .title:
                continue
            case .date:
                guard document.date == nil else { continue }
                if let date = DateParsing.parse(bytes: UnsafeBufferPointer(rebasing: value)) {
                    document.date = date
                    document.metadata.dateSource = .metadata
                } else {
                    let key = String(decoding: bytes[line.key], as: UTF8.self)
                    let text = String(decoding: value, as: UTF8.self)
                    warnings.append(
                        "the header line “\(key): \(text)” holds no date Trawl can read; ignored")
                }
            case .author:
                if document.metadata.author.isEmpty {
                    document.metadata.author = String(decoding: value, as: UTF8.self)
                }
            case .source:
                if document.metadata.source.isEmpty {
                    document.metadata.source = String(decoding: value, as: UTF8.self)
                }
            case .tags:
                guard !tagsSeen else { continue }
                tagsSeen = true
                document.metadata.tags = tags(in: value)
            case .language:
                if document.metadata.language.isEmpty {
                    let primary = value.prefix(while: { $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: "_") })
                    document.metadata.language = String(decoding: primary, as: UTF8.self).lowercased()
                }
            case .url:
                if document.metadata.url.isEmpty {
                    document.metadata.url = String(decoding: value, as: UTF8.self)
                }
            }
        }
    }

    /// Tags split on `,` and `;`, trimmed, empty ones and repeats dropped, order kept.
    private static func tags(in value: Bytes) -> [String] {
        var tags: [String] = []
        for part in value.split(whereSeparator: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: ";") }) {
            let tag = UTF8Whitespace.trimmedString(part)
            if !tag.isEmpty, !tags.contains(tag) { tags.append(tag) }
        }
        return tags
    }
}
