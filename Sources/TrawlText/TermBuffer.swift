/// The bytes of the term being built, in fixed scratch memory owned by the caller.
///
/// Appends past the capacity are dropped and remembered in `isOverflowed`; such a term is far
/// longer than `Tokenizer.maximumTermLength` and is never emitted.
struct TermBuffer {
    /// How many bytes a term buffer holds.
    static let capacity = 1024

    private let storage: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private(set) var isOverflowed = false

    /// Wraps `storage`, which must hold `TermBuffer.capacity` bytes and outlive the buffer.
    init(storage: UnsafeMutablePointer<UInt8>) {
        self.storage = storage
    }

    /// The length to check against limits: `Int.max` once overflowed.
    var length: Int { isOverflowed ? Int.max : count }

    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: storage, count: count) }

    /// The first byte; the storage is `TermBuffer.capacity` bytes long whatever `count` is.
    var baseAddress: UnsafePointer<UInt8> { UnsafePointer(storage) }

    var last: UInt8? { count > 0 ? storage[count - 1] : nil }

    mutating func removeAll() {
        count = 0
        isOverflowed = false
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        guard count < Self.capacity else {
            isOverflowed = true
            return
        }
        storage[count] = byte
        count += 1
    }

    mutating func append(contentsOf source: UnsafeBufferPointer<UInt8>) {
        let copied = min(source.count, Self.capacity - count)
        if copied < source.count { isOverflowed = true }
        guard copied > 0, let base = source.baseAddress else { return }
        (storage + count).update(from: base, count: copied)
        count += copied
    }

    /// Replaces the contents with `source`.
    @inline(__always)
    mutating func set(_ source: UnsafeBufferPointer<UInt8>) {
        removeAll()
        append(contentsOf: source)
    }

    mutating func append(contentsOf source: ArraySlice<UInt8>) {
        source.withUnsafeBufferPointer { append(contentsOf: $0) }
    }

    /// Replaces the contents with `source` lower-cased by `| 0x20` (ASCII letters and digits only).
    @inline(__always)
    mutating func setLowercasedASCII(_ source: UnsafeBufferPointer<UInt8>) {
        removeAll()
        guard source.count <= Self.capacity else {
            isOverflowed = true
            return
        }
        for offset in 0..<source.count { storage[offset] = source[offset] | 0x20 }
        count = source.count
    }

    /// Overwrites byte `index` (below `count`) or appends when `index == count`.
    @inline(__always)
    mutating func set(_ byte: UInt8, at index: Int) {
        if index < count { storage[index] = byte } else { append(byte) }
    }

    /// Lets `body` rewrite the bytes in place and keeps the first `body`'s result of them.
    @inline(__always)
    mutating func rewrite(_ body: (UnsafeMutableBufferPointer<UInt8>) -> Int) {
        count = min(count, body(UnsafeMutableBufferPointer(start: storage, count: count)))
    }

    /// Cuts the buffer to its first `newCount` bytes.
    mutating func truncate(to newCount: Int) {
        count = min(count, newCount)
    }
}
