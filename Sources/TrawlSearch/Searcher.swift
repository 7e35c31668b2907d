import Foundation
import TrawlIndex
import TrawlQuery
import TrawlText

/// How results are ordered.
public enum ResultOrder: String, Sendable, Hashable, CaseIterable {
    /// Best match first.
    case relevance
    /// Newest document date first.
    case date
}

/// Which ranking orders results by relevance.
public enum RankingMode: String, Sendable, Hashable, CaseIterable {
    /// Trawl's ranker: BM25F, proximity, coordination (and recency with `--recent`).
    case trawl
    /// FTS5's built-in `bm25()` alone (the baseline Trawl is measured against).
    case fts5
}

/// What to search for and how many results to return.
public struct SearchRequest: Sendable {
    public var query: String
    public var limit: Int
    public var offset: Int
    /// How plain words combine: all required, or any (ranked by how many match).
    public var wordJoin: WordJoin
    /// Cut snippets for the hits (evaluation runs skip them).
    public var includesSnippets = true
    /// Relevance (the default) or date order.
    public var sort = ResultOrder.relevance
    /// Boost recent documents (relevance order only).
    public var prefersRecent = false
    /// The relevance ranking to use.
    public var ranking = RankingMode.trawl
    /// The ranking knobs; the defaults are the measured ones.
    public var parameters = RankingParameters()
    /// Plain words dropped from the query when other words remain (empty: keep every word).
    public var stopwords = Stopwords.english
    /// "Now" for the recency boost, in seconds since 1970 (nil: the clock).
    public var now: Double?

    /// Creates a request. The default `wordJoin: .any` finds documents with any of the words and
    /// lets coordination rank those with all of them first (see docs/RANKING.md).
    public init(query: String, limit: Int = 10, offset: Int = 0, wordJoin: WordJoin = .any) {
        self.query = query
        self.limit = limit
        self.offset = offset
        self.wordJoin = wordJoin
    }
}

/// One ranked result.
public struct SearchHit: Sendable, Hashable {
    /// 1-based position in the whole result list (offset included).
    public var rank: Int
    public var path: String
    public var title: String
    public var score: Double
    /// Seconds since 1970.
    public var date: Double
    public var snippet: Snippet
    /// Code-point ranges of matched words in `title`.
    public var titleHighlights: [Range<Int>]
    /// The parts of `score` (nil with the FTS5 ranking, whose score is `bm25()` alone).
    public var explanation: ScoreExplanation?
}

/// The answer to a search: how many documents matched and the requested page of them.
public struct SearchResponse: Sendable {
    public var query: String
    public var total: Int
    public var hits: [SearchHit]
}

/// Answers queries against an index: parses, binds to FTS5, ranks and cuts snippets.
///
/// Ranking runs in two stages: FTS5 returns the best `candidateDepth` (at least the requested
/// page) by its `bm25()`, then ``Ranker`` re-scores them from their re-tokenized fields.
public struct Searcher: Sendable {
    public let store: IndexStore
    private let tokenizer = Tokenizer()
    private let cutter = SnippetCutter()

    public init(store: IndexStore) {
        self.store = store
    }

    /// Runs `request` and returns the page of hits it asks for.
    public func search(_ request: SearchRequest) throws(SearchError) -> SearchResponse {
        guard request.limit >= 1 else { throw .invalidOption("--limit must be at least 1.") }
        guard request.offset >= 0 else { throw .invalidOption("--offset cannot be negative.") }
        let bound: FTS5Query
        let query: Query
        do {
            query = try QueryParser().parse(request.query).droppingStopwords(request.stopwords)
            bound = try query.fts5Query(tokenizer: tokenizer, joining: request.wordJoin)
        } catch {
            throw .query(error)
        }
        let page: [(document: MatchedDocument, explanation: ScoreExplanation?)]
        let total: Int
        do {
            total = try store.matchCount(bound)
            page = try rankedPage(request, query: query, bound: bound)
        } catch {
            throw .index(error)
        }
        let matcher = TermMatcher(terms: bound.highlightTerms, prefixes: bound.highlightPrefixes)
        let hits = page.enumerated().map { position, entry in
            let document = entry.document
            return SearchHit(
                rank: request.offset + position + 1, path: document.path, title: document.title,
                score: entry.explanation?.total ?? document.score, date: document.date,
                snippet: request.includesSnippets
                    ? cutter.snippet(of: document.body, matching: matcher)
                    : Snippet(text: "", highlights: []),
                titleHighlights: request.includesSnippets
                    ? cutter.highlights(in: document.title, matching: matcher) : [],
                explanation: entry.explanation)
        }
        return SearchResponse(query: request.query, total: total, hits: hits)
    }

