/// Guesses the language of a document whose format declares none, from its script and, for
/// Latin script, its most frequent little words.
enum LanguageGuess {
    /// An ISO 639-1 code for the language `text` is mostly written in, or "" when unsure.
    ///
    /// Only the first ~2,000 scalars are read. The script with the most letters decides: Arabic
    /// letters give "ar" ("fa" when Persian-only letters such as پ چ ژ گ ک ی are frequent, "ur"
    /// when Urdu-only ones such as ٹ ڈ ڑ ں ے are), Hebrew "he", Cyrillic "ru" ("uk" with і ї є),
    /// Greek "el", Hangul "ko", kana "ja", Han alone "zh", Thai "th", Devanagari "hi". Latin text
    /// is English, French, German, Spanish, Italian, Portuguese or Dutch when that language's
    /// stopwords appear at least 5 times and 1.5 times as often as the next language's.
    static func language(of text: String) -> String {
        language(of: [text])
    }

    /// `language(of:)` of `parts` joined by line breaks, read in place: a document's title and
    /// body are guessed from without being copied into one string.
    static func language(of parts: [String]) -> String {
        var scan = LetterScan(stopwords: stopwordIndex)
        for (index, part) in parts.enumerated() {
            if index > 0 {
                withUnsafeBytes(of: UInt8(ascii: "\n")) { scan.read($0.assumingMemoryBound(to: UInt8.self)) }
            }
            var part = part
            // `String` guarantees valid UTF-8.
            part.withUTF8 { scan.read($0) }
        }
        return scan.language()
    }

    /// One pass over a text's first `scalarLimit` scalars: its letters by script and, for Latin
    /// words, how often each language's stopwords occur. The state is a value of its own, read
    /// and written only through `self`, so the loop pays no dynamic exclusivity checks or
    /// reference counting per word (as captured variables and the shared table did: 40,000
    /// instructions a Reuters article).
    private struct LetterScan {
        let stopwords: StopwordTable
        var counts = ScriptCounts()
        var hits = [Int](repeating: 0, count: stopwordLanguages.count)
        /// ASCII letters are Latin: counted here, added to `counts` at the end.
        var asciiLetters = 0
        /// The word being read when the last part ended, its length, and the scalars read so far.
        var word: UInt64 = 0
        var wordBytes = 0
        var scalarsRead = 0

        /// Ends the word being read, if any: `word` (a Latin word, lower-cased, as up to 8 UTF-8
        /// bytes packed into an integer: every stopword fits; `wordBytes` long) counts for each
        /// language that lists it, and both start again from 0.
        mutating func endWord(_ word: inout UInt64, _ wordBytes: inout Int) {
            guard wordBytes > 0 else { return }
            if wordBytes <= 8 {
                var languages = stopwords.languages(of: word)
                while languages != 0 {
                    hits[languages.trailingZeroBitCount] += 1
                    languages &= languages - 1
                }
            }
            (word, wordBytes) = (0, 0)
        }

        /// Walks the UTF-8 bytes: ASCII (most of any Latin text) without decoding, the rest
        /// decoded by hand. The current word lives in locals; longer words than 8 bytes cannot
        /// be stopwords.
        mutating func read(_ bytes: UnsafeBufferPointer<UInt8>) {
            var word = word
            var wordBytes = wordBytes
            var asciiLetters = 0
            var index = 0
            var scalarsRead = scalarsRead
            while index < bytes.count, scalarsRead < scalarLimit {
                scalarsRead += 1
                let lead = bytes[index]
                if lead < 0x80 {
                    index += 1
                    var folded = lead | 0x20
                    if folded &- 0x61 < 26 {
                        // The rest of an ASCII word in a loop of its own (a scalar a byte).
                        let end = min(bytes.count, index &+ scalarLimit &- scalarsRead)
                        let start = index
                        while true {
                            word = word << 8 | UInt64(folded)
                            guard index < end else { break }
                            // A byte from 0x80 up folds to 0xA0 or above: never a letter here.
                            folded = bytes[index] | 0x20
                            guard folded &- 0x61 < 26 else { break }
                            index &+= 1
                        }
                        let letters = index &- start &+ 1
                        asciiLetters &+= letters
                        wordBytes &+= letters
                        scalarsRead &+= letters &- 1
                    } else {
                        endWord(&word, &wordBytes)
                    }
                    continue
                }
                let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
                guard index + length <= bytes.count else { break }
                var value = UInt32(lead) & (0xFF >> UInt32(length + 1))
                for offset in 1..<length { value = value << 6 | UInt32(bytes[index + offset] & 0x3F) }
                index += length
                guard let scalar = Unicode.Scalar(value), counts.add(scalar) == .latin else {
                    endWord(&word, &wordBytes)
                    continue
                }
                // Latin letters beyond ASCII are below U+2000: two or three UTF-8 bytes.
                var lower = value
                if (0xC0...0xDE).contains(lower) && lower != 0xD7 { lower += 0x20 }
                if lower < 0x800 {
                    word = word << 16 | UInt64(0xC0 | lower >> 6) << 8 | UInt64(0x80 | lower & 0x3F)
                    wordBytes += 2
                } else {
                    word =
                        word << 24 | UInt64(0xE0 | lower >> 12) << 16 | UInt64(0x80 | lower >> 6 & 0x3F) << 8
                        | UInt64(0x80 | lower & 0x3F)
                    wordBytes += 3
                }
            }
            self.asciiLetters += asciiLetters
            (self.word, self.wordBytes, self.scalarsRead) = (word, wordBytes, scalarsRead)
        }

