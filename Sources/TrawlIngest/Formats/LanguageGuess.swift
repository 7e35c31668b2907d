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
        var counts = ScriptCounts()
        var latinWords: [String] = []
        var word = String.UnicodeScalarView()
        var scalarsRead = 0
        for scalar in text.unicodeScalars {
            scalarsRead += 1
            if scalarsRead > scalarLimit { break }
            let script = counts.add(scalar)
            if script == .latin {
                word.append(scalar)
            } else if !word.isEmpty {
                latinWords.append(String(word).lowercased())
                word.removeAll()
            }
        }
        if !word.isEmpty { latinWords.append(String(word).lowercased()) }
        return counts.language(latinWords: latinWords)
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
                if [0x0456, 0x0457, 0x0454, 0x0406, 0x0407, 0x0404].contains(value) { ukrainianOnly += 1 }
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

        func language(latinWords: [String]) -> String {
            // Japanese mixes kana and Han: judge them together.
            var byScript = letters
            byScript[Script.kana.rawValue] += byScript[Script.han.rawValue]
            byScript[Script.han.rawValue] = 0
            guard let top = byScript.indices.max(by: { byScript[$0] < byScript[$1] }),
                byScript[top] >= LanguageGuess.minimumLetters, let script = Script(rawValue: top)
            else { return "" }
            let count = letters[top]
            switch script {
            case .latin: return LanguageGuess.latinLanguage(of: latinWords)
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
    private static func latinLanguage(of words: [String]) -> String {
        var hits = [Int](repeating: 0, count: stopwordLanguages.count)
        for word in words {
            guard let languages = stopwordIndex[word] else { continue }
            for language in languages { hits[language] += 1 }
        }
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

    /// Each stopword and the languages (indices into `stopwordLanguages`) that list it.
    private static let stopwordIndex: [String: [Int]] = {
        var index: [String: [Int]] = [:]
        for (language, entry) in stopwordLanguages.enumerated() {
            for word in entry.words { index[word, default: []].append(language) }
        }
        return index
    }()
}
