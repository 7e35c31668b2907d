import Testing
import TrawlIndex

@testable import TrawlIngest

/// Glob patterns and `.trawlignore` rules (gitignore syntax).
@Suite struct IgnoreRulesTests {
    @Test(arguments: [
        ("*.txt", "report.txt", true),
        ("*.txt", "report.md", false),
        ("*.txt", "a/report.txt", false),
        ("draft-?.md", "draft-1.md", true),
        ("draft-?.md", "draft-10.md", false),
        ("[abc]*.txt", "b-note.txt", true),
        ("[!abc]*.txt", "b-note.txt", false),
        ("[a-c]x", "cx", true),
        ("**/tmp", "tmp", true),
        ("**/tmp", "a/b/tmp", true),
        ("logs/**", "logs/2024/x.txt", true),
        ("a/**/b.txt", "a/b.txt", true),
        ("a/**/b.txt", "a/x/y/b.txt", true),
        ("a/*/b.txt", "a/x/y/b.txt", false),
        ("\\*literal", "*literal", true),
        ("[unclosed", "[unclosed", true),
    ])
    func globsMatchLikeTheShell(pattern: String, text: String, expected: Bool) {
        #expect(Glob(pattern).matches(text) == expected)
    }

    @Test func commentsAndBlankLinesAreIgnoredAndEscapesKept() {
        let rules = IgnoreRule.parse("# a comment\n\n\\#hash.txt\n*.log   \n", base: "/r")
        #expect(rules.map(\.glob.pattern) == ["#hash.txt", "*.log"])
    }

    @Test func lastMatchingRuleWinsSoNegationReincludes() {
        let rules = IgnoreRules(rules: IgnoreRule.parse("*.txt\n!keep.txt\n", base: "/r"))
        #expect(rules.ignores(path: "/r/a/drop.txt", name: "drop.txt", isDirectory: false))
        #expect(!rules.ignores(path: "/r/a/keep.txt", name: "keep.txt", isDirectory: false))
    }

    @Test func trailingSlashMatchesOnlyFolders() {
        let rules = IgnoreRules(rules: IgnoreRule.parse("build/\n", base: "/r"))
        #expect(rules.ignores(path: "/r/x/build", name: "build", isDirectory: true))
        #expect(!rules.ignores(path: "/r/x/build", name: "build", isDirectory: false))
    }

    @Test func leadingOrInnerSlashAnchorsToTheIgnoreFilesFolder() {
        let rules = IgnoreRules(rules: IgnoreRule.parse("/top.txt\ndocs/old\n", base: "/r"))
        #expect(rules.ignores(path: "/r/top.txt", name: "top.txt", isDirectory: false))
        #expect(!rules.ignores(path: "/r/sub/top.txt", name: "top.txt", isDirectory: false))
        #expect(rules.ignores(path: "/r/docs/old", name: "old", isDirectory: true))
        #expect(!rules.ignores(path: "/r/x/docs/old", name: "old", isDirectory: true))
    }

    @Test func unanchoredPatternMatchesAtAnyDepth() {
        let rules = IgnoreRules(rules: IgnoreRule.parse("secret*\n", base: "/r"))
        #expect(rules.ignores(path: "/r/a/b/secret-plan.md", name: "secret-plan.md", isDirectory: false))
    }

    @Test func storedFileWithUnchangedStatIsStillReadWhenItFailedLastTime() {
        let stat = FileStat(
            size: 10, modificationTime: 5, inode: 7, device: 1, isDirectory: false, isRegularFile: true,
            isSymbolicLink: false)
        let found = [FoundFile(path: "/r/a.txt", stat: stat, format: .plainText)]
        let stored = [
            StoredFile(id: 1, path: "/r/a.txt", size: 10, modificationTime: 5, inode: 7, contentHash: 99)
        ]
        var plain = ChangePlan(stored: stored)
        found.forEach { plain.consider($0) }
        #expect(plain.unchanged == 1)
        var retried = ChangePlan(stored: stored, retrying: ["/r/a.txt"])
        found.forEach { retried.consider($0) }
        #expect(retried.unchanged == 0)
        #expect(retried.toRead.map(\.file.path) == ["/r/a.txt"])
    }
}
