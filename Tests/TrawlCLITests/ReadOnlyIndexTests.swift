import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Issue 13: every read command works on an index this process cannot write — a read-only
/// folder and file owned by someone else, a read-only mount — with or without SQLite's `-wal`
/// and `-shm` files, and never writes to it (champion lists included).
@Suite(.serialized) struct ReadOnlyIndexTests {
    let folder: URL
    let shared: URL
    let db: String

    init() throws {
        folder = try TrawlBinary.temporaryFolder()
        shared = folder.appendingPathComponent("shared")
        db = shared.appendingPathComponent("index.sqlite").path
        try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: true)
    }

    /// The read commands, each expected to exit 0.
    func readCommands(_ db: String) -> [[String]] {
        let document = TrawlBinary.fixtures.appendingPathComponent("opec-plus-output-pause.txt").path
        return [
            ["search", "oil", "--db", db], ["search", "said", "--db", db], ["show", document, "--db", db],
            ["stats", "--db", db], ["status", "--db", db], ["check", "--db", db],
        ]
    }

    /// Runs every read command on `db` (through `launcher`) and checks that each succeeds, that
    /// the search finds what `expected` lists and that the index file is unchanged.
    func expectEveryReadCommandWorks(
        on db: String, launcher: [String] = [], expected: [String], _ label: String
    ) throws {
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        for arguments in readCommands(db) {
            let outcome = try TrawlBinary.run(arguments, launcher: launcher)
            #expect(
                outcome.status == 0, "\(label): \(arguments[0]) exited \(outcome.status): \(outcome.stderr)")
        }
        let search = try TrawlBinary.run(
            ["search", "oil", "--db", db, "--format", "json"], launcher: launcher)
        #expect(try SearchOutput(json: search.stdout).results.map(\.path) == expected, "\(label)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before, "\(label): the index was written")
    }

    /// Empties the write-ahead log into the index (`trawl optimize`), then removes `-wal` and
    /// `-shm`, as a cron indexer that closed cleanly leaves them.
    func removeLogFiles(of db: String) throws {
        #expect(try TrawlBinary.run(["optimize", "--db", db]).status == 0)
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
    }

    func searchPaths(_ query: String, launcher: [String] = []) throws -> [String] {
        try SearchOutput(
            json: TrawlBinary.run(["search", query, "--db", db, "--format", "json"], launcher: launcher)
                .stdout
        ).results.map(\.path)
    }

    func makeReadOnly() throws {
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: db)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: shared.path)
    }

    @Test(.enabled(if: OtherUser.available, OtherUser.reason))
    func everyReadCommandWorksOnAReadOnlyIndexOwnedByAnotherUserWithOrWithoutItsLogFiles() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try TrawlBinary.run(["index", TrawlBinary.fixtures.path, "--db", db]).status == 0)
        let expected = try searchPaths("oil")
        #expect(!expected.isEmpty)
        try makeReadOnly()
        try expectEveryReadCommandWorks(
            on: db, launcher: OtherUser.launcher, expected: expected, "as the indexer left it")
        try removeLogFiles(of: db)
        #expect(!FileManager.default.fileExists(atPath: db + "-shm"))
        try expectEveryReadCommandWorks(
            on: db, launcher: OtherUser.launcher, expected: expected, "without -wal and -shm")
        #expect(!FileManager.default.fileExists(atPath: db + "-shm"), "a reader created -shm")
    }

    @Test(.enabled(if: ReadOnlyMount.available, ReadOnlyMount.reason))
    func everyReadCommandWorksOnAReadOnlyBindMount() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try TrawlBinary.run(["index", TrawlBinary.fixtures.path, "--db", db]).status == 0)
        let expected = try searchPaths("oil")
        let mountPoint = folder.appendingPathComponent("mounted")
        let mounted = mountPoint.appendingPathComponent("index.sqlite").path
        do {
            let mount = try ReadOnlyMount(shared, at: mountPoint)
            defer { mount.unmount() }
            try expectEveryReadCommandWorks(on: mounted, expected: expected, "as the indexer left it")
            // A writer on a read-only mount is refused in Trawl's words.
            let index = try TrawlBinary.run(["index", TrawlBinary.fixtures.path, "--db", mounted])
            #expect(index.status == 74)
            #expect(index.stderr.contains("read-only"), "\(index.stderr)")
        }
        try removeLogFiles(of: db)
        let mount = try ReadOnlyMount(shared, at: mountPoint)
        defer { mount.unmount() }
        try expectEveryReadCommandWorks(on: mounted, expected: expected, "without -wal and -shm")
    }

    @Test(.enabled(if: OtherUser.available, OtherUser.reason))
    func aChampionListSearchOnAReadOnlyIndexGivesTheSameResultsAsOnAWritableOne() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let corpus = folder.appendingPathComponent("corpus")
        // "harbour" is in all 1,100 documents, a varying number of times: a champion-list word.
        for number in 0..<1_100 {
            let words =
                Array(repeating: "harbour", count: 1 + number % 7)
                + Array(
                    repeating: "cargo", count: number % 13)
            try corpus.write(
                "Harbour note \(number)\n\n\(words.joined(separator: " ")) ledger\(number).\n",
                to: "note-\(number).txt")
        }
        #expect(try TrawlBinary.run(["index", corpus.path, "--db", db]).status == 0)
        try removeLogFiles(of: db)
        try makeReadOnly()
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        func search(_ launcher: [String]) throws -> [String] {
            let outcome = try TrawlBinary.run(
                ["search", "harbour", "--db", db, "--format", "json", "--limit", "20"], launcher: launcher)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            let results = try SearchOutput(json: outcome.stdout).results
            #expect(results.count == 20)
            return results.map { "\($0.path) \($0.score)" }
        }
        let readOnly = try search(OtherUser.launcher)
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before, "the search wrote to the index")
        let writable = try search([])  // root may write: the list is stored
        let readOnlyAgain = try search(OtherUser.launcher)  // and now read back
        #expect(readOnly == writable)
        #expect(readOnlyAgain == writable)
    }
}

