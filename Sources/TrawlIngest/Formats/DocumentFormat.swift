/// The kinds of file Trawl reads, by file-name extension.
enum DocumentFormat: Sendable, CaseIterable {
    case plainText
    case markdown
    case html
    /// A JSON file of article records (or one article).
    case json
    /// JSON Lines: one record per line.
    case jsonLines
    case email
    case pdf

    /// The format of a file name, or nil when Trawl does not index such files.
    init?(fileName: String) {
        guard let dot = fileName.lastIndex(of: "."), dot != fileName.startIndex else { return nil }
        switch fileName[fileName.index(after: dot)...].lowercased() {
        case "txt", "text": self = .plainText
        case "md", "markdown": self = .markdown
        case "html", "htm", "xhtml": self = .html
        case "json": self = .json
        case "jsonl", "ndjson": self = .jsonLines
        case "eml": self = .email
        case "pdf": self = .pdf
        default: return nil
        }
    }

    /// The extensions Trawl indexes, for messages.
    static let extensionList = ".txt, .md, .html, .htm, .json, .jsonl, .ndjson, .eml, .pdf"

    /// Reads a file's bytes with the format's reader.
    func extract(_ bytes: [UInt8], context: ExtractionContext) -> Extraction {
        switch self {
        case .plainText: PlainTextReader.extract(bytes, context: context)
        case .markdown: MarkdownReader.extract(bytes, context: context)
        case .html: HTMLReader.extract(bytes, context: context)
        case .json, .jsonLines: JSONRecordReader.extract(bytes, context: context)
        case .email: EmailReader.extract(bytes, context: context)
        case .pdf: PDFReader.extract(bytes, context: context)
        }
    }
}

/// The plain-text rule for a title: the first non-blank line is the title, everything after it,
/// trimmed, the body. Lines end at `\n` (a `\r` before it is trimmed with the other
/// whitespace). The work is done on the UTF-8 bytes: only the title and body are built as Strings.
enum TitleSplit {
    typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>

    static func split(_ text: String) -> (title: String, body: String) {
        var text = text
        return text.withUTF8 { split($0[...]) }
    }

    static func split(_ bytes: Bytes) -> (title: String, body: String) {
        let start = UTF8Whitespace.firstNonWhitespace(in: bytes)
        guard start < bytes.endIndex else { return ("", "") }
        let lineEnd = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
        let title = UTF8Whitespace.trimmedString(bytes[start..<lineEnd])
        let body = lineEnd < bytes.endIndex ? UTF8Whitespace.trimmedString(bytes[(lineEnd + 1)...]) : ""
        return (title, body)
    }
}

/// Decodes file bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252.
enum TextDecoding {
    static func decode(_ bytes: [UInt8]) -> (text: String, note: String?) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return decodeUTF8OrFallback(Array(bytes.dropFirst(3)))
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let bigEndian = bytes[0] == 0xFE
            var units: [UInt16] = []
            units.reserveCapacity(bytes.count / 2)
            var index = 2
            while index + 1 < bytes.count {
                let pair = (UInt16(bytes[index]), UInt16(bytes[index + 1]))
                units.append(bigEndian ? pair.0 << 8 | pair.1 : pair.1 << 8 | pair.0)
                index += 2
            }
            return (String(decoding: units, as: UTF16.self), nil)
        }
        return decodeUTF8OrFallback(bytes)
    }

    /// Like `decode(_:)`, as UTF-8 bytes: a file that is already valid UTF-8 without a BOM is
    /// given back as it is, not copied (twice, through a String) for readers that work on bytes.
    static func decodeToUTF8(_ bytes: [UInt8]) -> (utf8: [UInt8], note: String?) {
        if !bytes.starts(with: [0xEF, 0xBB, 0xBF]) && !bytes.starts(with: [0xFF, 0xFE])
            && !bytes.starts(with: [0xFE, 0xFF]) && String(validating: bytes, as: UTF8.self) != nil
        {
            return (bytes, nil)
        }
        let (text, note) = decode(bytes)
        return (Array(text.utf8), note)
    }

    private static func decodeUTF8OrFallback(_ bytes: [UInt8]) -> (text: String, note: String?) {
        if let text = String(validating: bytes, as: UTF8.self) {
            return (text, nil)
        }
        return (windows1252(bytes), "not valid UTF-8; decoded as Windows-1252")
    }

    /// Windows-1252: Latin-1 plus typographic characters in 0x80–0x9F.
    private static let high: [UInt32] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
        0x0152,
        0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC,
        0x2122,
        0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
    ]

    private static func windows1252(_ bytes: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            let value = (0x80...0x9F).contains(byte) ? high[Int(byte) - 0x80] : UInt32(byte)
            scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
        }
        var text = ""
        text.unicodeScalars = scalars
        return text
    }
}

/// Unicode whitespace (`Unicode.Scalar.Properties.isWhitespace`) found on UTF-8 bytes, with an
/// ASCII fast path.
enum UTF8Whitespace {
    /// The index of the first byte of the first non-whitespace scalar, or `endIndex`.
    static func firstNonWhitespace<C: Collection<UInt8>>(in bytes: C) -> C.Index where C.Index == Int {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let length = whitespaceLength(at: index, in: bytes)
            if length == 0 { return index }
            index += length
        }
        return index
    }

    /// The bytes with leading and trailing whitespace removed, as a String.
    static func trimmedString<C: Collection<UInt8>>(_ bytes: C) -> String where C.Index == Int {
        let start = firstNonWhitespace(in: bytes)
        var end = bytes.endIndex
        while end > start {
            // Step back to the first byte of the last scalar.
            var scalarStart = end - 1
            while scalarStart > start && bytes[scalarStart] & 0xC0 == 0x80 { scalarStart -= 1 }
            if whitespaceLength(at: scalarStart, in: bytes) == 0 { break }
            end = scalarStart
        }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    static func trimmedString(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { trimmedString($0) }
    }

    /// Whether the bytes, trimmed, are exactly `text`.
    static func isExactly<C: Collection<UInt8>>(_ bytes: C, _ text: String) -> Bool where C.Index == Int {
        trimmedString(bytes) == text
    }

    /// The byte length of the whitespace scalar at `index`, or 0 when it is not whitespace.
    private static func whitespaceLength<C: Collection<UInt8>>(at index: Int, in bytes: C) -> Int
    where C.Index == Int {
        let lead = bytes[index]
        if lead < 0x80 { return lead == 0x20 || (0x09...0x0D).contains(lead) ? 1 : 0 }
        // Every non-ASCII whitespace scalar starts with 0xC2, 0xE1, 0xE2 or 0xE3.
        guard lead == 0xC2 || (0xE1...0xE3).contains(lead) else { return 0 }
        let length = lead < 0xE0 ? 2 : 3
        guard index + length <= bytes.endIndex else { return 0 }
        var value = UInt32(lead & (length == 2 ? 0x1F : 0x0F))
        for offset in 1..<length { value = value << 6 | UInt32(bytes[index + offset] & 0x3F) }
        guard let scalar = Unicode.Scalar(value), scalar.properties.isWhitespace else { return 0 }
        return length
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        UTF8Whitespace.trimmedString(Array(utf8))
    }
}
