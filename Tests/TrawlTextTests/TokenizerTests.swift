import Testing

@testable import TrawlText

/// The Porter2 stem of a lower-case word, so that expectations hold whatever the stemmer does.
private func stem(_ word: String) -> String {
    EnglishStemmer().stem(word)
}

private func terms(_ text: String) -> [String] {
    Tokenizer().tokens(in: text).map(\.term)
}

/// Terms written `term@start..end` and `+term@start..end` for colocated ones.
private func described(_ text: String) -> [String] {
    Tokenizer().tokens(in: text).map { token in
        "\(token.colocated ? "+" : "")\(token.term)@\(token.start)..\(token.end)"
    }
}

/// One input and the exact terms it must give.
struct TermCase: CustomTestStringConvertible, Sendable {
    let text: String
    let expected: [String]
    init(_ text: String, _ expected: [String]) {
        self.text = text
        self.expected = expected
    }
    var testDescription: String { text }
}

@Suite struct TokenizerTests {
    // MARK: Folding

    static let foldingCases: [TermCase] = [
        TermCase("İ", ["i"]),
        TermCase("ß", ["ss"]),
        TermCase("Straße", [stem("strasse"), "~strasa"]),
        TermCase("ＡＢＣ", ["abc"]),
        TermCase("ﬁ", ["fi"]),
        TermCase("réunion", [stem("reunion")]),
        TermCase("reunion", [stem("reunion")]),
        TermCase("Rosalía", [stem("rosalia"), "~rasala"]),
        TermCase("ÉCOLE", [stem("ecole")]),
        TermCase("naïve café", [stem("naive"), stem("cafe")]),
        TermCase("Øresund", [stem("oresund"), "~urasand"]),
        TermCase("hello world", [stem("hello"), stem("world")]),
    ]

    @Test(arguments: foldingCases)
    func wordsAreCaseFoldedNormalisedAndLoseDiacritics(_ testCase: TermCase) {
        #expect(terms(testCase.text) == testCase.expected)
    }

    // MARK: Stemming

    static let stemmingCases: [TermCase] = [
        TermCase("talks", [stem("talks")]),
        TermCase("COCOA TALKS", [stem("cocoa"), stem("talks")]),
        TermCase("cocoa talks", [stem("cocoa"), stem("talks")]),
        TermCase("1980s", ["1980s"]),
        TermCase("22nd", ["22nd"]),
        TermCase("Москвы", ["москвы"]),
        TermCase("ΑΘΗΝΑ Αθήνα", ["αθηνα", "αθηνα"]),
        TermCase("σοφός", ["σοφοσ"]),
    ]

    @Test(arguments: stemmingCases)
    func onlyLatinWordsAreStemmed(_ testCase: TermCase) {
        #expect(terms(testCase.text) == testCase.expected)
    }

    @Test func allCapsHeadlinesMatchBodyText() {
        #expect(terms("COCOA EXPORTERS TALKS") == terms("cocoa exporters talks"))
    }

    // MARK: Apostrophes

    static let apostropheCases: [TermCase] = [
        TermCase("Tehran’s", [stem("tehran"), "~tahran"]),
        TermCase("Tehran's", [stem("tehran"), "~tahran"]),
        TermCase("Tehranʼs", [stem("tehran"), "~tahran"]),
        TermCase("states'", [stem("states")]),
        TermCase("don't", [stem("dont")]),
        TermCase("don’t", [stem("dont")]),
        TermCase("Kata'ib", [stem("kataib"), "~katab"]),
        TermCase("l'issue", [stem("issue")]),
        TermCase("d'Ivoire", [stem("ivoire"), "~ivara"]),
        TermCase("qu'il", [stem("il")]),
        TermCase("L’Humanité", [stem("humanite"), "~hamanata"]),
        TermCase("O'Brien", [stem("obrien"), "~ubran"]),
        TermCase("'quoted'", [stem("quoted")]),
        TermCase("1980's", ["1980"]),
    ]

    @Test(arguments: apostropheCases)
    func apostrophesDropPossessivesJoinWordsAndElide(_ testCase: TermCase) {
        #expect(terms(testCase.text) == testCase.expected)
    }

    @Test func elisionSpanCoversOnlyTheWord() {
        #expect(described("l'issue") == ["\(stem("issue"))@2..7"])
    }

    @Test func possessiveSpanCoversTheWholeWord() {
        #expect(described("states' rights") == ["\(stem("states"))@0..6", "\(stem("rights"))@8..14"])
    }

    // MARK: Hyphens

