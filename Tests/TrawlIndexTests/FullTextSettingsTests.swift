import Foundation
import GRDB
import Testing

@testable import TrawlIndex

/// Issue 20: FTS5 keeps more pending terms in memory and merges more segments at a time than its
/// defaults, so indexing rewrites each posting fewer times; an index written before gets the
/// settings at its next writable open, once.
struct FullTextSettingsTests {
    let folder: URL
    let path: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trawl-fts-settings-\(UUID().uuidString)")
        path = folder.appendingPathComponent("index.sqlite").path
    }

    /// FTS5's settings as the index stores them.
    func settings() throws -> [String: Int] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            Dictionary(
                try Row.fetchAll(db, sql: "SELECT k, v FROM document_fts_config WHERE k <> 'version'").map {
                    ($0[0] as String, $0[1] as Int)
                }, uniquingKeysWith: { first, _ in first })
        }
    }

    func add(_ store: IndexStore, _ name: String) throws {
        try store.apply([
            .add(
                DocumentRecord(
                    path: "/s/\(name).txt", title: name, body: "grain exports \(name)", size: 1,
                    modificationTime: 1, inode: 1, contentHash: 1, date: 0))
        ])
    }

    @Test func aNewIndexKeepsEightMegabytesOfPendingTermsAndMergesEightSegments() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try add(try IndexStore(path: path), "first")
        #expect(try settings() == ["hashsize": 8_388_608, "automerge": 8])
    }

    @Test func anIndexWithFTS5sDefaultsGetsTheSettingsAtItsNextWritableOpenOnly() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try add(try IndexStore(path: path), "first")
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "DELETE FROM document_fts_config WHERE k <> 'version'") }
        try queue.close()
        #expect(try settings().isEmpty)

        let reader = try IndexStore(path: path, access: .readOnly)
        let before = try reader.indexVersion()
        #expect(try settings().isEmpty)  // a reader writes nothing

        let writer = try IndexStore(path: path)
        #expect(try settings() == ["hashsize": 8_388_608, "automerge": 8])
        let after = try writer.indexVersion()
        #expect(after != before)  // FTS5 counts a change of settings as a write
        // Settings already in place are left alone: the index version stays, and with it the
        // champion lists stored for it.
        #expect(try IndexStore(path: path).indexVersion() == after)
        try add(writer, "second")
        #expect(try writer.matchingIDs(FTS5Match("\"grain\"")).count == 2)
    }

    /// Pages as the file counts them: all, and free.
    func pages() throws -> (count: Int, free: Int) {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            (
                try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0,
                try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
            )
        }
    }

    /// FTS5's merges free the pages of the segments they replace; the end of a run gives them back,
    /// so the file holds no free page (a Reuters index: 1.6 MB of them before).
    @Test func freePagesLeftByMergesAreGivenBack() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try IndexStore(path: path)
        // Twelve transactions: twelve segments, which FTS5 merges eight at a time.
        for batch in 0..<12 {
            try store.apply(
                (0..<40).map { number in
                    .add(
                        DocumentRecord(
                            path: "/m/\(batch)-\(number).txt", title: "Report \(batch) \(number)",
                            body: (0..<200).map { "word\(($0 * 7 + number + batch * 13) % 997)" }.joined(
                                separator: " "),
                            size: 1, modificationTime: 1, inode: UInt64(batch * 100 + number),
                            contentHash: UInt64(batch * 100 + number), date: 0))
                })
        }
        let before = try pages()
        #expect(before.free > 0)
        try store.releaseFreePages()
        let after = try pages()
        #expect(after.free == 0)
        #expect(after.count == before.count - before.free)
        #expect(try store.matchingIDs(FTS5Match("\"report\"")).count == 480)
    }

    /// An index created before (no `auto_vacuum`: `Fixtures/upgrade/v10.db`) keeps its free pages
    /// for later runs to reuse, and stays whole.
    @Test func anOlderIndexKeepsItsFreePagesForLaterRuns() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/upgrade/v10.db")
        try FileManager.default.copyItem(atPath: fixture.path, toPath: path)
        let store = try IndexStore(path: path)
        let documents = try store.matchingIDs(FTS5Match("\"the\"")).count
        try add(store, "first")
        let before = try pages()
        try store.releaseFreePages()
        #expect(try pages() == before)
        #expect(try store.matchingIDs(FTS5Match("\"the\"")).count == documents)
        #expect(try store.matchingIDs(FTS5Match("\"grain\"")).contains { _ in true })
        // `trawl optimize` rebuilds it as a new index is made: later runs give pages back.
        _ = try store.optimize()
        let queue = try DatabaseQueue(path: path)
        #expect(try queue.read { try Int.fetchOne($0, sql: "PRAGMA auto_vacuum") } == 2)
        try queue.close()
    }
}
