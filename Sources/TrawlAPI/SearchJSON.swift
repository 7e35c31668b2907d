import TrawlIndex
import TrawlSearch

/// The stable JSON contract of `trawl search --format json`.
public struct SearchJSON: Encodable, Sendable {
    public struct Result: Encodable, Sendable {
        public var rank: Int
        public var path: String
        public var title: String
        public var score: Double
        public var snippet: String
        public var highlights: [[Int]]
        /// Present with `--explain`: the parts of `score`.
        public var explain: ExplainJSON?
        /// The other matching members of the hit's near-duplicate group, newest first (absent
        /// with `--no-collapse`).
        public var duplicates: [Duplicate]?
    }

    /// A near-duplicate a hit stands for.
    public struct Duplicate: Encodable, Sendable {
        public var path: String
        public var title: String
        /// ISO 8601, UTC; null for an undated document.
        public var date: String?

        enum CodingKeys: String, CodingKey { case path, title, date }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(path, forKey: .path)
            try container.encode(title, forKey: .title)
            try container.encode(date, forKey: .date)
        }
    }

    /// The parts of a score; they add up to `score`.
    public struct ExplainJSON: Encodable, Sendable {
        public var bm25Title: Double
        public var bm25Body: Double
        /// The header lines' part (tags, author, source …).
        public var bm25Meta: Double
        public var proximity: Double
        public var coordination: Double
        public var recency: Double
        public var matchedTerms: Int
        public var queryTerms: Int

        public init(_ parts: ScoreExplanation) {
            bm25Title = parts.bm25Title
            bm25Body = parts.bm25Body
            bm25Meta = parts.bm25Meta
            proximity = parts.proximity
            coordination = parts.coordination
            recency = parts.recency
            matchedTerms = parts.matchedTerms
            queryTerms = parts.queryTerms
        }
    }

    public var query: String
    public var total: Int
    /// How many near-duplicate groups matched (a document in no group counts as one; absent
    /// with `--no-collapse`).
    public var groups: Int?
    /// `all` when every word was required, `any` when documents with any word matched.
    public var matching: String
    /// How many documents contain every word (absent when `--match any` was asked for).
    public var totalAllWords: Int?
    /// Present when a better spelling (few documents matched) or other spellings (`~word`) find
    /// more.
    public var suggestion: Suggestion?
    /// How the query was read when not simply as typed (empty otherwise).
    public var notes: [String]

    public struct Suggestion: Encodable, Sendable {
        public var query: String
        public var total: Int
        /// `spelling` (a misspelled word corrected) or `variants` (`~word`).
        public var kind: String

        public init(_ suggestion: QuerySuggestion) {
            query = suggestion.query
            total = suggestion.total
            kind = suggestion.kind.rawValue
        }
    }
    public var results: [MetadataJSON.Flattened<Result>]
    /// Present with `--facets`: for each facet asked for, its most frequent values over every
    /// matching document (`{"source": [{"value": "Reuters", "count": 12}], …}`).
    public var facets: [String: [FacetCount]]?

    public init(_ response: SearchResponse, explains: Bool = false) {
        query = response.query
        total = response.total
        groups = response.groupTotal
        let collapsed = response.groupTotal != nil
        matching = response.wordJoin == .all ? "all" : "any"
        totalAllWords = response.allWordsTotal
        notes = response.notes.map(\.description)
        results = response.hits.map { hit in
            let result = Result(
                rank: hit.rank, path: hit.path, title: hit.title, score: hit.score,
                snippet: hit.snippet.text,
                highlights: hit.snippet.highlights.map { [$0.lowerBound, $0.upperBound] },
                explain: explains ? hit.explanation.map(ExplainJSON.init) : nil,
                duplicates: collapsed
                    ? hit.duplicates.map {
                        Duplicate(path: $0.location, title: $0.title, date: $0.date.map(DocumentJSON.instant))
                    } : nil)
            return MetadataJSON.Flattened(result, date: hit.date, metadata: hit.metadata)
        }
        if !response.facets.isEmpty {
            facets = Dictionary(
                response.facets.map { ($0.facet.rawValue, $0.values) },
                uniquingKeysWith: { first, _ in first })
        }
    }

    /// Runs `request` as `trawl search --format json` does: the response, and the suggestion
    /// (`Searcher.suggestion(for:)`: a better spelling when few documents matched, or the `~word`
    /// spellings when they find more).
    public static func search(_ request: SearchRequest, with searcher: Searcher, explains: Bool = false)
        throws(SearchError) -> (response: SearchResponse, json: SearchJSON)
    {
        let response = try searcher.search(request)
        var json = SearchJSON(response, explains: explains)
        json.suggestion = searcher.suggestion(for: response).map(Suggestion.init)
        return (response, json)
    }

    /// The longest query a search reads, in characters (the refusal writes it "10,000"): a
    /// pasted article is refused with a clear message rather than searched and echoed back.
    public static let maximumQueryLength = 10_000

    /// The refusal of a query longer than ``maximumQueryLength``.
    public static func queryTooLongMessage(_ length: Int) -> String {
        "The query is \(length) characters long; Trawl reads at most "
            + "10,000. Search for a few distinctive words or a phrase from it."
    }
}

