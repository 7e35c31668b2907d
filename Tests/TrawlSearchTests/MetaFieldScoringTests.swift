import Foundation
import Testing
import TrawlIndex
import TrawlQuery

@testable import TrawlSearch

/// Schema v11: every way the ranker reads occurrences — the positions FTS5 stores, a champion
/// list's postings and the re-tokenized stored text — sees the header lines as the `meta` field,
/// so all of them give a document the same score.
struct MetaFieldScoringTests {
    let folder: URL
    let store: IndexStore

    /// 3,000 documents, about 1,400 with "report": most in their tags, a few in the story or the
    /// title, of varied lengths, with and without header blocks; some mention "sorghum" in their
    /// tags or story.
    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trawl-meta-\(UUID().uuidString)")
        store = try IndexStore(path: folder.appendingPathComponent("index.sqlite").path)
        var changes: [DocumentChange] = []
        for number in 0..<3_000 {
            let filler = Array(repeating: "grain", count: number % 23).joined(separator: " ")
            let reports = number < 2_500
            let hasHeader = number % 5 != 4
            let tagged = reports && hasHeader && number % 3 != 0
            let told = reports && number % 60 == 1
            let titled = reports && number % 97 == 0
            let sorghum = number % 4 == 0 ? "sorghum" : ""
            let header =
                hasHeader
                ? "Date: 2025-11-\(10 + number % 9)\nTags: \(tagged ? "report, " : "")wheat"
                    + (sorghum.isEmpty ? "" : ", sorghum") + "\n\n" : ""
            let story =
                "\(filler) \(told ? "report" : "") grid storage \(number)"
                + (number % 4 == 2 ? " sorghum harvest" : "")
            changes.append(
                .add(
                    DocumentRecord(
                        path: "/c/\(number).txt", title: titled ? "Report \(number)" : "Note \(number)",
                        body: header + story, size: 1, modificationTime: 1, inode: UInt64(number),
                        contentHash: UInt64(number), date: 0)))
        }
        try store.apply(changes)
    }

    @Test(arguments: [
        "sorghum", "sorghum harvest", "wheat grid", "report wheat", "grain storage wheat note",
        "note 17 wheat",
    ])
    func storedPositionsAndRetokenizedTextScoreAlike(_ query: String) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let searcher = Searcher(store: store)
        let bound = try searcher.bind(QueryParser().parse(query), joining: .any)
        let ranker = try searcher.makeRanker(bound, parameters: RankingParameters())
        let documents = try store.documents(withIDs: Array(1...300))
        let fromIndex = try searcher.explanationsFromIndex(of: documents.map(\.id), by: ranker)
        var withMeta = 0
        for document in documents {
            let retokenized = searcher.explanation(of: document, by: ranker)
            #expect(fromIndex[document.id] == retokenized, "\(document.path)")
            if retokenized.bm25Meta > 0 { withMeta += 1 }
        }
        #expect(withMeta > 0)
    }

    @Test func aChampionListRanksExactlyAsScoringEveryMatchWithTheTagsWeighed() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        var request = SearchRequest(query: "report", limit: 100)
        request.includesSnippets = false
        request.collapsesDuplicates = false
        /// Each hit's path and score parts, in rank order.
        func ranked(_ request: SearchRequest) throws -> [(path: String, score: String, meta: Double)] {
            try Searcher(store: store).search(request).hits.map {
                ($0.path, String(format: "%.12f", $0.score), $0.explanation?.bm25Meta ?? -1)
            }
        }
        let first = try ranked(request)  // computes and stores the list
        let version = try store.indexVersion() ^ RankingParameters.revision
        let list = try #require(store.championList(of: "report", indexVersion: version))
        #expect(list.postings.contains { $0.metaFrequency > 0 && $0.metaLength > 0 })
        let second = try ranked(request)  // reads the stored list
        var exhaustive = request
        exhaustive.parameters.candidateDepth = 5_000  // every match scored from its re-tokenized text
        let all = try ranked(exhaustive)
        #expect(first.count == 100)
        #expect(first.contains { $0.meta > 0 })
        // The same scores in the same order (equal scores may list their documents in another
        // order: a list breaks ties by id, FTS5's candidates by its own order), and each
        // document the same score on every path.
        #expect(first.map(\.score) == all.map(\.score))
        #expect(first.map(\.score) == second.map(\.score))
        let scores = Dictionary(all.map { ($0.path, $0.score) }, uniquingKeysWith: { first, _ in first })
        for hit in first where scores[hit.path] != nil {
            #expect(scores[hit.path] == hit.score, "\(hit.path)")
        }
    }
}
