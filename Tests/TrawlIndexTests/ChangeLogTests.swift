import Foundation
import GRDB
import Testing

@testable import TrawlIndex

/// Issue 14: each run's changes are logged with the documents, and watches remember their reports.
struct ChangeLogTests {
    let folder: URL
    let store: IndexStore

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trawl-changes-\(UUID().uuidString)")
        store = try IndexStore(path: folder.appendingPathComponent("index.sqlite").path)
    }

    func record(_ path: String, _ title: String, _ body: String, hash: UInt64 = 1) -> DocumentRecord {
        DocumentRecord(
            path: path, title: title, body: body, size: Int64(body.utf8.count), modificationTime: 1,
            inode: 1, contentHash: hash, date: 0)
    }

    @Test func eachChangeIsLoggedUnderItsRunAndAStatRefreshIsNot() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.apply(
            [.add(record("/r/a.txt", "Oil", "tankers")), .add(record("/r/b.txt", "Gas", "pipes"))], run: 1)
        let files = try store.storedFiles(under: "/r", after: nil, limit: 10)
        var moved = files[1]
        moved.path = "/r/c.txt"
        try store.apply(
            [
                .replace(id: files[0].id, record("/r/a.txt", "Oil", "tankers wait", hash: 2)),
                .refreshStat(id: files[0].id, size: 1, modificationTime: 2, inode: 1),
                .move(id: files[1].id, to: moved),
            ], run: 2)
        try store.apply([.remove(id: files[0].id)], run: 3)
        #expect(try store.changes(ofRun: 1).map(\.kind) == [.added, .added])
        #expect(
            try store.changes(ofRun: 2) == [
                DocumentChangeEntry(run: 2, kind: .updated, location: "/r/a.txt", title: "Oil", from: nil),
                DocumentChangeEntry(
                    run: 2, kind: .moved, location: "/r/c.txt", title: "Gas", from: "/r/b.txt"),
            ])
        #expect(
            try store.changes(ofRun: 3) == [
                DocumentChangeEntry(run: 3, kind: .removed, location: "/r/a.txt", title: "Oil", from: nil)
            ])
        // Without a run id nothing is logged (a dry run writes nothing; tests apply directly).
        try store.apply([.add(record("/r/d.txt", "D", "d"))])
        #expect(try store.lastChange() == 5)
    }

    /// Rows of added and updated documents leave location and title to the document (schema
    /// v15); each row still says what the document was when it changed, after the document is
    /// updated under a new title, moved and removed.
    @Test func eachRowKeepsTheLocationAndTitleOfItsChange() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.apply(
            [.add(record("/r/a.txt", "Oil", "tankers")), .add(record("/r/b.txt", "Gas", "pipes"))], run: 1)
        let added = try store.changes(ofRun: 1)
        #expect(added.map(\.location) == ["/r/a.txt", "/r/b.txt"])
        #expect(added.map(\.title) == ["Oil", "Gas"])
        let files = try store.storedFiles(under: "/r", after: nil, limit: 10)
        try store.apply(
            [.replace(id: files[0].id, record("/r/a.txt", "Oil glut", "tankers wait", hash: 2))], run: 2)
        var moved = files[0]
        moved.path = "/r/archive/a.txt"
        try store.apply([.move(id: files[0].id, to: moved)], run: 3)
        try store.apply([.replace(id: files[1].id, record("/r/b.txt", "Gas deal", "pipes laid", hash: 3))])
        try store.apply([.remove(id: files[0].id), .remove(id: files[1].id)], run: 4)
        #expect(try store.changes(ofRun: 1) == added)
        #expect(
            try store.changes(ofRun: 2) == [
                DocumentChangeEntry(
                    run: 2, kind: .updated, location: "/r/a.txt", title: "Oil glut", from: nil)
            ])
        #expect(
            try store.changes(ofRun: 3) == [
                DocumentChangeEntry(
                    run: 3, kind: .moved, location: "/r/archive/a.txt", title: "Oil glut", from: "/r/a.txt")
            ])
        #expect(
            try store.changes(ofRun: 4) == [
                DocumentChangeEntry(
                    run: 4, kind: .removed, location: "/r/archive/a.txt", title: "Oil glut", from: nil),
                DocumentChangeEntry(
                    run: 4, kind: .removed, location: "/r/b.txt", title: "Gas deal", from: nil),
            ])
    }

    /// Filling in the rows of the documents a run changes writes no full-text segment of its
    /// own: a statement that may change several rows opens a savepoint, and FTS5 flushes its
    /// pending terms to a new segment at each, so a multi-row `UPDATE` per changed document
    /// wrote one segment per document.
    @Test func fillingInChangedDocumentsRowsWritesNoSegmentPerDocument() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.apply(
            (0..<40).map { .add(record("/r/\($0).txt", "Report \($0)", "tankers and pipes number \($0)")) },
            run: 1)
        func segments() throws -> Int {
            try store.database.read { db in
                try Int.fetchOne(db, sql: "SELECT count(DISTINCT segid) FROM document_fts_idx") ?? 0
            }
        }
        let before = try segments()
        // Replaced in the order of their ids, so FTS5 itself needs no flush between them.
        let files = try store.storedFiles(under: "/r", after: nil, limit: 100).sorted { $0.id < $1.id }
        try store.apply(
            files.prefix(20).map { .replace(id: $0.id, record($0.path, "Revised", "tankers wait", hash: 2)) },
            run: 2)
        let after = try segments()
        #expect(after <= before + 1, "\(before) segments before, \(after) after")
        #expect(try store.changes(ofRun: 1).map(\.title) == (0..<40).map { "Report \($0)" })
    }

    @Test func textHashesComeFromTheLogOrTheStoredText() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.apply([.add(record("/r/a.txt", "Oil", "tankers"))], run: 1)
        try store.apply([.add(record("/r/b.txt", "Gas", "pipes"))])
        let ids = try store.storedFiles(under: "/r", after: nil, limit: 10).map(\.id)
        let hashes = try store.textHashes(of: ids + [999])
        #expect(hashes.count == 2)
        #expect(hashes[ids[0]] == TextHash.of(title: "Oil", body: "tankers"))
        #expect(hashes[ids[1]] == TextHash.of(title: "Gas", body: "pipes"))
        #expect(TextHash.of(title: "Oil", body: "tankers") != TextHash.of(title: "Oiltankers", body: ""))
    }

    @Test func aWatchRemembersItsReportsAndForgetsThemWhenRemoved() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.apply([.add(record("/r/a.txt", "Oil", "tankers"))], run: 1)
        #expect(
            try store.addWatch(name: "oil", query: "oil", options: ["--since", "7d"], includeExisting: false))
        #expect(try !store.addWatch(name: "oil", query: "gas", options: [], includeExisting: false))
        let watch = try #require(try store.watches().first)
        #expect(watch.checkpoint == 1 && watch.options == ["--since", "7d"])
        let report = WatchReport(
            documentID: 1, textHash: 42, location: "/r/a.txt", title: "Oil", summary: "tankers", date: 0,
            reportedAt: 10)
        try store.remember([WatchOutcome(watchID: watch.id, checkpoint: 1, broken: nil, reports: [report])])
        #expect(try store.reportedHashes(watch: watch.id, of: [1, 2]) == [1: 42])
        #expect(try store.recentReports(watch: watch.id, limit: 10) == [report])
        #expect(try store.removeWatch(named: "oil"))
        #expect(try store.watches().isEmpty)
        #expect(try store.reportedHashes(watch: watch.id, of: [1]).isEmpty)
        #expect(try store.addWatch(name: "all", query: "oil", options: [], includeExisting: true))
        #expect(try store.watches().first?.checkpoint == nil)
    }
}
