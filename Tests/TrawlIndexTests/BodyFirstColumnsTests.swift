import Foundation
import GRDB
import Testing
import TrawlQuery

@testable import TrawlIndex

/// Schema v18 puts the body first among `document_fts`'s columns (`FullTextColumns`): an index
/// written with the title first is rebuilt when opened, then finds, places and weighs every word
/// as an index written anew does, in less room.
struct BodyFirstColumnsTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
        "trawl-v18-\(UUID().uuidString)")

    static let documents: [(title: String, body: String)] = [
        ("Sorghum harvest late", "Tags: grain\n\nFarmers said the sorghum harvest was late. Tankers wait."),
        ("Tankers wait", "Tankers wait off the port of Beirut while the harvest is counted."),
        ("Port report", "Author: Rana Haddad\n\nThe port reopened. Sorghum and wheat shipments resumed."),
    ]

    /// `documents`, then `extra` generated ones, as (title, body).
    static func corpus(extra: Int) -> [(title: String, body: String)] {
        let words = ["grain", "port", "tanker", "wheat", "harvest", "freight", "barley", "silo", "rail"]
        return documents
            + (0..<extra).map { number in
                let body = (0..<40).map { words[($0 * 7 + number) % words.count] }.joined(separator: " ")
                return ("Dispatch \(number)", body + ".")
            }
    }

    /// Writes `corpus` as a v17 Trawl did, the title first in `document_fts`; returns the bytes of
    /// its postings.
    func makeTitleFirstIndex(at path: String, _ corpus: [(title: String, body: String)]) throws -> Int {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: path, configuration: IndexStore.baseConfiguration())
        try Schema.migrator.migrate(queue, upTo: "v17: near-duplicate signatures of 16-bit values")
        try queue.write { db in
            #expect(try db.columns(in: "document_fts").map(\.name) == ["title", "body", "meta"])
            for (index, document) in corpus.enumerated() {
                let id = index + 1
                let fields = IndexedFields(body: document.body)
                try db.execute(
                    sql: """
                        INSERT INTO document_store(id, path, size, mtime_ns, inode, content_hash, date, indexed_at,
                            title, date_source)
                        VALUES (?, ?, 10, 5, 7, 99, 1763424000, 0, ?, 1)
                        """,
                    arguments: [id, "/r/\(id).txt", document.title])
                try db.execute(
                    sql: "INSERT INTO document_body(id, body) VALUES (?, trawl_deflate(?))",
                    arguments: [id, document.body])
                try db.execute(
                    sql: "INSERT INTO document_fts(rowid, title, body, meta) VALUES (?, ?, ?, ?)",
                    arguments: [id, document.title, fields.story, fields.meta])
            }
        }
        // Read after the commit: FTS5 writes its pending terms then.
        let bytes = try queue.read(Self.postingBytes)
        try queue.close()
        return bytes
    }

    static func postingBytes(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT sum(length(block)) FROM document_fts_data") ?? 0
    }

    /// A new index of `corpus`, written by this version.
    func makeNewIndex(at path: String, _ corpus: [(title: String, body: String)]) throws -> IndexStore {
        let store = try IndexStore(path: path)
        try store.apply(
            corpus.enumerated().map { index, document in
                .add(
                    DocumentRecord(
                        path: "/r/\(index + 1).txt", title: document.title, body: document.body, size: 10,
                        modificationTime: 5, inode: 7, contentHash: 99, date: 1_763_424_000))
            })
        return store
    }

    func ranked(_ store: IndexStore, _ query: String) throws -> [String] {
        try store.matches(QueryParser().parse(query).fts5Query(), limit: 10).map {
            "\($0.path) \(String(format: "%.6f", $0.score))"
        }
    }

    @Test func aTitleFirstIndexIsRebuiltBodyFirstAndReadsAsANewOne() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let oldPath = folder.appendingPathComponent("old.sqlite").path
        _ = try makeTitleFirstIndex(at: oldPath, Self.documents)
        let upgraded = try IndexStore(path: oldPath)
        let fresh = try makeNewIndex(at: folder.appendingPathComponent("new.sqlite").path, Self.documents)

        for store in [upgraded, fresh] {
            let columns = try store.database.read { db in try db.columns(in: "document_fts").map(\.name) }
            #expect(columns == ["body", "title", "meta"])
            // Each word in its field (0 title, 1 body, 2 meta), at its position.
            let occurrences = try store.termOccurrences(
                of: ["sorghum", "tanker", "grain", "haddad"], inDocuments: [1, 2, 3])
            let placed = Set(
                occurrences.occurrences.map { "\($0.documentID) \($0.term) \($0.field) \($0.position)" })
            #expect(
                placed == [
                    "1 sorghum 0 0", "1 sorghum 1 3", "1 tanker 1 7", "1 grain 2 1", "2 tanker 0 0",
                    "2 tanker 1 0", "3 sorghum 1 3", "3 haddad 2 2",
                ])
            let lengths = occurrences.fieldLengths
            #expect(lengths[1].map { [$0.title, $0.body, $0.meta] } == [3, 9, 2])
            #expect(lengths[3].map { [$0.title, $0.body, $0.meta] } == [2, 8, 3])
            let statistics = try store.collectionStatistics()
            #expect(statistics.documentCount == 3)
            #expect(statistics.averageTitleLength == Double(3 + 2 + 2) / 3)
            #expect(statistics.averageBodyLength == Double(9 + 12 + 8) / 3)
            #expect(statistics.averageMetaLength == Double(2 + 0 + 3) / 3)
            // A title match weighs most: report 1 before report 3 for the same body count.
            #expect(try ranked(store, "sorghum").map { $0.prefix(8) } == ["/r/1.txt", "/r/3.txt"])
            #expect(try store.check().isIntact)
        }
        #expect(try ranked(upgraded, "sorghum") == ranked(fresh, "sorghum"))
        #expect(try ranked(upgraded, "tankers wait") == ranked(fresh, "tankers wait"))
        #expect(try upgraded.documents(withIDs: [3]).first?.body == Self.documents[2].body)
    }

    @Test func aRowGivenInColumnOrderIsReadInFieldOrder() {
        // (field, position): FTS5 gives body (1), then title (0), then meta (2).
        var row = [(1, 4), (1, 9), (0, 0), (0, 2), (2, 1)]
        FullTextColumns.sortByField(&row) { $0.0 }
        #expect(row.map { "\($0.0):\($0.1)" } == ["0:0", "0:2", "1:4", "1:9", "2:1"])
        for unchanged in [[(1, 4), (2, 1)], [(0, 3), (2, 1)], [(2, 1)], []] {
            var copy = unchanged
            FullTextColumns.sortByField(&copy) { $0.0 }
            #expect(copy.map { "\($0.0):\($0.1)" } == unchanged.map { "\($0.0):\($0.1)" })
        }
        #expect([0, 1, 2].map(FullTextColumns.swapped) == [1, 0, 2])
    }

    @Test func theBodyFirstPostingsAreSmaller() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let corpus = Self.corpus(extra: 200)
        let path = folder.appendingPathComponent("old.sqlite").path
        let before = try makeTitleFirstIndex(at: path, corpus)
        let store = try IndexStore(path: path)
        let after = try store.database.read(Self.postingBytes)
        // Each generated document has nine words in its body alone, each of which saved its
        // two-byte column marker: at least one byte each is asked for.
        #expect(after < before - 200 * 9)
        #expect(try store.matches(QueryParser().parse("barley").fts5Query(), limit: 500).count == 200)
    }
}
