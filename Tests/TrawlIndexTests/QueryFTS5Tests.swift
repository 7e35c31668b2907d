import GRDB
import Testing
import TrawlQuery
import TrawlText

@testable import TrawlIndex

/// A query string and the MATCH text it must compile to.
struct MatchCase: Sendable, CustomTestStringConvertible {
    var input: String
    var matchText: String
    var joining: WordJoin
    var testDescription: String { input }

    init(_ input: String, _ matchText: String, joining: WordJoin = .all) {
        self.input = input
        self.matchText = matchText
        self.joining = joining
    }
}

/// Parses `text` and binds it to FTS5 with the stub-or-real tokenizer.
private func compile(_ text: String, joining: WordJoin = .all) throws -> BoundQuery {
    try QueryParser().parse(text).fts5Query(joining: joining)
}

/// Whether `matchText` is safe to hand to FTS5: every quote closed (with `""` as an escaped
/// quote), parentheses balanced, and nothing bare outside quotes but operators, parentheses,
/// `*`, `:` and the field names.
func isWellFormedMatchText(_ matchText: String) -> Bool {
    let characters = Array(matchText)
    let bareWords: Set<String> = ["AND", "OR", "NOT", "title", "body"]
    var depth = 0
    var index = 0
    while index < characters.count {
        let character = characters[index]
        switch character {
        case "\"":
            index += 1
            var isClosed = false
            while index < characters.count {
                if characters[index] == "\"" {
                    if index + 1 < characters.count, characters[index + 1] == "\"" {
                        index += 2
                        continue
                    }
                    isClosed = true
                    break
                }
                index += 1
            }
            guard isClosed else { return false }
        case "(":
            depth += 1
        case ")":
            depth -= 1
            guard depth >= 0 else { return false }
        case " ", "*", ":":
            break
        default:
            var bare = ""
            while index < characters.count, !" ()\"*:".contains(characters[index]) {
                bare.append(characters[index])
                index += 1
            }
            guard bareWords.contains(bare) else { return false }
            continue
        }
        index += 1
    }
    return depth == 0
}

