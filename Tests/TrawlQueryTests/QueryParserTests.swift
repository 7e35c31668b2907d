import Testing

@testable import TrawlQuery

private func word(_ text: String) -> Query { .word(text) }

/// A query string and the tree it must parse to.
struct ParseCase: Sendable, CustomTestStringConvertible {
    var input: String
    var expected: Query
    var testDescription: String { input }

    init(_ input: String, _ expected: Query) {
        self.input = input
        self.expected = expected
    }
}

/// A query string, the error it must raise and that error's message.
struct FailureCase: Sendable, CustomTestStringConvertible {
    var input: String
    var expected: QueryError
    var message: String
    var testDescription: String { input }

    init(_ input: String, _ expected: QueryError, _ message: String) {
        self.input = input
        self.expected = expected
        self.message = message
    }
}

@Suite struct QueryParserTests {
    let parser = QueryParser()

    static let constructs: [ParseCase] = [
        ParseCase("iran", word("iran")),
        ParseCase("  iran  ", word("iran")),
        ParseCase("iran talks", .all([word("iran"), word("talks")])),
        ParseCase("iran\ttalks\nvienna", .all([word("iran"), word("talks"), word("vienna")])),
        ParseCase("iran AND talks", .all([word("iran"), word("talks")])),
        ParseCase("iran and talks", .all([word("iran"), word("and"), word("talks")])),
        ParseCase("iran OR iraq", .any([word("iran"), word("iraq")])),
        ParseCase("iran or iraq", .all([word("iran"), word("or"), word("iraq")])),
        ParseCase("a OR b OR c", .any([word("a"), word("b"), word("c")])),
        ParseCase("\"prime minister\"", .phrase("prime minister")),
        ParseCase("“prime minister”", .phrase("prime minister")),
        ParseCase("\"  spaced  out \"", .phrase("  spaced  out ")),
        ParseCase("\"don't (panic) OR -not\"", .phrase("don't (panic) OR -not")),
        ParseCase("\"\" iran", word("iran")),
        ParseCase("iran \"\"", word("iran")),
        ParseCase("negot*", .prefix("negot")),
        ParseCase("negot**", .prefix("negot")),
        ParseCase("iran * talks", .all([word("iran"), word("talks")])),
        ParseCase("~Hezbollah", .variants("Hezbollah")),
        ParseCase("~", word("~")),
        ParseCase("title:iran", .field("title", word("iran"))),
        ParseCase("TITLE:iran", .field("title", word("iran"))),
        ParseCase("body:negot*", .field("body", .prefix("negot"))),
        ParseCase("title:~Hezbollah", .field("title", .variants("Hezbollah"))),
        ParseCase("title:\"prime minister\"", .field("title", .phrase("prime minister"))),
        ParseCase("body:(a OR b)", .field("body", .any([word("a"), word("b")]))),
        ParseCase("title:(a -b)", .field("title", .excluding(word("a"), [word("b")]))),
        ParseCase("title:\"\" iran", word("iran")),
        ParseCase("10:30", word("10:30")),
        ParseCase("http://x.org/a", word("http://x.org/a")),
        ParseCase("10:30 http://x", .all([word("10:30"), word("http://x")])),
        ParseCase("iran -talks", .excluding(word("iran"), [word("talks")])),
        ParseCase("iran NOT talks", .excluding(word("iran"), [word("talks")])),
        ParseCase("iran AND NOT talks", .excluding(word("iran"), [word("talks")])),
        ParseCase("-talks iran", .excluding(word("iran"), [word("talks")])),
        ParseCase("iran -\"nuclear deal\"", .excluding(word("iran"), [.phrase("nuclear deal")])),
        ParseCase("iran NOT \"nuclear deal\"", .excluding(word("iran"), [.phrase("nuclear deal")])),
        ParseCase("iran NOT (a b)", .excluding(word("iran"), [.all([word("a"), word("b")])])),
        ParseCase("iran -(a OR b)", .excluding(word("iran"), [.any([word("a"), word("b")])])),
        ParseCase("iran -title:talks", .excluding(word("iran"), [.field("title", word("talks"))])),
        ParseCase("iran -negot*", .excluding(word("iran"), [.prefix("negot")])),
        ParseCase("a b -c -d", .excluding(.all([word("a"), word("b")]), [word("c"), word("d")])),
        ParseCase("iran -", .all([word("iran"), word("-")])),
        ParseCase("iran - talks", .all([word("iran"), word("-"), word("talks")])),
        ParseCase("iran -*", word("iran")),
        ParseCase("iran -\"\"", word("iran")),
        ParseCase("(iran)", word("iran")),
        ParseCase("((iran))", word("iran")),
        ParseCase("()  iran", word("iran")),
        ParseCase("(a OR b) c", .all([.any([word("a"), word("b")]), word("c")])),
        ParseCase("a (b c)", .all([word("a"), word("b"), word("c")])),
        ParseCase("(a b) OR c", .any([.all([word("a"), word("b")]), word("c")])),
        ParseCase("a (b -c)", .all([word("a"), .excluding(word("b"), [word("c")])])),
        ParseCase("a (-c)", .excluding(word("a"), [word("c")])),
        ParseCase("(a -b) OR c", .any([.excluding(word("a"), [word("b")]), word("c")])),
        ParseCase("a OR (b OR c)", .any([word("a"), word("b"), word("c")])),
        ParseCase("f(x)", .all([word("f"), word("x")])),
        ParseCase("a\"b c\"", .all([word("a"), .phrase("b c")])),
    ]

