import Testing

@testable import TrawlIngest

/// Issue #13: no pattern in a `.trawlignore` or an option may crash a run or make it slow.
@Suite struct HostileGlobTests {
    @Test(arguments: ["[z-a]", "x[9-0].txt", "[!z-a]*"])
    func backwardsRangeIsRefusedWithItsColumn(pattern: String) {
        #expect(throws: GlobError.self) { try Glob(validating: pattern) }
        // The unchecked initialiser must not trap either: the pattern matches nothing.
        #expect(!Glob(pattern).matches("b"))
    }

    @Test func backwardsRangeNamesTheRangeAndColumn() {
        #expect(throws: GlobError.reversedRange("z-a", column: 3)) { try Glob(validating: "a[z-a]") }
    }

    @Test func unclosedBackwardsRangeStaysALiteral() throws {
        #expect(try Glob(validating: "[z-a").matches("[z-a"))
    }

    /// Backtracking took 2^n time on these; the state walk visits at most steps × bytes states.
    @Test(arguments: [
        ("*a*a*a*a*a*a*a*a*b", String(repeating: "a", count: 64), false),
        ("*a*a*a*a*a*a*a*a*a", String(repeating: "a", count: 64), true),
        ("**/**/**/**/**/**/x", String(repeating: "a/", count: 32) + "y", false),
        ("**/**/**/**/**/**/x", String(repeating: "a/", count: 32) + "x", true),
        ("**a**a**a**a**a**a**b", String(repeating: "a", count: 64), false),
    ])
    func pathologicalPatternsMatchInBoundedSteps(pattern: String, text: String, expected: Bool) {
        var visits = 0
        #expect(Glob(pattern).matches(text, visits: &visits) == expected)
        let bound = (pattern.utf8.count + 1) * (text.utf8.count + 1)
        #expect(visits <= bound)
    }

    @Test func visitsGrowLinearlyWithTheName() {
        let glob = Glob("*a*a*a*a*a*a*a*a*b")
        var short = 0
        var long = 0
        _ = glob.matches(String(repeating: "a", count: 200), visits: &short)
        _ = glob.matches(String(repeating: "a", count: 400), visits: &long)
        #expect(long <= 2 * short + 256)
    }

    @Test(arguments: [
        ("**/tmp", "atmp", false),
        ("**/tmp", "a/tmp", true),
        ("a/**/**/b", "a/b", true),
        ("a/**/**/b", "a/x/y/b", true),
        ("a/**", "a/", true),
        ("*.txt", "a.txt", true),
        ("[!a-c]x", "/x", false),
    ])
    func globstarsKeepTheirMeaning(pattern: String, text: String, expected: Bool) {
        #expect(Glob(pattern).matches(text) == expected)
    }

    @Test func invalidIgnoreLineIsReportedWithItsNumberAndLeftOut() {
        var reported: [(Int, String)] = []
        let rules = IgnoreRule.parse("*.log\r\n# comment\n\n[z-a]\n!keep.log\n", base: "/r") {
            line, pattern, _ in
            reported.append((line, pattern))
        }
        #expect(rules.map(\.glob.pattern) == ["*.log", "keep.log"])
        #expect(reported.map(\.0) == [4])
        #expect(reported.map(\.1) == ["[z-a]"])
    }
}
