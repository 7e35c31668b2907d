import CZlib
import Foundation
import GRDB
import Testing
import TrawlQuery

@testable import TrawlIndex

/// Bodies are stored compressed and read back exactly; v2 indexes are converted in place.
struct StoredTextTests {
    @Test(arguments: [
        "",
        "short",
        "Oil prices rose on Monday, the company said in a statement. "
            + String(repeating: "Crude output fell. ", count: 40),
        "Ünïcödé — 東京 مرحبا 🚢 " + String(repeating: "naïve café ", count: 30),
        String((0..<3000).map { Character(UnicodeScalar(UInt8(33 + ($0 * 7919) % 90))) }),
    ])
    func bodiesReadBackExactlyWhateverTheirForm(text: String) throws {
        let stored = TextDeflater().encoded(text)
        #expect(try StoredText.decoded(stored) == text)
    }

    @Test func proseIsStoredCompressedAndTinyTextStaysText() throws {
        let prose =
            "The company said profits rose in the first quarter. "
            + String(repeating: "Sales were higher. ", count: 20)
        guard case .blob(let blob) = TextDeflater().encoded(prose).storage else {
            Issue.record("prose should be compressed")
            return
        }
        #expect(blob.count < prose.utf8.count / 2)
        #expect(blob.first == StoredText.Format.deflateWithDictionary.rawValue)
        #expect(TextDeflater().encoded("tiny") == "tiny".databaseValue)
    }

    @Test func bodiesWrittenWithoutTheDictionaryStillInflate() throws {
        let text = String(repeating: "Wheat exports to the Soviet Union. ", count: 10)
        let stored = TextDeflater(level: 1, format: .deflate).encoded(text)
        #expect(try StoredText.decoded(stored) == text)
    }

    @Test(arguments: [
        Data([9, 3, 1, 2, 3]), Data([2, 0x80]), Data([2, 50, 0xff, 0xfe, 0x00]),
        // A zstd body whose dictionary the index does not hold.
        Data([3, 7, 50, 0x28, 0xb5, 0x2f, 0xfd]),
    ])
    func damagedBodiesAreAnErrorNotGarbage(blob: Data) {
        #expect(throws: StoredTextError.self) { try StoredText.decoded(.init(value: blob)!) }
    }

    /// A dictionary needs enough bodies and text; large files give only their first part, so a
    /// group of them trains on a few MB, not on a copy of all their text.
    @Test func aDictionaryIsTrainedOnlyFromEnoughTextAndFromTheStartOfLargeBodies() throws {
        func body(_ number: Int, bytes: Int) -> String {
            var text = "Report \(number). Source: Trawl Fixture Desk. Topics: grain, shipping.\n"
            var seed = UInt64(number) &* 0x9E37_79B9_7F4A_7C15 | 1
            let words = [
                "grain", "exports", "ministry", "harvest", "tonnes", "port", "prices", "wheat", "said",
            ]
            while text.utf8.count < bytes {
                seed ^= seed << 13
                seed ^= seed >> 7
                seed ^= seed << 17
                text += words[Int(seed % UInt64(words.count))] + (seed % 11 == 0 ? ". " : " ")
            }
            return text
        }
        #expect(
            BodyDictionary.trained(from: (0..<20).map { body($0, bytes: 10_000) }) == nil, "too few bodies")
        #expect(
            BodyDictionary.trained(from: (0..<40).map { body($0, bytes: 2_000) }) == nil, "too little text")
        let large = (0..<40).map { body($0, bytes: 400_000) }
        let dictionary = try #require(BodyDictionary.trained(from: large))
        #expect(dictionary.count <= BodyDictionary.largestSize)
        // Only the first 32 KB of each of 40 bodies were read: the same bodies cut there give the
        // same dictionary.
        let cut = large.map {
            String(decoding: $0.utf8.prefix(BodyDictionary.sampleBytesPerBody), as: UTF8.self)
        }
        #expect(BodyDictionary.trained(from: cut) == dictionary)
    }

    /// Stored bodies depend on these exact bytes: a formatter or an edit must not change them.
    @Test func thePresetDictionaryNeverChanges() {
        let dictionary = StoredTextDictionary.version1
        let checksum = dictionary.withUnsafeBufferPointer { adler32(1, $0.baseAddress, uInt($0.count)) }
        #expect(dictionary.count == 3102)
        #expect(checksum == 0x6FA9_5DEF)
    }
}

