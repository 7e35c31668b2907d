/// A MinHash signature of a text's word shingles: a short, fixed-size summary from which the
/// resemblance (Jaccard similarity of the shingle sets) of two texts can be estimated.
///
/// Words are runs of letters and digits (any non-ASCII byte counts as a letter), ASCII folded to
/// lower case; a shingle is three consecutive words. Hash function i is `a + i·b` of two 64-bit
/// hashes of the shingle (double hashing: two mixes per shingle rather than 32), its top 32 bits
/// kept. A `Key: value` header block at the top of the
/// text (`Date:`, `Topics:`, as wire files carry) is left out: copies of one story differ there
/// (the time a copy was filed, the topics its desk gave it) while their stories do not. Each of ``count`` hash functions keeps the
/// smallest hash of any shingle; two texts agree on a function with probability equal to their
/// Jaccard similarity, so the share of agreeing values estimates it (±0.09 at 0.5 with 32
/// values).
///
/// Only the low 16 bits of each minimum are kept (b-bit MinHash): two texts whose minima differ
/// still agree by chance with probability 2⁻¹⁶, nothing beside the ±0.09 of 32 values, and a
/// signature takes 64 bytes instead of 128 (1.2 MB of a Reuters index). The low bits, not the
/// high: a long text's minima are small numbers, whose high bits are mostly zero.
///
/// ```swift
/// let a = ShingleSignature(text: flash), b = ShingleSignature(text: update1)
/// a!.similarity(to: b!)   // 0.72
/// ```
///
/// MinHash rather than SimHash: a wire update adds or removes whole paragraphs, and what the
/// threshold must decide is "how much of the text is shared" — the Jaccard similarity MinHash
/// estimates directly, while SimHash's Hamming distance grows with the length of the text changed
/// in a way that depends on the text. Word shingles, not the index's terms: no stemming is
/// needed to see that two texts are the same, and this pass costs a fraction of tokenizing.
public struct ShingleSignature: Sendable, Hashable {
    /// The low 16 bits of the minimum hash of each function.
    public private(set) var values: [UInt16]

    /// How many hash functions (values) a signature holds.
    public static let count = 32
    /// Words per shingle.
    public static let shingleWords = 3
    /// Texts with fewer words than this get no signature: a headline-sized text says too little
    /// to call another text a copy of it.
    public static let minimumWords = 12

    /// The signature of `text`, or nil when it has fewer than ``minimumWords`` words.
    public init?(text: String) {
        var text = text
        let signed = text.withUTF8 { bytes in Self.minima(of: bytes[Self.headerEnd(of: bytes)...]) }
        guard let signed else { return nil }
        values = signed
    }

    /// The low 16 bits of the minimum of each hash function over the shingles of `bytes`, or nil
    /// when they hold fewer than ``minimumWords`` words.
    ///
    /// Function i's value for a shingle is the top 32 bits of `a + i·b`; the 32 functions are
    /// computed eight at a time, four vectors of eight lanes (`a + (8k + lane)·b`).
    static func minima(of bytes: Slice<UnsafeBufferPointer<UInt8>>) -> [UInt16]? {
        var minima = (
            SIMD8<UInt32>(repeating: .max), SIMD8<UInt32>(repeating: .max), SIMD8<UInt32>(repeating: .max),
            SIMD8<UInt32>(repeating: .max)
        )
        let lanes = SIMD8<UInt64>(0, 1, 2, 3, 4, 5, 6, 7)
        var words = 0
        // The hashes of the last three words, oldest first.
        var (first, second, third): (UInt64, UInt64, UInt64) = (0, 0, 0)
        let text = UnsafeBufferPointer(rebasing: bytes)
        guard var cursor = text.baseAddress else { return nil }
        let end = cursor + text.count
        Self.wordByte.withUnsafeBufferPointer { table in
            let wordByte = table.baseAddress!
            while cursor < end {
                // Each word byte folded (`wordByte`: 0 between words), hashed a word at a time.
                var folded = wordByte[Int(cursor.pointee)]
                cursor += 1
                guard folded != 0 else { continue }
                var word = Self.offsetBasis
                repeat {
                    word = (word ^ UInt64(folded)) &* Self.prime
                    guard cursor < end else { break }
                    folded = wordByte[Int(cursor.pointee)]
                    cursor += 1
                } while folded != 0
                words += 1
                (first, second, third) = (second, third, word)
                guard words >= Self.shingleWords else { continue }
                // Double hashing: function i is a + i·b of two hashes of the shingle.
                let shingle = first &* 0x9E37_79B9_7F4A_7C15 ^ second &* 0xC2B2_AE3D_27D4_EB4F ^ third
                let a = Self.mix(shingle)
                let b = Self.mix(shingle ^ 0x5452_4157_4C4D_4853) | 1
                let step = SIMD8<UInt64>(repeating: 8 &* b)
                var value = SIMD8<UInt64>(repeating: a) &+ lanes &* SIMD8<UInt64>(repeating: b)
                minima.0 = pointwiseMin(minima.0, SIMD8<UInt32>(truncatingIfNeeded: value &>> 32))
                value &+= step
                minima.1 = pointwiseMin(minima.1, SIMD8<UInt32>(truncatingIfNeeded: value &>> 32))
                value &+= step
                minima.2 = pointwiseMin(minima.2, SIMD8<UInt32>(truncatingIfNeeded: value &>> 32))
                value &+= step
                minima.3 = pointwiseMin(minima.3, SIMD8<UInt32>(truncatingIfNeeded: value &>> 32))
            }
        }
        guard words >= Self.minimumWords else { return nil }
        var values: [UInt16] = []
        values.reserveCapacity(Self.count)
        for vector in [minima.0, minima.1, minima.2, minima.3] {
            for lane in 0..<8 { values.append(UInt16(truncatingIfNeeded: vector[lane])) }
        }
        return values
    }