        /// The guess, once every part is read (the word the text ends with counted).
        mutating func language() -> String {
            var (word, wordBytes) = (word, wordBytes)
            endWord(&word, &wordBytes)
            var counts = counts
            counts.letters[Script.latin.rawValue] += asciiLetters
            return counts.language(stopwordHits: hits)
        }
    }

    private static let scalarLimit = 2_000
    /// A script needs this many letters before it decides anything.
    private static let minimumLetters = 5

    fileprivate enum Script: Int, CaseIterable {
        case latin, arabic, hebrew, cyrillic, greek, hangul, kana, han, thai, devanagari
    }

    private struct ScriptCounts {
        var letters = [Int](repeating: 0, count: Script.allCases.count)
        var persianOnly = 0
        var urduOnly = 0
        var ukrainianOnly = 0

        /// Counts `scalar` if it is a letter, and returns its script.
        mutating func add(_ scalar: Unicode.Scalar) -> Script? {
            let value = scalar.value
            let script: Script?
            switch value {
            case 0x41...0x5A, 0x61...0x7A: script = .latin
            case 0x00C0...0x024F, 0x1E00...0x1EFF:
                script = value == 0xD7 || value == 0xF7 ? nil : .latin
            case 0x0600...0x06FF, 0x0750...0x077F, 0xFB50...0xFDFF, 0xFE70...0xFEFF:
                script = scalar.properties.isAlphabetic ? .arabic : nil
                switch value {
                case 0x067E, 0x0686, 0x0698, 0x06AF, 0x06A9, 0x06CC: persianOnly += 1
                case 0x0679, 0x0688, 0x0691, 0x06BA, 0x06D2: urduOnly += 1
                default: break
                }
            case 0x0590...0x05FF: script = scalar.properties.isAlphabetic ? .hebrew : nil
            case 0x0400...0x04FF:
                script = .cyrillic
                if value == 0x0454 || value == 0x0456 || value == 0x0457 || value == 0x0404 || value == 0x0406
                    || value == 0x0407
                {
                    ukrainianOnly += 1
                }
            case 0x0370...0x03FF, 0x1F00...0x1FFF: script = .greek
            case 0xAC00...0xD7AF, 0x1100...0x11FF, 0x3130...0x318F: script = .hangul
            case 0x3041...0x309F, 0x30A0...0x30FF: script = value == 0x30FB ? nil : .kana
            case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0xF900...0xFAFF: script = .han
            case 0x0E00...0x0E7F: script = scalar.properties.isAlphabetic ? .thai : nil
            case 0x0900...0x097F: script = .devanagari
            default: script = nil
            }
            if let script, scalar.properties.isAlphabetic || script == .latin {
                letters[script.rawValue] += 1
            }
            return script
        }

        func language(stopwordHits: [Int]) -> String {
            // Japanese mixes kana and Han: judge them together.
            var byScript = letters
            byScript[Script.kana.rawValue] += byScript[Script.han.rawValue]
            byScript[Script.han.rawValue] = 0
            guard let top = byScript.indices.max(by: { byScript[$0] < byScript[$1] }),
                byScript[top] >= LanguageGuess.minimumLetters, let script = Script(rawValue: top)
            else { return "" }
            let count = letters[top]
            switch script {
            case .latin: return LanguageGuess.latinLanguage(stopwordHits: stopwordHits)
            case .arabic:
                if urduOnly >= 2, urduOnly * 50 >= count { return "ur" }
                if persianOnly >= 2, persianOnly * 33 >= count { return "fa" }
                return "ar"
            case .hebrew: return "he"
            case .cyrillic: return ukrainianOnly > 0 ? "uk" : "ru"
            case .greek: return "el"
            case .hangul: return "ko"
            case .kana:
                // Japanese prose is about a third kana; Chinese has none.
                let kana = letters[Script.kana.rawValue]
                return kana * 10 >= byScript[top] ? "ja" : "zh"
            case .han: return "zh"
            case .thai: return "th"
            case .devanagari: return "hi"
            }
        }
    }

