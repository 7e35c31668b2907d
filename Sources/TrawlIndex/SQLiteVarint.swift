import Foundation

/// SQLite's variable-length integers — big-endian groups of 7 bits, each byte's top bit set when
/// another follows, the ninth byte whole — as FTS5 writes them in its averages record, its
/// document sizes and its leaf pages.
enum SQLiteVarint {
    /// The varint at `index` of `bytes` and the index after it; nil when it runs past `end`.
    static func decode(_ bytes: UnsafeRawBufferPointer, at index: Int, end: Int) -> (UInt64, Int)? {
        var value: UInt64 = 0
        var index = index
        for byteCount in 1...9 {
            guard index < end else { return nil }
            let byte = bytes[index]
            index += 1
            if byteCount == 9 { return (value << 8 | UInt64(byte), index) }
            value = value << 7 | UInt64(byte & 0x7f)
            if byte & 0x80 == 0 { return (value, index) }
        }
        return nil
    }

    /// The first `count` varints of `bytes`, or as many as it holds whole.
    static func values(in bytes: some ContiguousBytes, count: Int) -> [Int64] {
        bytes.withUnsafeBytes { bytes in
            var values: [Int64] = []
            var index = 0
            while values.count < count, let (value, next) = decode(bytes, at: index, end: bytes.count) {
                values.append(Int64(bitPattern: value))
                index = next
            }
            return values
        }
    }
}
