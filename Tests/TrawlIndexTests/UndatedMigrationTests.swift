import Foundation
import GRDB
import Testing
import TrawlQuery

@testable import TrawlIndex

/// Schema v8: a document without a date has none (NULL), and documents an older Trawl dated by
/// modification time or by a weekday-inferred dateline are read again by the next index run.
struct UndatedMigrationTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
        "trawl-v8-\(UUID().uuidString)")

    /// Writes a v6 index holding documents with `date_source` codes 0, 1 and 2, one with an author.
    func makeVersion6Index(at path: String) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try TrawlFTS5Tokenizer.register(with: FTS5.api(db))
            StoredText.register(in: db)
        }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try Schema.migrator.migrate(queue, upTo: "v6: failure file states, root devices, held-back removals")
        try queue.write { db in
            let rows = [
                ("copied.txt", 0, ""), ("tagged.html", 1, "Rana Haddad"), ("wire.txt", 2, ""),
                ("dated.html", 1, ""),
            ]
            for (id, (name, code, author)) in rows.enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO document_store(id, path, size, mtime_ns, inode, content_hash, date, indexed_at,
                            title, date_source, author)
                        VALUES (?, ?, 10, 5, 7, 99, 1763424000, 0, ?, ?, ?)
                        """,
                    arguments: [id + 1, "/r/" + name, name, code, author])
                try db.execute(
                    sql: "INSERT INTO document_body(id, body) VALUES (?, ?)",
                    arguments: [id + 1, "tankers wait \(name)"])
                try db.execute(
                    sql: "INSERT INTO document_fts(rowid, title, body) VALUES (?, ?, ?)",
                    arguments: [id + 1, name, "tankers wait \(name)"])
            }
        }
    }

    @Test func modificationTimeDatesBecomeUndatedAndInferredDatesAreReadAgain() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("index.sqlite").path
        try makeVersion6Index(at: path)

        let store = try IndexStore(path: path)
        let hits = try store.matches(QueryParser().parse("tankers").fts5Query(), limit: 10)
        let byPath = Dictionary(uniqueKeysWithValues: hits.map { ($0.path, $0) })
        #expect(byPath["/r/copied.txt"]?.date == nil)
        #expect(byPath["/r/copied.txt"]?.metadata.dateSource == DateSource.none)
        #expect(byPath["/r/tagged.html"]?.date == 1_763_424_000)
        #expect(byPath["/r/tagged.html"]?.metadata.dateSource == .metadata)
        #expect(byPath["/r/wire.txt"]?.date == 1_763_424_000)
        #expect(byPath["/r/tagged.html"]?.metadata.author == "Rana Haddad")

        // The next run sees a changed stat and a hash no content has for the documents dated by
        // modification time or an old dateline rule, and for metadata that is now searchable text.
        let files = try store.storedFiles(under: "/r", after: nil, limit: 10)
        let stale = files.filter { $0.modificationTime == -1 && $0.contentHash == 0 }.map(\.path)
        #expect(stale.sorted() == ["/r/copied.txt", "/r/tagged.html", "/r/wire.txt"])
        #expect(files.first { $0.path == "/r/dated.html" }?.contentHash == 99)
        #expect(try store.check().isIntact)

        // An undated document can be written, and sorts after dated ones.
        try store.apply([
            .add(
                DocumentRecord(
                    path: "/r/new.txt", title: "new", body: "tankers again", size: 13, modificationTime: 1,
                    inode: 9, contentHash: 5, date: nil))
        ])
        let newest = try store.matches(
            QueryParser().parse("tankers").fts5Query(), limit: 10, order: .newestFirst)
        #expect(newest.map(\.path).suffix(2).allSatisfy { ["/r/copied.txt", "/r/new.txt"].contains($0) })
        #expect(newest.first?.date != nil)
    }
}
