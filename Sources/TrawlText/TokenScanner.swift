/// One pass of the tokenizer over one text: finds words, folds them and reports terms.
///
/// Lives for one `tokenize` call; its scratch buffers are allocated once per call and reused for
/// every word. ASCII words never create a `String`.
struct TokenScanner {
    typealias Sink = (UnsafeBufferPointer<UInt8>, Int, Int, Bool) -> Bool

    /// What links a piece of a word to the piece before it.
    enum Joiner: UInt8 {
        case none, apostrophe, hyphen, numericPoint, thousandsComma, acronymPoint
    }

    /// A run of word characters between joiners: `U`, `S`, `Tehran`, `s`, `150`, `000`.
    struct Piece {
        var start: Int
        /// The end of the last word character (trailing ignorables excluded).
        var end: Int
        /// The end of the source span: `end`, or past the period that closes an acronym.
        var spanEnd: Int
        var joiner: Joiner
        var isASCII: Bool
        var hasIgnorable: Bool
        var isSingleLetter: Bool
        var endsWithDigit: Bool
    }

    /// A hyphen-separated part of a word, folded but not yet stemmed.
    struct Part {
        var start: Int
        var end: Int
        /// The folded term: `partBytes[termStart..<termEnd]`.
        var termStart: Int
        var termEnd: Int
        var isAcronym: Bool
        /// Only `a`…`z`: stemmed, and may get a variant key.
        var isLetters: Bool
        /// Only `0`…`9`.
        var isDigits: Bool
        var isSingleLetter: Bool
        var isCapitalised: Bool
        /// Has a decimal point (`3.5`): such parts get no joined form.
        var hasPoint: Bool

        var termLength: Int { termEnd - termStart }
    }

    /// One ideograph (with any kana sound mark after it) and its folded bytes.
    struct Ideograph {
        var start: Int
        var end: Int
        var needsComposition: Bool
        var termStart = 0
        var termEnd = 0
    }

    let text: UnsafeBufferPointer<UInt8>
    let byteKinds: UnsafeBufferPointer<CharacterKind>
    let stemmer: EnglishStemmer
    let commonStems = CommonStems.shared
    let keysForEveryWord: Bool
    /// The slots of the caller's `TermCache`, or nil to stem every word afresh.
    let cacheSlots: UnsafeMutableRawPointer?
    /// When set, words that cannot stem to one of these are not stemmed (see `WantedTerms`).
    let wantedTerms: WantedTerms?

    private var pieces: [Piece] = []
    private var parts: [Part] = []
    private var ideographs: [Ideograph] = []
    private var rawBytes: [UInt8] = []
    private var partBytes: [UInt8] = []
    private var term: TermBuffer
    private var stopped = false
    /// Whether the word being emitted is part of a chain cut at `maximumWordPieces` (then it gets
    /// no joined form: the join of a cut chain means nothing, and the whole one was never kept).
    private var isCutChain = false
    /// Where the last cut chain stopped (at a joiner), so a word starting just after it is the
    /// rest of that chain.
    private var chainCutAt = -8

    /// The most pieces one word may have (`a-b-c`: 3). A longer chain (`a-a-a-…`, 10 million
    /// pieces in a 20 MB file) is cut into words of this many pieces, each indexed part by part,
    /// so a word's scratch memory stays small.
    static let maximumWordPieces = 32
    /// Whether the last term emitted was a common English word (which gets no variant key).
    private var isCommonWord = false
    private var hasEmitted = false
    /// The cache slot of the word the last `emitTerm` stemmed, if the cache holds it.
    private var cachedWord: CachedWord?

    init(
        text: UnsafeBufferPointer<UInt8>, byteKinds: UnsafeBufferPointer<CharacterKind>,
        termStorage: UnsafeMutablePointer<UInt8>, stemmer: EnglishStemmer, keysForEveryWord: Bool,
        cacheSlots: UnsafeMutableRawPointer?, wantedTerms: WantedTerms? = nil
    ) {
        self.cacheSlots = cacheSlots
        self.wantedTerms = wantedTerms
        self.term = TermBuffer(storage: termStorage)
        self.text = text
        self.byteKinds = byteKinds
        self.stemmer = stemmer
        self.keysForEveryWord = keysForEveryWord
    }