@Suite struct QueryFTS5Tests {
    /// Cases whose output is the same with the stub tokenizer and the real one: lower-case
    /// words and digits.
    static let cases: [MatchCase] = [
        MatchCase("iran", #""iran""#),
        MatchCase("iran talks", #""iran" AND "talk""#),
        MatchCase("iran AND talks 2024", #""iran" AND "talk" AND "2024""#),
        MatchCase("iran OR iraq", #""iran" OR "iraq""#),
        MatchCase("a b OR c d", #""a" AND ("b" OR "c") AND "d""#),
        MatchCase("(a b) OR c", #"("a" AND "b") OR "c""#),
        MatchCase("\"prime minister\"", #""prime minist""#),
        MatchCase("“prime minister” vienna", #""prime minist" AND "vienna""#),
        MatchCase("negot*", #""negot" *"#),
        MatchCase("negot* OR talks", #""negot" * OR "talk""#),
        MatchCase("title:iran", #"title : "iran""#),
        MatchCase("title:\"prime minister\"", #"title : "prime minist""#),
        MatchCase("title:(a OR b) c", #"(title : ("a" OR "b")) AND "c""#),
        MatchCase("body:negot*", #"body : "negot" *"#),
        MatchCase("iran -talks", #""iran" NOT "talk""#),
        MatchCase("iran NOT \"nuclear deal\"", #""iran" NOT "nuclear deal""#),
        MatchCase("a b -c -d", #"("a" AND "b") NOT ("c" OR "d")"#),
        MatchCase("a -b -\"c d\" -e*", #""a" NOT ("b" OR "c d" OR "e" *)"#),
        MatchCase("a (b -c)", #""a" AND ("b" NOT "c")"#),
        MatchCase("a -(b OR c)", #""a" NOT ("b" OR "c")"#),
        MatchCase("a -title:b", #""a" NOT (title : "b")"#),
        MatchCase("a -b*", #""a" NOT "b" *"#),
        MatchCase("(a OR b) (c OR d) -e", #"(("a" OR "b") AND ("c" OR "d")) NOT "e""#),
        MatchCase("iran talks", #""iran" OR "talk""#, joining: .any),
        MatchCase("iran talks -x", #"("iran" OR "talk") NOT "x""#, joining: .any),
        MatchCase("a (b OR c) d", #""a" OR ("b" OR "c") OR "d""#, joining: .any),
        MatchCase("\"a b\" c", #""a b" OR "c""#, joining: .any),
        MatchCase("a OR b", #""a" OR "b""#, joining: .any),
        MatchCase("a (b c)", #""a" OR "b" OR "c""#, joining: .any),
        MatchCase("title:(a b)", #"title : ("a" AND "b")"#, joining: .any),
        // Punctuation-only words vanish; what is left is still searched.
        MatchCase("iran ++", #""iran""#),
        MatchCase("iran -++", #""iran""#),
        MatchCase("iran (++ OR &&)", #""iran""#),
        MatchCase("iran OR ++", #""iran""#),
        MatchCase("iran \"!!\"", #""iran""#),
        MatchCase("iran -", #""iran""#),
    ]

    @Test(arguments: cases)
    func compilesToTheExpectedMatchText(_ example: MatchCase) throws {
        #expect(try compile(example.input, joining: example.joining).matchText == example.matchText)
    }

    @Test func positiveTermsPrefixesAndPhrasesAreCollectedForHighlighting() throws {
        let query = try compile("iran negot* \"prime minister\" -talks title:vienna -\"nuclear deal\"")
        #expect(query.highlights.terms == ["iran", "vienna"])
        #expect(query.highlights.prefixes == ["negot"])
        // A phrase is marked only where it stands whole.
        #expect(query.highlights.sequences == [.init(terms: ["prime", "minist"])])
    }

    /// A query that as a whole is one term minus exclusions says what it excludes (champion
    /// lists use it); one whose exclusion sits inside a group, or that has more terms, does not.
    @Test func aTopLevelExclusionOfOneTermIsItsOwnShape() throws {
        #expect(
            try compile("said -oil -gas").shape
                == .singleTermExcluding("said", excluded: FTS5Match(#""oil" OR "gas""#)))
        #expect(try compile("(said -oil) gas").shape == .general)
        #expect(try compile("said oil -gas").shape == .general)
        #expect(try compile("said").shape == .singleTerm("said"))
    }

    @Test func wordsWithoutSearchableTermsThrowANamedError() {
        #expect(throws: QueryError.noSearchableWords("++")) { try compile("++") }
        #expect(throws: QueryError.noSearchableWords("++ &&")) { try compile("++ && -iran") }
        #expect(throws: QueryError.noSearchableWords("!!")) { try compile("\"!!\"") }
        #expect(
            QueryError.noSearchableWords("++").description
                == "‘++’ has no searchable words: punctuation and symbols are not indexed.")
    }

    @Test func fieldsOtherThanTitleAndBodyAreRefused() {
        #expect(throws: QueryError.unknownField("author", column: 0)) {
            try Query.field("author", .word("x")).fts5Query()
        }
    }

    @Test func repeatedWordsAreMatchedOnceAndCounted() throws {
        let bound = try compile("said oil said said")
        #expect(bound.matchText == #""said" AND "oil""#)
        #expect(bound.terms.map(\.queryFrequency) == [3, 1])
        #expect(try compile("oil OR oil OR gas").matchText == #""oil" OR "gas""#)
    }

    @Test func aRepeatedSingleWordIsStillASingleTerm() throws {
        #expect(try compile("said said said").shape == .singleTerm("said"))
        #expect(
            try compile("said -oil").shape == .singleTermExcluding("said", excluded: FTS5Match(#""oil""#)))
        #expect(try compile("title:said").shape == .general)
        #expect(try compile("pro*").shape == .singlePrefix("pro"))
    }

    @Test func longPhrasesAndTooManyTermsAreRefusedWithTheirCounts() {
        let phrase = "\"" + (0..<70).map { "w\($0)" }.joined(separator: " ") + "\""
        #expect(throws: QueryError.phraseTooLong(words: 70, limit: 64)) { try compile(phrase) }
        let many = (0..<300).map { "w\($0)" }.joined(separator: " OR ")
        #expect(throws: QueryError.tooManyTerms(count: 300, limit: 256)) { try compile(many) }
    }

    @Test func variantsFallBackToThePlainWordWhenTheTokenizerGivesNoKey() throws {
        // The stub tokenizer emits no keys; the real one may, and then the key is searched.
        let query = try Query.variants("zzqx").fts5Query()
        #expect(query.matchText == #""zzqx""# || query.matchText.hasPrefix("(\"~"))
    }

    @Test func quotesInsideTermsAreDoubled() {
        #expect(FTS5QueryCompiler.quoted(["say\"hi"]) == #""say""hi""#)
        #expect(FTS5QueryCompiler.quoted(["a", "b\"", "c"]) == #""a b"" c""#)
        #expect(FTS5QueryCompiler.quoted(["\""]) == #""""""#)
    }

    // MARK: Word positions (hand-made tokens, so independent of the tokenizer)

    private static func token(_ term: String, _ start: Int, _ end: Int, colocated: Bool = false) -> Token {
        Token(term: term, start: start, end: end, colocated: colocated)
    }

    @Test func aJoinedFormSpanningTheWordIsAnAlternativeToItsPhrase() {
        var compiler = FTS5QueryCompiler(tokenizer: Tokenizer())
        let tokens = [
            Self.token("al", 0, 2), Self.token("alsudani", 0, 9, colocated: true),
            Self.token("~lsdn", 0, 9, colocated: true), Self.token("sudani", 3, 9),
        ]
        let fragment = compiler.word(tokens: tokens, typed: "al-Sudani", isPositive: true)
        #expect(fragment?.text == #"("al sudani" OR "alsudani")"#)
        // Highlighted only whole: `al` alone (al-Nujaba) is not a match of al-Sudani.
        #expect(compiler.highlights.terms == ["alsudani"])
        #expect(compiler.highlights.sequences == [.init(terms: ["al", "sudani"])])
        #expect(compiler.terms.map(\.terms) == [["al", "alsudani"], ["sudani"]])
    }

    @Test func anAlternativeCoveringOnePartOnlyIsNotAnAlternativeToTheWord() {
        var compiler = FTS5QueryCompiler(tokenizer: Tokenizer())
        let tokens = [
            Self.token("talks", 0, 5), Self.token("talk", 0, 5, colocated: true), Self.token("iran", 6, 10),
        ]
        #expect(
            compiler.word(tokens: tokens, typed: "talks-iran", isPositive: true)?.text == #""talks iran""#)
    }

    @Test func aSinglePositionWordSearchesItsPrimaryTermOnly() {
        var compiler = FTS5QueryCompiler(tokenizer: Tokenizer())
        let tokens = [
            Self.token("us", 0, 4), Self.token("u.s", 0, 4, colocated: true),
            Self.token("us", 0, 4, colocated: true), Self.token("~s", 0, 4, colocated: true),
        ]
        #expect(compiler.word(tokens: tokens, typed: "U.S.", isPositive: true)?.text == #""us""#)
    }

    @Test func excludedWordsAreNeitherHighlightedNorReported() {
        var compiler = FTS5QueryCompiler(tokenizer: Tokenizer())
        _ = compiler.word(tokens: [Self.token("x", 0, 1)], typed: "x", isPositive: false)
        _ = compiler.word(tokens: [], typed: "++", isPositive: false)
        #expect(compiler.highlights.isEmpty)
        #expect(compiler.terms.isEmpty)
        #expect(compiler.unsearchableWords.isEmpty)
    }

    @Test func positionsGroupColocatedTokensAndDropKeys() {
        let positions = FTS5QueryCompiler.positions(of: [
            Self.token("~k", 0, 1, colocated: true), Self.token("a", 0, 1),
            Self.token("~k", 0, 1, colocated: true), Self.token("b", 2, 3),
            Self.token("bb", 2, 3, colocated: true),
        ])
        #expect(positions.map { $0.map(\.term) } == [["a"], ["b", "bb"]])
    }

    // MARK: Hostile input

    static let hostileQueries: [String] = [
        "U.S.", "al-Sudani", "U.S.-brokered", "Tehran’s", "don't", "AT&T", "C++", "10:30",
        "http://x.org/a?b=c",
        "\"", "(", ")", "OR", "a OR", "NOT", "-", "*", "\"\"", "title:", "title:\"\"", "🙂", "👩‍👩‍👧 iran",
        "a\"b", "NEAR(a b)", "NEAR", "a AND b", "a: b", "\"a \"\" b\"", "title:(a -(b OR c*)) -d",
        "^a", "a^", "{title body}:x", "col:x", "x* *y", "a:*", "\\\" \\", "'", "''a''", "a;b", "a/b",
        "日本語 テキスト", "ﬁnance", "İstanbul", "e\u{301}", "a\u{0}b", "\u{200B}", "a\u{2028}b",
        String(repeating: "a ", count: 5_000), String(repeating: "x", count: 10_000),
        String(repeating: "a OR ", count: 2_000) + "a", String(repeating: "(a -b) ", count: 1_500),
        (0..<2_000).map { "w\($0)" }.joined(separator: " OR "),
        "a " + (0..<400).map { "-w\($0)" }.joined(separator: " "),
    ]

    /// The hostile inputs the parser or the compiler refuses with a `QueryError` (a fine answer to
    /// hostile input); every other one must compile, so no case passes by testing nothing.
    static let refusedHostileQueries: Set<String> = [
        "\"", "(", ")", "OR", "a OR", "NOT", "-", "*", "\"\"", "title:", "title:\"\"", "🙂", "a\"b", "col:x",
        "\\\" \\", "'", "\u{200B}", String(repeating: "x", count: 10_000),
        (0..<2_000).map { "w\($0)" }.joined(separator: " OR "),
    ]

    /// The MATCH text `text` compiles to, or nil when it is refused with a `QueryError`.
    static func compiled(_ text: String, joining: WordJoin = .all) -> String? {
        do {
            return try QueryParser().parse(text).fts5Query(joining: joining).matchText
        } catch {
            return nil
        }
    }

    @Test(arguments: hostileQueries)
    func hostileInputNeverYieldsMalformedMatchText(_ text: String) {
        let refused = Self.refusedHostileQueries.contains(text)
        for joining in [WordJoin.all, .any] {
            let matchText = Self.compiled(text, joining: joining)
            #expect((matchText == nil) == refused, "\(text.prefix(60)) joined by \(joining)")
            if let matchText {
                #expect(isWellFormedMatchText(matchText), "\(matchText.prefix(200))")
            }
        }
    }

    static let handBuiltQueries: [Query] = [
        .word("say\"hi"), .phrase("\"quoted\" \"\""), .word("AND"), .word("OR NOT"), .word("NEAR"),
        .word("x)"), .word("(x"), .prefix("\""), .prefix("ab\"c"), .variants("\"x"),
        .field("TITLE", .word("a")),
        .all([]), .any([]), .all([.any([]), .word("a")]), .excluding(.word("a"), []),
        .excluding(.word("a"), [.word("++"), .all([])]), .field("body", .excluding(.word("a"), [.word("b")])),
    ]

    @Test(arguments: handBuiltQueries)
    func handBuiltQueriesNeverYieldMalformedMatchText(_ query: Query) {
        if let matchText = try? query.fts5Query().matchText {
            #expect(isWellFormedMatchText(matchText), "\(matchText)")
        }
    }

    @Test func theCheckerRejectsMalformedText() {
        #expect(isWellFormedMatchText(#""a" AND ("b" OR "c") NOT "d""#))
        #expect(isWellFormedMatchText(#"title : "a""b" *"#))
        #expect(!isWellFormedMatchText(#""a"#))
        #expect(!isWellFormedMatchText(#"("a""#))
        #expect(!isWellFormedMatchText(#""a")"#))
        #expect(!isWellFormedMatchText(#""a" AND b"#))
        #expect(!isWellFormedMatchText(#"NEAR("a" "b")"#))
    }

    /// Runs well-formed MATCH text through SQLite's own FTS5 parser.
    @Test(arguments: hostileQueries + cases.map(\.input))
    func sqliteAcceptsEveryCompiledMatchText(_ text: String) throws {
        let refused = Self.refusedHostileQueries.contains(text)
        let matchText = Self.compiled(text)
        #expect((matchText == nil) == refused, "\(text.prefix(60))")
        guard let matchText else { return }
        let database = try DatabaseQueue()
        try database.write { db in
            try db.execute(sql: "CREATE VIRTUAL TABLE doc USING fts5(title, body)")
            try db.execute(sql: "INSERT INTO doc(title, body) VALUES ('prime minister', 'iran talks 2024')")
            _ = try Int.fetchAll(db, sql: "SELECT rowid FROM doc WHERE doc MATCH ?", arguments: [matchText])
        }
    }

    // MARK: Words the tokenizer splits, joins or folds

    static let realTokenizerCases: [MatchCase] = [
        MatchCase("al-Sudani", #"("al sudani" OR "alsudani")"#),
        MatchCase("\"prime minister al-Sudani\"", #""prime minist al sudani""#),
        MatchCase("al-Sudan*", #""al sudan" *"#),
        MatchCase("AT&T", #""at t""#),
        MatchCase("Iran Talks", #""iran" AND "talk""#),
        MatchCase("2025-11-11", #""2025-11-11""#),
        MatchCase("U.S.", #""us""#),
        MatchCase("Tehran’s", #""tehran""#),
    ]

    @Test(arguments: realTokenizerCases)
    func realTokenizerSplitsAndJoinsPunctuatedWords(_ example: MatchCase) throws {
        #expect(try compile(example.input).matchText == example.matchText)
    }

    @Test
    func realTokenizerDropsEmojiAndKeysVariants() throws {
        #expect(throws: QueryError.noSearchableWords("🙂")) { try compile("🙂") }
        #expect(try compile("~Hezbollah").matchText.hasPrefix("(\"~"))
        // `~word` finds every document `word` finds: the word itself is one of its alternatives.
        #expect(try compile("~Houthi").matchText.hasSuffix(#" OR "houthi")"#))
    }
}
