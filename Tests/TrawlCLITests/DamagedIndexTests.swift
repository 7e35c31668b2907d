import Foundation
import Testing

/// Issue 13: `check` never writes; a damaged index, or a file that is not an index, is refused by
/// every command with the same message, and `index --rebuild` is the way out.
@Suite struct DamagedIndexTests {
    let folder: URL
    let db: String

    init() throws {
        folder = try TrawlBinary.temporaryFolder()
        db = folder.appendingPathComponent("index.sqlite").path
    }

    func bytes() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: db)) }

    @Test func aZeroByteFileIsNotAnIndexForEveryCommandAndStaysZeroBytes() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data().write(to: URL(fileURLWithPath: db))
        let check = try TrawlBinary.run(["check", "--db", db])
        let search = try TrawlBinary.run(["search", "oil", "--db", db])
        let index = try TrawlBinary.run(["index", TrawlBinary.fixtures.path, "--db", db])
        for outcome in [check, search, index] {
            #expect(outcome.status == 74)
            #expect(outcome.stdout.isEmpty)
        }
        #expect(check.stderr.contains("\(db) is not a Trawl index (it is empty)"), "\(check.stderr)")
        #expect(check.stderr.contains("--rebuild"))
        #expect(search.stderr == check.stderr)
        #expect(index.stderr == check.stderr)
        #expect(try bytes().isEmpty)
    }

    @Test func anIndexWithDamagedPagesIsRefusedUntilRebuilt() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try TrawlBinary.run(["index", TrawlBinary.fixtures.path, "--db", db]).status == 0)
        // Fold the write-ahead log into the file, then overwrite its middle third.
        #expect(try TrawlBinary.run(["optimize", "--db", db]).status == 0)
        var damaged = try bytes()
        let third = damaged.count / 3
        for offset in third..<(2 * third) { damaged[offset] = UInt8(truncatingIfNeeded: offset &* 37) }
        try damaged.write(to: URL(fileURLWithPath: db))

        let check = try TrawlBinary.run(["check", "--db", db])
        #expect(check.status == 74)
        #expect(check.stderr.contains("The index at \(db) is damaged;"), "\(check.stderr)")
        let search = try TrawlBinary.run(["search", "oil", "--db", db])
        #expect(search.status == 74)
        #expect(try bytes() == damaged, "check or search wrote to the damaged index")
        // `index` finds the damage when a statement reads a damaged page; batches it committed
        // before that stay (a no-op run reads only the change-detection table).
        let index = try TrawlBinary.run(["index", TrawlBinary.fixtures.path, "--db", db])
        #expect(index.status == 74)
        #expect(index.stderr == search.stderr)
        #expect(index.stderr.contains("run `trawl index --rebuild <folder>`"), "\(index.stderr)")
        #expect(!index.stderr.contains("malformed"), "SQLite's own words reached the user")
        let refused = try bytes()

        let rebuild = try TrawlBinary.run(["index", TrawlBinary.fixtures.path, "--db", db, "--rebuild"])
        #expect(rebuild.status == 0, "\(rebuild.stderr)")
        #expect(rebuild.stderr.contains("moved the index aside to \(db).damaged-"), "\(rebuild.stderr)")
        let aside = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
            $0.hasPrefix("index.sqlite.damaged-") && !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm")
        }
        #expect(aside.count == 1)
        #expect(
            try aside.first.map { try Data(contentsOf: folder.appendingPathComponent($0)) } == refused,
            "the damaged file is kept as it was")
        let found = try TrawlBinary.run(["search", "oil", "--db", db])
        #expect(found.status == 0, "\(found.stderr)")
        #expect(try TrawlBinary.run(["check", "--db", db]).status == 0)
    }

    @Test func rebuildCannotBeCombinedWithDryRun() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try TrawlBinary.run([
            "index", TrawlBinary.fixtures.path, "--db", db, "--rebuild", "--dry-run",
        ])
        #expect(outcome.status == 2)
    }
}
