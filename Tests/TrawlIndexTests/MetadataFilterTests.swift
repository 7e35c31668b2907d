import Foundation
import Testing
import TrawlIndex
import TrawlQuery

/// Records inside one file, metadata, and the filters that narrow a search by it (issue 6).
struct MetadataFilterTests {
    let folder: URL
    let store: IndexStore

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trawl-meta-\(UUID().uuidString)")
        store = try IndexStore(path: folder.appendingPathComponent("index.sqlite").path)
        let day = 86_400.0
        try store.apply([
            .add(
                document(
                    "/r/feed.jsonl", record: "a1", "Oil tankers wait off Hormuz", date: 20_000 * day,
                    DocumentMetadata(
                        dateSource: .metadata, author: "Sara Haddad", source: "Gulf Wire",
                        tags: ["energy", "shipping"]))),
            .add(
                document(
                    "/r/feed.jsonl", record: "a2", "Oil prices climb on supply fears", date: 20_010 * day,
                    DocumentMetadata(
                        dateSource: .metadata, author: "Tom Reyes", source: "Markets Daily", tags: ["energy"])
                )),
            .add(
                document(
                    "/r/notes.txt", "Oil minister visits refinery", date: 20_020 * day, DocumentMetadata())),
        ])
    }

    func document(
        _ path: String, record: String = "", _ title: String, date: Double, _ metadata: DocumentMetadata
    ) -> DocumentRecord {
        DocumentRecord(
            path: path, record: record, title: title, body: title + ". More text.", size: 100,
            modificationTime: 1,
            inode: 1, contentHash: UInt64(title.utf8.count), date: date, metadata: metadata)
    }

    /// Locations of the matches of `text` (words and filters), best first.
    func search(_ text: String, since: Double? = nil, until: Double? = nil) throws -> [String] {
        let (words, filterQuery) = try QueryParser().parse(text).separatingFilters()
        var filter = try filterQuery?.documentFilter() ?? DocumentFilter()
        (filter.since, filter.until) = (since, until)
        guard let words else {
            return try store.filteredDocuments(filter, limit: 10, offset: 0).map(\.location)
        }
        var bound = try words.fts5Query()
        bound.filter = filter
        #expect(try store.matchCount(bound) == store.matches(bound, limit: 10).count)
        return try store.matches(bound, limit: 10).map(\.location)
    }

    @Test func recordsOfOneFileAreSeparateDocumentsAddressedByPathAndRecord() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try Set(search("oil")) == ["/r/feed.jsonl#a1", "/r/feed.jsonl#a2", "/r/notes.txt"])
        let stored = try store.storedFiles(under: "/r", after: nil, limit: 10)
        #expect(stored.map(\.location) == ["/r/feed.jsonl#a1", "/r/feed.jsonl#a2", "/r/notes.txt"])
        let second = try #require(try store.document(atPath: "/r/feed.jsonl", record: "a2"))
        #expect(second.title == "Oil prices climb on supply fears")
        #expect(second.metadata.author == "Tom Reyes")
        #expect(second.metadata.tags == ["energy"])
        #expect(second.metadata.dateSource == .metadata)
        #expect(try store.document(atPath: "/r/feed.jsonl") == nil)
    }

    @Test func pagingStoredDocumentsResumesInsideAFilesRecords() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try store.storedFiles(under: "/r", after: nil, limit: 1)
        #expect(first.map(\.location) == ["/r/feed.jsonl#a1"])
        let rest = try store.storedFiles(under: "/r", after: ("/r/feed.jsonl", "a1"), limit: 10)
        #expect(rest.map(\.location) == ["/r/feed.jsonl#a2", "/r/notes.txt"])
    }

    @Test(arguments: [
        ("oil author:haddad", ["/r/feed.jsonl#a1"]),
        ("oil author:\"tom reyes\"", ["/r/feed.jsonl#a2"]),
        ("oil source:markets", ["/r/feed.jsonl#a2"]),
        ("oil tag:shipping", ["/r/feed.jsonl#a1"]),
        ("oil tags:energy -author:reyes", ["/r/feed.jsonl#a1"]),
        ("oil -tag:energy", ["/r/notes.txt"]),
        ("oil (author:haddad OR author:reyes)", ["/r/feed.jsonl#a1", "/r/feed.jsonl#a2"]),
        ("tag:energy", ["/r/feed.jsonl#a2", "/r/feed.jsonl#a1"]),
        ("oil author:nobody", []),
    ])
    func metadataFiltersKeepOnlyMatchingDocuments(query: String, expected: [String]) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let found = try search(query)
        // Filter-only queries list newest first; searches are compared as sets.
        if query.hasPrefix("oil") { #expect(Set(found) == Set(expected)) } else { #expect(found == expected) }
    }

    @Test func dateRangeIsInclusiveOfSinceAndExclusiveOfUntil() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let day = 86_400.0
        #expect(try Set(search("oil", since: 20_010 * day)) == ["/r/feed.jsonl#a2", "/r/notes.txt"])
        #expect(try search("oil", until: 20_010 * day) == ["/r/feed.jsonl#a1"])
        #expect(try search("tag:energy", since: 20_005 * day, until: 20_015 * day) == ["/r/feed.jsonl#a2"])
    }

    @Test func removingARecordDropsItsMetadataFromTheFilterIndex() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let stored = try store.storedFiles(under: "/r", after: nil, limit: 10)
        try store.apply([.remove(id: stored[0].id)])
        #expect(try search("tag:shipping").isEmpty)
        #expect(try search("tag:energy") == ["/r/feed.jsonl#a2"])
        #expect(try store.check().problems.isEmpty)
    }

    @Test(arguments: [
        ("a OR tag:b", QueryError.filterMixedWithWords("tag")),
        ("title:(a author:b)", .filterMixedWithWords("author")),
        ("tag:x -oil", .exclusionWithoutWords),
    ])
    func filtersMixedWithWordsAreRefusedWithAMessage(query: String, error: QueryError) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: error) { try QueryParser().parse(query).separatingFilters() }
    }
}
