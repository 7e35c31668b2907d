import Foundation
import GRDB
import Testing
import TrawlQuery

@testable import TrawlIndex

/// Schema v11: the header lines get their own full-text column, `meta`; an index written by a
/// v10 Trawl is upgraded on first open, from its stored text, without losing a document.
struct MetaColumnMigrationTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
        "trawl-v11-\(UUID().uuidString)")

    static let bodies = [
        "Tags: sorghum, grid\n\nStorage of tankers was approved.",
        "Farmers said the sorghum harvest was late. Tankers wait.",
        "Author: Rana Haddad\nPlaces: lebanon\n\nBEIRUT - Tankers wait off the port.",
    ]

    /// Writes a v10 index of `bodies` as a v10 Trawl wrote it: the whole body in `body`.
    func makeVersion10Index(at path: String) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: path, configuration: IndexStore.baseConfiguration())
        try Schema.migrator.migrate(queue, upTo: "v10: near-duplicate signatures and groups")
        try queue.write { db in
            #expect(try db.columns(in: "document_fts").map(\.name) == ["title", "body"])
            for (index, body) in Self.bodies.enumerated() {
                let id = index + 1
                try db.execute(
                    sql: """
                        INSERT INTO document_store(id, path, size, mtime_ns, inode, content_hash, date, indexed_at,
                            title, date_source)
                        VALUES (?, ?, 10, 5, 7, 99, 1763424000, 0, ?, 1)
                        """,
                    arguments: [id, "/r/\(id).txt", "Report \(id)"])
                try db.execute(
                    sql: "INSERT INTO document_body(id, body) VALUES (?, trawl_deflate(?))",
                    arguments: [id, body])
                try db.execute(
                    sql: "INSERT INTO document_fts(rowid, title, body) VALUES (?, ?, ?)",
                    arguments: [id, "Report \(id)", body])
            }
            try db.execute(
                sql: "INSERT INTO term_champion(term, index_version, documents) VALUES ('tanker', 1, x'00')")
        }
        // Before the upgrade, the phrase runs from the header into the story.
        let phrase = try queue.read { db in
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM document_fts WHERE document_fts MATCH ?",
                arguments: [try QueryParser().parse("\"grid storage\"").fts5Query().match.text])
        }
        #expect(phrase == 1)
        try queue.close()
    }

    func paths(_ store: IndexStore, _ query: String) throws -> [String] {
        try store.matches(QueryParser().parse(query).fts5Query(), limit: 10).map(\.path).sorted()
    }

    @Test func aVersion10IndexIsUpgradedWithEveryDocumentFoundAndIntact() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("index.sqlite").path
        try makeVersion10Index(at: path)

        let store = try IndexStore(path: path)
        #expect(try paths(store, "tankers") == ["/r/1.txt", "/r/2.txt", "/r/3.txt"])
        #expect(try paths(store, "sorghum") == ["/r/1.txt", "/r/2.txt"])
        #expect(try paths(store, "haddad") == ["/r/3.txt"])
        #expect(try paths(store, "\"grid storage\"") == [])
        #expect(try paths(store, "\"rana haddad\"") == ["/r/3.txt"])
        #expect(try store.check().isIntact)
        // The stored text is as it was.
        #expect(try store.documents(withIDs: [1]).first?.body == Self.bodies[0])
        // Header words are in `meta`, the story in `body`.
        let occurrences = try store.termOccurrences(of: ["sorghum", "tanker"], inDocuments: [1, 2])
        let fields = Set(occurrences.occurrences.map { "\($0.documentID) \($0.term) \($0.field)" })
        #expect(fields == ["1 sorghum 2", "1 tanker 1", "2 sorghum 1", "2 tanker 1"])
        #expect(occurrences.fieldLengths[1]?.meta == 3)
        #expect(occurrences.fieldLengths[1]?.body == 5)
        let statistics = try store.collectionStatistics()
        #expect(statistics.documentCount == 3)
        #expect(statistics.averageMetaLength == Double(3 + 0 + 5) / 3)

        // Changes after the upgrade keep the index and its content view in step.
        try store.apply([
            .replace(
                id: 1,
                DocumentRecord(
                    path: "/r/1.txt", title: "Report 1", body: "Tags: millet\n\nGrid storage approved.",
                    size: 1,
                    modificationTime: 2, inode: 7, contentHash: 5, date: nil)),
            .remove(id: 2),
        ])
        #expect(try paths(store, "sorghum") == [])
        #expect(try paths(store, "\"grid storage\"") == ["/r/1.txt"])
        #expect(try store.check().isIntact)
    }
}
