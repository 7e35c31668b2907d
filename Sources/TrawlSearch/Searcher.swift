import TrawlIndex
import TrawlQuery
import TrawlText

/// What to search for and how many results to return.
public struct SearchRequest: Sendable {
    public var query: String
    public var limit: Int
    public var offset: Int
    /// How plain words combine: all required, or any (ranked by how many match).
    public var wordJoin: WordJoin
    /// Cut snippets for the hits (evaluation runs skip them).
    public var includesSnippets = true

    public init(query: String, limit: Int = 10, offset: Int = 0, wordJoin: WordJoin = .all) {
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
}

/// The answer to a search: how many documents matched and the requested page of them.
public struct SearchResponse: Sendable {
    public var query: String
    public var total: Int
    public var hits: [SearchHit]
}

/// Answers queries against an index: parses, binds to FTS5, ranks and cuts snippets.
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
        do {
            let query = try QueryParser().parse(request.query)
            bound = try query.fts5Query(tokenizer: tokenizer, joining: request.wordJoin)
        } catch {
            throw .query(error)
        }
        let matched: [MatchedDocument]
        let total: Int
        do {
            matched = try store.matches(bound, limit: request.limit, offset: request.offset)
            total = try store.matchCount(bound)
        } catch {
            throw .index(error)
        }
        let matcher = TermMatcher(terms: bound.highlightTerms, prefixes: bound.highlightPrefixes)
        let hits = matched.enumerated().map { position, document in
            SearchHit(
                rank: request.offset + position + 1, path: document.path, title: document.title,
                score: document.score, date: document.date,
                snippet: request.includesSnippets
                    ? cutter.snippet(of: document.body, matching: matcher) : Snippet(text: "", highlights: []),
                titleHighlights: request.includesSnippets ? cutter.highlights(in: document.title, matching: matcher) : [])
        }
        return SearchResponse(query: request.query, total: total, hits: hits)
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