    static let hyphenCases: [TermCase] = [
        TermCase(
            "al-Sudani said", ["al@0..2", "+alsudani@0..9", "sudani@3..9", "+~sadana@3..9", "said@10..14"]),
        TermCase("Al-Qaeda", ["al@0..2", "+alqaeda@0..8", "qaeda@3..8", "+~kada@3..8"]),
        TermCase(
            "cease-fire", ["\(stem("cease"))@0..5", "+\(stem("ceasefire"))@0..10", "\(stem("fire"))@6..10"]),
        TermCase("two-track", ["two@0..3", "+\(stem("twotrack"))@0..9", "\(stem("track"))@4..9"]),
        TermCase("IRGC-QF", ["irgc@0..4", "+irgcqf@0..7", "qf@5..7"]),
        TermCase("U.S.-brokered", ["us@0..4", "+\(stem("usbrokered"))@0..13", "\(stem("brokered"))@5..13"]),
        TermCase(
            "cease\u{2010}fire",
            ["\(stem("cease"))@0..5", "+\(stem("ceasefire"))@0..12", "\(stem("fire"))@8..12"]),
        TermCase(
            "cease\u{2011}fire",
            ["\(stem("cease"))@0..5", "+\(stem("ceasefire"))@0..12", "\(stem("fire"))@8..12"]),
        TermCase("cease–fire", ["\(stem("cease"))@0..5", "\(stem("fire"))@8..12"]),
        TermCase("cease—fire", ["\(stem("cease"))@0..5", "\(stem("fire"))@8..12"]),
        TermCase("cease - fire", ["\(stem("cease"))@0..5", "\(stem("fire"))@8..12"]),
        TermCase("well-to-do", ["well@0..4", "+\(stem("welltodo"))@0..10", "to@5..7", "do@8..10"]),
    ]

    @Test(arguments: hyphenCases)
    func hyphenatedPartsGetTheirOwnPositionsAndTheJoinedFormIsColocated(_ testCase: TermCase) {
        #expect(described(testCase.text) == testCase.expected)
    }

    @Test func hyphenatedAndJoinedSpellingsShareATerm() {
        let hyphenated = terms("cease-fires")
        #expect(hyphenated.contains(terms("ceasefires")[0]))
        #expect(terms("al-Sudani").contains("alsudani"))
    }

    // MARK: Acronyms

    static let acronymCases: [TermCase] = [
        TermCase("U.S.", ["us@0..4"]),
        TermCase("the U.N. said", ["the@0..3", "un@4..8", "said@9..13"]),
        TermCase("in the U.K.", ["in@0..2", "the@3..6", "uk@7..11"]),
        TermCase("U.S. officials", ["us@0..4", "\(stem("officials"))@5..14"]),
        TermCase("U.S", ["us@0..3"]),
        TermCase("IRGC", ["irgc@0..4"]),
        TermCase("US", ["us@0..2"]),
        TermCase(
            "George W. Bush",
            ["\(stem("george"))@0..6", "+~garga@0..6", "w@7..8", "bush@10..14", "+~bax@10..14"]),
        TermCase("e.g. this", ["eg@0..4", "this@5..9"]),
        TermCase("U.S.'s role", ["us@0..6", "role@7..11"]),
        TermCase("plan B. next", ["\(stem("plan"))@0..4", "b@5..6", "\(stem("next"))@8..12"]),
        TermCase("p.m.", ["pm@0..4"]),
    ]

    @Test(arguments: acronymCases)
    func dottedAcronymsAreOneTermSpanningTheAcronym(_ testCase: TermCase) {
        #expect(described(testCase.text) == testCase.expected)
    }

    @Test func dottedAndPlainAcronymsFindEachOther() {
        #expect(terms("U.S.") == terms("US"))
        #expect(terms("U.N.") == terms("UN"))
    }

    // MARK: Numbers

    static let numberCases: [TermCase] = [
        TermCase("150,000", ["150000"]),
        TermCase("1,234,567", ["1234567"]),
        TermCase("3.5", ["3.5"]),
        TermCase("$3.5 billion", ["3.5", stem("billion")]),
        TermCase("€40 and £7", ["40", "and", "7"]),
        TermCase("2025-11-11", ["2025-11-11", "2025"]),
        TermCase("1986-87", ["1986-87", "1986"]),
        TermCase("1701", ["1701"]),
        TermCase("F-35", ["f35"]),
        TermCase("F35", ["f35"]),
        TermCase("2.0.1", ["2.0.1"]),
        TermCase("1980s", ["1980s"]),
        TermCase("22nd", ["22nd"]),
        TermCase("3.5%", ["3.5"]),
        TermCase("end.", ["end"]),
        TermCase("1,2", ["1", "2"]),
        TermCase("٢٠٢٥", ["2025"]),
        TermCase("１２３", ["123"]),
        TermCase("1.5-2.0", ["1.5", "2.0"]),
        TermCase("COVID-19", [stem("covid"), "covid19", "19"]),
        TermCase("555-1234", ["555-1234"]),
        TermCase("192.168.0.1", ["192.168.0.1"]),
        TermCase("No.1", ["no", "1"]),
    ]