    // MARK: - Scanning

    mutating func run(_ body: Sink) {
        var index = 0
        let count = text.count
        while index < count, !stopped {
            switch byteKinds[Int(text[index])] {
            case .lowercaseLetter, .uppercaseLetter, .digit:
                if !emitPlainWord(from: &index, body) {
                    scanWord(from: &index, body)
                }
            case .nonASCII:
                let (value, length) = decodeScalar(text, at: index)
                switch CharacterKind(scalar: value) {
                case .letter: scanWord(from: &index, body)
                case .ideograph: scanIdeographs(from: &index, body)
                default: index += length
                }
            default:
                index += 1
            }
        }
    }

    /// The fast path for the common case: an ASCII word of letters and digits that no joiner
    /// continues (`said`, `Tehran`, `1701`, `word.`). Returns false, consuming nothing, when the
    /// word needs the full scan.
    private mutating func emitPlainWord(from index: inout Int, _ body: Sink) -> Bool {
        let start = index
        let count = text.count
        var position = start
        // One bit per kind seen; kinds 1...3 are the lower-case, upper-case and digit bytes.
        var kindsSeen: UInt8 = 0
        while position < count {
            let kind = byteKinds[Int(text[position])].rawValue
            guard kind &- 1 < 3 else { break }
            kindsSeen |= 1 << kind
            position += 1
        }
        let hasLowercase = kindsSeen & (1 << CharacterKind.lowercaseLetter.rawValue) != 0
        let hasDigit = kindsSeen & (1 << CharacterKind.digit.rawValue) != 0
        let length = position - start
        // The end of the word's source span: past a possessive `'s`, which is not in the term.
        var spanEnd = position
        if position < count {
            let endsWithDigit = byteKinds[Int(text[position - 1])] == .digit
            switch byteKinds[Int(text[position])] {
            case .separator:
                break
            case .period, .comma:
                if kindsSeen == 1 << CharacterKind.digit.rawValue {
                    return emitNumber(from: &index, firstRunEnd: position, body)
                }
                // `U.S.` and `3.5` need the full scan; a sentence-final `word.` does not.
                if text[position] == UInt8(ascii: ".") {
                    if length == 1 { return false }
                    if endsWithDigit, position + 1 < count, byteKinds[Int(text[position + 1])] == .digit {
                        return false
                    }
                } else if endsWithDigit {
                    return false
                }
            case .apostrophe:
                // `Reagan's` ends the word like a space after `Reagan` would; the `'s` only
                // widens the span. Shorter words may be elisions (`l'issue`): full scan.
                guard !hasDigit, length >= 3, position + 1 < count,
                    text[position + 1] | 0x20 == UInt8(ascii: "s")
                else { return false }
                let after = position + 2
                if after < count {
                    let kind = byteKinds[Int(text[after])]
                    guard kind == .separator || kind == .comma else { return false }
                }
                spanEnd = after
            default:
                return false
            }
        }
        index = spanEnd
        guard length <= Tokenizer.maximumTermLength else { return true }
        let source = UnsafeBufferPointer(rebasing: text[start..<position])
        // Letters and digits only: `| 0x20` lower-cases letters and leaves digits alone.
        term.setLowercasedASCII(source)
        guard emitTerm(stem: !hasDigit, start: start, end: spanEnd, colocated: false, body), !stopped
        else {
            return true
        }
        let isCapitalised = hasLowercase && byteKinds[Int(text[start])] == .uppercaseLetter
        if isCapitalised || keysForEveryWord, !hasDigit, length >= VariantKey.minimumLetterCount,
            !isCommonWord, wantedTerms?.wantsKeys ?? true
        {
            setKey(of: source, cached: cachedWord)
            _ = emitTerm(stem: false, start: start, end: spanEnd, colocated: true, body)
        }
        return true
    }