/// A v2 index (bodies as plain TEXT in the `document` table) becomes v3 when opened for writing.
struct StoredTextMigrationTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
        "trawl-v3-\(UUID().uuidString)")

    /// Writes a v2 index with `documents` (path, title, body) the way v2 Trawl did.
    func makeVersion2Index(at path: String, _ documents: [(String, String, String)]) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.prepareDatabase { db in try TrawlFTS5Tokenizer.register(with: FTS5.api(db)) }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try Schema.migrator.migrate(queue, upTo: "v2: covering index for change detection")
        try queue.write { db in
            for (index, document) in documents.enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO document(path, title, body, size, mtime_ns, inode, content_hash, date, indexed_at)
                        VALUES (?, ?, ?, ?, 1, ?, ?, 0, 0)
                        """,
                    arguments: [document.0, document.1, document.2, document.2.utf8.count, index, index])
                try db.execute(
                    sql: "INSERT INTO document_fts(rowid, title, body) VALUES (?, ?, ?)",
                    arguments: [db.lastInsertedRowID, document.1, document.2])
            }
        }
    }

    @Test func aVersion2IndexIsConvertedAndKeepsEveryDocumentSearchable() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("index.sqlite").path
        let long =
            "Tankers waited outside the port while crude prices rose. "
            + String(repeating: "Exports fell. ", count: 30)
        try makeVersion2Index(at: path, [("/r/a.txt", "Oil", long), ("/r/b.txt", "Gas", "pipelines")])

        let store = try IndexStore(path: path)
        let forms = try DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: "SELECT typeof(body) FROM document_body ORDER BY id")
        }
        #expect(forms == ["blob", "text"])
        let tankers = try store.matches(QueryParser().parse("tankers").fts5Query(), limit: 10)
        #expect(tankers.map(\.path) == ["/r/a.txt"])
        #expect(tankers.first?.body == long)
        #expect(try store.documents(withIDs: [2]).map(\.body) == ["pipelines"])
        #expect(try store.check().isIntact)

        // The converted rows can be replaced and removed: FTS5 gets the old text back to delete it.
        let files = try store.storedFiles(under: "/r", after: nil, limit: 1000)
        let a = try #require(files.first { $0.path == "/r/a.txt" })
        try store.apply([
            .replace(
                id: a.id,
                DocumentRecord(
                    path: "/r/a.txt", title: "Oil", body: "refineries idle", size: 15, modificationTime: 2,
                    inode: 0,
                    contentHash: 9, date: 0)),
            .remove(id: try #require(files.first { $0.path == "/r/b.txt" }).id),
        ])
        #expect(try store.matchCount(QueryParser().parse("tankers").fts5Query()) == 0)
        #expect(try store.matchCount(QueryParser().parse("refineries").fts5Query()) == 1)
        #expect(try store.matchCount(QueryParser().parse("pipelines").fts5Query()) == 0)
        #expect(try store.check().isIntact)

    }

    @Test func aConvertedIndexOpensReadOnly() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("index.sqlite").path
        try makeVersion2Index(at: path, [("/r/a.txt", "Oil", "tankers wait")])
        _ = try IndexStore(path: path)
        let reader = try IndexStore(path: path, access: .readOnly)
        #expect(try reader.storedFiles(under: "/r", after: nil, limit: 1000).map(\.path) == ["/r/a.txt"])
        #expect(
            try reader.matches(QueryParser().parse("tankers").fts5Query(), limit: 1).first?.body
                == "tankers wait")
    }

    @Test func anOlderIndexOpenedForReadingIsUpgradedFirst() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("index.sqlite").path
        try makeVersion2Index(at: path, [("/r/a.txt", "Oil", "tankers wait")])
        let reader = try IndexStore(path: path, access: .readOnly)
        let found = try reader.matches(QueryParser().parse("tankers").fts5Query(), limit: 1)
        #expect(found.map(\.location) == ["/r/a.txt"])
        #expect(found.first?.metadata == DocumentMetadata())
    }
}