    /// The requested page, ordered and (with Trawl's ranking) explained.
    private func rankedPage(_ request: SearchRequest, query: Query, bound: FTS5Query) throws(IndexError)
        -> [(document: MatchedDocument, explanation: ScoreExplanation?)]
    {
        let pageEnd = request.offset + request.limit
        if request.ranking == .fts5 {
            let order: MatchOrder = request.sort == .date ? .newestFirst : .relevance
            return try store.matches(bound, limit: request.limit, offset: request.offset, order: order).map {
                ($0, nil)
            }
        }
        let ranker = try makeRanker(query: query, parameters: request.parameters)
        if request.sort == .date {
            let documents = try store.matches(
                bound, limit: request.limit, offset: request.offset, order: .newestFirst)
            return documents.map { ($0, explanation(of: $0, by: ranker)) }
        }
        let depth = max(pageEnd, request.parameters.candidateDepth)
        let candidates = try store.matches(bound, limit: depth)
        var scored = candidates.map { ($0, explanation(of: $0, by: ranker)) }
        if request.prefersRecent {
            let now = request.now ?? Date().timeIntervalSince1970
            let best = scored.map(\.1.total).max() ?? 0
            for index in scored.indices {
                scored[index].1.recency = ranker.recencyBonus(
                    date: scored[index].0.date, now: now, scale: best)
            }
        }
        // A stable sort keeps FTS5's order among equal scores.
        let ranked = scored.enumerated().sorted { left, right in
            if left.element.1.total != right.element.1.total {
                return left.element.1.total > right.element.1.total
            }
            return left.offset < right.offset
        }
        guard request.offset < ranked.count else { return [] }
        return ranked[request.offset..<min(pageEnd, ranked.count)].map { ($0.element.0, $0.element.1) }
    }

    /// A ranker for `query`'s terms, with document frequencies and collection statistics from the index.
    private func makeRanker(query: Query, parameters: RankingParameters) throws(IndexError) -> Ranker {
        var terms = query.rankedTerms(tokenizer: tokenizer)
        for index in terms.indices {
            terms[index].documentFrequency = try store.documentFrequency(
                ofAnyOf: terms[index].terms.sorted(), prefixes: terms[index].prefixes.sorted())
        }
        return Ranker(terms: terms, statistics: try store.collectionStatistics(), parameters: parameters)
    }

    private func explanation(of document: MatchedDocument, by ranker: Ranker) -> ScoreExplanation {
        ranker.explanation(
            title: ranker.occurrences(in: document.title), body: ranker.occurrences(in: document.body))
    }

    /// Runs a natural-language query (an evaluation topic) whose punctuation may not be valid
    /// query syntax: if it does not parse, quotes and parentheses are dropped and it is retried.
    public func searchAsTyped(_ request: SearchRequest) throws(SearchError) -> SearchResponse {
        do {
            return try search(request)
        } catch .query {
            var plain = request
            plain.query = String(request.query.map { "\"()“”".contains($0) ? " " : $0 })
            do {
                return try search(plain)
            } catch .query {
                return SearchResponse(query: request.query, total: 0, hits: [])
            }
        }
    }
}
