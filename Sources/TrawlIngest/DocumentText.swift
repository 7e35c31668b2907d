/// The title and body Trawl indexes for a file, and how its bytes were decoded.
struct DocumentText: Sendable, Hashable {
    var title: String
    var body: String
    /// Set when the bytes were not valid UTF-8 and a fallback decoding was used.
    var decodingNote: String?
}

/// The kinds of file Trawl reads, by file-name extension.
enum DocumentFormat: Sendable, CaseIterable {
    case plainText
    case markdown

    /// The format of a file name, or nil when Trawl does not index such files.
    init?(fileName: String) {
        guard let dot = fileName.lastIndex(of: "."), dot != fileName.startIndex else { return nil }
        switch fileName[fileName.index(after: dot)...].lowercased() {
        case "txt", "text": self = .plainText
        case "md", "markdown": self = .markdown
        default: return nil
        }
    }

    /// Splits decoded text into title and body.
    ///
    /// Plain text: the first non-empty line is the title, the rest the body. Markdown: a YAML
    /// front-matter block is skipped (its `title:` wins), then the first `#` heading is the title.
    func split(_ text: String) -> (title: String, body: String) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)[...]
        var frontMatterTitle: String?
        if self == .markdown, lines.first?.trimmingWhitespace() == "---",
            let end = lines.dropFirst().firstIndex(where: { $0.trimmingWhitespace() == "---" })
        {
            for line in lines[lines.startIndex + 1..<end] where line.hasPrefix("title:") {
                frontMatterTitle = Self.unquoted(line.dropFirst("title:".count).trimmingWhitespace())
            }
            lines = lines[(end + 1)...]
        }
        while let first = lines.first, first.trimmingWhitespace().isEmpty { lines = lines.dropFirst() }
        var title = frontMatterTitle ?? ""
        if self == .markdown, let heading = lines.firstIndex(where: { $0.hasPrefix("#") }) {
            let headingText = lines[heading].drop(while: { $0 == "#" }).trimmingWhitespace()
            if frontMatterTitle == nil { title = headingText }
            var rest = Array(lines)
            rest.remove(at: heading - lines.startIndex)
            return (title, rest.joined(separator: "\n").trimmingWhitespace())
        }
        if frontMatterTitle == nil, let first = lines.first {
            title = first.trimmingWhitespace()
            lines = lines.dropFirst()
        }
        return (title, lines.joined(separator: "\n").trimmingWhitespace())
    }

    private static func unquoted(_ text: String) -> String {
        if text.count >= 2, let first = text.first, first == "\"" || first == "'", text.last == first {
            return String(text.dropFirst().dropLast())
        }
        return text
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

extension StringProtocol {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
