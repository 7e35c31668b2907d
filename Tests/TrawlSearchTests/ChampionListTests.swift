import Foundation
import Testing
import TrawlIndex
import TrawlSearch

/// Champion lists (issue 7): a very common single-word query re-scores its stored best documents
/// instead of every match, and must rank exactly as scoring every match does.
struct ChampionListTests {
    let folder: URL
    let store: IndexStore

    /// 1,500 documents containing "report" (more than the champion threshold) with varied
    /// frequencies and lengths, in title and body, and 100 without it; every fourth also says
    /// "barley".
    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trawl-champ-\(UUID().uuidString)")
        store = try IndexStore(path: folder.appendingPathComponent("index.sqlite").path)
        var changes: [DocumentChange] = []
        for number in 0..<1_600 {
            let filler = Array(repeating: "grain", count: number % 37).joined(separator: " ")
            let hits =
                number < 1_500 ? Array(repeating: "report", count: 1 + number % 5).joined(separator: " ") : ""
            let title = number % 11 == 0 && number < 1_500 ? "Report \(number)" : "Note \(number)"
            changes.append(
                .add(
                    DocumentRecord(
                        path: "/c/\(number).txt", title: title,
                        body: "\(filler) \(hits) wheat \(number)\(number % 4 == 0 ? " barley" : "")",
                        size: 1, modificationTime: 1, inode: UInt64(number), contentHash: UInt64(number),
                        date: 0)))
        }
        try store.apply(changes)
    }

    func search(_ request: SearchRequest) throws -> [String] {
        try Searcher(store: store).search(request).hits.map {
            "\($0.path) \(String(format: "%.9f", $0.score))"
        }
    }

    @Test func championListRanksExactlyAsScoringEveryMatch() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        var request = SearchRequest(query: "report", limit: 20)
        request.includesSnippets = false
        let first = try search(request)  // computes and stores the list
        let second = try search(request)  // reads the stored list
        var exhaustive = request
        exhaustive.parameters.candidateDepth = 5_000  // deeper than a list: every match is scored
        #expect(first == second)
        #expect(first == (try search(exhaustive)))
        #expect(try Searcher(store: store).search(request).total == 1_500)
    }

    /// `report -barley` takes the list without the barley documents (enough are left);
    /// `report -grain` leaves too few of the list and is ranked the usual way. Both rank exactly
    /// as scoring every match does.
    @Test(arguments: [("report -barley", 1_125), ("report -grain", 41)])
    func aCommonWordMinusExclusionsRanksExactlyAsScoringEveryMatch(query: String, total: Int) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        var request = SearchRequest(query: query, limit: 20)
        request.includesSnippets = false
        let first = try search(request)  // computes and stores the list of "report"
        let version = try store.indexVersion() ^ RankingParameters.revision
        #expect(store.championList(of: "report", indexVersion: version) != nil)
        let second = try search(request)  // reads the stored list
        var exhaustive = request
        exhaustive.parameters.candidateDepth = 5_000
        #expect(first.count == 20)
        #expect(first == second)
        #expect(first == (try search(exhaustive)))
        let response = try Searcher(store: store).search(request)
        #expect(response.total == total)
        let excluded = query.hasSuffix("barley") ? "barley" : "grain"
        for hit in response.hits {
            let number = Int(hit.path.dropFirst(3).dropLast(4))!
            #expect(
                excluded == "barley" ? number % 4 != 0 : number % 37 == 0, "\(hit.path) should be excluded")
        }
    }

    @Test func aWriteToTheIndexMakesStoredListsStale() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let before = try store.indexVersion()
        let posting = TermPosting(
            documentID: 7, titleFrequency: 1, bodyFrequency: 2, titleLength: 3, bodyLength: 40)
        let list = ChampionList(documentFrequency: 9, postings: [posting])
        #expect(store.storeChampionList(list, of: "report", indexVersion: before))
        #expect(store.championList(of: "report", indexVersion: before) == list)
        try store.apply([
            .add(
                DocumentRecord(
                    path: "/c/new.txt", title: "Report", body: "report", size: 1, modificationTime: 1,
                    inode: 1,
                    contentHash: 1, date: 0))
        ])
        let after = try store.indexVersion()
        #expect(after != before)
        #expect(store.championList(of: "report", indexVersion: after) == nil)
    }

    /// A list stored under older ranking defaults (another `RankingParameters.revision`) ranks by
    /// other scores: search ignores it and ranks exactly as scoring every match does.
    @Test func aListStoredUnderOtherRankingDefaultsIsNotUsed() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let posting = TermPosting(
            documentID: 7, titleFrequency: 1, bodyFrequency: 2, titleLength: 3, bodyLength: 40)
        let stale = ChampionList(documentFrequency: 1_500, postings: Array(repeating: posting, count: 200))
        #expect(store.storeChampionList(stale, of: "report", indexVersion: try store.indexVersion()))
        var request = SearchRequest(query: "report", limit: 20)
        request.includesSnippets = false
        var exhaustive = request
        exhaustive.parameters.candidateDepth = 5_000
        #expect(try search(request) == (try search(exhaustive)))
    }
}
