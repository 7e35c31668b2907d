/// MIME building blocks shared by the e-mail and HTML readers: header parameters, RFC 2047
/// encoded words, transfer encodings and character sets.
enum MIME {
    // MARK: Character sets

    /// The character sets `decode(_:charset:)` knows, by their lower-cased IANA names and aliases.
    private enum Charset {
        case utf8, ascii, latin1, windows1252, latin9

        init?(name: String) {
            switch name.trimmingWhitespace().lowercased() {
            case "utf-8", "utf8": self = .utf8
            case "us-ascii", "ascii": self = .ascii
            case "iso-8859-1", "iso8859-1", "latin1", "iso_8859-1", "l1": self = .latin1
            case "windows-1252", "cp1252", "x-cp1252": self = .windows1252
            case "iso-8859-15", "iso8859-15", "latin9", "latin-9": self = .latin9
            default: return nil
            }
        }
    }

    /// Whether `decode(_:charset:)` knows the character set `name`.
    static func knowsCharset(_ name: String) -> Bool { Charset(name: name) != nil }

    /// Decodes `bytes` written in `charset`, and a note when they were not what it says.
    ///
    /// UTF-8 that is not valid and unknown character sets fall back to `TextDecoding.decode`
    /// (UTF-8, else Windows-1252). ISO-8859-1 is read as Windows-1252, as browsers and mail
    /// readers do: the two agree on every printable character. "US-ASCII" with 8-bit bytes is a
    /// common mislabel: it is read like a message without a charset, UTF-8 else Windows-1252.
    static func decode(_ bytes: [UInt8], charset: String) -> (text: String, note: String?) {
        switch Charset(name: charset) {
        case .utf8:
            return TextDecoding.decode(bytes)
        case .ascii:
            return (TextDecoding.decode(bytes).text, nil)
        case .latin1, .windows1252:
            return (singleByte(bytes, latin9: false), nil)
        case .latin9:
            return (singleByte(bytes, latin9: true), nil)
        case nil:
            let decoded = TextDecoding.decode(bytes)
            let fallback = decoded.note == nil ? "UTF-8" : "Windows-1252"
            return (decoded.text, "character set \"\(charset)\" is not supported; decoded as \(fallback)")
        }
    }

