/// Turns text into the terms Trawl indexes; the same code serves indexing, querying and
/// highlighting.
///
/// What the terms are:
/// - Words are case-folded, NFKC-normalised and lose their diacritics (`Rosalía` → `rosalia`);
///   words of `a`…`z` only are stemmed with the English Porter2 stemmer (`talks` → `talk`).
///   Numbers, non-Latin scripts and dotted acronyms are not stemmed.
/// - Possessives go (`Tehran’s` → `tehran`), other apostrophes join (`don't` → `dont`) and French
///   elisions keep the word after the apostrophe (`l'issue` → `issu`, stemmed like any word).
/// - `al-Sudani`: each part at its own position, and the joined `alsudani` colocated with the
///   first part. `F-35` → `f35`; `2025-11-11` stays one term, plus its year colocated.
/// - `U.S.` → `us`; `150,000` → `150000`; `3.5` and `2.0.1` stay as they are.
/// - Han, kana and Hangul become overlapping bigrams; Arabic, Hebrew and Persian letters are
///   unified (`أ` → `ا`, niqqud dropped); symbols and emoji are dropped; zero-width and bidi
///   controls are ignored even inside a word; terms longer than 64 bytes are dropped.
/// - Capitalised Latin words of four letters or more (not all-caps, not one of the few hundred
///   common English words of `CommonStems`) also get their transliteration key
///   (`Hizballah` → `~hazbala`, see `variantKey(of:)`) as a colocated term.
///
/// Colocated terms are alternatives at the position of the term before them (FTS5's
/// `FTS5_TOKEN_COLOCATED`).
public struct Tokenizer: Sendable {
    /// The first byte of a transliteration-variant key term (`~hazbala`), so that keys never
    /// collide with ordinary words.
    public static let variantKeyMarker: UInt8 = UInt8(ascii: "~")

    /// Terms longer than this many bytes are dropped (binary junk, base64).
    public static let maximumTermLength = 64

    private let stemmer = EnglishStemmer()

    public init() {}

    /// Calls `body` for every token of `text`, in order. `term` is valid only during the call.
    /// Return `false` from `body` to stop early.
    ///
    /// `start` and `end` are byte offsets of the token's source span in `text`; `colocated` is
    /// `true` when the token shares the position of the token before it.
    public func tokenize(
        utf8 text: UnsafeBufferPointer<UInt8>,
        _ body: (_ term: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ colocated: Bool) -> Bool
    ) {
        tokenize(utf8: text, keysForEveryWord: false, cacheSlots: nil, body)
    }

    /// Calls `body` for every token of `text`, like `tokenize(utf8:_:)`, with stems and keys
    /// remembered in `cache` for the next calls (the tokens are the same).
    ///
    /// For a caller that tokenizes many texts on one thread, such as the FTS5 tokenizer of one
    /// SQLite connection.
    public func tokenize(
        utf8 text: UnsafeBufferPointer<UInt8>, cache: inout TermCache,
        _ body: (_ term: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ colocated: Bool) -> Bool
    ) {
        tokenize(utf8: text, keysForEveryWord: false, cacheSlots: cache.slots(), body)
    }

    /// Calls `body` for every token of `text`, like `tokenize(utf8:_:)`, for a caller that only
    /// looks for `wanted` terms: words that cannot become one of them are passed on unstemmed
    /// (see `WantedTerms`), so every wanted term is found where it would be, at the same position.
    public func tokenize(
        utf8 text: UnsafeBufferPointer<UInt8>, lookingFor wanted: WantedTerms,
        _ body: (_ term: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ colocated: Bool) -> Bool
    ) {
        tokenize(utf8: text, keysForEveryWord: false, cacheSlots: nil, wantedTerms: wanted, body)
    }

    /// All tokens of `text`.
    public func tokens(in text: String) -> [Token] {
        tokens(in: text, keysForEveryWord: false)
    }

    /// The transliteration key of one word (`Hizballah` → `~hazbala`), or nil if the word gets
    /// none.
    ///
    /// Unlike indexing, which keys only capitalised words, this keys any Latin-script word of
    /// four letters or more whatever its case (`hezbollah`, `HEZBOLLAH`). A leading article part
    /// is dropped (`al-Sudani` has the key of `Sudani`); other hyphenated words, numbers,
    /// non-Latin words, dotted acronyms and common English words (`Said`, `Company`) get none,
    /// because the index holds no key for them.
    public func variantKey(of word: String) -> String? {
        let tokens = tokens(in: word, keysForEveryWord: true)
        var words = tokens.filter { !$0.colocated }.map(\.term)
        let keys = tokens.filter { $0.term.utf8.first == Self.variantKeyMarker }.map(\.term)
        if words.count == 2, words[0] == "al" || words[0] == "el" {
            words.removeFirst()
        }
        guard words.count == 1, keys.count == 1 else { return nil }
        return keys[0]
    }

    func tokens(in text: String, keysForEveryWord: Bool) -> [Token] {
        var result: [Token] = []
        var copy = text
        copy.withUTF8 { bytes in
            tokenize(utf8: bytes, keysForEveryWord: keysForEveryWord, cacheSlots: nil) {
                term, start, end, colocated in
                let token = Token(
                    term: String(decoding: term, as: UTF8.self), start: start, end: end, colocated: colocated)
                result.append(token)
                return true
            }
        }
        return result
    }

    func tokenize(
        utf8 text: UnsafeBufferPointer<UInt8>, keysForEveryWord: Bool,
        cacheSlots: UnsafeMutableRawPointer?, wantedTerms: WantedTerms? = nil,
        _ body: (UnsafeBufferPointer<UInt8>, Int, Int, Bool) -> Bool
    ) {
        CharacterKind.byteKinds.withUnsafeBufferPointer { byteKinds in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: TermBuffer.capacity) { termStorage in
                var scanner = TokenScanner(
                    text: text, byteKinds: byteKinds, termStorage: termStorage.baseAddress!, stemmer: stemmer,
                    keysForEveryWord: keysForEveryWord, cacheSlots: cacheSlots, wantedTerms: wantedTerms)
                scanner.run(body)
            }
        }
    }
}
