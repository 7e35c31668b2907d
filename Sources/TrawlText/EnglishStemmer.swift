/// The English Snowball (Porter2) stemmer.
///
/// Follows the current Snowball `english.sbl` (the version that the `snowball-data` English
/// vocabulary is generated from): the exception words, leading-apostrophe removal, `Y` marking,
/// R1/R2 with the fixed-prefix list, and steps 1a–5. Words of fewer than three characters are
/// returned unchanged.
///
/// The word is lower-case UTF-8. The algorithm is defined on `a`–`z` and the apostrophe; any
/// other character (including every multi-byte UTF-8 character) counts as a non-vowel, and the
/// places where Snowball moves by a whole character ("hop", "next", "at limit") step over a
/// multi-byte character as one.
///
/// ```swift
/// let stemmer = EnglishStemmer()
/// stemmer.stem("generously")    // "generous"
/// stemmer.stem("negotiations")  // "negoti"
/// ```
public struct EnglishStemmer: Sendable {
    /// Creates a stemmer; it holds no state, so one value can be shared freely.
    public init() {}

    /// Stems a lower-case word (UTF-8 bytes) in place.
    ///
    /// Allocation-free when `word` is uniquely referenced: a stem is never longer than its word,
    /// so the work happens in the array's own storage and the array is then shortened.
    public func stem(_ word: inout [UInt8]) {
        let stemLength = word.withUnsafeMutableBufferPointer { stem(inPlace: $0) }
        word.removeLast(word.count - stemLength)
    }

    /// Stems the lower-case word in `word` in place and returns the stem's length (the stem is
    /// `word[..<length]`; a stem is never longer than its word).
    func stem(inPlace word: UnsafeMutableBufferPointer<UInt8>) -> Int {
        guard Self.hasAtLeastThreeCharacters(word) else { return word.count }
        var stemming = StemmingWord(word)
        stemming.run()
        return stemming.length
    }

    /// Stems a lower-case word.
    public func stem(_ word: String) -> String {
        var bytes = Array(word.utf8)
        stem(&bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `word` holds three or more characters (Snowball's `hop 3`).
    @inline(__always)
    private static func hasAtLeastThreeCharacters(_ word: UnsafeMutableBufferPointer<UInt8>) -> Bool {
        var characters = 0
        for byte in word where !Byte.isContinuation(byte) {
            characters += 1
            if characters == 3 { return true }
        }
        return false
    }
}

/// Byte constants and classes used by the stemmer.
private enum Byte {
    static let apostrophe = UInt8(ascii: "'")
    static let a = UInt8(ascii: "a")
    static let e = UInt8(ascii: "e")
    static let i = UInt8(ascii: "i")
    static let l = UInt8(ascii: "l")
    static let o = UInt8(ascii: "o")
    static let s = UInt8(ascii: "s")
    static let t = UInt8(ascii: "t")
    static let u = UInt8(ascii: "u")
    static let w = UInt8(ascii: "w")
    static let x = UInt8(ascii: "x")
    static let y = UInt8(ascii: "y")
    /// A `y` that acts as a consonant (marked by the prelude, restored by the postlude).
    static let consonantY = UInt8(ascii: "Y")

    /// Snowball's grouping `v`: `aeiouy`.
    @inline(__always)
    static func isVowel(_ byte: UInt8) -> Bool {
        switch byte {
        case a, e, i, o, u, y: true
        default: false
        }
    }

    /// A UTF-8 continuation byte (`10xxxxxx`), never the start of a character.
    @inline(__always)
    static func isContinuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }

    /// Letters whose doubling Step 1b undoes (`bb dd ff gg mm nn pp rr tt`).
    @inline(__always)
    static func isUndoubled(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "b"), UInt8(ascii: "d"), UInt8(ascii: "f"), UInt8(ascii: "g"), UInt8(ascii: "m"),
            UInt8(ascii: "n"), UInt8(ascii: "p"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            true
        default: false
        }
    }

    /// Letters that may precede a deleted `li` in Step 2 (`valid_LI`: `cdeghkmnrt`).
    @inline(__always)
    static func isValidBeforeLI(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "c"), UInt8(ascii: "d"), UInt8(ascii: "e"), UInt8(ascii: "g"), UInt8(ascii: "h"),
            UInt8(ascii: "k"), UInt8(ascii: "m"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            true
        default: false
        }
    }
}

