/// Byte tests for ASCII letters and digits, for the readers that scan UTF-8 bytes by hand.
enum ASCII {
    /// Whether `byte` is `A`–`Z` or `a`–`z`.
    @inline(__always)
    static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }

    /// Whether `byte` is `0`–`9`.
    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// `byte` with `A`–`Z` lowered to `a`–`z`; any other byte as it is.
    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 { (0x41...0x5A).contains(byte) ? byte | 0x20 : byte }
}