    /// A signature read back from ``bytes``; nil when `bytes` is not one.
    public init?(bytes: [UInt8]) {
        guard let signature = bytes.withUnsafeBytes({ Self(stored: $0) }) else { return nil }
        self = signature
    }

    /// A signature read back from the bytes ``bytes`` wrote, where they are stored; nil when
    /// `stored` is not one.
    public init?(stored: UnsafeRawBufferPointer) {
        guard stored.count == Self.count * 2 else { return nil }
        values = (0..<Self.count).map { index in
            UInt16(littleEndian: stored.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self))
        }
    }

    /// The values as little-endian bytes, for storage.
    public var bytes: [UInt8] {
        var bytes = [UInt8](repeating: 0, count: Self.count * 2)
        bytes.withUnsafeMutableBytes { bytes in
            for (index, value) in values.enumerated() {
                bytes.storeBytes(of: value.littleEndian, toByteOffset: index * 2, as: UInt16.self)
            }
        }
        return bytes
    }

    /// The stored bytes of a signature of 32-bit values (schema v10 to v16) as this version
    /// stores it: the low half of each value. Nil when `stored` is not one.
    public static func narrowed(_ stored: [UInt8]) -> [UInt8]? {
        guard stored.count == count * 4 else { return nil }
        return (0..<count).flatMap { index in stored[index * 4..<index * 4 + 2] }
    }

    /// The estimated Jaccard similarity of the two texts' shingle sets: the share of equal values.
    public func similarity(to other: ShingleSignature) -> Double {
        var equal = 0
        for index in 0..<Self.count where values[index] == other.values[index] { equal += 1 }
        return Double(equal) / Double(Self.count)
    }

    /// Where the text after a leading block of `Key: value` lines (and blank lines) starts.
    static func headerEnd(of text: String) -> String.UTF8View.Index {
        var copy = text
        let offset = copy.withUTF8 { headerEnd(of: $0) }
        return text.utf8.index(text.utf8.startIndex, offsetBy: offset)
    }

    /// Where the bytes after a leading block of `Key: value` lines (and blank lines) start.
    static func headerEnd(of utf8: UnsafeBufferPointer<UInt8>) -> Int {
        var start = 0
        while start < utf8.count {
            let end = utf8[start...].firstIndex(of: UInt8(ascii: "\n")) ?? utf8.count
            let line = utf8[start..<end]
            let isBlank = line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
            if !isBlank {
                // A key: a letter, then up to 30 letters, spaces or hyphens, then ": ".
                guard let colon = line.firstIndex(of: UInt8(ascii: ":")),
                    (1...31).contains(colon - start),
                    line[start..<colon].allSatisfy({ byte in
                        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
                            || byte == 0x20
                            || byte == UInt8(ascii: "-")
                    }),
                    (line[start] | 0x20) >= UInt8(ascii: "a"),
                    (line[start] | 0x20) <= UInt8(ascii: "z"),
                    colon + 1 < end, utf8[colon + 1] == 0x20
                else { return start }
            }
            guard end < utf8.count else { return utf8.count }
            start = end + 1
        }
        return start
    }

    /// Each byte as a word hashes it: letters and digits (any non-ASCII byte counts as a letter)
    /// with ASCII folded to lower case; 0 for the bytes between words.
    private static let wordByte: [UInt8] = (0...255).map { (byte: Int) -> UInt8 in
        switch UInt8(byte) {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), 0x80...:
            UInt8(byte)
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): UInt8(byte) | 0x20
        default: 0
        }
    }

    private static let offsetBasis: UInt64 = 0xCBF2_9CE4_8422_2325
    private static let prime: UInt64 = 0x0000_0100_0000_01B3

    /// SplitMix64's finaliser: every input bit affects every output bit.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