/// One word being stemmed: the bytes, the current length and the R1/R2 region starts.
///
/// Lives only inside `withUnsafeMutableBufferPointer`; `length` never exceeds the buffer size
/// because no step lengthens the word beyond what an earlier deletion removed.
private struct StemmingWord {
    private let bytes: UnsafeMutableBufferPointer<UInt8>
    private(set) var length: Int
    /// Start of region R1.
    private var r1 = 0
    /// Start of region R2.
    private var r2 = 0
    private var foundConsonantY = false

    init(_ bytes: UnsafeMutableBufferPointer<UInt8>) {
        self.bytes = bytes
        self.length = bytes.count
    }

    mutating func run() {
        if applyExceptionWord() { return }
        prelude()
        markRegions()
        step1a()
        step1b()
        step1c()
        step2()
        step3()
        step4()
        step5()
        postlude()
    }

    // MARK: - Byte helpers

    /// Whether the bytes ending at `end` are `text`.
    @inline(__always)
    private func ends(with text: StaticString, at end: Int) -> Bool {
        let count = text.utf8CodeUnitCount
        guard count <= end else { return false }
        let start = end - count
        let pattern = text.utf8Start
        for offset in 0..<count where bytes[start + offset] != pattern[offset] { return false }
        return true
    }

    /// Whether the word currently ends with `suffix`.
    @inline(__always)
    private func ends(with suffix: StaticString) -> Bool { ends(with: suffix, at: length) }

    /// Whether the whole word is `text`.
    @inline(__always)
    private func isExactly(_ text: StaticString) -> Bool {
        text.utf8CodeUnitCount == length && ends(with: text)
    }

    /// Whether the word starts with `prefix`.
    @inline(__always)
    private func starts(with prefix: StaticString) -> Bool {
        prefix.utf8CodeUnitCount <= length && ends(with: prefix, at: prefix.utf8CodeUnitCount)
    }

    /// Replaces the last `count` bytes with `replacement`.
    @inline(__always)
    private mutating func replaceSuffix(length count: Int, with replacement: StaticString) {
        let start = length - count
        let pattern = replacement.utf8Start
        for offset in 0..<replacement.utf8CodeUnitCount { bytes[start + offset] = pattern[offset] }
        length = start + replacement.utf8CodeUnitCount
    }

    /// Appends one byte; only ever called after a deletion made room.
    @inline(__always)
    private mutating func append(_ byte: UInt8) {
        bytes[length] = byte
        length += 1
    }

    /// The index where the character ending just before `index` starts.
    @inline(__always)
    private func startOfCharacter(before index: Int) -> Int {
        var start = index - 1
        while start > 0, Byte.isContinuation(bytes[start]) { start -= 1 }
        return start
    }

    /// Whether `bytes[0..<end]` holds a vowel.
    @inline(__always)
    private func containsVowel(before end: Int) -> Bool {
        for index in 0..<end where Byte.isVowel(bytes[index]) { return true }
        return false
    }

    /// Snowball's `gopast v gopast non-v` from `start`: the index just past the first non-vowel
    /// character that follows a vowel, or `nil` if there is none.
    private func pastVowelThenNonVowel(from start: Int) -> Int? {
        var index = start
        while index < length, !Byte.isVowel(bytes[index]) { index += 1 }
        guard index < length else { return nil }
        index += 1
        while index < length, Byte.isVowel(bytes[index]) { index += 1 }
        guard index < length else { return nil }
        index += 1
        while index < length, Byte.isContinuation(bytes[index]) { index += 1 }
        return index
    }