/// Runs `trawl` as user and group 65534 (nobody) through `setpriv`, when the tests run as root.
enum OtherUser {
    static let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    static var available: Bool { getuid() == 0 && setpriv != nil }
    static let reason: Comment = "runs trawl as another user: needs root and setpriv"
    static var launcher: [String] {
        [setpriv ?? "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    }
}

/// A read-only bind mount of a folder (`mount --bind`, then `mount -o remount,ro,bind`).
struct ReadOnlyMount {
    static let program = ["/usr/bin/mount", "/bin/mount"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    /// Whether this process can bind-mount (root, `mount` present, and allowed by the
    /// container): tried once on a scratch folder.
    static let available: Bool = {
        guard getuid() == 0, program != nil else { return false }
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trawl-mount-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: probe) }
        guard (try? FileManager.default.createDirectory(at: probe, withIntermediateDirectories: true)) != nil,
            let mount = try? ReadOnlyMount(probe, at: probe.appendingPathComponent("point"))
        else { return false }
        mount.unmount()
        return true
    }()
    static let reason: Comment =
        "bind-mounts a folder read-only: needs root, mount and a container that allows it"

    let mountPoint: URL

    init(_ source: URL, at mountPoint: URL) throws {
        self.mountPoint = mountPoint
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        try Self.mount(["--bind", source.path, mountPoint.path])
        do {
            try Self.mount(["-o", "remount,ro,bind", mountPoint.path])
        } catch {
            unmount()
            throw error
        }
    }

    func unmount() {
        let umount = ["/usr/bin/umount", "/bin/umount"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        guard let umount else { return }
        _ = try? TrawlBinary.runProcess(URL(fileURLWithPath: umount), [mountPoint.path])
    }

    struct Failed: Error { var arguments: [String] }

    private static func mount(_ arguments: [String]) throws {
        let outcome = try TrawlBinary.runProcess(URL(fileURLWithPath: program ?? "mount"), arguments)
        guard outcome.status == 0 else { throw Failed(arguments: arguments) }
    }
}