    /// The fast path for numbers of ASCII digits joined by decimal points and thousands commas
    /// (`3.5`, `150,000`, `1,234.5`), which give one unstemmed term (`3.5`, `150000`).
    /// `firstRunEnd` is the end of the first run of digits, at a period or comma. Returns false,
    /// consuming nothing, when the word goes on with anything but digits (`3.5mln`, `1986-87`).
    private mutating func emitNumber(from index: inout Int, firstRunEnd: Int, _ body: Sink) -> Bool {
        let start = index
        let count = text.count
        @inline(__always) func isDigit(_ position: Int) -> Bool { byteKinds[Int(text[position])] == .digit }
        term.set(UnsafeBufferPointer(rebasing: text[start..<firstRunEnd]))
        var position = firstRunEnd
        while position < count {
            let next = position + 1
            switch byteKinds[Int(text[position])] {
            case .period where next < count && isDigit(next):
                term.append(UInt8(ascii: "."))
            case .comma
            where next + 3 <= count && isDigit(next) && isDigit(next + 1) && isDigit(next + 2)
                && (next + 3 == count || !isDigit(next + 3)):
                break
            case .separator, .period, .comma:
                // The number ends here, as the full scan would end it.
                index = position
                _ = emitTerm(stem: false, start: start, end: position, colocated: false, body)
                return true
            default:
                return false
            }
            var runEnd = next
            while runEnd < count, isDigit(runEnd) { runEnd += 1 }
            term.append(contentsOf: UnsafeBufferPointer(rebasing: text[next..<runEnd]))
            position = runEnd
        }
        index = position
        _ = emitTerm(stem: false, start: start, end: position, colocated: false, body)
        return true
    }

    /// The kind of the character at `index` and its length in bytes.
    @inline(__always)
    private func kind(at index: Int) -> (CharacterKind, Int) {
        let kind = byteKinds[Int(text[index])]
        guard kind == .nonASCII else { return (kind, 1) }
        let (value, length) = decodeScalar(text, at: index)
        return (CharacterKind(scalar: value), length)
    }

    /// Whether a (non-ideographic) word character starts at `index`.
    @inline(__always)
    private func startsWord(at index: Int) -> Bool {
        index < text.count && kind(at: index).0.isWordCharacter
    }

    /// Whether exactly one letter starts at `index`, followed by a period or a non-word character.
    private func isSingleLetterRun(at index: Int) -> Bool {
        guard index < text.count else { return false }
        let (first, length) = kind(at: index)
        guard first == .lowercaseLetter || first == .uppercaseLetter || first == .letter else { return false }
        let after = index + length
        guard after < text.count else { return true }
        let (next, _) = kind(at: after)
        return !(next.isWordCharacter || next == .ignorable)
    }

    /// Scans a run of word characters (ignorables inside are skipped) starting at `index`.
    private func scanPiece(from index: Int, joiner: Joiner) -> (Piece, next: Int) {
        var position = index
        var piece = Piece(
            start: index, end: index, spanEnd: index, joiner: joiner, isASCII: true, hasIgnorable: false,
            isSingleLetter: false, endsWithDigit: false)
        var characterCount = 0
        var letterCount = 0
        let count = text.count
        scan: while position < count {
            let kind = byteKinds[Int(text[position])]
            switch kind {
            case .lowercaseLetter, .uppercaseLetter:
                position += 1
                letterCount += 1
                piece.endsWithDigit = false
            case .digit:
                position += 1
                piece.endsWithDigit = true
            case .nonASCII:
                let (value, length) = decodeScalar(text, at: position)
                switch CharacterKind(scalar: value) {
                case .letter:
                    piece.isASCII = false
                    piece.endsWithDigit = false
                    letterCount += 1
                    position += length
                case .ignorable:
                    piece.isASCII = false
                    piece.hasIgnorable = true
                    position += length
                    continue scan
                default:
                    break scan
                }
            default:
                break scan
            }
            characterCount += 1
            piece.end = position
        }
        piece.spanEnd = piece.end
        piece.isSingleLetter = characterCount == 1 && letterCount == 1
        return (piece, position)
    }

