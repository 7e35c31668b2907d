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
    /// The minimum hash of each function.
    public private(set) var values: [UInt32]

    /// How many hash functions (values) a signature holds.
    public static let count = 32
    /// Words per shingle.
    public static let shingleWords = 3
    /// Texts with fewer words than this get no signature: a headline-sized text says too little
    /// to call another text a copy of it.
    public static let minimumWords = 12

    /// The signature of `text`, or nil when it has fewer than ``minimumWords`` words.
    public init?(text: String) {
        // A fixed-size tuple would do as well; the array is written in place through its buffer.
        var minima = [UInt32](repeating: .max, count: Self.count)
        var words = 0
        minima.withUnsafeMutableBufferPointer { minima in
            // The hashes of the last three words, oldest first, and the word being read.
            var (first, second, third): (UInt64, UInt64, UInt64) = (0, 0, 0)
            var word: UInt64 = Self.offsetBasis
            var inWord = false
            var bytes = text.utf8[Self.headerEnd(of: text)...].makeIterator()
            while true {
                let next = bytes.next()
                var folded: UInt8 = 0
                var isWordByte = false
                if let byte = next {
                    switch byte {
                    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                        0x80...:
                        (isWordByte, folded) = (true, byte)
                    case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                        (isWordByte, folded) = (true, byte | 0x20)
                    default: break
                    }
                }
                if isWordByte {
                    word = (word ^ UInt64(folded)) &* Self.prime
                    inWord = true
                } else if inWord {
                    words += 1
                    (first, second, third) = (second, third, word)
                    if words >= Self.shingleWords {
                        // Double hashing: function i is a + i·b of two hashes of the shingle.
                        let shingle = first &* 0x9E37_79B9_7F4A_7C15 ^ second &* 0xC2B2_AE3D_27D4_EB4F ^ third
                        var value = Self.mix(shingle)
                        let step = Self.mix(shingle ^ 0x5452_4157_4C4D_4853) | 1
                        for index in 0..<Self.count {
                            let top = UInt32(truncatingIfNeeded: value >> 32)
                            if top < minima[index] { minima[index] = top }
                            value &+= step
                        }
                    }
                    word = Self.offsetBasis
                    inWord = false
                }
                if next == nil { break }
            }
        }
        guard words >= Self.minimumWords else { return nil }
        values = minima
    }

    /// A signature read back from ``bytes``; nil when `bytes` is not one.
    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.count * 4 else { return nil }
        var values = [UInt32](repeating: 0, count: Self.count)
        for index in 0..<Self.count {
            let at = index * 4
            values[index] =
                UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16
                | UInt32(bytes[at + 3]) << 24
        }
        self.values = values
    }

    /// The values as little-endian bytes, for storage.
    public var bytes: [UInt8] {
        var bytes = [UInt8](repeating: 0, count: Self.count * 4)
        for (index, value) in values.enumerated() {
            bytes[index * 4] = UInt8(truncatingIfNeeded: value)
            bytes[index * 4 + 1] = UInt8(truncatingIfNeeded: value >> 8)
            bytes[index * 4 + 2] = UInt8(truncatingIfNeeded: value >> 16)
            bytes[index * 4 + 3] = UInt8(truncatingIfNeeded: value >> 24)
        }
        return bytes
    }

    /// The estimated Jaccard similarity of the two texts' shingle sets: the share of equal values.
    public func similarity(to other: ShingleSignature) -> Double {
        var equal = 0
        for index in 0..<Self.count where values[index] == other.values[index] { equal += 1 }
        return Double(equal) / Double(Self.count)
    }

    /// Where the text after a leading block of `Key: value` lines (and blank lines) starts.
    static func headerEnd(of text: String) -> String.UTF8View.Index {
        let utf8 = text.utf8
        var start = utf8.startIndex
        while start < utf8.endIndex {
            let end = utf8[start...].firstIndex(of: UInt8(ascii: "\n")) ?? utf8.endIndex
            let line = utf8[start..<end]
            let isBlank = line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
            if !isBlank {
                // A key: a letter, then up to 30 letters, spaces or hyphens, then ": ".
                guard let colon = line.firstIndex(of: UInt8(ascii: ":")),
                    (1...31).contains(utf8.distance(from: line.startIndex, to: colon)),
                    line[line.startIndex..<colon].allSatisfy({ byte in
                        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
                            || byte == 0x20
                            || byte == UInt8(ascii: "-")
                    }),
                    (line[line.startIndex] | 0x20) >= UInt8(ascii: "a"),
                    (line[line.startIndex] | 0x20) <= UInt8(ascii: "z"),
                    utf8.index(after: colon) < line.endIndex, utf8[utf8.index(after: colon)] == 0x20
                else { return start }
            }
            guard end < utf8.endIndex else { return utf8.endIndex }
            start = utf8.index(after: end)
        }
        return start
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