    @Test(arguments: constructs)
    func parsesEachConstructToItsTree(_ example: ParseCase) throws {
        #expect(try parser.parse(example.input) == example.expected)
    }

    static let precedence: [ParseCase] = [
        ParseCase("a b OR c d", .all([word("a"), .any([word("b"), word("c")]), word("d")])),
        ParseCase("a AND b OR c", .all([word("a"), .any([word("b"), word("c")])])),
        ParseCase("a OR b c OR d", .all([.any([word("a"), word("b")]), .any([word("c"), word("d")])])),
        ParseCase("a OR b -c", .excluding(.any([word("a"), word("b")]), [word("c")])),
        ParseCase("\"a b\" OR c*", .any([.phrase("a b"), .prefix("c")])),
        ParseCase("title:a OR body:b", .any([.field("title", word("a")), .field("body", word("b"))])),
        ParseCase(
            "(a OR (b (c OR d))) -(e f)",
            .excluding(
                .any([word("a"), .all([word("b"), .any([word("c"), word("d")])])]),
                [.all([word("e"), word("f")])])),
    ]

    @Test(arguments: precedence)
    func orBindsTighterThanTheWordsAroundIt(_ example: ParseCase) throws {
        #expect(try parser.parse(example.input) == example.expected)
    }

    static let keptAsTyped: [String] = [
        "U.S.", "al-Sudani", "U.S.-brokered", "Tehran’s", "don't", "AT&T", "C++", "10:30",
        "café", "naïve", "日本語", "🙂", "👩‍👩‍👧", "#hashtag", "@user", "50%", "$100", "a-", "x--y",
    ]

    @Test(arguments: keptAsTyped)
    func wordsWithPunctuationAreKeptExactlyAsTyped(_ text: String) throws {
        #expect(try parser.parse(text) == .word(text))
    }