extension SearchJSON {
    /// Writes what `JSONEncoder` writes for this response (keys sorted), without its generic path.
    func write(to json: inout JSONWriter) throws(EncodingError) {
        json.beginObject()
        if let facets {
            json.key("facets")
            json.beginObject()
            for name in facets.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                json.key(name)
                json.beginArray()
                for count in facets[name] ?? [] {
                    json.beginObject()
                    json.field("count", count.count)
                    json.field("value", count.value)
                    json.endObject()
                }
                json.endArray()
            }
            json.endObject()
        }
        if let groups {
            json.field("groups", groups)
        }
        json.field("matching", matching)
        json.field("notes", notes)
        json.field("query", query)
        json.key("results")
        json.beginArray()
        for result in results { try result.write(to: &json) }
        json.endArray()
        if let suggestion {
            json.key("suggestion")
            json.beginObject()
            json.field("kind", suggestion.kind)
            json.field("query", suggestion.query)
            json.field("total", suggestion.total)
            json.endObject()
        }
        json.field("total", total)
        if let totalAllWords {
            json.field("totalAllWords", totalAllWords)
        }
        json.endObject()
    }
}

extension MetadataJSON.Flattened<SearchJSON.Result> {
    /// One result and its document's metadata as one object, keys sorted.
    fileprivate func write(to json: inout JSONWriter) throws(EncodingError) {
        json.beginObject()
        json.field("author", metadata.author)
        json.field("date", metadata.date)
        json.field("dateSource", metadata.dateSource)
        if let duplicates = fields.duplicates {
            json.key("duplicates")
            json.beginArray()
            for duplicate in duplicates {
                json.beginObject()
                json.field("date", duplicate.date)
                json.field("path", duplicate.path)
                json.field("title", duplicate.title)
                json.endObject()
            }
            json.endArray()
        }
        if let explain = fields.explain {
            json.key("explain")
            json.beginObject()
            try json.field("bm25Body", explain.bm25Body)
            try json.field("bm25Meta", explain.bm25Meta)
            try json.field("bm25Title", explain.bm25Title)
            try json.field("coordination", explain.coordination)
            json.field("matchedTerms", explain.matchedTerms)
            try json.field("proximity", explain.proximity)
            json.field("queryTerms", explain.queryTerms)
            try json.field("recency", explain.recency)
            json.endObject()
        }
        json.key("highlights")
        json.beginArray()
        for range in fields.highlights {
            json.beginArray()
            for bound in range { json.number(bound) }
            json.endArray()
        }
        json.endArray()
        json.field("language", metadata.language)
        json.field("path", fields.path)
        json.field("rank", fields.rank)
        try json.field("score", fields.score)
        json.field("snippet", fields.snippet)
        json.field("source", metadata.source)
        json.field("tags", metadata.tags)
        json.field("title", fields.title)
        json.field("url", metadata.url)
        json.endObject()
    }
}
