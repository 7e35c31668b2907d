import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Cron-driven reindexing through the real binary: the lock, filters, dry runs, bad input and the
/// maintenance commands.
@Suite struct ReindexTests {
    let folder: URL
    let docs: URL
    let db: String

    init() throws {
        folder = try TrawlBinary.temporaryFolder()
        docs = folder.appendingPathComponent("docs")
        db = folder.appendingPathComponent("index.sqlite").path
        try docs.write("Oil report\n\nOil prices rose in Basra.\n", to: "oil.txt")
        try docs.write("# Grain note\n\nGrain ships left Odesa.\n", to: "sub/grain.md")
    }

    func index(_ extra: [String] = [], roots: [String]? = nil) throws -> TrawlBinary.Outcome {
        try TrawlBinary.run(["index"] + (roots ?? [docs.path]) + ["--db", db] + extra)
    }

    func paths(matching query: String) throws -> [String] {
        let outcome = try TrawlBinary.run(["search", query, "--db", db, "--format", "json", "--limit", "100"])
        return try SearchOutput(json: outcome.stdout).results.map(\.path).sorted()
    }

    func path(_ relative: String) -> String { docs.appendingPathComponent(relative).path }

    // MARK: One writer at a time

    @Test func indexExitsSeventyFiveNamingTheProcessThatHoldsTheLock() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let holder = try HeldLock(path: db + ".lock")
        let outcome = try index()
        #expect(outcome.status == 75)
        #expect(
            outcome.stderr.contains(
                "Another `trawl index` (pid \(getpid())) is updating \(db); try again later or pass --wait."),
            "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: db), "a locked-out run must not touch the index")
        holder.release()
        #expect(try index().status == 0)
    }

    @Test func anIndexNamedThroughASymbolicLinkTakesTheSameLock() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try index().status == 0)
        let link = folder.appendingPathComponent("link.sqlite").path
        let linkedFolder = folder.appendingPathComponent("linked-folder").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: db)
        try FileManager.default.createSymbolicLink(atPath: linkedFolder, withDestinationPath: folder.path)
        let holder = try HeldLock(path: db + ".lock")
        for name in [link, linkedFolder + "/index.sqlite", folder.path + "/docs/../index.sqlite"] {
            let outcome = try TrawlBinary.run(["index", docs.path, "--db", name])
            #expect(outcome.status == 75, "\(name): \(outcome.stderr)")
            #expect(
                outcome.stderr.contains("Another `trawl index` (pid \(getpid())) is updating"),
                "\(outcome.stderr)")
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { holder.release() }
        let waited = try TrawlBinary.run(["index", docs.path, "--db", link, "--wait", "10"])
        #expect(waited.status == 0, "\(waited.stderr)")
        #expect(!FileManager.default.fileExists(atPath: link + ".lock"), "a second lock file beside the link")
    }

    @Test func waitOptionWaitsForTheLockToBeReleased() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let holder = try HeldLock(path: db + ".lock")
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { holder.release() }
        let outcome = try index(["--wait", "10"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.hasPrefix("2 added"))
    }

    @Test func lockFileRecordsTheWritersPidAndIsReleasedWhenItExits() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try index().status == 0)
        let recorded = try String(contentsOfFile: db + ".lock", encoding: .utf8)
        #expect(Int32(recorded.trimmingCharacters(in: .whitespacesAndNewlines)) != nil)
        #expect(try index().status == 0, "the lock must not outlive the run")
    }

    // MARK: Change detection

    @Test func dryRunListsWhatWouldChangeAndWritesNothing() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let fresh = try index(["--dry-run"])
        #expect(fresh.status == 0)
        #expect(fresh.stdout.contains("add     \(path("oil.txt"))"))
        #expect(!FileManager.default.fileExists(atPath: db), "a dry run creates no index")
        #expect(try index().status == 0)

        try FileManager.default.moveItem(atPath: path("oil.txt"), toPath: path("renamed.txt"))
        try docs.write("# Grain note\n\nGrain ships turned back.\n", to: "sub/grain.md")
        try docs.write("New\n\nDesalination.\n", to: "new.txt")
        let planned = try index(["--dry-run"])
        #expect(
            planned.stdout.contains("move    \(path("oil.txt")) -> \(path("renamed.txt"))"),
            "\(planned.stdout)")
        #expect(planned.stdout.contains("update  \(path("sub/grain.md"))"))
        #expect(planned.stdout.contains("add     \(path("new.txt"))"))
        #expect(planned.stdout.contains("dry run: would make 1 added, 1 updated, 1 moved, 0 removed"))
        #expect(try paths(matching: "basra") == [path("oil.txt")], "nothing was written")

        try FileManager.default.removeItem(atPath: path("new.txt"))
        try FileManager.default.removeItem(atPath: path("renamed.txt"))
        #expect(try index(["--dry-run"]).stdout.contains("remove  \(path("oil.txt"))"))
    }

    @Test func identicalContentUnderANewNameIsAMoveNotAnAddition() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        // Two files with the same text: both moves must be found, each once.
        try docs.write("Twin\n\nSame words.\n", to: "a/twin.txt")
        try docs.write("Twin\n\nSame words.\n", to: "b/twin.txt")
        #expect(try index().status == 0)
        try FileManager.default.moveItem(atPath: path("a"), toPath: path("c"))
        try FileManager.default.moveItem(atPath: path("b"), toPath: path("d"))
        let outcome = try index()
        #expect(outcome.stdout.hasPrefix("0 added, 0 updated, 2 moved, 0 removed"), "\(outcome.stdout)")
        #expect(try paths(matching: "twin") == [path("c/twin.txt"), path("d/twin.txt")])
    }

    @Test func touchedButIdenticalFilesAreNotReindexed() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try index().status == 0)
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: path("oil.txt"))
        #expect(try index().stdout.hasPrefix("0 added, 0 updated, 0 moved, 0 removed, 2 unchanged"))
    }

    @Test func trawlignoreFilesFollowGitignoreSyntaxInAnyFolder() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try docs.write(
            "# drafts and scratch\n*.draft.txt\nscratch/\n/top-only.txt\n!keep.draft.txt\n",
            to: ".trawlignore")
        try docs.write("Draft\n\nzebra\n", to: "x/one.draft.txt")
        try docs.write("Kept draft\n\nzebra\n", to: "x/keep.draft.txt")
        try docs.write("Scratch\n\nzebra\n", to: "scratch/s.txt")
        try docs.write("Top\n\nzebra\n", to: "top-only.txt")
        try docs.write("Deep top\n\nzebra\n", to: "x/top-only.txt")
        try docs.write("secret.txt\n", to: "x/.trawlignore")
        try docs.write("Secret\n\nzebra\n", to: "x/secret.txt")
        try docs.write("Not secret here\n\nzebra\n", to: "secret.txt")
        #expect(try index().status == 0)
        #expect(
            try paths(matching: "zebra") == [
                path("secret.txt"), path("x/keep.draft.txt"), path("x/top-only.txt"),
            ])
    }

    @Test func excludeAndIncludeGlobsChooseFiles() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try docs.write("Archived\n\nOil in the archive.\n", to: "archive/old.txt")
        #expect(try index(["--exclude", "archive", "--include", "*.txt"]).status == 0)
        #expect(try paths(matching: "oil") == [path("oil.txt")])
        #expect(try paths(matching: "grain").isEmpty, "only .txt files are included")
        #expect(try index(["--exclude", "sub/*.md"]).stdout.hasPrefix("1 added"), "archive/old.txt joins")
        #expect(
            try paths(matching: "grain").isEmpty, "a pattern with a slash matches the path below the folder")
    }

    @Test func hiddenFilesAreSkippedUnlessAskedFor() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try docs.write("Hidden\n\nwalrus\n", to: ".cache/h.txt")
        #expect(try index().status == 0)
        #expect(try paths(matching: "walrus").isEmpty)
        #expect(try index(["--hidden"]).status == 0)
        #expect(try paths(matching: "walrus") == [path(".cache/h.txt")])
    }

    @Test func symbolicLinksAreFollowedOnlyInsideTheRootsAndNeverLoop() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let outside = folder.appendingPathComponent("outside")
        try outside.write("Outside\n\nplatypus\n", to: "o.txt")
        try docs.write("Shared\n\nnarwhal\n", to: "hidden-store/.real/n.txt")
        let manager = FileManager.default
        try manager.createSymbolicLink(atPath: path("to-outside"), withDestinationPath: outside.path)
        try manager.createSymbolicLink(atPath: path("sub/loop"), withDestinationPath: docs.path)
        try manager.createSymbolicLink(
            atPath: path("linked"), withDestinationPath: path("hidden-store/.real"))
        let outcome = try index()
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(try paths(matching: "platypus").isEmpty, "a link leading outside the roots is not followed")
        #expect(
            try paths(matching: "narwhal") == [path("linked/n.txt")], "a link inside the roots is followed")
        #expect(try paths(matching: "basra") == [path("oil.txt")], "the loop adds no second copy")
    }

    @Test func aLinkToAFileTheWalkReachesAnywayAddsNoSecondCopy() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try docs.write("Original\n\nokapi\n", to: "real/okapi.txt")
        try docs.write("Hidden original\n\nquokka\n", to: ".store/quokka.txt")
        let manager = FileManager.default
        try manager.createSymbolicLink(atPath: path("alias.txt"), withDestinationPath: path("real/okapi.txt"))
        try manager.createSymbolicLink(
            atPath: path("quokka-link.txt"), withDestinationPath: path(".store/quokka.txt"))
        #expect(try index().status == 0)
        #expect(try paths(matching: "okapi") == [path("real/okapi.txt")])
        #expect(
            try paths(matching: "quokka") == [path("quokka-link.txt")],
            "a link into a hidden folder is followed")
    }

    @Test func indexingOneFolderNeverRemovesDocumentsOfAnother() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let other = folder.appendingPathComponent("other")
        try other.write("Other\n\nmongoose\n", to: "m.txt")
        #expect(try index(roots: [docs.path, other.path]).status == 0)
        try FileManager.default.removeItem(atPath: path("oil.txt"))
        #expect(try index().stdout.hasPrefix("0 added, 0 updated, 0 moved, 1 removed"))
        #expect(try paths(matching: "mongoose") == [other.appendingPathComponent("m.txt").path])
    }

    // MARK: Bad input

    @Test func badFilesAreNamedRecordedAndClearedOnceFixed() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data([0x41, 0x00, 0x42]).write(to: docs.appendingPathComponent("binary.txt"))
        try Data().write(to: docs.appendingPathComponent("empty.txt"))
        try Data(repeating: 0x61, count: 2 * 1024 * 1024).write(to: docs.appendingPathComponent("big.txt"))
        let outcome = try index(["--max-file-size", "1"])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("\(path("binary.txt")): binary file (contains NUL bytes)"))
        #expect(outcome.stderr.contains("\(path("empty.txt")): empty file"))
        #expect(outcome.stderr.contains("\(path("big.txt")): too large"))
        #expect(outcome.stdout.hasPrefix("2 added, 0 updated, 0 moved, 0 removed, 0 unchanged, 3 skipped"))

        let status = try StatusOutput(
            json: TrawlBinary.run(["status", "--db", db, "--format", "json"]).stdout)
        #expect(status.failures.map(\.path) == [path("big.txt"), path("binary.txt"), path("empty.txt")])
        #expect(status.runs.first?.skipped == 3)

        try docs.write("Fixed\n\nNo longer binary.\n", to: "binary.txt")
        // The big file is retried every run and now fits under the default limit.
        #expect(try index().stdout.hasPrefix("2 added"))
        let after = try StatusOutput(
            json: TrawlBinary.run(["status", "--db", db, "--format", "json"]).stdout)
        #expect(after.failures.map(\.path) == [path("empty.txt")])
        #expect(try paths(matching: "binary") == [path("binary.txt")])
    }

    @Test func aFileThatTurnsBinaryLeavesTheIndex() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try index().status == 0)
        try Data([0x4F, 0x69, 0x6C, 0x00]).write(to: docs.appendingPathComponent("oil.txt"))
        #expect(try index().status == 1)
        #expect(try paths(matching: "basra").isEmpty)
    }

    @Test func invalidUTF8IsIndexedWithAWarningNamingTheFallback() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        // "Caf\xE9 cr\xE8me" in Windows-1252.
        try Data([0x43, 0x61, 0x66, 0xE9, 0x0A, 0x0A, 0x63, 0x72, 0xE8, 0x6D, 0x65, 0x0A])
            .write(to: docs.appendingPathComponent("latin.txt"))
        let outcome = try index()
        #expect(outcome.status == 0)
        #expect(
            outcome.stderr.contains("\(path("latin.txt")): warning: not valid UTF-8; decoded as Windows-1252")
        )
        #expect(try paths(matching: "crème") == [path("latin.txt")])
    }

    @Test(.enabled(if: getuid() != 0, "root can read unreadable files"))
    func unreadableFilesAreRetriedEvenWhenTheirStatIsUnchanged() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try index().status == 0)
        try docs.write("Oil report\n\nOil prices fell in Basra.\n", to: "oil.txt")
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: path("oil.txt"))
        let failed = try index()
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("\(path("oil.txt")): cannot read: permission denied"))
        #expect(try paths(matching: "basra") == [path("oil.txt")], "the old text is kept meanwhile")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path("oil.txt"))
        #expect(try index().stdout.hasPrefix("0 added, 1 updated"))
        #expect(try paths(matching: "fell") == [path("oil.txt")])
    }

    @Test func aFileNameThatIsNotUTF8IsReportedAndRecordedWhileTheRestIsIndexed() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        // "caf\xE9.txt": a Latin-1 name, which a Swift String cannot spell.
        let name = Array((docs.path + "/").utf8) + [0x63, 0x61, 0x66, 0xE9, 0x2E, 0x74, 0x78, 0x74, 0]
        let descriptor = name.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                open($0, O_WRONLY | O_CREAT, 0o644)
            }
        }
        #expect(descriptor >= 0)
        close(descriptor)
        let outcome = try index()
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("file name is not valid UTF-8; skipped"))
        #expect(outcome.stdout.hasPrefix("2 added"))
        let status = try StatusOutput(
            json: TrawlBinary.run(["status", "--db", db, "--format", "json"]).stdout)
        #expect(status.failures.map(\.reason) == ["file name is not valid UTF-8; skipped"])
    }

    @Test func quietPrintsNothingOnSuccess() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try index(["--quiet"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.isEmpty && outcome.stderr.isEmpty)
    }

    // MARK: Maintenance commands

    @Test func checkPassesOnAHealthyIndexAndFailsOnAForeignFile() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try index().status == 0)
        let outcome = try TrawlBinary.run(["check", "--db", db])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("is intact (2 documents)"))
        let notes = folder.appendingPathComponent("notes.sqlite").path
        try "not a database".write(toFile: notes, atomically: true, encoding: .utf8)
        #expect(try TrawlBinary.run(["check", "--db", notes]).status == 74)
        #expect(
            try TrawlBinary.run(["check", "--db", folder.appendingPathComponent("none.sqlite").path]).status
                == 74)
    }

    @Test func optimizeReportsSizesBeforeAndAfterAndKeepsDocuments() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try index().status == 0)
        let outcome = try TrawlBinary.run(["optimize", "--db", db])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains(" before, ") && outcome.stdout.contains(" after"))
        #expect(try paths(matching: "grain") == [path("sub/grain.md")])
        #expect(try TrawlBinary.run(["check", "--db", db]).status == 0)
    }

    @Test func statusShowsRunsNewestFirst() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try index().status == 0)
        #expect(try index().status == 0)
        let text = try TrawlBinary.run(["status", "--db", db])
        #expect(text.status == 0)
        #expect(text.stdout.contains("last runs (newest first):"))
        #expect(text.stdout.contains("no failing files"))
        let json = try StatusOutput(json: TrawlBinary.run(["status", "--db", db, "--format", "json"]).stdout)
        #expect(json.runs.map(\.added) == [0, 2])
    }

    @Test func cronPrintsACrontabLineAndSystemdUnitsWithAbsolutePaths() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try TrawlBinary.run(["cron", "--every", "15m", docs.path, "--db", db])
        #expect(outcome.status == 0)
        let binary = TrawlBinary.executable.resolvingSymlinksInPath().path
        #expect(outcome.stdout.contains("*/15 * * * * \(binary) index --quiet --db \(db) \(docs.path)"))
        #expect(outcome.stdout.contains("ExecStart=\(binary) index --quiet --db \(db) \(docs.path)"))
        #expect(outcome.stdout.contains("OnUnitActiveSec=15min"))
        #expect(outcome.stdout.contains("WantedBy=timers.target"))
        #expect(try TrawlBinary.run(["cron", "--every", "90m", docs.path]).status == 2)
    }

    /// A crontab line run as cron runs it (`sh -c`, after an index made by hand with the same
    /// options) changes nothing: the options that choose files are on the line, so the logs read
    /// as text stay and the excluded drafts stay out.
    @Test func cronLinesKeepTheOptionsThatChooseFiles() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try docs.write("Pump log\n\nPressure at the Basra terminal fell.\n", to: "logs/pump.log")
        try docs.write("Draft\n\nNot for the index: Basra.\n", to: "drafts/basra.txt")
        let options = ["--as-text", "*.log", "--exclude", "drafts", "--max-removals", "5"]
        let byHand = try index(options)
        #expect(byHand.status == 0, "\(byHand.stderr)")
        #expect(try paths(matching: "Basra") == [path("logs/pump.log"), path("oil.txt")])
        let printed = try TrawlBinary.run(["cron", docs.path, "--db", db] + options)
        #expect(printed.status == 0)
        let line = try #require(printed.stdout.split(separator: "\n").first { $0.hasPrefix("*/15 ") })
        #expect(line.contains(" --exclude drafts --as-text '*.log' --max-removals 5 "), "\(line)")
        let command = line.split(separator: " ", maxSplits: 5).last.map(String.init) ?? ""
        let cron = try TrawlBinary.runProcess(URL(fileURLWithPath: "/bin/sh"), ["-c", command])
        #expect(cron.status == 0, "\(cron.stderr)")
        #expect(try paths(matching: "Basra") == [path("logs/pump.log"), path("oil.txt")])
    }
}

/// Holds `flock` on a lock file from the test process, as another `trawl index` would.
final class HeldLock: Sendable {
    private let descriptor: Int32

    init(path: String) throws {
        descriptor = open(path, O_RDWR | O_CREAT, 0o644)
        guard descriptor >= 0, flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            throw CocoaError(.fileLocking)
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = pid.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }

    func release() { close(descriptor) }
}

/// The decoded `trawl status --format json` contract.
struct StatusOutput: Decodable {
    struct Run: Decodable {
        var added: Int
        var skipped: Int
        var failed: Int
        var knownFailures: Int
        var heldBack: Int
    }

    struct Failure: Decodable {
        var path: String
        var reason: String
        var kind: String
    }

    var runs: [Run]
    var failures: [Failure]

    init(json: String) throws {
        self = try JSONDecoder().decode(StatusOutput.self, from: Data(json.utf8))
    }
}