    /// Scans one word with its joiners (`U.S.-brokered`, `Tehran’s`, `150,000`) and emits its
    /// terms.
    private mutating func scanWord(from index: inout Int, _ body: Sink) {
        pieces.removeAll(keepingCapacity: true)
        var position = index
        var joiner = Joiner.none
        let count = text.count
        // Joiners are at most 3 bytes (`’`, `‐`): a word starting right after one continues it.
        isCutChain = index > chainCutAt && index <= chainCutAt + 4
        while true {
            let (piece, next) = scanPiece(from: position, joiner: joiner)
            pieces.append(piece)
            position = next
            guard next < count else { break }
            if pieces.count == Self.maximumWordPieces {
                // The joiner at `next` is skipped like punctuation; the chain goes on as a new word.
                isCutChain = true
                chainCutAt = next
                break
            }
            let (kind, length) = kind(at: next)
            let after = next + length
            switch kind {
            case .apostrophe where startsWord(at: after):
                joiner = .apostrophe
                position = after
                continue
            case .hyphen where startsWord(at: after):
                joiner = .hyphen
                position = after
                continue
            case .period:
                if piece.endsWithDigit, after < count, byteKinds[Int(text[after])] == .digit {
                    joiner = .numericPoint
                    position = after
                    continue
                }
                if piece.isSingleLetter, isSingleLetterRun(at: after) {
                    joiner = .acronymPoint
                    position = after
                    continue
                }
                if piece.joiner == .acronymPoint {
                    // The period that closes an acronym belongs to it (`U.S.`), and `U.S.-led`
                    // joins like `US-led`.
                    pieces[pieces.count - 1].spanEnd = after
                    position = after
                    if after < count {
                        let (nextKind, nextLength) = self.kind(at: after)
                        if nextKind == .hyphen, startsWord(at: after + nextLength) {
                            joiner = .hyphen
                            position = after + nextLength
                            continue
                        }
                        // `U.S.'s`: the possessive belongs to the acronym.
                        let sIndex = after + nextLength
                        if nextKind == .apostrophe, sIndex < count, text[sIndex] | 0x20 == UInt8(ascii: "s"),
                            sIndex + 1 == count || !(self.kind(at: sIndex + 1).0.isWordCharacter)
                        {
                            pieces[pieces.count - 1].spanEnd = sIndex + 1
                            position = sIndex + 1
                        }
                    }
                }
            case .comma:
                if piece.endsWithDigit, after + 3 <= count,
                    byteKinds[Int(text[after])] == .digit, byteKinds[Int(text[after + 1])] == .digit,
                    byteKinds[Int(text[after + 2])] == .digit,
                    after + 3 == count || byteKinds[Int(text[after + 3])] != .digit
                {
                    joiner = .thousandsComma
                    position = after
                    continue
                }
            default:
                break
            }
            break
        }
        index = position
        emitWord(body)
    }

    // MARK: - Words

