import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Issue 13, "Nothing lost, nothing stuck": a run removes a document only when it saw its folder
/// and saw that the file is gone, and a cron run stays quiet when nothing new went wrong.
@Suite(.serialized) struct RemovalSafetyTests {
    let folder: URL
    let docs: URL
    let db: String

    init() throws {
        folder = try TrawlBinary.temporaryFolder()
        docs = folder.appendingPathComponent("docs")
        db = folder.appendingPathComponent("index.sqlite").path
        try docs.write("Oil report\n\nOil prices rose in Basra.\n", to: "oil.txt")
        try docs.write("# Grain note\n\nGrain ships left Odesa.\n", to: "sub/grain.md")
        try docs.write("Cotton note\n\nCotton stocks fell in Izmir.\n", to: "cotton.txt")
        try docs.write("Wheat note\n\nWheat harvest began in Kansas.\n", to: "sub/wheat.txt")
    }

    func index(_ extra: [String] = []) throws -> TrawlBinary.Outcome {
        try TrawlBinary.run(["index", docs.path, "--db", db] + extra)
    }

    /// An index path in a folder `nobody` can write (for the runs as `nobody`), the test's folder
    /// opened to them.
    func indexWritableByNobody() throws -> String {
        let writable = folder.appendingPathComponent("index")
        try FileManager.default.createDirectory(at: writable, withIntermediateDirectories: false)
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: writable.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        return writable.appendingPathComponent("index.sqlite").path
    }

    func documentCount() throws -> Int {
        struct Stats: Decodable { var documents: Int }
        let stats = try TrawlBinary.run(["stats", "--db", db, "--format", "json"])
        return try JSONDecoder().decode(Stats.self, from: Data(stats.stdout.utf8)).documents
    }

    func status() throws -> StatusOutput {
        try StatusOutput(json: TrawlBinary.run(["status", "--db", db, "--format", "json"]).stdout)
    }

    // MARK: Vanished folders

