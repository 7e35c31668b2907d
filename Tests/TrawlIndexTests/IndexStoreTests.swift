import Foundation
import Testing
import TrawlIndex
import TrawlQuery

/// The document store keeps stored rows and the FTS5 index in step.
struct IndexStoreTests {
    let folder: URL
    let store: IndexStore

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trawl-index-\(UUID().uuidString)")
        store = try IndexStore(path: folder.appendingPathComponent("sub/index.sqlite").path)
    }

    func record(_ path: String, _ title: String, _ body: String, hash: UInt64 = 1) -> DocumentRecord {
        DocumentRecord(
            path: path, title: title, body: body, size: Int64(body.utf8.count), modificationTime: 1,
            inode: 1, contentHash: hash, date: 0)
    }

    func paths(_ query: String) throws -> [String] {
        let bound = try QueryParser().parse(query).fts5Query()
        return try store.matches(bound, limit: 10).map(\.path)
    }

    @Test func addedDocumentsAreFoundAndRemovedOnesAreNot() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.apply([
            .add(record("/r/a.txt", "Oil", "tankers wait")), .add(record("/r/b.txt", "Gas", "pipelines")),
        ])
        #expect(try paths("tankers") == ["/r/a.txt"])
        let stored = try store.storedFiles(under: "/r", after: nil, limit: 1000)
        try store.apply([.remove(id: stored.first { $0.path == "/r/a.txt" }!.id)])
        #expect(try paths("tankers").isEmpty)
        #expect(try paths("pipelines") == ["/r/b.txt"])
    }

    @Test func replacingADocumentReindexesItsText() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.apply([.add(record("/r/a.txt", "Oil", "tankers wait"))])
        let id = try store.storedFiles(under: "/r", after: nil, limit: 1000)[0].id
        try store.apply([.replace(id: id, record("/r/a.txt", "Oil", "refineries idle", hash: 2))])
        #expect(try paths("tankers").isEmpty)
        #expect(try paths("refineries") == ["/r/a.txt"])
    }

    @Test func storedFilesAreScopedToTheirRoot() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.apply([
            .add(record("/a/x.txt", "x", "x")), .add(record("/a/sub/y.txt", "y", "y")),
            .add(record("/ab/z.txt", "z", "z")), .add(record("/b/w.txt", "w", "w")),
        ])
        #expect(
            Set(try store.storedFiles(under: "/a", after: nil, limit: 1000).map(\.path)) == [
                "/a/x.txt", "/a/sub/y.txt",
            ])
        #expect(try store.storedFiles(under: "/b/w.txt", after: nil, limit: 1000).map(\.path) == ["/b/w.txt"])
    }

    @Test func movingADocumentKeepsItsTextUnderTheNewPath() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.apply([.add(record("/r/a.txt", "Oil", "tankers wait"))])
        var file = try store.storedFiles(under: "/r", after: nil, limit: 1000)[0]
        file.path = "/r/moved.txt"
        try store.apply([.move(id: file.id, to: file)])
        #expect(try paths("tankers") == ["/r/moved.txt"])
    }

    @Test func readOnlyOpeningOfAMissingIndexSaysSo() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: IndexError.self) {
            try IndexStore(path: folder.appendingPathComponent("none.sqlite").path, access: .readOnly)
        }
    }
}