    /// Windows-1252, or ISO-8859-15 when `latin9` (the euro sign and a few letters moved).
    private static func singleByte(_ bytes: [UInt8], latin9: Bool) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 8)
        for byte in bytes {
            if byte < 0x80 {
                output.append(byte)
                continue
            }
            var value = UInt32(byte)
            if latin9 {
                value = latin9Differences[byte] ?? value
            } else if byte < 0xA0 {
                value = CodePages.cp1252[Int(byte) - 0x80]
            }
            HTMLEntities.appendUTF8(Unicode.Scalar(value) ?? "\u{FFFD}", to: &output)
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static let latin9Differences: [UInt8: UInt32] = [
        0xA4: 0x20AC, 0xA6: 0x0160, 0xA8: 0x0161, 0xB4: 0x017D, 0xB8: 0x017E, 0xBC: 0x0152, 0xBD: 0x0153,
        0xBE: 0x0178,
    ]

    // MARK: Entities

    /// One MIME entity (a whole message or one part of a multipart body): its headers and body.
    struct Part {
        /// Header names lower-cased; values unfolded (line breaks removed) and decoded as UTF-8,
        /// else Windows-1252; encoded words are left for the caller to decode.
        var headers: [(name: String, value: String)] = []
        var body: ArraySlice<UInt8>

        /// Reads the header block (up to the first blank line) and takes the rest as the body.
        ///
        /// A leading mbox `From ` line is skipped. A line that is neither a header nor a folded
        /// continuation ends the headers early and starts the body.
        init(parsing bytes: ArraySlice<UInt8>) {
            var lineStart = bytes.startIndex
            var current: [UInt8]?
            var bodyStart = bytes.endIndex
            var headers: [(name: String, value: String)] = []
            func finish(_ line: [UInt8]?) {
                guard let line, let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
                let name = String(decoding: line[..<colon], as: UTF8.self).trimmingWhitespace().lowercased()
                let value = TextDecoding.decode(Array(line[(colon + 1)...])).text.trimmingWhitespace()
                headers.append((name, value))
            }
            while lineStart < bytes.endIndex {
                let newline = bytes[lineStart...].firstIndex(of: 0x0A) ?? bytes.endIndex
                var lineEnd = newline
                if lineEnd > lineStart, bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                let line = bytes[lineStart..<lineEnd]
                let next = newline < bytes.endIndex ? newline + 1 : bytes.endIndex
                if line.isEmpty {
                    bodyStart = next
                    break
                }
                if line.first == 0x20 || line.first == 0x09 {
                    if current != nil {
                        current?.append(contentsOf: line)
                        lineStart = next
                        continue
                    }
                } else if headers.isEmpty && current == nil && line.starts(with: "From ".utf8) {
                    lineStart = next
                    continue
                } else if Part.isHeaderLine(line) {
                    finish(current)
                    current = Array(line)
                    lineStart = next
                    continue
                }
                bodyStart = lineStart  // not a header: the headers ended without a blank line
                break
            }
            finish(current)
            self.headers = headers
            self.body = bytes[bodyStart...]
        }

        /// `Name: value`, the name made of printable ASCII other than the colon.
        private static func isHeaderLine(_ line: ArraySlice<UInt8>) -> Bool {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex else {
                return false
            }
            return line[..<colon].allSatisfy { (0x21...0x7E).contains($0) }
        }

        /// The value of the first header named `name` (lower-case), or nil.
        func header(_ name: String) -> String? {
            headers.first(where: { $0.name == name })?.value
        }

        /// The parts of a multipart body split on `boundary`, and whether the closing boundary
        /// (`--boundary--`) was found. The preamble and epilogue are dropped.
        func multipartBodies(boundary: String) -> (parts: [ArraySlice<UInt8>], closed: Bool) {
            let delimiter = Array(("--" + boundary).utf8)
            var parts: [ArraySlice<UInt8>] = []
            var partStart: Int?
            var lineStart = body.startIndex
            while lineStart < body.endIndex {
                let newline = body[lineStart...].firstIndex(of: 0x0A) ?? body.endIndex
                let next = newline < body.endIndex ? newline + 1 : body.endIndex
                let line = body[lineStart..<newline]
                let rest = line.dropFirst(delimiter.count)
                if line.starts(with: delimiter),
                    rest.starts(with: "--".utf8)
                        || rest.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D })
                {
                    if let start = partStart {
                        // The line break before the delimiter belongs to the delimiter.
                        var end = max(start, lineStart - 1)
                        if end > start, body[end - 1] == 0x0D { end -= 1 }
                        parts.append(body[start..<min(end, lineStart)])
                    }
                    if rest.starts(with: "--".utf8) { return (parts, true) }
                    partStart = next
                }
                lineStart = next
            }
            if let start = partStart, start < body.endIndex { parts.append(body[start...]) }
            return (parts, false)
        }
    }

    // MARK: Header values

    /// A header value such as `text/plain; charset="utf-8"`: its lower-cased main value and its
    /// parameters (names lower-cased, quotes removed).
    struct HeaderValue: Equatable {
        var value: String
        var parameters: [String: String] = [:]

        init(parsing text: String) {
            var parts: [String] = []
            var current: [UInt8] = []
            var inQuotes = false
            var escaped = false
            for byte in text.utf8 {
                if escaped {
                    current.append(byte)
                    escaped = false
                } else if inQuotes && byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inQuotes.toggle()
                } else if byte == UInt8(ascii: ";") && !inQuotes {
                    parts.append(String(decoding: current, as: UTF8.self))
                    current.removeAll(keepingCapacity: true)
                } else {
                    current.append(byte)
                }
            }
            parts.append(String(decoding: current, as: UTF8.self))
            value = parts[0].trimmingWhitespace().lowercased()
            for part in parts.dropFirst() {
                guard let equals = part.firstIndex(of: "=") else { continue }
                let name = part[..<equals].trimmingWhitespace().lowercased()
                // RFC 2231 continuations and charsets (`filename*=`) are rare in reports; the plain
                // name is enough to tell an attachment.
                if parameters[name] == nil {
                    parameters[name] = part[part.index(after: equals)...].trimmingWhitespace()
                }
            }
        }
    }

    // MARK: Encoded words (RFC 2047)

    /// `text` with its RFC 2047 encoded words (`=?UTF-8?B?...?=`, `=?iso-8859-1?Q?...?=`) decoded;
    /// whitespace between two adjacent encoded words is dropped.
    static func decodeEncodedWords(_ text: String) -> String {
        guard text.contains("=?") else { return text }
        var output = ""
        var rest = Substring(text)
        var lastWasEncoded = false
        while !rest.isEmpty {
            guard let start = rest.firstRange(of: "=?") else {
                output += rest
                break
            }
            let before = rest[..<start.lowerBound]
            if let (word, end) = encodedWord(in: rest[start.lowerBound...]) {
                let isOnlySpace = before.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
                if !(lastWasEncoded && isOnlySpace) {
                    output += before
                }
                output += word
                lastWasEncoded = true
                rest = rest[end...]
            } else {
                output += before
                output += "=?"
                lastWasEncoded = false
                rest = rest[start.upperBound...]
            }
        }
        return output
    }

    /// The decoded text of the encoded word at the start of `text`, and where it ends.
    private static func encodedWord(in text: Substring) -> (String, String.Index)? {
        // =?charset?encoding?encoded-text?= ; encoded words are at most 75 characters (RFC 2047):
        // a looser bound tolerates sloppy mailers and keeps a header full of stray `=?` linear.
        let fields = text.dropFirst(2).prefix(4096)
        guard let charsetEnd = fields.firstIndex(of: "?") else { return nil }
        var charset = String(fields[..<charsetEnd])
        if let language = charset.firstIndex(of: "*") { charset = String(charset[..<language]) }  // RFC 2231
        let afterCharset = fields[fields.index(after: charsetEnd)...]
        guard let encoding = afterCharset.first, afterCharset.dropFirst().first == "?" else { return nil }
        let encoded = afterCharset.dropFirst(2)
        guard let close = encoded.firstRange(of: "?="), !charset.isEmpty, !charset.contains(" ") else {
            return nil
        }
        let payload = encoded[..<close.lowerBound]
        guard !payload.contains(" ") else { return nil }
        let bytes: [UInt8]
        switch encoding {
        case "B", "b": bytes = decodeBase64(Array(payload.utf8))
        case "Q", "q": bytes = decodeQuotedPrintable(Array(payload.utf8), underscoreIsSpace: true)
        default: return nil
        }
        return (decode(bytes, charset: charset).text, close.upperBound)
    }

    // MARK: Transfer encodings

    /// Decodes quoted-printable: `=XX` escapes, soft line breaks (`=` at the end of a line), and
    /// in encoded words `_` for a space. A malformed `=` is kept as written.
    static func decodeQuotedPrintable(_ bytes: [UInt8], underscoreIsSpace: Bool = false) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "_") && underscoreIsSpace {
                output.append(0x20)
                index += 1
            } else if byte == UInt8(ascii: "=") {
                // Soft line break: `=` then optional trailing blanks, then CRLF or LF.
                var cursor = index + 1
                while cursor < bytes.count, bytes[cursor] == 0x20 || bytes[cursor] == 0x09 { cursor += 1 }
                if cursor < bytes.count, bytes[cursor] == 0x0D, cursor + 1 < bytes.count,
                    bytes[cursor + 1] == 0x0A
                {
                    index = cursor + 2
                } else if cursor < bytes.count, bytes[cursor] == 0x0A {
                    index = cursor + 1
                } else if cursor == bytes.count {
                    index = cursor
                } else if index + 2 < bytes.count, let high = hexValue(bytes[index + 1]),
                    let low = hexValue(bytes[index + 2])
                {
                    output.append(high << 4 | low)
                    index += 3
                } else {
                    output.append(byte)
                    index += 1
                }
            } else {
                output.append(byte)
                index += 1
            }
        }
        return output
    }

    /// Decodes base64, skipping whitespace and anything outside the alphabet, with or without
    /// `=` padding.
    static func decodeBase64(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in bytes {
            let value: UInt32
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = UInt32(byte - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(byte - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(byte - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "+"), UInt8(ascii: "-"): value = 62
            case UInt8(ascii: "/"), UInt8(ascii: "_"): value = 63
            case UInt8(ascii: "="): return output
            default: continue
            }
            accumulator = accumulator << 6 | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        return output
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}
