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
