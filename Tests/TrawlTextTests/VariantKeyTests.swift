import Testing

@testable import TrawlText

@Suite struct VariantKeyTests {
    static let variantGroups: [[String]] = [
        ["Hezbollah", "Hizballah", "Hizbullah"],
        ["Quds", "Qods"],
        ["Qaeda", "Qaida"],
        ["Mohammed", "Muhammad", "Mohamed", "Mohammad"],
        ["Sudani", "Soudani"],
        ["Qassem", "Kassem", "Qasem"],
        ["Khamenei", "Khamene'i"],
        ["Nasrallah", "Nasrullah"],
        ["Hussein", "Husayn", "Hussain"],
        ["Osama", "Usama"],
        ["Makkah", "Mecca", "Mekka"],
        ["Kazem", "Kadhim"],
        ["Rouhani", "Rowhani"],
        ["Sayed", "Sayyid", "Sayeed"],
    ]

    @Test(arguments: variantGroups)
    func spellingsOfOneNameShareAKey(_ group: [String]) {
        let keys = group.map { Tokenizer().variantKey(of: $0) }
        #expect(keys[0] != nil)
        #expect(Set(keys).count == 1, "\(zip(group, keys).map { "\($0)=\($1 ?? "nil")" })")
    }

    static let distinctPairs: [(String, String)] = [
        ("Iran", "Iraq"), ("Sudan", "Sudani"), ("Hamas", "Homs"), ("Mahmoud", "Mohammed"),
        ("Iran", "Oran"), ("Saudi", "Sudani"), ("Israel", "Israeli"),
    ]

    @Test(arguments: distinctPairs)
    func differentNamesGetDifferentKeys(_ first: String, _ second: String) {
        #expect(Tokenizer().variantKey(of: first) != Tokenizer().variantKey(of: second))
    }

    @Test func commonNamesStayDistinct() {
        let names = [
            "Washington", "London", "Paris", "Moscow", "Beijing", "Tokyo", "Berlin", "Israel", "Egypt",
            "Syria", "Jordan", "Lebanon", "Turkey", "Russia", "China", "Japan", "Germany", "France",
            "Britain", "Reuters", "Baghdad", "Damascus", "Gaza", "Yemen", "Oman", "Qatar", "Kuwait",
            "Bahrain", "Tehran", "Kabul", "Ankara", "Cairo", "Beirut", "Riyadh", "Brazil", "Canada",
        ]
        let keys = names.map { Tokenizer().variantKey(of: $0) ?? "nil:\($0)" }
        let collisions = Dictionary(grouping: zip(names, keys), by: \.1).values.filter { $0.count > 1 }
        #expect(collisions.isEmpty, "\(collisions)")
    }

    static let queryWordCases: [(String, String?)] = [
        ("Hizballah", "~hazbala"),
        ("hezbollah", "~hazbala"),
        ("HEZBOLLAH", "~hazbala"),
        ("al-Sudani", "~sadana"),
        ("el-Sudani", "~sadana"),
        ("Tehran’s", "~tahran"),
        ("Iran", "~iran"),
        ("Abu-Dhabi", nil),
        ("Ali", nil),
        ("U.S.", nil),
        ("1701", nil),
        ("Москва", nil),
        ("two words", nil),
        ("Company", nil),
    ]

    @Test(arguments: queryWordCases)
    func queryWordsGetTheKeyTheIndexHolds(_ word: String, _ key: String?) {
        #expect(Tokenizer().variantKey(of: word) == key)
    }

    static let indexedWordCases: [(String, [String])] = [
        ("Hizballah said", ["hizballah", "~hazbala", "said"]),
        ("hizballah", ["hizballah"]),
        ("HIZBALLAH", ["hizballah"]),
        ("Ali", ["ali"]),
        ("Iran", ["iran", "~iran"]),
        ("Company said", ["company", "said"]),
        ("American-led", ["american", "americanled", "led"]),
    ]

    @Test(arguments: indexedWordCases)
    func indexingKeysOnlyCapitalisedWordsOfFourLettersOrMore(_ text: String, _ expected: [String]) {
        let stemmed = Tokenizer().tokens(in: text).map(\.term)
        let expectedStemmed = expected.map { $0.hasPrefix("~") ? $0 : EnglishStemmer().stem($0) }
        #expect(stemmed == expectedStemmed)
    }

    @Test func keysAreColocatedWithTheirWord() {
        let tokens = Tokenizer().tokens(in: "Hizballah")
        #expect(tokens.count == 2)
        #expect(tokens[1] == Token(term: "~hazbala", start: 0, end: 9, colocated: true))
    }

    @Test func keysNeverCollideWithOrdinaryTerms() {
        let text = "Hezbollah Tehran Quds Mohammed the ~ ~tilde"
        for token in Tokenizer().tokens(in: text) where !token.colocated {
            #expect(token.term.first != "~")
        }
    }
}
