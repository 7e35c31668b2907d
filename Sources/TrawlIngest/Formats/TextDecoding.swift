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

    /// Windows-1252 (`CodePages.cp1252` above 0x7F).
    private static func windows1252(_ bytes: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            let value = byte >= 0x80 ? CodePages.cp1252[Int(byte) - 0x80] : UInt32(byte)
            scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
        }
        var text = ""
        text.unicodeScalars = scalars
        return text
    }
}
