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

    @Test func emptyAndSeparatorOnlyTextsHaveNoTokens() {
        #expect(terms("").isEmpty)
        #expect(terms(" ,.;-'’ ").isEmpty)
    }
}
