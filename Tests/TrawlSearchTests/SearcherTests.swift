import Foundation
import Testing
import TrawlIndex
import TrawlSearch

/// `Searcher` through its library API, on small indexes written for each behaviour: the fallback
/// to any word, listings by filters alone, feedback for questions and paging.
struct SearcherTests {
    let folder: URL
    let store: IndexStore

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trawl-searcher-\(UUID().uuidString)")
        store = try IndexStore(path: folder.appendingPathComponent("index.sqlite").path)
    }

    /// One day, in seconds.
    static let day = 86_400.0

    /// Writes documents given as (name, title, body, days since 1970, metadata).
    func write(_ documents: [(String, String, String, Double, DocumentMetadata)]) throws {
        try store.apply(
            documents.enumerated().map { index, document in
                .add(
                    DocumentRecord(
                        path: "/c/" + document.0, title: document.1, body: document.2, size: 1,
                        modificationTime: 1, inode: UInt64(index + 1), contentHash: UInt64(index + 1),
                        date: document.3 * Self.day, metadata: document.4))
            })
    }

    func search(
        _ query: String, limit: Int = 10, offset: Int = 0, configure: (inout SearchRequest) -> Void = { _ in }
    )
        throws -> SearchResponse
    {
        var request = SearchRequest(query: query, limit: limit, offset: offset)
        request.includesSnippets = false
        configure(&request)
        return try Searcher(store: store).search(request)
    }

    static func names(_ response: SearchResponse) -> [String] {
        response.hits.map { String($0.path.dropFirst(3)) }
    }

    // MARK: The fallback to any word

    func writeFruit() throws {
        try write([
            ("apple", "Apple harvest", "The apple crop was large this year.", 10, DocumentMetadata()),
            ("cherry", "Cherry prices", "Cherry growers sold early.", 11, DocumentMetadata()),
            ("apple-cherry-note", "Orchard note", "apple trees and more apple trees", 12, DocumentMetadata()),
            ("plum-apple-cherry", "Stone fruit", "apple cherry plum", 13, DocumentMetadata()),
            ("banana", "Banana boats", "Bananas arrived by sea.", 14, DocumentMetadata()),
        ])
    }

    @Test func plainWordsNoDocumentHoldsTogetherFallBackToAnyWordMostWordsFirst() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try writeFruit()
        let response = try search("banana plum")
        #expect(response.relaxedToAnyWord)
        #expect(response.wordJoin == .any)
        #expect(response.allWordsTotal == 0)
        #expect(Set(Self.names(response)) == ["banana", "plum-apple-cherry"])
        // A document holding two of three words ranks above those holding one.
        let three = try search("banana plum cherry")
        #expect(three.relaxedToAnyWord)
        #expect(Self.names(three).first == "plum-apple-cherry")
        #expect(three.total == 3)
    }

    @Test func plainWordsOneDocumentHoldsTogetherDoNotFallBack() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try writeFruit()
        let response = try search("plum cherry")
        #expect(!response.relaxedToAnyWord)
        #expect(response.wordJoin == .all)
        #expect(Self.names(response) == ["plum-apple-cherry"])
        #expect(response.total == 1)
    }

    /// Anything spelled out (AND, a phrase, an exclusion, a field) means what it says: no fallback.
    @Test(arguments: ["banana AND plum", "\"banana plum\"", "banana plum -apple", "title:banana plum"])
    func spelledOutQueriesNeverFallBack(_ query: String) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try writeFruit()
        let response = try search(query)
        #expect(!response.relaxedToAnyWord)
        #expect(response.total == 0)
        #expect(response.hits.isEmpty)
    }

    @Test func askingForAllWordsNeverFallsBack() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try writeFruit()
        let response = try search("banana plum") { $0.wordJoin = .all }
        #expect(!response.relaxedToAnyWord)
        #expect(response.total == 0)
    }

    // MARK: Listing by filters alone

    func writeTagged() throws {
        try write([
            ("news/old.txt", "Old", "grain", 100, DocumentMetadata(tags: ["trade"], language: "en")),
            ("news/new.txt", "New", "grain", 300, DocumentMetadata(tags: ["trade"], language: "en")),
            ("news/mid.md", "Mid", "grain", 200, DocumentMetadata(tags: ["trade"], language: "fr")),
            ("misc/other.txt", "Other", "grain", 400, DocumentMetadata(tags: ["sport"], language: "en")),
        ])
    }

    @Test(arguments: [
        ("tag:trade", ["news/new.txt", "news/mid.md", "news/old.txt"]),
        ("path:*.txt", ["misc/other.txt", "news/new.txt", "news/old.txt"]),
        ("lang:fr", ["news/mid.md"]),
        ("tag:trade lang:en", ["news/new.txt", "news/old.txt"]),
        ("path:news/*", ["news/new.txt", "news/mid.md", "news/old.txt"]),
    ])
    func filtersAloneListEveryMatchingDocumentNewestFirst(_ query: String, _ expected: [String]) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try writeTagged()
        let response = try search(query)
        #expect(Self.names(response) == expected)
        #expect(response.total == expected.count)
        #expect(response.parsedQuery == nil)
        #expect(response.hits.map(\.rank) == Array(1...expected.count))
    }

    @Test func aListingPagesLikeASearch() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try writeTagged()
        let second = try search("tag:trade", limit: 2, offset: 2)
        #expect(Self.names(second) == ["news/old.txt"])
        #expect(second.hits.map(\.rank) == [3])
        #expect(second.total == 3)
    }

    // MARK: Feedback for questions

    /// Six documents hold every word of the question and say "barley" often; two others hold one
    /// word each, one of them beside "barley", the other (shorter, so a little better on the
    /// typed word) beside "cotton". Feedback adds "barley" to the question, so the barley document overtakes.
    func writeFeedbackCorpus() throws {
        var documents: [(String, String, String, Double, DocumentMetadata)] = []
        for number in 0..<6 {
            documents.append(
                (
                    "top\(number)", "Minister on wheat exports \(number)",
                    "minister wheat exports harvest tariff quota barley barley barley barley report \(number)",
                    1, DocumentMetadata()
                ))
        }
        documents.append(
            ("with-barley", "Field note", "quota barley barley barley grain silo", 1, DocumentMetadata()))
        documents.append(
            ("with-cotton", "Field note", "quota cotton silo", 1, DocumentMetadata()))
        for number in 0..<20 {
            documents.append(
                ("filler\(number)", "Filler", "market silo storage weather \(number)", 1, DocumentMetadata()))
        }
        try write(documents)
    }

    static let question = "minister wheat exports harvest tariff quota"

    @Test func aQuestionsFeedbackReranksTowardsTheTopDocumentsTerms() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try writeFeedbackCorpus()
        let expanded = Self.names(try search(Self.question, limit: 20))
        let firstPass = Self.names(
            try search(Self.question, limit: 20) { $0.parameters.feedbackDocuments = 0 })
        #expect(expanded != firstPass)
        #expect(Set(expanded) == Set(firstPass))
        let rank = { (names: [String], name: String) in names.firstIndex(of: name) ?? .max }
        #expect(rank(firstPass, "with-cotton") < rank(firstPass, "with-barley"), "\(firstPass)")
        #expect(rank(expanded, "with-barley") < rank(expanded, "with-cotton"), "\(expanded)")
    }

    @Test func aKeywordQueryGetsNoFeedback() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try writeFeedbackCorpus()
        let scores = { (response: SearchResponse) in response.hits.map { "\($0.path) \($0.score)" } }
        let keywords = "quota silo"
        let withFeedback = scores(try search(keywords, limit: 20))
        let without = scores(try search(keywords, limit: 20) { $0.parameters.feedbackDocuments = 0 })
        #expect(withFeedback == without)
        #expect(!withFeedback.isEmpty)
    }

    // MARK: Paging

    /// 260 documents with "report": more than the candidates the ranker re-scores (100), so deep
    /// pages continue in FTS5's order.
    func writeReports() throws {
        try write(
            (0..<260).map { number in
                let words = Array(repeating: "report", count: 1 + number % 7).joined(separator: " ")
                let filler = Array(repeating: "grain", count: number % 13).joined(separator: " ")
                return (
                    "r\(number)", "Note \(number)", "\(filler) \(words) wheat", Double(number),
                    DocumentMetadata()
                )
            })
    }

    @Test(arguments: ["report", "report wheat"])
    func consecutivePagesJoinWithoutGapsOrRepeats(_ query: String) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try writeReports()
        var paged: [String] = []
        var ranks: [Int] = []
        var offset = 0
        while true {
            let page = try search(query, limit: 7, offset: offset)
            #expect(page.total == 260)
            if page.hits.isEmpty { break }
            paged += Self.names(page)
            ranks += page.hits.map(\.rank)
            offset += 7
        }
        #expect(paged.count == 260)
        #expect(Set(paged).count == 260)
        #expect(ranks == Array(1...260))
        // The first page is the head of the whole ranking.
        let whole = Self.names(try search(query, limit: 260))
        #expect(Array(paged.prefix(7)) == Array(whole.prefix(7)))
        #expect(Set(whole) == Set(paged))
    }

    @Test func aPageBeyondTheMatchesIsEmptyButKeepsTheTotal() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try writeReports()
        let response = try search("report", limit: 10, offset: 300)
        #expect(response.hits.isEmpty)
        #expect(response.total == 260)
    }
}