    static let failures: [FailureCase] = [
        FailureCase("", .nothingToSearch, "The query has no words to search for."),
        FailureCase("   ", .nothingToSearch, "The query has no words to search for."),
        FailureCase("\"\"", .nothingToSearch, "The query has no words to search for."),
        FailureCase("*", .nothingToSearch, "The query has no words to search for."),
        FailureCase("()", .nothingToSearch, "The query has no words to search for."),
        FailureCase(
            "iran \"talks", .missingClosingQuote(column: 6), "Missing closing quote (opened at column 6)."),
        FailureCase("\"", .missingClosingQuote(column: 1), "Missing closing quote (opened at column 1)."),
        FailureCase("“a b", .missingClosingQuote(column: 1), "Missing closing quote (opened at column 1)."),
        FailureCase("🙂 \"x", .missingClosingQuote(column: 3), "Missing closing quote (opened at column 3)."),
        FailureCase(
            "a (b OR c", .missingClosingParenthesis(column: 3),
            "Missing closing parenthesis (opened at column 3)."),
        FailureCase(
            "(", .missingClosingParenthesis(column: 1), "Missing closing parenthesis (opened at column 1)."),
        FailureCase(
            "title:(a", .missingClosingParenthesis(column: 7),
            "Missing closing parenthesis (opened at column 7)."),
        FailureCase(
            ")", .unexpectedClosingParenthesis(column: 1),
            "Unexpected ‘)’ at column 1: there is no ‘(’ for it to close."),
        FailureCase(
            "a b) c", .unexpectedClosingParenthesis(column: 4),
            "Unexpected ‘)’ at column 4: there is no ‘(’ for it to close."),
        FailureCase(
            "(a)) c", .unexpectedClosingParenthesis(column: 4),
            "Unexpected ‘)’ at column 4: there is no ‘(’ for it to close."),
        FailureCase("OR", .danglingOperator("OR", column: 1), "‘OR’ at column 1 needs a word on each side."),
        FailureCase(
            "a OR", .danglingOperator("OR", column: 3), "‘OR’ at column 3 needs a word on each side."),
        FailureCase(
            "OR a", .danglingOperator("OR", column: 1), "‘OR’ at column 1 needs a word on each side."),
        FailureCase(
            "a OR OR b", .danglingOperator("OR", column: 3), "‘OR’ at column 3 needs a word on each side."),
        FailureCase(
            "(a OR) b", .danglingOperator("OR", column: 4), "‘OR’ at column 4 needs a word on each side."),
        FailureCase(
            "a AND", .danglingOperator("AND", column: 3), "‘AND’ at column 3 needs a word on each side."),
        FailureCase(
            "AND a", .danglingOperator("AND", column: 1), "‘AND’ at column 1 needs a word on each side."),
        FailureCase(
            "a AND OR b", .danglingOperator("AND", column: 3), "‘AND’ at column 3 needs a word on each side."),
        FailureCase(
            "NOT", .danglingOperator("NOT", column: 1), "‘NOT’ at column 1 needs a word on each side."),
        FailureCase(
            "a NOT", .danglingOperator("NOT", column: 3), "‘NOT’ at column 3 needs a word on each side."),
        FailureCase(
            "a NOT NOT b", .danglingOperator("NOT", column: 3), "‘NOT’ at column 3 needs a word on each side."
        ),
        FailureCase(
            "-iran", .onlyExclusions, "The query only excludes words; add at least one word to search for."),
        FailureCase(
            "NOT iran -talks", .onlyExclusions,
            "The query only excludes words; add at least one word to search for."),
        FailureCase(
            "-(a b)", .onlyExclusions, "The query only excludes words; add at least one word to search for."),
        FailureCase(
            "title:(-a) b", .onlyExclusions,
            "The query only excludes words; add at least one word to search for."),
        FailureCase(
            "a OR -b", .exclusionInAlternative(column: 3),
            "The ‘OR’ at column 3 has an excluded word on one side; put exclusions outside the OR, e.g. ‘(a OR b) -c’."
        ),
        FailureCase(
            "NOT a OR b", .exclusionInAlternative(column: 7),
            "The ‘OR’ at column 7 has an excluded word on one side; put exclusions outside the OR, e.g. ‘(a OR b) -c’."
        ),
        FailureCase(
            "a OR (-b)", .exclusionInAlternative(column: 3),
            "The ‘OR’ at column 3 has an excluded word on one side; put exclusions outside the OR, e.g. ‘(a OR b) -c’."
        ),
        FailureCase(
            "title:", .emptyField("title", column: 1),
            "‘title:’ at column 1 needs a word right after the colon, e.g. ‘title:iran’."),
        FailureCase(
            "iran Body: x", .emptyField("body", column: 6),
            "‘body:’ at column 6 needs a word right after the colon, e.g. ‘body:iran’."),
        FailureCase(
            "iran -title: x", .emptyField("title", column: 7),
            "‘title:’ at column 7 needs a word right after the colon, e.g. ‘title:iran’."),
    ]

