import Foundation
import Testing
import TrawlIndex
import TrawlSearch

/// A query of several terms scores every match in one pass (issue 20): its page must be the
/// page that scoring every match from its stored text gives, whatever the pass bounds instead
/// of scoring.
struct ScoringPassTests {
    let folder: URL
    let store: IndexStore

    /// 400 documents drawn from a few words (deterministic), so that the query words occur at
    /// every frequency, near and far from each other, in titles, bodies and header lines.
    init() throws {
        let words = ["oil", "prices", "crude", "opec", "output", "market", "said", "barrels", "rose", "fell"]
        var random = SeededGenerator(seed: 20)
        func next(_ bound: Int) -> Int { random.next(below: bound) }
        var documents: [(title: String, body: String)] = []
        for number in 0..<400 {
            let title = (0..<(1 + next(4))).map { _ in words[next(words.count)] }.joined(separator: " ")
            let header = next(3) == 0 ? "Topics: \(words[next(4)])\n\n" : ""
            let body = (0..<(5 + next(120))).map { _ in words[next(words.count)] }.joined(separator: " ")
            documents.append(("\(title) \(number)", header + body))
        }
        (folder, store) = try temporaryIndex(named: "trawl-scoring", folder: "s", documents: documents)
    }

    /// The best `limit` matches with their scores, each match explained from its stored text
    /// (`--sort date` explains every document it lists that way), best first, equal scores by id.
    func scoredFromText(_ query: String, limit: Int) throws -> [(id: Int64, score: Double)] {
        var request = SearchRequest(query: query, limit: 1_000)
        request.sort = .date
        request.includesSnippets = false
        request.collapsesDuplicates = false
        let hits = try Searcher(store: store).search(request).hits
        let scored: [(id: Int64, score: Double)] = hits.map { ($0.documentID, $0.score) }
        let sorted = scored.sorted { left, right in
            left.score != right.score ? left.score > right.score : left.id < right.id
        }
        return Array(sorted.prefix(limit))
    }

    @Test(arguments: [
        "oil prices", "oil prices crude", "oil OR prices", "oil -opec", "\"crude oil\"", "title:oil prices",
        "oil pri*", "crude oil prices rose opec output",
    ])
    func aPageIsTheBestOfEveryMatchScoredFromItsText(query: String) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        for depth in [10, 100] {
            var request = SearchRequest(query: query, limit: 10)
            request.includesSnippets = false
            request.collapsesDuplicates = false
            request.parameters.candidateDepth = depth  // 10: the pass keeps only the page
            request.parameters.feedbackDocuments = 0
            let response = try Searcher(store: store).search(request)
            let expected = try scoredFromText(query, limit: 10)
            #expect(response.hits.count == expected.count, "\(query)")
            for (hit, best) in zip(response.hits, expected) {
                #expect(
                    abs(hit.score - best.score) <= 1e-9 * max(1, abs(best.score)), "\(query): \(hit.path)")
                #expect(hit.documentID == best.id, "\(query): rank \(hit.rank)")
            }
        }
    }

    @Test func aPageDeeperThanThePassKeptIsScoredToo() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        var request = SearchRequest(query: "oil prices", limit: 10, offset: 120)
        request.includesSnippets = false
        request.collapsesDuplicates = false
        let response = try Searcher(store: store).search(request)
        let expected = try scoredFromText("oil prices", limit: 130).suffix(10)
        #expect(response.hits.map(\.documentID) == expected.map(\.id))
    }
}