    @Test(arguments: numberCases)
    func numbersKeepTheirValue(_ testCase: TermCase) {
        #expect(terms(testCase.text) == testCase.expected)
    }

    @Test func dateYearIsColocated() {
        #expect(described("on 2025-11-11") == ["on@0..2", "2025-11-11@3..13", "+2025@3..13"])
    }

    // MARK: Scripts

    static let scriptCases: [TermCase] = [
        // Arabic: tashkeel, tatweel, alef forms, hamza carriers, ta marbuta, alef maqsura.
        TermCase("مُحَمَّد", ["محمد"]),
        TermCase("العـــربية", ["العربيه"]),
        TermCase("أحمد إسلام آمن ٱلله", ["احمد", "اسلام", "امن", "الله"]),
        TermCase("مؤتمر", ["موتمر"]),
        TermCase("رئيس", ["رييس"]),
        TermCase("مدرسة", ["مدرسه"]),
        TermCase("مصطفى", ["مصطفي"]),
        // Persian and Urdu letters.
        TermCase("ایران", ["ايران"]),
        TermCase("کتاب", ["كتاب"]),
        TermCase("خانہ", ["خانه"]),
        // Hebrew: niqqud and cantillation go, letters stay.
        TermCase("שָׁלוֹם", ["שלום"]),
        TermCase("ירושלים", ["ירושלים"]),
        // Cyrillic and Greek: folded, not stemmed; й keeps its breve, ё becomes е.
        TermCase("Путин заявил", ["путин", "заявил"]),
        TermCase("Йемен Ёлка", ["йемен", "елка"]),
        TermCase("Ελλάδα", ["ελλαδα"]),
        // CJK: overlapping bigrams, a lone character as itself.
        TermCase("東京都", ["東京", "京都"]),
        TermCase("日", ["日"]),
        TermCase("ひらがな", ["ひら", "らが", "がな"]),
        TermCase("ｶﾀｶﾅ", ["カタ", "タカ", "カナ"]),
        TermCase("한국어", ["한국", "국어"]),
        TermCase("\u{1112}\u{1161}\u{11AB}\u{1100}\u{116E}\u{11A8}", ["한국"]),
        TermCase("か\u{3099}く", ["がく"]),
        TermCase("iPhone手机", [stem("iphone"), "手机"]),
        TermCase("北京、上海", ["北京", "上海"]),
        // Thai: whole runs.
        TermCase("ภาษาไทย", ["ภาษาไทย"]),
    ]

    @Test(arguments: scriptCases)
    func scriptsAreFoldedAndSegmented(_ testCase: TermCase) {
        #expect(terms(testCase.text) == testCase.expected)
    }

    @Test func ideographBigramsSpanBothCharacters() {
        #expect(described("東京都") == ["東京@0..6", "京都@3..9"])
    }

    // MARK: Symbols and invisible characters

    static let symbolCases: [TermCase] = [
        TermCase("peace 🕊️ talks", [stem("peace"), stem("talks")]),
        TermCase("a + b = c", ["a", "b", "c"]),
        TermCase("→ ©2024 ™", ["2024"]),
        TermCase("👨‍👩‍👧 family", [stem("family")]),
        TermCase("Teh\u{200B}ran", [stem("tehran"), "~tahran"]),
        TermCase("Teh\u{00AD}ran", [stem("tehran"), "~tahran"]),
        TermCase("\u{200F}Tehran\u{200E}", [stem("tehran"), "~tahran"]),
        TermCase("Teh\u{2066}ran\u{2069}", [stem("tehran"), "~tahran"]),
        TermCase("\u{FEFF}word", [stem("word")]),
        TermCase("می\u{200C}خواهم", ["ميخواهم"]),
    ]

    @Test(arguments: symbolCases)
    func symbolsAreDroppedAndInvisibleCharactersIgnored(_ testCase: TermCase) {
        #expect(terms(testCase.text) == testCase.expected)
    }

