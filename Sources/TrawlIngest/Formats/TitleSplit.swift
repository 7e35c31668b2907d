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