    @Test(arguments: failures)
    func malformedQueriesThrowAnErrorNamingTheColumn(_ example: FailureCase) {
        #expect(throws: example.expected) { try parser.parse(example.input) }
        #expect(example.expected.description == example.message)
    }

    @Test func nestingDeeperThanTheLimitIsRefusedNotCrashed() {
        let depth = QueryParser.maximumNesting + 1
        let text = String(repeating: "(", count: depth) + "a" + String(repeating: ")", count: depth)
        #expect(throws: QueryError.tooDeeplyNested(column: depth)) { try parser.parse(text) }
        #expect(
            QueryError.tooDeeplyNested(column: 65).description
                == "The ‘(’ at column 65 nests groups more than 64 deep; remove some parentheses.")
    }

    @Test func nestingUpToTheLimitParses() throws {
        let depth = QueryParser.maximumNesting
        let text = String(repeating: "(", count: depth) + "a" + String(repeating: ")", count: depth)
        #expect(try parser.parse(text) == word("a"))
    }

    @Test func columnsCountCharactersNotBytes() {
        // "é" is two UTF-8 bytes and the family emoji several scalars, yet each is one column.
        #expect(throws: QueryError.missingClosingQuote(column: 5)) { try parser.parse("é 👩‍👩‍👧 \"x") }
    }

    @Test func tenThousandCharacterQueryParsesToAllItsWords() throws {
        let words = (0..<2000).map { "w\($0)" }
        let text = words.joined(separator: " ")
        #expect(text.count > 10_000)
        #expect(try parser.parse(text) == .all(words.map(Query.word)))
    }

    static let longHostileInputs: [FailureCase] = [
        FailureCase(String(repeating: "(", count: 10_000), .tooDeeplyNested(column: 65), ""),
        FailureCase(String(repeating: ")", count: 10_000), .unexpectedClosingParenthesis(column: 1), ""),
        FailureCase(String(repeating: "\"", count: 10_001), .missingClosingQuote(column: 10_001), ""),
        FailureCase(String(repeating: "-", count: 10_000), .onlyExclusions, ""),
        FailureCase(String(repeating: "*", count: 10_000), .nothingToSearch, ""),
        FailureCase(String(repeating: "OR ", count: 4_000), .danglingOperator("OR", column: 1), ""),
        FailureCase(String(repeating: "NOT ", count: 3_000), .danglingOperator("NOT", column: 1), ""),
        FailureCase(String(repeating: "-a ", count: 4_000), .onlyExclusions, ""),
        FailureCase(String(repeating: "(a ", count: 3_000), .tooDeeplyNested(column: 193), ""),
        FailureCase(String(repeating: "a OR ", count: 2_000), .danglingOperator("OR", column: 9_998), ""),
    ]

    @Test(arguments: longHostileInputs)
    func longHostileInputThrowsTheRightErrorWithoutCrashing(_ example: FailureCase) {
        #expect(throws: example.expected) { try parser.parse(example.input) }
    }

    @Test func longRunsOfOneWordParseToThatWord() throws {
        let emoji = String(repeating: "🙂", count: 10_000)
        #expect(try parser.parse(emoji) == .word(emoji))
        let letters = String(repeating: "x", count: 10_000)
        #expect(try parser.parse(letters) == .word(letters))
        let alternatives = String(repeating: "a OR ", count: 2_000) + "a"
        #expect(try parser.parse(alternatives) == .any(Array(repeating: word("a"), count: 2_001)))
    }
}