    /// Snowball's `shortv` tested just before `end`: the word up to `end` ends in a short
    /// syllable — non-vowel, vowel, then a non-vowel other than `w`, `x` or `Y`; or a vowel and
    /// a non-vowel that make up the whole word; or `past`.
    private func endsInShortSyllable(at end: Int) -> Bool {
        if end >= 2 {
            let lastStart = startOfCharacter(before: end)
            let last = bytes[lastStart]
            if !Byte.isVowel(last), lastStart >= 1, Byte.isVowel(bytes[lastStart - 1]) {
                let vowelIndex = lastStart - 1
                if vowelIndex == 0 { return true }
                let isLastWXY = last == Byte.w || last == Byte.x || last == Byte.consonantY
                if !isLastWXY, !Byte.isVowel(bytes[startOfCharacter(before: vowelIndex)]) { return true }
            }
        }
        return ends(with: "past", at: end)
    }

    // MARK: - Exceptions, prelude, regions

    /// Snowball's `exception1`: whole words with a fixed stem. Returns whether one matched.
    private mutating func applyExceptionWord() -> Bool {
        switch length {
        case 3:
            return isExactly("sky")
        case 4:
            if isExactly("skis") {
                length = 3
                return true
            }
            if isExactly("idly") {
                length = 3
                return true
            }
            if isExactly("ugly") || isExactly("only") {
                bytes[3] = Byte.i
                return true
            }
            return isExactly("news") || isExactly("howe") || isExactly("bias")
        case 5:
            if isExactly("skies") {
                replaceSuffix(length: 3, with: "y")
                return true
            }
            if isExactly("early") {
                bytes[4] = Byte.i
                return true
            }
            return isExactly("atlas") || isExactly("andes")
        case 6:
            if isExactly("gently") || isExactly("singly") {
                length = 5
                return true
            }
            return isExactly("cosmos")
        default:
            return false
        }
    }

    /// Drops one leading apostrophe and marks consonant `y`s (initial, or after a vowel) as `Y`.
    private mutating func prelude() {
        if length > 0, bytes[0] == Byte.apostrophe {
            for index in 1..<length { bytes[index - 1] = bytes[index] }
            length -= 1
        }
        guard length > 0 else { return }
        if bytes[0] == Byte.y {
            bytes[0] = Byte.consonantY
            foundConsonantY = true
        }
        for index in 1..<max(length, 1) where bytes[index] == Byte.y && Byte.isVowel(bytes[index - 1]) {
            bytes[index] = Byte.consonantY
            foundConsonantY = true
        }
    }

    /// Sets R1 and R2; R1 starts after one of the fixed prefixes when the word begins with one.
    private mutating func markRegions() {
        r1 = length
        r2 = length
        let prefixEnd = fixedRegionPrefixLength() ?? pastVowelThenNonVowel(from: 0)
        guard let prefixEnd else { return }
        r1 = prefixEnd
        if let end = pastVowelThenNonVowel(from: prefixEnd) { r2 = end }
    }

    /// The length of the word's fixed R1 prefix, if it has one.
    ///
    /// Snowball starts R1 after these prefixes so that, e.g., generous and general or university
    /// and universal keep distinct stems; `inter` is the 2025 addition (international, interval).
    private func fixedRegionPrefixLength() -> Int? {
        guard length >= 4 else { return nil }
        switch bytes[0] {
        case UInt8(ascii: "a"): return starts(with: "arsen") ? 5 : nil
        case UInt8(ascii: "c"): return starts(with: "commun") ? 6 : nil
        case UInt8(ascii: "e"): return starts(with: "emerg") ? 5 : nil
        case UInt8(ascii: "g"): return starts(with: "gener") ? 5 : nil
        case UInt8(ascii: "i"): return starts(with: "inter") ? 5 : nil
        case UInt8(ascii: "l"): return starts(with: "later") ? 5 : nil
        case UInt8(ascii: "o"): return starts(with: "organ") ? 5 : nil
        case UInt8(ascii: "p"): return starts(with: "past") ? 4 : nil
        case UInt8(ascii: "u"): return starts(with: "univers") ? 7 : nil
        default: return nil
        }
    }