    /// The Latin-script language whose stopwords are clearly the most frequent, or "".
    private static func latinLanguage(stopwordHits hits: [Int]) -> String {
        let ranked = hits.indices.sorted { hits[$0] > hits[$1] }
        let best = hits[ranked[0]]
        let second = hits[ranked[1]]
        guard best >= 5, Double(best) >= 1.5 * Double(second) else { return "" }
        return stopwordLanguages[ranked[0]].code
    }

    /// About 30 frequent words per language; a word shared by languages counts for each.
    private static let stopwordLanguages: [(code: String, words: [String])] = [
        (
            "en",
            [
                "the", "of", "and", "to", "in", "is", "that", "for", "on", "with", "as", "was", "by", "at",
                "from",
                "it", "said", "are", "be", "has", "have", "which", "this", "an", "were", "its", "but", "not",
                "after", "will",
            ]
        ),
        (
            "fr",
            [
                "le", "la", "les", "des", "du", "un", "une", "et", "est", "dans", "pour", "qui", "que", "sur",
                "au",
                "aux", "pas", "par", "avec", "ce", "cette", "ont", "été", "sont", "il", "elle", "ses", "leur",
                "mais", "plus",
            ]
        ),
        (
            "de",
            [
                "der", "die", "das", "und", "ist", "nicht", "mit", "von", "den", "dem", "des", "ein", "eine",
                "einer", "zu", "auf", "für", "sich", "auch", "im", "wie", "bei", "aus", "nach", "wird",
                "sind",
                "hat", "dass", "oder", "seit",
            ]
        ),
        (
            "es",
            [
                "el", "los", "las", "del", "y", "que", "la", "un", "una", "por", "con", "para", "se", "es",
                "al",
                "lo", "como", "su", "sus", "más", "pero", "fue", "han", "este", "esta", "entre", "según",
                "sobre",
                "también", "ha",
            ]
        ),
        (
            "it",
            [
                "il", "lo", "gli", "della", "delle", "dei", "degli", "e", "che", "di", "un", "una", "per",
                "non",
                "con", "sono", "è", "nel", "nella", "alla", "anche", "come", "più", "ma", "ha", "hanno",
                "questo",
                "questa", "del", "essere",
            ]
        ),
        (
            "pt",
            [
                "o", "os", "as", "da", "do", "das", "dos", "e", "que", "um", "uma", "para", "com", "não",
                "em",
                "no", "na", "nos", "ao", "pelo", "pela", "se", "mais", "foi", "são", "está", "como", "mas",
                "seu",
                "sua",
            ]
        ),
        (
            "nl",
            [
                "het", "een", "en", "van", "is", "dat", "op", "te", "met", "voor", "niet", "zijn", "aan",
                "er",
                "door", "ook", "als", "bij", "maar", "om", "naar", "werd", "heeft", "wordt", "deze", "dit",
                "worden", "hij", "wij", "zij",
            ]
        ),
    ]

    /// Each stopword, as its UTF-8 bytes packed into an integer, and the languages that list it.
    private static let stopwordIndex = StopwordTable(stopwordLanguages.map(\.words))

    /// Stopwords (as packed UTF-8, at most 8 bytes, never 0) to the set of languages listing
    /// each, a bit per language: an open-addressing table probed with a multiplicative hash,
    /// since this lookup runs once per word of every document indexed (a `Dictionary` of arrays
    /// cost 7% of indexing Reuters).
    private struct StopwordTable {
        private var keys: [UInt64]
        private var languageBits: [UInt8]
        private let shift: UInt64

        /// `wordsByLanguage[i]`: the words of language i (at most 8 languages).
        init(_ wordsByLanguage: [[String]]) {
            precondition(wordsByLanguage.count <= 8)
            let words = Set(wordsByLanguage.joined())
            var bits = 4
            while 1 << bits < 4 * words.count { bits += 1 }
            keys = [UInt64](repeating: 0, count: 1 << bits)
            languageBits = [UInt8](repeating: 0, count: 1 << bits)
            shift = UInt64(64 - bits)
            for (language, words) in wordsByLanguage.enumerated() {
                for word in words {
                    let key = word.utf8.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                    var slot = slot(of: key)
                    while keys[slot] != 0 && keys[slot] != key { slot = (slot + 1) & (keys.count - 1) }
                    keys[slot] = key
                    languageBits[slot] |= 1 << UInt8(language)
                }
            }
        }

        private func slot(of key: UInt64) -> Int {
            Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        }

        /// The languages listing the word packed as `key` (bit i: language i); 0 for none.
        func languages(of key: UInt64) -> UInt8 {
            var slot = slot(of: key)
            while true {
                let stored = keys[slot]
                if stored == key { return languageBits[slot] }
                if stored == 0 { return 0 }
                slot = (slot + 1) & (keys.count - 1)
            }
        }
    }
}
