/// The terms a caller is looking for in a text, so that the tokenizer can skip stemming the words
/// that could never become one of them.
///
/// Ranking and highlighting tokenize candidate documents only to find where the query's terms
/// occur; stemming every other word is most of that work. Two properties of the English stemmer
/// (checked against the whole Snowball vocabulary by `EnglishStemmerTests`) make a safe shortcut:
/// a stem starts with the word's first letter and is never longer than the word. So a word whose
/// first letter begins none of the wanted terms (or prefixes), or that is shorter than all of
/// them, is emitted unstemmed: neither it nor its stem can equal a wanted term or start with a
/// wanted prefix. Positions are unchanged, and so are colocated terms and transliteration keys
/// (common words still go through `CommonStems`, which decides who gets a key), except that no
/// transliteration key is made when no wanted term is one (they are colocated: positions stay).
public struct WantedTerms: Sendable, Hashable {
    /// One bit per letter `a`…`z` that begins a wanted term or prefix.
    private var firstLetters: UInt32 = 0
    private var shortestLength = Int.max
    /// Whether a wanted term is a transliteration key (`~hazbala`).
    private(set) var wantsKeys = false

    /// The terms and prefixes (index terms, as the tokenizer emits them) a caller looks for.
    ///
    /// Arrays rather than any sequence: a generic sequence from another module is copied through
    /// unspecialized code whose type look-ups scan all of the runtime's conformance records
    /// (about 0.2 M instructions each, in every short-lived `trawl search`).
    public init(terms: [String], prefixes: [String] = []) {
        for term in terms + prefixes {
            if term.utf8.first == Tokenizer.variantKeyMarker { wantsKeys = true }
            guard let first = term.utf8.first, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z")
            else { continue }  // Numbers, keys and other scripts are never stemmed words.
            firstLetters |= 1 << UInt32(first &- UInt8(ascii: "a"))
            shortestLength = min(shortestLength, term.utf8.count)
        }
    }

    /// Whether `word` (lower-case `a`…`z`) might stem to a wanted term or prefix.
    @inline(__always)
    func mayStem(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        guard word.count >= shortestLength, let first = word.first else { return false }
        return firstLetters & (1 << UInt32(first &- UInt8(ascii: "a"))) != 0
    }
}