    /// Restores marked `Y`s to `y`.
    private mutating func postlude() {
        guard foundConsonantY else { return }
        for index in 0..<length where bytes[index] == Byte.consonantY { bytes[index] = Byte.y }
    }

    // MARK: - Steps

    /// Step 1a: possessive apostrophes, then plural `-s` forms.
    private mutating func step1a() {
        if ends(with: "'s'") {
            length -= 3
        } else if ends(with: "'s") {
            length -= 2
        } else if ends(with: "'") {
            length -= 1
        }
        if ends(with: "sses") {
            length -= 2
        } else if ends(with: "ied") || ends(with: "ies") {
            let start = length - 3
            // `hop 2`: two or more characters before the suffix give `i`, fewer give `ie`.
            let hasTwoCharacters = start >= 2 && startOfCharacter(before: start) > 0
            length = hasTwoCharacters ? start + 1 : start + 2
        } else if ends(with: "us") || ends(with: "ss") {
            return
        } else if ends(with: "s") {
            // `next gopast v`: a vowel somewhere before the character preceding the `s`.
            let beforeS = length - 1
            guard beforeS > 0 else { return }
            if containsVowel(before: startOfCharacter(before: beforeS)) { length -= 1 }
        }
    }

    /// Step 1b: `-eed`, `-ed`, `-ing` and their `-ly` forms.
    private mutating func step1b() {
        if ends(with: "eedly") || ends(with: "eed") {
            let start = ends(with: "eedly") ? length - 5 : length - 3
            // proceed, exceed, succeed (and their -ly forms) stay whole.
            let isFixedWord =
                (start == 4 && starts(with: "proc")) || (start == 3 && starts(with: "exc"))
                || (start == 4 && starts(with: "succ"))
            if !isFixedWord, start >= r1 { length = start + 2 }
        } else if ends(with: "ingly") {
            removeVerbSuffix(startingAt: length - 5)
        } else if ends(with: "edly") {
            removeVerbSuffix(startingAt: length - 4)
        } else if ends(with: "ed") {
            removeVerbSuffix(startingAt: length - 2)
        } else if ends(with: "ing") {
            let start = length - 3
            if start >= 1, bytes[start - 1] == Byte.y {
                // dying → die, lying → lie, tying → tie, vying → vie.
                let yIndex = start - 1
                if yIndex >= 1, !Byte.isVowel(bytes[yIndex - 1]), startOfCharacter(before: yIndex) == 0 {
                    length = yIndex
                    append(Byte.i)
                    append(Byte.e)
                    return
                }
            } else if isWholeWordBeforeIng(start) {
                // inning, outing, canning, herring, earring, evening stay whole.
                return
            }
            removeVerbSuffix(startingAt: start)
        }
    }

    /// Whether `bytes[0..<end]` is one of the stems whose `-ing` word Step 1b keeps whole.
    private func isWholeWordBeforeIng(_ end: Int) -> Bool {
        switch end {
        case 3: ends(with: "inn", at: 3) || ends(with: "out", at: 3)
        case 4:
            ends(with: "cann", at: 4) || ends(with: "herr", at: 4) || ends(with: "earr", at: 4)
                || ends(with: "even", at: 4)
        default: false
        }
    }

    /// The shared tail of Step 1b: deletes the suffix starting at `start` if a vowel precedes
    /// it, then restores an `e` (`-at`, `-bl`, `-iz`, short syllables) or undoes a doubled letter.
    private mutating func removeVerbSuffix(startingAt start: Int) {
        guard containsVowel(before: start) else { return }
        length = start
        if ends(with: "at") || ends(with: "bl") || ends(with: "iz") {
            append(Byte.e)
        } else if length >= 2, bytes[length - 1] == bytes[length - 2], Byte.isUndoubled(bytes[length - 1]) {
            // add, ebb, egg, err, odd … (an a/e/o alone before the pair) keep both letters.
            let before = bytes[0]
            let keepsPair = length == 3 && (before == Byte.a || before == Byte.e || before == Byte.o)
            if !keepsPair { length -= 1 }
        } else if length == r1, endsInShortSyllable(at: length) {
            append(Byte.e)
        }
    }

