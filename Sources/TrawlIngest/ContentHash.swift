/// A stable 64-bit hash of file bytes (FNV-1a), used to notice content changes and moves.
///
/// Swift's `Hasher` is seeded per process, so it cannot be stored; this one gives the same value
/// in every run and on every machine.
enum ContentHash {
    static func of(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        bytes.withUnsafeBufferPointer { buffer in
            for byte in buffer {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            }
        }
        return hash
    }
}