    @Test func zeroWidthCharactersStayInsideTheSpan() {
        #expect(described("Teh\u{200B}ran ok") == ["\(stem("tehran"))@0..9", "+~tahran@0..9", "ok@10..12"])
        #expect(described("\u{200B}ok\u{200B}") == ["ok@3..5"])
    }

    // MARK: Length limit

    @Test func termsLongerThan64BytesAreDropped() {
        let long = String(repeating: "x", count: 65)
        let justRight = String(repeating: "7", count: 64)
        #expect(terms("a \(long) b") == ["a", "b"])
        #expect(terms(justRight) == [justRight])
    }

    // MARK: API

    @Test func earlyStopEndsTokenizing() {
        var seen: [String] = []
        var text = "one two three"
        text.withUTF8 { bytes in
            Tokenizer().tokenize(utf8: bytes) { term, _, _, _ in
                seen.append(String(decoding: term, as: UTF8.self))
                return seen.count < 2
            }
        }
        #expect(seen == ["one", "two"])
    }

    @Test func colocatedTokensNeverComeFirst() {
        for text in ["al-Sudani", "Hezbollah", "2025-11-11", "-x-y", "ـ-Sudani"] {
            #expect(Tokenizer().tokens(in: text).first?.colocated == false, "\(text)")
        }
    }

    @Test(arguments: ["U.S.-brokered cease-fire", "Tehran’s al-Sudani", "150,000 F-35", "東京 ＡＢＣ"])
    func queryWordsGiveTheSameTermsAsDocuments(_ text: String) {
        let documentTerms = terms(text)
        let queryTerms = text.split(separator: " ").flatMap { terms(String($0)) }
        #expect(documentTerms == queryTerms)
    }

    @Test(arguments: ["Hezbollah", "said", "TALKS", "Tehran", "1701", "F35", "abc123", "Iran.", "ok,"])
    func fastAndUnicodePathsAgree(_ word: String) {
        // A zero-width space sends the word through the Unicode path.
        #expect(terms(word) == terms(word + "\u{200B}"))
        #expect(terms(word) == terms("\u{200B}" + word))
    }

    @Test func emptyAndSeparatorOnlyTextsHaveNoTokens() {
        #expect(terms("").isEmpty)
        #expect(terms(" ,.;-'’ ").isEmpty)
    }
}

@Suite struct UnicodeFoldingTests {
    static let words = [
        "التَّعْلِيمُ", "أحمد", "إسلام", "آمن", "ٱلله", "مؤتمر", "رئيس", "مدرسة", "ایران", "کتاب", "خانہ", "ۀ",
        "شׁَלוֹם", "ירושלים", "Путин", "Йемен", "Ёлка", "ёлка", "Ўзбекистон", "Україна", "Їжак", "Հայաստան",
        "საქართველო", "٣.٥", "۱۴۰۲", "Straße", "ÆØÅ", "naïve", "ＡＢＣ", "नमस्ते", "ภาษาไทย", "Ελλάδα",
        "می\u{200C}خواهم", "العـــربية", "И\u{0306}емен", "е\u{0308}лка", "Ѐ", "Ђак", "ٵ", "ЁЖ",
    ]

    @Test(arguments: words)
    func fastAndNormalizingPathsAgree(_ word: String) {
        var fast: [UInt8] = []
        var full: [UInt8] = []
        let raw = Array(word.utf8)[...]
        UnicodeFolding.appendFolded(raw, to: &fast)
        UnicodeFolding.appendFoldedThroughNormalization(raw, to: &full)
        #expect(String(decoding: fast, as: UTF8.self) == String(decoding: full, as: UTF8.self))
    }
}

extension UnicodeFoldingTests {
    @Test(arguments: ["مؤتمر", "الحكومية", "Путин", "заявил", "ירושלים", "ایران", "۱۴۰۲", "Straße"])
    func commonNonLatinWordsSkipNormalization(_ word: String) {
        var output: [UInt8] = []
        #expect(UnicodeFolding.appendFoldedScalarByScalar(Array(word.utf8)[...], to: &output))
    }
}