    /// Step 1c: a final `y` after a non-vowel (not the first letter) becomes `i`.
    private mutating func step1c() {
        guard length >= 2 else { return }
        let yIndex = length - 1
        guard bytes[yIndex] == Byte.y || bytes[yIndex] == Byte.consonantY else { return }
        guard !Byte.isVowel(bytes[yIndex - 1]), startOfCharacter(before: yIndex) > 0 else { return }
        bytes[yIndex] = Byte.i
    }

    /// Replaces the suffix of `count` bytes with `replacement` when it lies in R1.
    @inline(__always)
    private mutating func replaceInR1(length count: Int, with replacement: StaticString) {
        if length - count >= r1 { replaceSuffix(length: count, with: replacement) }
    }

    /// Step 2: derivational suffixes in R1 (`-ational` → `-ate`, `-iveness` → `-ive`, …).
    private mutating func step2() {
        guard length > 0 else { return }
        switch bytes[length - 1] {
        case UInt8(ascii: "l"):
            if ends(with: "ational") {
                replaceInR1(length: 7, with: "ate")
            } else if ends(with: "tional") {
                replaceInR1(length: 6, with: "tion")
            }
        case UInt8(ascii: "n"):
            if ends(with: "ization") {
                replaceInR1(length: 7, with: "ize")
            } else if ends(with: "ation") {
                replaceInR1(length: 5, with: "ate")
            }
        case UInt8(ascii: "r"):
            if ends(with: "izer") {
                replaceInR1(length: 4, with: "ize")
            } else if ends(with: "ator") {
                replaceInR1(length: 4, with: "ate")
            }
        case UInt8(ascii: "m"):
            if ends(with: "alism") { replaceInR1(length: 5, with: "al") }
        case UInt8(ascii: "s"):
            if ends(with: "fulness") {
                replaceInR1(length: 7, with: "ful")
            } else if ends(with: "ousness") {
                replaceInR1(length: 7, with: "ous")
            } else if ends(with: "iveness") {
                replaceInR1(length: 7, with: "ive")
            }
        case UInt8(ascii: "t"):
            if ends(with: "ogist") { replaceInR1(length: 5, with: "og") }
        case UInt8(ascii: "i"):
            step2EndingInI()
        default:
            break
        }
    }

    /// Step 2 for suffixes ending in `i`, longest first as Snowball's `among` requires.
    private mutating func step2EndingInI() {
        if ends(with: "biliti") {
            replaceInR1(length: 6, with: "ble")
        } else if ends(with: "lessli") {
            replaceInR1(length: 6, with: "less")
        } else if ends(with: "aliti") {
            replaceInR1(length: 5, with: "al")
        } else if ends(with: "iviti") {
            replaceInR1(length: 5, with: "ive")
        } else if ends(with: "entli") {
            replaceInR1(length: 5, with: "ent")
        } else if ends(with: "ousli") {
            replaceInR1(length: 5, with: "ous")
        } else if ends(with: "fulli") {
            replaceInR1(length: 5, with: "ful")
        } else if ends(with: "enci") {
            replaceInR1(length: 4, with: "ence")
        } else if ends(with: "anci") {
            replaceInR1(length: 4, with: "ance")
        } else if ends(with: "abli") {
            replaceInR1(length: 4, with: "able")
        } else if ends(with: "alli") {
            replaceInR1(length: 4, with: "al")
        } else if ends(with: "bli") {
            replaceInR1(length: 3, with: "ble")
        } else if ends(with: "ogi") {
            if length - 3 >= 1, bytes[length - 4] == Byte.l { replaceInR1(length: 3, with: "og") }
        } else if ends(with: "li") {
            if length - 2 >= 1, Byte.isValidBeforeLI(bytes[length - 3]) { replaceInR1(length: 2, with: "") }
        }
    }