    @Test func anEmptyRootKeepsEveryDocumentAndSaysHowToRemoveThem() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try index().status == 0)
        // What an unmounted disk leaves behind: the mount point, empty.
        let away = folder.appendingPathComponent("away")
        try FileManager.default.moveItem(at: docs, to: away)
        try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: false)
        let refused = try index()
        #expect(refused.status == 1)
        let lines = refused.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(refused.stderr)")
        #expect(
            lines.first?.hasPrefix("trawl: \(docs.path): folder is empty but 4 documents are indexed") == true
        )
        #expect(refused.stderr.contains("--force"))
        #expect(refused.stdout.hasPrefix("0 added, 0 updated, 0 moved, 0 removed"))
        #expect(try documentCount() == 4)

        let forced = try index(["--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stdout.hasPrefix("0 added, 0 updated, 0 moved, 4 removed"))
        #expect(try documentCount() == 0)
    }

    @Test func aRootMissingMoreThanHalfOfItsDocumentsRemovesNothingUntilMaxRemovalsAllowsIt() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try index().status == 0)
        for file in ["oil.txt", "cotton.txt", "sub/wheat.txt"] {
            try FileManager.default.removeItem(at: docs.appendingPathComponent(file))
        }
        try docs.write("Tea note\n\nTea auction in Mombasa.\n", to: "tea.txt")
        let refused = try index()
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains(
                "trawl: \(docs.path): 3 of 4 indexed documents under it were not found, more than --max-removals 50%"
            ))
        #expect(
            refused.stdout.hasPrefix("1 added, 0 updated, 0 moved, 0 removed"), "new files are still added")
        #expect(refused.stdout.contains("3 not found but kept"))
        #expect(try documentCount() == 5)

        #expect(try index(["--max-removals", "2"]).status == 1, "a count limit: 3 is more than 2")
        let allowed = try index(["--max-removals", "80%"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(allowed.stdout.hasPrefix("0 added, 0 updated, 0 moved, 3 removed"))
        #expect(try documentCount() == 2)
        #expect(try index(["--max-removals", "half"]).status == 2)
    }

    @Test func removingUpToHalfOfARootsDocumentsNeedsNoOption() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try index().status == 0)
        try FileManager.default.removeItem(at: docs.appendingPathComponent("oil.txt"))
        try FileManager.default.removeItem(at: docs.appendingPathComponent("sub/wheat.txt"))
        let outcome = try index()
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.hasPrefix("0 added, 0 updated, 0 moved, 2 removed"))
    }

    /// Root reads every folder whatever its mode, so as root the run goes through `setpriv` as
    /// `nobody` on a world-readable tree, with the index in a world-writable folder.
    @Test(
        .enabled(
            if: getuid() != 0 || FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"),
            "as root, chmod 000 is ignored and setpriv is not installed to run as nobody"))
    func anUnreadableSubfolderKeepsItsDocumentsAndIsReported() throws {
        defer {
            try? FileManager.default.setAttributes(
                [.posixPermissions: 0o755], ofItemAtPath: docs.appendingPathComponent("sub").path)
            try? FileManager.default.removeItem(at: folder)
        }
        let db = try indexWritableByNobody()
        func index() throws -> TrawlBinary.Outcome {
            try Unprivileged.run(["index", docs.path, "--db", db])
        }
        let first = try index()
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.hasPrefix("4 added"))
        let sub = docs.appendingPathComponent("sub")
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: sub.path)
        let outcome = try index()
        #expect(outcome.status == 1)
        #expect(
            outcome.stderr.contains(
                "trawl: \(sub.path): cannot read folder: permission denied; nothing under it was removed"),
            "\(outcome.stderr)")
        #expect(
            outcome.stdout.hasPrefix(
                "0 added, 0 updated, 0 moved, 0 removed, 2 unchanged, 0 skipped, 1 failed"))
        let found = try SearchOutput(
            json: TrawlBinary.run(["search", "grain OR wheat", "--db", db, "--format", "json"]).stdout)
        #expect(found.results.count == 2, "the documents below the unreadable folder are kept")
        let status = try StatusOutput(
            json: TrawlBinary.run(["status", "--db", db, "--format", "json"]).stdout)
        #expect(status.failures.map(\.path) == [sub.path])
    }

    /// A different disk mounted where the root was (here a tmpfs over it, as root) holds most of
    /// the same files: the one it lacks is kept until `--force`.
    @Test(.enabled(if: Mounts.tmpfsAvailable, "mounting a tmpfs needs root (CAP_SYS_ADMIN)"))
    func aRootOnAnotherFileSystemThanLastTimeRemovesNothing() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try index().status == 0)
        let contents = try ["oil.txt", "sub/grain.md", "cotton.txt"].map {
            ($0, try String(contentsOf: docs.appendingPathComponent($0), encoding: .utf8))
        }
        #expect(Mounts.run(["mount", "-t", "tmpfs", "tmpfs", docs.path]))
        defer { _ = Mounts.run(["umount", docs.path]) }
        for (path, text) in contents { try docs.write(text, to: path) }
        let refused = try index()
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains(
                "trawl: \(docs.path): folder is on another file system than at the last run"),
            "\(refused.stderr)")
        #expect(try documentCount() == 4)
        let forced = try index(["--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stdout.contains("1 removed"))
        #expect(try index().status == 0, "the new device is remembered")
    }

    @Test func aRootMovedAwayDuringARunNeverLosesADocument() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let corpus = folder.appendingPathComponent("corpus")
        let away = folder.appendingPathComponent("corpus-away")
        var generator = SyntheticCorpus(seed: 13)
        try generator.write(count: 2000, into: corpus)
        let timed = Date()
        #expect(try TrawlBinary.run(["index", corpus.path, "--db", db]).status == 0)
        let fullRun = max(0.3, Date().timeIntervalSince(timed))
        var random = SeededRandom(seed: 5)
        var outcomes: [Int32] = []
        for round in 0..<6 {
            // Every file touched, so the run reads them all and takes long enough to be caught.
            let now = Date()
            for path in generator.files.keys {
                try FileManager.default.setAttributes(
                    [.modificationDate: now.addingTimeInterval(Double(round))],
                    ofItemAtPath: corpus.appendingPathComponent(path).path)
            }
            let run = try BackgroundTrawl(["index", corpus.path, "--db", db])
            Thread.sleep(forTimeInterval: Double.random(in: 0.01...fullRun, using: &random))
            try FileManager.default.moveItem(at: corpus, to: away)
            run.waitUntilExit()
            try FileManager.default.moveItem(at: away, to: corpus)
            outcomes.append(run.status)
            #expect(!run.stdout.contains(" removed,") || run.stdout.contains(" 0 removed,"), "\(run.stdout)")
            #expect(try documentCount() == 2000, "round \(round): \(run.stdout) \(run.stderr)")
            if run.status != 0 { #expect(run.stderr.contains("nothing"), "\(run.stderr)") }
        }
        let settled = try TrawlBinary.run(["index", corpus.path, "--db", db])
        #expect(settled.status == 0, "\(settled.stderr)")
        #expect(try documentCount() == 2000)
    }

    // MARK: Quiet cron

    @Test func aFileThatFailedAndDidNotChangeIsNeitherReadNorReportedAgain() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data().write(to: docs.appendingPathComponent("empty.txt"))
        try Data([0x41, 0x00, 0x42]).write(to: docs.appendingPathComponent("binary.txt"))
        let first = try index(["--quiet"])
        #expect(first.status == 1)
        #expect(first.stderr.split(separator: "\n").count == 2, "\(first.stderr)")

        let second = try index(["--quiet"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.isEmpty && second.stderr.isEmpty, "\(second.stderr)")
        let summary = try index()
        #expect(summary.status == 0)
        #expect(
            summary.stdout.hasPrefix(
                "0 added, 0 updated, 0 moved, 0 removed, 4 unchanged, 0 skipped, 0 failed "
                    + "(2 known failures unchanged, see trawl status) in "), "\(summary.stdout)")
        let recorded = try status()
        #expect(
            recorded.failures.map(\.path) == [
                docs.appendingPathComponent("binary.txt").path, docs.appendingPathComponent("empty.txt").path,
            ])
        #expect(recorded.runs.first?.skipped == 0 && recorded.runs.first?.failed == 0)
        #expect(recorded.runs.first?.knownFailures == 2, "status counts what the summary counted")

        // Changed: read again, and reported again.
        try Data([0x43, 0x00, 0x44, 0x45]).write(to: docs.appendingPathComponent("binary.txt"))
        let changed = try index(["--quiet"])
        #expect(changed.status == 1)
        #expect(
            changed.stderr
                == "trawl: \(docs.appendingPathComponent("binary.txt").path): binary file (contains NUL bytes)\n"
        )
        try docs.write("Binary no more\n\nJute prices.\n", to: "binary.txt")
        #expect(try index(["--quiet"]).status == 0)
        #expect(try status().failures.map(\.path) == [docs.appendingPathComponent("empty.txt").path])
    }

    /// As root, through `setpriv` as `nobody` (see `anUnreadableSubfolderKeepsItsDocumentsAndIsReported`).
    @Test(
        .enabled(
            if: getuid() != 0 || FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"),
            "as root, chmod 000 is ignored and setpriv is not installed to run as nobody"))
    func anUnreadableFileIsTriedOnEveryRunButReportedOnlyOnce() throws {
        let oil = docs.appendingPathComponent("oil.txt").path
        defer {
            try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: oil)
            try? FileManager.default.removeItem(at: folder)
        }
        let db = try indexWritableByNobody()
        func index() throws -> TrawlBinary.Outcome {
            try Unprivileged.run(["index", docs.path, "--db", db, "--quiet"])
        }
        #expect(try index().status == 0)
        try docs.write("Oil report\n\nOil prices fell in Basra.\n", to: "oil.txt")
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: oil)
        let failed = try index()
        #expect(failed.status == 1)
        #expect(failed.stderr == "trawl: \(oil): cannot read: permission denied\n", "\(failed.stderr)")
        let again = try index()
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.isEmpty)
        // chmod changes no size, mtime or inode: the file is tried again anyway, and now read.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: oil)
        let fixed = try Unprivileged.run(["index", docs.path, "--db", db])
        #expect(fixed.status == 0)
        #expect(fixed.stdout.hasPrefix("0 added, 1 updated"), "\(fixed.stdout)")
    }

    @Test func theBundledFixturesIndexQuietlyFromTheSecondRunOn() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let fixtures = TrawlBinary.packageRoot.appendingPathComponent("Fixtures").path
        let first = try TrawlBinary.run(["index", fixtures, "--db", db, "--quiet"])
        #expect(first.status == 1, "the fixtures hold files that cannot be indexed")
        #expect(!first.stderr.isEmpty)
        let second = try TrawlBinary.run(["index", fixtures, "--db", db, "--quiet"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.isEmpty && second.stderr.isEmpty)
    }
}

/// Runs `trawl` as `nobody` when the tests run as root (root reads any folder whatever its mode).
enum Unprivileged {
    static func run(_ arguments: [String]) throws -> TrawlBinary.Outcome {
        guard getuid() == 0 else { return try TrawlBinary.run(arguments) }
        return try TrawlBinary.run(
            arguments, launcher: ["/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"])
    }
}

/// `mount` and `umount`, for the tests that put a root on another file system.
enum Mounts {
    /// Whether this process may mount a tmpfs (tried once on a scratch folder).
    static let tmpfsAvailable: Bool = {
        guard getuid() == 0 else { return false }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trawl-mount-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        guard
            (try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: false))
                != nil,
            run(["mount", "-t", "tmpfs", "tmpfs", scratch.path])
        else { return false }
        return run(["umount", scratch.path])
    }()

    /// Runs a command found on PATH; true when it exits 0.
    static func run(_ arguments: [String]) -> Bool {
        (try? TrawlBinary.runProcess(URL(fileURLWithPath: "/usr/bin/env"), arguments))?.status == 0
    }
}