@Suite struct CommonStemsTests {
    @Test(arguments: [
        "the", "said", "company", "shares", "expected", "february", "reported", "zebra", "abcdefghij",
    ])
    func tableAgreesWithTheStemmer(_ word: String) {
        var fromStemmer = Array(word.utf8)
        EnglishStemmer().stem(&fromStemmer)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: TermBuffer.capacity) { storage in
            var fromTable = TermBuffer(storage: storage.baseAddress!)
            fromTable.append(contentsOf: Array(word.utf8)[...])
            if CommonStems.shared.stem(&fromTable) {
                #expect(Array(fromTable.bytes) == fromStemmer)
            } else {
                #expect(!["the", "said", "company", "shares"].contains(word))
            }
        }
    }

    /// The bytes of a packed word or stem (`CommonStems.forEachWordAndStem`).
    static func unpack(_ packed: UInt64) -> [UInt8] {
        var packed = packed
        var bytes: [UInt8] = []
        while packed != 0 {
            bytes.append(UInt8(truncatingIfNeeded: packed))
            packed >>= 8
        }
        return bytes
    }

    /// Every written-out stem is the stemmer's, and the table hands each one back.
    @Test func everyWrittenStemIsTheStemmers() {
        var count = 0
        CommonStems.forEachWordAndStem { packedWord, packedStem in
            count += 1
            let word = Self.unpack(packedWord)
            let name = String(decoding: word, as: UTF8.self)
            #expect((3...CommonStems.maximumWordLength).contains(word.count), "\(name)")
            #expect(word.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }, "\(name)")
            var fromStemmer = word
            EnglishStemmer().stem(&fromStemmer)
            #expect(Self.unpack(packedStem) == fromStemmer, "\(name)")
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: TermBuffer.capacity) { storage in
                var fromTable = TermBuffer(storage: storage.baseAddress!)
                fromTable.append(contentsOf: word[...])
                #expect(CommonStems.shared.stem(&fromTable), "\(name)")
                #expect(Array(fromTable.bytes) == fromStemmer, "\(name)")
            }
        }
        #expect(count >= 300)
    }
}

@Suite struct TokenizerRobustnessTests {
    /// Fragments that exercise every joiner and script, glued at random with malformed UTF-8.
    static let fragments: [[UInt8]] =
        [
            "a", "Z", "7", "-", ".", ",", "'", "’", " ", "U.S.", "al-", "—", "\u{200B}", "\u{00AD}", "é", "ß",
            "أ", "ـ", "ש", "ָ", "東", "ｶ", "ﾞ", "한", "\u{1161}", "ภ", "🕊️", "ﬁ", "١", "İ",
        ].map { Array($0.utf8) } + [
            [0xFF], [0xC3], [0xE2, 0x80], [0xF0, 0x9F], [0x80], [0xED, 0xA0, 0x80],
        ]

    @Test(arguments: 0..<8)
    func randomInputKeepsTheTokenContract(_ seed: Int) {
        var state = UInt64(seed) &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for _ in 0..<200 {
            var bytes: [UInt8] = []
            for _ in 0..<next(40) { bytes += Self.fragments[next(Self.fragments.count)] }
            var first = true
            bytes.withUnsafeBufferPointer { text in
                Tokenizer().tokenize(utf8: text) { term, start, end, colocated in
                    #expect(0 <= start && start <= end && end <= text.count)
                    #expect(term.count > 0 && term.count <= Tokenizer.maximumTermLength)
                    #expect(!(first && colocated))
                    first = false
                    return true
                }
            }
        }
    }
}

/// Issue #13: what one "word" may cost is bounded, however long its hyphen chain.
@Suite struct HyphenChainTests {
    @Test func chainLongerThanTheCutGetsNoJoinedForm() {
        // 40 one-letter parts: the joined form (40 letters) would fit in a term, so it was emitted.
        let chain = Array(repeating: "q", count: 40).joined(separator: "-")
        let tokens = Tokenizer().tokens(in: chain)
        #expect(tokens.count == 40)
        #expect(tokens.allSatisfy { $0.end - $0.start == 1 && $0.term == "q" })
    }

    @Test func chainsUpToTheCutKeepTheirJoinedForm() {
        #expect(terms("al-Sudani") == ["al", "alsudani", "sudani", "~sadana"])
        let chain = Array(repeating: "ab", count: TokenScanner.maximumWordPieces).joined(separator: "-")
        #expect(Tokenizer().tokens(in: chain).contains { $0.end == chain.utf8.count && $0.start == 0 })
    }

    @Test func megabytesOfHyphensGiveOneTokenPerPart() {
        let parts = 1 << 20
        let chain = String(repeating: "a-", count: parts - 1) + "a"
        var count = 0
        var longest = 0
        chain.utf8.withContiguousStorageIfAvailable { bytes in
            Tokenizer().tokenize(utf8: bytes) { term, start, end, _ in
                count += 1
                longest = max(longest, end - start, term.count)
                return true
            }
        }
        #expect(count <= parts)
        #expect(longest <= 1)
    }
}