    /// Step 3: more derivational suffixes in R1 (`-alize` → `-al`, `-ness` → ``, …).
    private mutating func step3() {
        guard length > 0 else { return }
        switch bytes[length - 1] {
        case UInt8(ascii: "l"):
            if ends(with: "ational") {
                replaceInR1(length: 7, with: "ate")
            } else if ends(with: "tional") {
                replaceInR1(length: 6, with: "tion")
            } else if ends(with: "ical") {
                replaceInR1(length: 4, with: "ic")
            } else if ends(with: "ful") {
                replaceInR1(length: 3, with: "")
            }
        case UInt8(ascii: "e"):
            if ends(with: "alize") {
                replaceInR1(length: 5, with: "al")
            } else if ends(with: "icate") {
                replaceInR1(length: 5, with: "ic")
            } else if ends(with: "ative") {
                if length - 5 >= r2 { replaceInR1(length: 5, with: "") }
            }
        case UInt8(ascii: "i"):
            if ends(with: "iciti") { replaceInR1(length: 5, with: "ic") }
        case UInt8(ascii: "s"):
            if ends(with: "ness") { replaceInR1(length: 4, with: "") }
        default:
            break
        }
    }

    /// Removes the last `count` bytes when they lie in R2.
    @inline(__always)
    private mutating func deleteInR2(length count: Int) {
        if length - count >= r2 { length -= count }
    }

    /// Step 4: residual suffixes deleted when in R2 (`-ance`, `-ement`, `-ion` after s/t, …).
    private mutating func step4() {
        guard length > 0 else { return }
        switch bytes[length - 1] {
        case UInt8(ascii: "l"):
            if ends(with: "al") { deleteInR2(length: 2) }
        case UInt8(ascii: "e"):
            if ends(with: "ance") || ends(with: "ence") || ends(with: "able") || ends(with: "ible") {
                deleteInR2(length: 4)
            } else if ends(with: "ate") || ends(with: "ive") || ends(with: "ize") {
                deleteInR2(length: 3)
            }
        case UInt8(ascii: "r"):
            if ends(with: "er") { deleteInR2(length: 2) }
        case UInt8(ascii: "c"):
            if ends(with: "ic") { deleteInR2(length: 2) }
        case UInt8(ascii: "t"):
            if ends(with: "ement") {
                deleteInR2(length: 5)
            } else if ends(with: "ment") {
                deleteInR2(length: 4)
            } else if ends(with: "ent") || ends(with: "ant") {
                deleteInR2(length: 3)
            }
        case UInt8(ascii: "m"):
            if ends(with: "ism") { deleteInR2(length: 3) }
        case UInt8(ascii: "i"):
            if ends(with: "iti") { deleteInR2(length: 3) }
        case UInt8(ascii: "s"):
            if ends(with: "ous") { deleteInR2(length: 3) }
        case UInt8(ascii: "n"):
            if ends(with: "ion"), length >= 4, bytes[length - 4] == Byte.s || bytes[length - 4] == Byte.t {
                deleteInR2(length: 3)
            }
        default:
            break
        }
    }

    /// Step 5: a final `e` (in R2, or in R1 after a non-short syllable) and a final `ll` in R2.
    private mutating func step5() {
        guard length > 0 else { return }
        let lastIndex = length - 1
        if bytes[lastIndex] == Byte.e {
            if lastIndex >= r2 || (lastIndex >= r1 && !endsInShortSyllable(at: lastIndex)) { length -= 1 }
        } else if bytes[lastIndex] == Byte.l {
            if lastIndex >= r2, lastIndex >= 1, bytes[lastIndex - 1] == Byte.l { length -= 1 }
        }
    }
}
