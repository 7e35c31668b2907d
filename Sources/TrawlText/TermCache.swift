/// Remembered stems and transliteration keys of recent words, so that a long-lived tokenizer user
/// (one FTS5 tokenizer per SQLite connection) stems each distinct word about once.
///
/// News text repeats its words: in the Reuters articles a few thousand distinct words make up
/// nearly every token, and the Porter2 stemmer costs far more than a table lookup. The cache is a
/// direct-mapped table of 16,384 slots of 64 bytes (1 MiB, allocated on first use): a word of
/// `a`…`z` of 3 to 16 letters maps to one slot, which holds the word, its stem, whether it is one
/// of `CommonStems` and, once asked for, its `VariantKey`. A new word simply replaces the slot's
/// old one, so the cache never grows and never needs clearing. The cache only remembers what
/// `EnglishStemmer`, `CommonStems` and `VariantKey` computed, so tokens are the same with it or
/// without it.
///
/// The cache is mutable and not `Sendable`, and it is `~Copyable` so that it has exactly one
/// owner: pass it `inout` to `Tokenizer.tokenize(utf8:cache:_:)`. `Tokenizer` itself stays an
/// immutable `Sendable` value.
///
/// ```swift
/// var cache = TermCache()
/// tokenizer.tokenize(utf8: text, cache: &cache) { term, start, end, colocated in true }
/// ```
public struct TermCache: ~Copyable {
    /// The longest word the cache holds (two `UInt64`s).
    static let maximumWordLength = 16
    static let slotBits = 14
    static let slotSize = 64

    // Slot layout, in bytes.
    static let wordOffset = 0
    static let wordLengthOffset = 16  // 0: empty slot
    static let stemLengthOffset = 17
    static let flagsOffset = 18
    static let keyLengthOffset = 19
    static let stemOffset = 20
    static let keyOffset = 36
    static let maximumKeyLength = slotSize - keyOffset

    static let commonWordFlag: UInt8 = 1
    static let keyKnownFlag: UInt8 = 2

    private var storage: UnsafeMutableRawPointer?

    /// An empty cache; its memory is allocated on first use.
    public init() {}

    deinit {
        storage?.deallocate()
    }

    /// The slots, allocated (zeroed) on first use.
    mutating func slots() -> UnsafeMutableRawPointer {
        if let storage { return storage }
        let byteCount = Self.slotSize << Self.slotBits
        let allocated = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
        allocated.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
        storage = allocated
        return allocated
    }
}

/// One word's place in the cache, found by `CachedWord.look(up:in:)`.
struct CachedWord {
    /// The word as two little-endian `UInt64`s, zero-padded.
    let low: UInt64
    let high: UInt64
    let length: Int
    /// The slot the word maps to (whether or not it holds the word yet).
    let slot: UnsafeMutableRawPointer

    /// The slot of `word` (lower-case `a`…`z`, 3 to 16 bytes) in `slots`; `word.baseAddress` must
    /// be readable for 16 bytes.
    @inline(__always)
    init(word: UnsafePointer<UInt8>, length: Int, slots: UnsafeMutableRawPointer) {
        let raw = UnsafeRawPointer(word)
        if length <= 8 {
            low = raw.loadUnaligned(as: UInt64.self) & Self.mask(length)
            high = 0
        } else {
            low = raw.loadUnaligned(as: UInt64.self)
            high = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self) & Self.mask(length - 8)
        }
        self.length = length
        let hash = (low &* 0x9E37_79B9_7F4A_7C15) ^ (high &* 0xC2B2_AE3D_27D4_EB4F)
        let index = Int(truncatingIfNeeded: hash >> UInt64(64 - TermCache.slotBits))
        slot = slots + index * TermCache.slotSize
    }

    @inline(__always)
    private static func mask(_ byteCount: Int) -> UInt64 {
        byteCount >= 8 ? ~0 : (1 << UInt64(byteCount * 8)) &- 1
    }

    /// Whether the slot holds this word.
    @inline(__always)
    var isCached: Bool {
        Int(slot.load(fromByteOffset: TermCache.wordLengthOffset, as: UInt8.self)) == length
            && slot.load(fromByteOffset: TermCache.wordOffset, as: UInt64.self) == low
            && slot.load(fromByteOffset: TermCache.wordOffset + 8, as: UInt64.self) == high
    }

    /// Whether the cached word is one of `CommonStems` (valid when `isCached`).
    @inline(__always)
    var isCommonWord: Bool {
        slot.load(fromByteOffset: TermCache.flagsOffset, as: UInt8.self) & TermCache.commonWordFlag != 0
    }

    /// The cached stem (valid when `isCached`).
    @inline(__always)
    var stem: UnsafeBufferPointer<UInt8> {
        let length = Int(slot.load(fromByteOffset: TermCache.stemLengthOffset, as: UInt8.self))
        return UnsafeBufferPointer(
            start: (slot + TermCache.stemOffset).assumingMemoryBound(to: UInt8.self), count: length)
    }

    /// Replaces the slot's contents with this word and its `stem`.
    func store(stem: UnsafeBufferPointer<UInt8>, isCommonWord: Bool) {
        precondition(stem.count <= length)
        slot.storeBytes(of: low, toByteOffset: TermCache.wordOffset, as: UInt64.self)
        slot.storeBytes(of: high, toByteOffset: TermCache.wordOffset + 8, as: UInt64.self)
        slot.storeBytes(of: UInt8(length), toByteOffset: TermCache.wordLengthOffset, as: UInt8.self)
        slot.storeBytes(of: UInt8(stem.count), toByteOffset: TermCache.stemLengthOffset, as: UInt8.self)
        slot.storeBytes(
            of: isCommonWord ? TermCache.commonWordFlag : 0, toByteOffset: TermCache.flagsOffset,
            as: UInt8.self)
        slot.storeBytes(of: 0, toByteOffset: TermCache.keyLengthOffset, as: UInt8.self)
        if let base = stem.baseAddress {
            (slot + TermCache.stemOffset).copyMemory(from: base, byteCount: stem.count)
        }
    }

    /// The cached variant key, or nil when it has not been stored (valid when `isCached`).
    @inline(__always)
    var key: UnsafeBufferPointer<UInt8>? {
        guard slot.load(fromByteOffset: TermCache.flagsOffset, as: UInt8.self) & TermCache.keyKnownFlag != 0
        else { return nil }
        let length = Int(slot.load(fromByteOffset: TermCache.keyLengthOffset, as: UInt8.self))
        return UnsafeBufferPointer(
            start: (slot + TermCache.keyOffset).assumingMemoryBound(to: UInt8.self), count: length)
    }

    /// Remembers the variant key of the cached word, if it fits in the slot.
    func store(key: UnsafeBufferPointer<UInt8>) {
        guard key.count <= TermCache.maximumKeyLength, let base = key.baseAddress else { return }
        (slot + TermCache.keyOffset).copyMemory(from: base, byteCount: key.count)
        slot.storeBytes(of: UInt8(key.count), toByteOffset: TermCache.keyLengthOffset, as: UInt8.self)
        let flags = slot.load(fromByteOffset: TermCache.flagsOffset, as: UInt8.self)
        slot.storeBytes(
            of: flags | TermCache.keyKnownFlag, toByteOffset: TermCache.flagsOffset, as: UInt8.self)
    }
}
