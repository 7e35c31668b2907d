import Foundation
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

    @Test func storedFileWithUnchangedStatIsStillReadWhenItFailedLastTime() throws {
        let stat = FileStat(
            size: 10, modificationTime: 5, inode: 7, device: 1, isDirectory: false, isRegularFile: true,
            isSymbolicLink: false)
        let found = [FoundFile(path: "/r/a.txt", stat: stat, format: .plainText)]
        let stored = [
            StoredFile(id: 1, path: "/r/a.txt", size: 10, modificationTime: 5, inode: 7, contentHash: 99)
        ]
        var plain = ChangePlan(stored: stored)
        plain.enterRoot("/r")
        for file in found { try plain.consider(file) }
        try plain.leaveRoot(walked: true)
        #expect(plain.unchanged == 1)
        let unreadable = FileFailure(
            path: "/r/a.txt", reason: "cannot read: permission denied", firstSeen: Date(), lastSeen: Date(),
            kind: .unreadable, state: FailedFileState(size: 10, modificationTime: 5, inode: 7))
        var retried = ChangePlan(stored: stored, failures: ["/r/a.txt": unreadable])
        retried.enterRoot("/r")
        for file in found { try retried.consider(file) }
        try retried.leaveRoot(walked: true)
        #expect(retried.unchanged == 0)
        #expect(retried.toRead.map(\.file.path) == ["/r/a.txt"])
    }

    @Test(arguments: [
        (FailureKind.content, Int64.max, false), (.interrupted, .max, false), (.tooLarge, 5, false),
        (.tooLarge, 50, true), (.other, .max, true),
    ])
    func anUnchangedFileThatFailedIsReadAgainOnlyWhenItsFailureMayPass(
        kind: FailureKind, sizeLimit: Int64, isRead: Bool
    ) throws {
        let stat = FileStat(
            size: 10, modificationTime: 5, inode: 7, device: 1, isDirectory: false, isRegularFile: true,
            isSymbolicLink: false)
        let failure = FileFailure(
            path: "/r/a.txt", reason: "no text", firstSeen: Date(), lastSeen: Date(), kind: kind,
            state: FailedFileState(size: 10, modificationTime: 5, inode: 7))
        var plan = ChangePlan(stored: [], failures: ["/r/a.txt": failure], sizeLimit: sizeLimit)
        plan.enterRoot("/r")
        try plan.consider(FoundFile(path: "/r/a.txt", stat: stat, format: .plainText))
        try plan.leaveRoot(walked: true)
        #expect(plan.toRead.map(\.file.path) == (isRead ? ["/r/a.txt"] : []))
        #expect(plan.keptFailures.map(\.path) == (isRead ? [] : ["/r/a.txt"]))
        // Changed since it failed: always read again.
        var changed = ChangePlan(stored: [], failures: ["/r/a.txt": failure], sizeLimit: sizeLimit)
        changed.enterRoot("/r")
        var touched = stat
        touched.modificationTime = 6
        try changed.consider(FoundFile(path: "/r/a.txt", stat: touched, format: .plainText))
        #expect(changed.toRead.count == 1)
    }
}

/// The merge of a folder walk with the stored files, both in path byte order.
@Suite struct ChangePlanTests {
    static func found(_ path: String, size: Int64 = 10) -> FoundFile {
        FoundFile(
            path: path,
            stat: FileStat(
                size: size, modificationTime: 5, inode: 7, device: 1, isDirectory: false, isRegularFile: true,
                isSymbolicLink: false),
            format: .plainText)
    }

    static func stored(_ id: Int64, _ path: String) -> StoredFile {
        StoredFile(id: id, path: path, size: 10, modificationTime: 5, inode: 7, contentHash: 99)
    }

    @Test func everyRecordOfAFileIsMatchedWithItEvenWhenOtherNamesSortBetween() throws {
        // Stored in (path, record) order; "feed.jsonl copy" sorts between the file and its records
        // as strings, but the walk compares files by path alone.
        func record(_ id: Int64, _ path: String, _ key: String, size: Int64 = 10) -> StoredFile {
            StoredFile(
                id: id, path: path, record: key, size: size, modificationTime: 5, inode: 7, contentHash: 99)
        }
        let stored = [
            record(1, "/r/feed.jsonl", "1"), record(2, "/r/feed.jsonl", "2"), record(3, "/r/feed.jsonl", "3"),
            record(4, "/r/feed.jsonl copy", ""), record(5, "/r/gone.jsonl", "a"),
            record(6, "/r/gone.jsonl", "b"),
            record(7, "/r/news.jsonl", "x", size: 99),
        ]
        var plan = ChangePlan(stored: stored)
        plan.enterRoot("/r")
        for path in ["/r/feed.jsonl", "/r/feed.jsonl copy", "/r/news.jsonl"] {
            try plan.consider(Self.found(path))
        }
        try plan.leaveRoot(walked: true)
        #expect(plan.unchanged == 4)
        #expect(plan.vanished.map(\.id) == [5, 6])
        #expect(plan.toRead.map(\.file.path) == ["/r/news.jsonl"])
        #expect(plan.toRead.first?.known.map(\.id) == [7])
    }

    @Test func storedFilesPassedOverByTheWalkHaveVanishedAndNewOnesAreRead() throws {
        let stored = (0..<2500).map { Self.stored(Int64($0), "/r/f\(1000 + $0).txt") }
        var plan = ChangePlan(stored: stored + [Self.stored(9999, "/other/x.txt")])
        plan.enterRoot("/r")
        for index in stride(from: 0, to: 2500, by: 2) {
            try plan.consider(Self.found("/r/f\(1000 + index).txt"))
        }
        try plan.consider(Self.found("/r/g-new.txt"))
        try plan.leaveRoot(walked: true)
        #expect(plan.unchanged == 1250)
        #expect(plan.vanished.count == 1250)
        #expect(plan.vanished.allSatisfy { $0.id % 2 == 1 })
        #expect(plan.toRead.map(\.file.path) == ["/r/g-new.txt"])
    }

    @Test func aRootThatCouldNotBeWalkedRemovesNothing() throws {
        var plan = ChangePlan(stored: [Self.stored(1, "/r/a.txt")])
        plan.enterRoot("/r")
        try plan.leaveRoot(walked: false)
        #expect(plan.vanished.isEmpty)
    }

    @Test func filesOfAnInnerRootMergedFirstAreNotListedAgainUnderTheOuterOne() throws {
        var plan = ChangePlan(stored: [Self.stored(1, "/r/in/a.txt"), Self.stored(2, "/r/b.txt")])
        plan.enterRoot("/r/in")
        try plan.consider(Self.found("/r/in/a.txt"))
        try plan.leaveRoot(walked: true)
        plan.enterRoot("/r")
        try plan.consider(Self.found("/r/b.txt"))
        try plan.leaveRoot(walked: true)
        #expect(plan.unchanged == 2)
        #expect(plan.vanished.isEmpty)
    }

    @Test func pathsCompareByTheirUTF8Bytes() {
        #expect(ChangePlan.compare("/r/a-b", "/r/a/c") < 0)
        #expect(ChangePlan.compare("/r/a/c", "/r/a0") < 0)
        #expect(ChangePlan.compare("/r/é", "/r/z") > 0)
        #expect(ChangePlan.compare("/r/a", "/r/a") == 0)
    }
}