    private func isElisionArticle(_ piece: Piece) -> Bool {
        guard piece.isASCII else { return false }
        switch piece.end - piece.start {
        case 1:
            switch text[piece.start] | 0x20 {
            case UInt8(ascii: "l"), UInt8(ascii: "d"), UInt8(ascii: "j"), UInt8(ascii: "m"),
                UInt8(ascii: "n"),
                UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "c"):
                return true
            default:
                return false
            }
        case 2:
            return text[piece.start] | 0x20 == UInt8(ascii: "q")
                && text[piece.start + 1] | 0x20 == UInt8(ascii: "u")
        default:
            return false
        }
    }

    private func isPossessiveS(_ piece: Piece) -> Bool {
        piece.joiner == .apostrophe && piece.end - piece.start == 1
            && text[piece.start] | 0x20 == UInt8(ascii: "s")
    }

    private func startsWithLetter(_ piece: Piece) -> Bool {
        let kind = kind(at: piece.start).0
        return kind == .lowercaseLetter || kind == .uppercaseLetter || kind == .letter
    }

    /// Folds the pieces `range` (one hyphen-separated part) into `partBytes` and records the part.
    private mutating func addPart(pieces range: Range<Int>) {
        var first = range.lowerBound
        var last = range.upperBound - 1
        if last > first, pieces[first + 1].joiner == .apostrophe, isElisionArticle(pieces[first]),
            startsWithLetter(pieces[first + 1])
        {
            first += 1
        }
        if last > first, isPossessiveS(pieces[last]) {
            last -= 1
        }
        var isASCII = true
        var isAcronym = false
        var hasPoint = false
        rawBytes.removeAll(keepingCapacity: true)
        for index in first...last {
            let piece = pieces[index]
            if index > first {
                switch piece.joiner {
                case .numericPoint:
                    rawBytes.append(UInt8(ascii: "."))
                    hasPoint = true
                case .acronymPoint: isAcronym = true
                default: break
                }
            }
            if piece.hasIgnorable {
                var position = piece.start
                while position < piece.end {
                    let (value, length) = decodeScalar(text, at: position)
                    if value < 0x80 || CharacterKind(scalar: value) != .ignorable {
                        rawBytes.append(
                            contentsOf: UnsafeBufferPointer(rebasing: text[position..<(position + length)]))
                    }
                    position += length
                }
            } else {
                rawBytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[piece.start..<piece.end]))
            }
            isASCII = isASCII && piece.isASCII
        }

        let termStart = partBytes.count
        var isLetters = true
        var isDigits = true
        var isCapitalised = false
        if isASCII {
            var hasLowercase = false
            for byte in rawBytes {
                switch byteKinds[Int(byte)] {
                case .lowercaseLetter:
                    partBytes.append(byte)
                    isDigits = false
                    hasLowercase = true
                case .uppercaseLetter:
                    partBytes.append(byte | 0x20)
                    isDigits = false
                default:
                    partBytes.append(byte)
                    isLetters = false
                    isDigits = isDigits && byteKinds[Int(byte)] == .digit
                }
            }
            isCapitalised = hasLowercase && byteKinds[Int(rawBytes[0])] == .uppercaseLetter
        } else if rawBytes.count <= Tokenizer.maximumTermLength * 4 {
            UnicodeFolding.appendFolded(rawBytes[...], to: &partBytes)
            for byte in partBytes[termStart...] {
                let kind = byteKinds[Int(byte)]
                isLetters = isLetters && kind == .lowercaseLetter
                isDigits = isDigits && kind == .digit
            }
            if isLetters, partBytes.count - termStart >= VariantKey.minimumLetterCount {
                isCapitalised = Self.isCapitalised(String(decoding: rawBytes, as: UTF8.self))
            }
        }
        let isSingleLetter = first == last && pieces[first].isSingleLetter
        parts.append(
            Part(
                start: pieces[first].start, end: pieces[range.upperBound - 1].spanEnd, termStart: termStart,
                termEnd: partBytes.count, isAcronym: isAcronym,
                isLetters: isLetters && partBytes.count > termStart,
                isDigits: isDigits && partBytes.count > termStart, isSingleLetter: isSingleLetter,
                isCapitalised: isCapitalised, hasPoint: hasPoint))
    }

    /// Whether the word starts with an upper-case letter and has a lower-case one.
    private static func isCapitalised(_ word: String) -> Bool {
        var scalars = word.unicodeScalars.makeIterator()
        guard let first = scalars.next(), first.properties.isUppercase else { return false }
        while let scalar = scalars.next() {
            if scalar.properties.isLowercase { return true }
        }
        return false
    }

    /// Emits the terms of the word whose pieces were just scanned.
    private mutating func emitWord(_ body: Sink) {
        parts.removeAll(keepingCapacity: true)
        partBytes.removeAll(keepingCapacity: true)
        var partStart = 0
        for index in 1..<(pieces.count + 1) where index == pieces.count || pieces[index].joiner == .hyphen {
            addPart(pieces: partStart..<index)
            partStart = index
        }

        if parts.count == 1 {
            if emitPart(parts[0], body), !stopped { emitKey(of: parts[0], isCommon: isCommonWord, body) }
            return
        }
        if isCutChain {
            for part in parts {
                if emitPart(part, body), !stopped { emitKey(of: part, isCommon: isCommonWord, body) }
                if stopped { return }
            }
            return
        }
        if parts.allSatisfy(\.isDigits) {
            // A date or a range (`2025-11-11`, `1986-87`): one term, plus a leading year.
            term.removeAll()
            for (index, part) in parts.enumerated() {
                if index > 0 { term.append(UInt8(ascii: "-")) }
                term.append(contentsOf: partBytes[part.termStart..<part.termEnd])
            }
            let start = parts[0].start
            let end = parts[parts.count - 1].end
            let emitted = emitTerm(stem: false, start: start, end: end, colocated: false, body)
            if emitted, parts[0].termLength == 4 {
                setTerm(parts[0])
                _ = emitTerm(stem: false, start: start, end: end, colocated: true, body)
            }
            return
        }
        if parts.allSatisfy({ $0.isDigits || $0.isSingleLetter }), parts.contains(where: \.isDigits) {
            // A model name (`F-35`, `B-52`, `G-7`): one term, as if typed without hyphens.
            setJoinedTerm()
            _ = emitTerm(
                stem: false, start: parts[0].start, end: parts[parts.count - 1].end, colocated: false, body)
            return
        }
        for (index, part) in parts.enumerated() {
            let emitted = emitPart(part, body)
            let isCommon = isCommonWord
            if stopped { return }
            if index == 0, !parts.contains(where: \.hasPoint) {
                setJoinedTerm()
                let stem = parts.allSatisfy(\.isLetters)
                _ = emitTerm(
                    stem: stem, start: part.start, end: parts[parts.count - 1].end, colocated: emitted, body)
                if stopped { return }
            }
            if emitted { emitKey(of: part, isCommon: isCommon, body) }
            if stopped { return }
        }
    }

    private mutating func setTerm(_ part: Part) {
        term.removeAll()
        term.append(contentsOf: partBytes[part.termStart..<part.termEnd])
    }

    private mutating func setJoinedTerm() {
        term.removeAll()
        for part in parts {
            term.append(contentsOf: partBytes[part.termStart..<part.termEnd])
        }
    }

    /// Emits one part as a term of its own; returns whether a term was emitted.
    @discardableResult
    private mutating func emitPart(_ part: Part, _ body: Sink) -> Bool {
        setTerm(part)
        return emitTerm(
            stem: part.isLetters && !part.isAcronym, start: part.start, end: part.end, colocated: false, body)
    }

    /// Emits the variant key of `part` colocated, if the part gets one (`isCommon`: the part is a
    /// common English word, which gets none).
    private mutating func emitKey(of part: Part, isCommon: Bool, _ body: Sink) {
        guard part.isLetters, !part.isAcronym, part.termLength >= VariantKey.minimumLetterCount, !isCommon,
            part.isCapitalised || keysForEveryWord, hasEmitted, wantedTerms?.wantsKeys ?? true
        else { return }
        var word: CachedWord?
        if let cacheSlots, part.termLength <= TermCache.maximumWordLength {
            setTerm(part)
            word = CachedWord(word: term.baseAddress, length: term.count, slots: cacheSlots)
        }
        partBytes.withUnsafeBufferPointer { bytes in
            setKey(of: UnsafeBufferPointer(rebasing: bytes[part.termStart..<part.termEnd]), cached: word)
        }
        _ = emitTerm(stem: false, start: part.start, end: part.end, colocated: true, body)
    }

    /// Sets `term` to the variant key of `source` (ASCII letters), from the cache when `word`
    /// (the slot of `source` lower-cased) holds it, and remembers a computed key there.
    private mutating func setKey(of source: UnsafeBufferPointer<UInt8>, cached word: CachedWord?) {
        if let word, word.isCached, let key = word.key {
            term.set(key)
            return
        }
        term.removeAll()
        VariantKey.append(keyOf: source, to: &term)
        if let word, word.isCached { word.store(key: term.bytes) }
    }

    /// Replaces `term` (lower-case `a`…`z`, three letters or more) with its stem and sets
    /// `isCommonWord`.
    private mutating func stemTerm() {
        isCommonWord = commonStems.stem(&term)
        if !isCommonWord {
            let stemmer = stemmer
            term.rewrite { stemmer.stem(inPlace: $0) }
        }
    }

    /// Emits `term` (stemmed first if asked); returns whether it was emitted. Empty and overlong
    /// terms are dropped, and a colocated term is sent as a plain one if nothing came before it.
    private mutating func emitTerm(stem: Bool, start: Int, end: Int, colocated: Bool, _ body: Sink) -> Bool {
        guard term.count > 0, term.length <= Tokenizer.maximumTermLength else { return false }
        isCommonWord = false
        cachedWord = nil
        var output = term.bytes
        // Porter2 leaves words of one or two letters as they are.
        if stem, term.count > 2 {
            if let wantedTerms, !wantedTerms.mayStem(term.bytes) {
                // Neither the word nor its stem can be wanted: only the common-word table, which
                // decides whether the word gets a transliteration key.
                isCommonWord = commonStems.stem(&term)
                output = term.bytes
            } else if let cacheSlots, term.count <= TermCache.maximumWordLength {
                let word = CachedWord(word: term.baseAddress, length: term.count, slots: cacheSlots)
                if word.isCached {
                    isCommonWord = word.isCommonWord
                } else {
                    stemTerm()
                    word.store(stem: term.bytes, isCommonWord: isCommonWord)
                }
                output = word.stem
                cachedWord = word
            } else {
                stemTerm()
                output = term.bytes
            }
        }
        let isColocated = colocated && hasEmitted
        let keepGoing = body(output, start, end, isColocated)
        hasEmitted = true
        if !keepGoing { stopped = true }
        return true
    }

    // MARK: - Ideographs

    /// Scans a run of Han, kana or Hangul and emits overlapping bigrams (a lone character as
    /// itself).
    private mutating func scanIdeographs(from index: inout Int, _ body: Sink) {
        ideographs.removeAll(keepingCapacity: true)
        var position = index
        let count = text.count
        while position < count, text[position] >= 0x80 {
            let (value, length) = decodeScalar(text, at: position)
            let kind = CharacterKind(scalar: value)
            if kind == .ideograph {
                let isSoundMark = Unicode.Scalar(value)?.continuesIdeograph ?? false
                if isSoundMark, !ideographs.isEmpty {
                    ideographs[ideographs.count - 1].end = position + length
                    ideographs[ideographs.count - 1].needsComposition = true
                } else {
                    let isHalfWidth = (0xFF66...0xFF9F).contains(value)
                    ideographs.append(
                        Ideograph(start: position, end: position + length, needsComposition: isHalfWidth))
                }
            } else if kind != .ignorable {
                break
            }
            position += length
        }
        index = position

        partBytes.removeAll(keepingCapacity: true)
        for offset in ideographs.indices {
            let ideograph = ideographs[offset]
            ideographs[offset].termStart = partBytes.count
            let source = UnsafeBufferPointer(rebasing: text[ideograph.start..<ideograph.end])
            if ideograph.needsComposition {
                UnicodeFolding.appendCompatibilityComposed(Array(source)[...], to: &partBytes)
            } else {
                partBytes.append(contentsOf: source)
            }
            ideographs[offset].termEnd = partBytes.count
        }
        guard ideographs.count > 1 else {
            if let only = ideographs.first {
                term.removeAll()
                term.append(contentsOf: partBytes[only.termStart..<only.termEnd])
                _ = emitTerm(stem: false, start: only.start, end: only.end, colocated: false, body)
            }
            return
        }
        for offset in 0..<(ideographs.count - 1) where !stopped {
            let first = ideographs[offset]
            let second = ideographs[offset + 1]
            term.removeAll()
            term.append(contentsOf: partBytes[first.termStart..<second.termEnd])
            _ = emitTerm(stem: false, start: first.start, end: second.end, colocated: false, body)
        }
    }
}
