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
    public var wordJoin: WordJoin?
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
    /// Only documents dated on or after this (seconds since 1970).
    public var since: Double?
    /// Only documents dated before this (seconds since 1970).
    public var until: Double?
    /// Only documents added or updated by recent index runs (`--new`, `--indexed-since`).
    public var indexed: IndexedWindow?
    /// Whether words that no document holds together may fall back to any word (see
    /// `SearchResponse.relaxedToAnyWord`); watches ask for the query as written.
    public var relaxesToAnyWord = true
    /// Show one hit per near-duplicate group (the others listed with it); false shows them all.
    public var collapsesDuplicates = true
    /// Count the whole result set by these facets (``SearchResponse/facets``).
    public var facets: [DocumentFacet] = []
    /// How many values of each facet to return, most frequent first.
    public var facetLimit = 10

    /// Creates a request. With `wordJoin` nil (automatic), a keyword query (a few words) requires
    /// every word — and, when it is only words side by side and no document has them all, falls
    /// back to any word, documents holding more of them first; a longer, question-like query
    /// matches any word.
    public init(query: String, limit: Int = 10, offset: Int = 0, wordJoin: WordJoin? = nil) {
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
    /// The document's id in the index (stable while the document stays, moves included).
    public var documentID: Int64
    /// The file's path, or `path#record` for a record inside a file.
    public var path: String
    public var title: String
    public var score: Double
    /// Seconds since 1970; nil for an undated document.
    public var date: Double?
    /// Author, source, tags, language, URL and where the date came from.
    public var metadata: DocumentMetadata
    public var snippet: Snippet
    /// Code-point ranges of matched words in `title`.
    public var titleHighlights: [Range<Int>]
    /// The parts of `score` (nil with the FTS5 ranking, whose score is `bm25()` alone).
    public var explanation: ScoreExplanation?
    /// The other matching members of this document's near-duplicate group, newest first (empty
    /// when results are not collapsed).
    public var duplicates: [DocumentHead] = []
}

/// The answer to a search: how many documents matched and the requested page of them.
public struct SearchResponse: Sendable {
    public var query: String
    public var total: Int
    /// How many near-duplicate groups matched (a document in no group counts as one); nil when
    /// results were not collapsed. Like `total`, it never depends on the page.
    public var groupTotal: Int?
    public var hits: [SearchHit]
    /// How the words were combined: `.all` (every word required) or `.any`.
    public var wordJoin: WordJoin = .all
    /// True when the words were to be required together but too few documents had them all to
    /// fill the page, so documents with any of them follow those with all of them.
    public var relaxedToAnyWord = false
    /// How many documents have every word (nil when unknown: `any` was asked for).
    public var allWordsTotal: Int?
    /// How the query was read, when not simply as typed (pasted text read as plain words).
    public var notes: [SearchNote] = []
    /// The words part of the query as parsed (nil for a listing by filters alone), for
    /// suggestions.
    public var parsedQuery: Query?
    /// The metadata filter and date range the query applied.
    public var filter = DocumentFilter()
    /// The requested facets counted over every matching document (not only the page), in the
    /// order asked for.
    public var facets: [FacetCounts] = []
}

/// Something a user should know about how a query was read.
public enum SearchNote: Sendable, Hashable, CustomStringConvertible {
    /// The query was not valid syntax and, being long, was read as plain words.
    case readAsPlainWords(QueryError)
    /// The query had more distinct words than Trawl searches at once; the first `kept` were used.
    case wordsDropped(kept: Int, of: Int)

    public var description: String {
        switch self {
        case .readAsPlainWords(let error):
            return "Read as plain words, quotes, parentheses and operators ignored: "
                + error.description.prefix(1).lowercased() + error.description.dropFirst()
        case .wordsDropped(let kept, let total):
            return "Only the first \(kept) of the query’s \(total) different words were searched."
        }
    }
}

/// Answers queries against an index: reads the query, binds it to the index once
/// (``BoundQuery``), counts, ranks and cuts snippets — every stage reading that one bound query.
///
/// Ranking runs in two stages: candidates (see ``CandidateStrategy``), then ``Ranker`` re-scores
/// them.
public struct Searcher: Sendable {
    public let store: IndexStore
    let tokenizer = Tokenizer()
    private let cutter = SnippetCutter()

    public init(store: IndexStore) {
        self.store = store
    }

    /// The largest `limit` a request may ask for.
    public static let maximumLimit = 1_000
    /// The largest `offset` a request may ask for.
    public static let maximumOffset = 1_000_000_000

    /// Runs `request` and returns the page of hits it asks for, every count and hit read from the
    /// index as it was when the search began (`IndexStore.readingOneSnapshot`).
    public func search(_ request: SearchRequest) throws(SearchError) -> SearchResponse {
        try store.readingOneSnapshot { () throws(SearchError) in try searchInOneSnapshot(request) }
    }

    private func searchInOneSnapshot(_ request: SearchRequest) throws(SearchError) -> SearchResponse {
        guard request.limit >= 1 else { throw .limitBelowOne }
        guard request.limit <= Self.maximumLimit else { throw .limitTooLarge(maximum: Self.maximumLimit) }
        guard request.offset >= 0 else { throw .negativeOffset }
        guard request.offset <= Self.maximumOffset else { throw .offsetTooLarge(maximum: Self.maximumOffset) }
        if let since = request.since, let until = request.until, since >= until {
            throw .sinceNotBeforeUntil
        }
        let prepared = try prepare(request)
        guard var bound = prepared.bound, let parsed = prepared.query else {
            return try listing(request, filter: prepared.filter, notes: prepared.notes)
        }
        do {
            try checkPrefixes(of: bound)
            // Groups are counted with the matches, when there are groups to collapse.
            let countingGroups = try request.collapsesDuplicates && store.hasNearDuplicates()
            var evaluated = try evaluate(bound, request: request, countingGroups: countingGroups)
            var relaxed = false
            var allWordsTotal: Int? = bound.wordJoin == .all ? evaluated.total : nil
            // Words typed side by side that no document holds together: show those with most of
            // them. Never for anything spelled out (AND, a phrase, -word, a field), and decided on
            // the count alone, so the total does not depend on the page asked for.
            if evaluated.total == 0, request.wordJoin == nil, request.relaxesToAnyWord, prepared.isPlainWords,
                bound.wordJoin == .all,
                case .all = prepared.searchQuery
            {
                var anyWord = try bind(prepared.searchQuery, joining: .any)
                anyWord.filter = bound.filter
                let widened = try evaluate(anyWord, request: request, countingGroups: countingGroups)
                if widened.total > 0 {
                    (bound, evaluated, relaxed, allWordsTotal) = (anyWord, widened, true, 0)
                }
            }
            let matcher = TermMatcher(bound.highlights)
            var groupTotal: Int?
            let hits: [SearchHit]
            if let collapsed = try collapsedPage(request, bound: bound, evaluated: evaluated) {
                groupTotal = collapsed.groupTotal
                hits = collapsed.entries.enumerated().map { position, entry in
                    var hit = hit(
                        entry.document, rank: request.offset + position + 1,
                        score: entry.explanation?.total ?? entry.document.score,
                        explanation: entry.explanation,
                        matching: matcher, request: request)
                    hit.duplicates = entry.duplicates
                    return hit
                }
            } else {
                if request.collapsesDuplicates { groupTotal = evaluated.total }
                let page =
                    request.offset < evaluated.total
                    ? try rankedPage(request, bound: bound, evaluated: evaluated) : []
                hits = page.enumerated().map { position, entry in
                    hit(
                        entry.document, rank: request.offset + position + 1,
                        score: entry.explanation?.total ?? entry.document.score,
                        explanation: entry.explanation,
                        matching: matcher, request: request)
                }
            }
            let facets = try store.facetCounts(
                request.facets, of: bound, filter: bound.filter, top: request.facetLimit)
            return SearchResponse(
                query: request.query, total: evaluated.total, groupTotal: groupTotal, hits: hits,
                wordJoin: bound.wordJoin,
                relaxedToAnyWord: relaxed, allWordsTotal: allWordsTotal, notes: prepared.notes,
                parsedQuery: parsed, filter: bound.filter, facets: facets)
        } catch let error as IndexError {
            throw .index(error)
        } catch let error as QueryError {
            throw .query(error)
        } catch let error as SearchError {
            throw error
        } catch {
            // Only IndexError, QueryError and SearchError are thrown above.
            throw .index(.database(path: store.path, code: 0))
        }
    }

    /// At most this many postings, summed over the index terms every prefix of a query (`pro*`)
    /// stands for: what evaluating the prefixes reads (on Reuters `pro*` 17,028, `co*` 58,914, `a*`
    /// 149,097; ten one-letter prefixes, about 800,000, took 2.3 s). Past it a search would take
    /// seconds; the user is asked for longer prefixes.
    public static let maximumPrefixPostings = 250_000

    /// Refuses a query whose prefixes stand for more postings than ``maximumPrefixPostings``,
    /// naming the broadest prefix (a query of one prefix of three letters or more is not counted).
    private func checkPrefixes(of bound: BoundQuery) throws(SearchError) {
        let prefixes = Set(bound.terms.flatMap(\.prefixes))
        // Counting reads the vocabulary's postings, a good part of what the search itself reads:
        // one prefix of three letters or more is searched without it (`pro*`; at most one pass
        // over the index's postings), several or shorter ones are counted first.
        guard prefixes.count > 1 || prefixes.contains(where: { $0.count < 3 }) else { return }
        var total = 0
        var broadest = (prefix: "", postings: -1)
        do {
            for prefix in prefixes.sorted() {
                let postings = try store.postingCount(ofPrefix: prefix)
                total += postings
                if postings > broadest.postings { broadest = (prefix, postings) }
            }
        } catch {
            throw .index(error)
        }
        guard total <= Self.maximumPrefixPostings else {
            throw .prefixTooBroad(broadest.prefix, postings: total, limit: Self.maximumPrefixPostings)
        }
    }

    /// A request read and bound: the words to search for (nil for a listing by filters alone).
    struct PreparedSearch {
        /// The words part as parsed, before stopwords are dropped.
        var query: Query?
        /// The words part as searched (stopwords dropped).
        var searchQuery: Query
        var bound: BoundQuery?
        var filter: DocumentFilter
        var isPlainWords: Bool
        var notes: [SearchNote]
    }

    /// Reads the query (leniently for pasted text), separates its filters, drops stopwords and
    /// binds what is left to the index.
    func prepare(_ request: SearchRequest) throws(SearchError) -> PreparedSearch {
        var filter = DocumentFilter(since: request.since, until: request.until)
        filter.indexed = request.indexed
        if request.query.allSatisfy(\.isWhitespace) && !filter.isEmpty {
            return PreparedSearch(
                query: nil, searchQuery: .all([]), bound: nil, filter: filter, isPlainWords: false, notes: [])
        }
        do {
            let parsed = try QueryParser().read(request.query)
            var notes: [SearchNote] = parsed.readAsPlainWordsBecause.map { [.readAsPlainWords($0)] } ?? []
            let (search, filterQuery) = try parsed.query.separatingFilters()
            if let filterQuery {
                filter = try filterQuery.documentFilter(tokenizer: tokenizer)
                (filter.since, filter.until) = (request.since, request.until)
                filter.indexed = request.indexed
            }
            guard var search else {
                return PreparedSearch(
                    query: nil, searchQuery: .all([]), bound: nil, filter: filter, isPlainWords: false,
                    notes: notes)
            }
            // Common words are dropped, except from a keyword query that spells out AND
            // (`should AND letter` requires both); a question keeps dropping them even where
            // its prose says AND (the NPL topics do).
            var searchQuery = search.droppingStopwords(request.stopwords)
            // Bound once with every word required; the term count (the same either way) decides
            // whether the query is keywords or a question.
            var kept: BoundQuery?
            if parsed.hasExplicitAnd, searchQuery != search,
                let whole = try? bind(search, joining: .all),
                whole.terms.count <= request.parameters.keywordQueryTermLimit
            {
                (searchQuery, kept) = (search, whole)
            }
            var bound: BoundQuery
            do {
                if let kept { bound = kept } else { bound = try bind(searchQuery, joining: .all) }
            } catch .tooManyTerms(let count, _) where parsed.isPlainWords {
                // Pasted text with more words than Trawl searches at once: keep the first ones.
                searchQuery = try firstWords(of: searchQuery)
                search = searchQuery
                bound = try bind(searchQuery, joining: .all)
                notes.append(.wordsDropped(kept: bound.terms.count, of: count))
            }
            let wordJoin =
                request.wordJoin
                ?? (bound.terms.count <= request.parameters.keywordQueryTermLimit ? .all : .any)
            if wordJoin == .any { bound = try bind(searchQuery, joining: .any) }
            bound.filter = filter
            return PreparedSearch(
                query: search, searchQuery: searchQuery, bound: bound, filter: filter,
                isPlainWords: parsed.isPlainWords, notes: notes)
        } catch {
            throw .query(error)
        }
    }

    /// The longest run of `query`'s first words (an AND of plain words) that Trawl can search at
    /// once.
    private func firstWords(of query: Query) throws(QueryError) -> Query {
        guard case .all(let words) = query else {
            throw .tooManyTerms(count: 0, limit: BoundQuery.maximumTermCount)
        }
        var kept = words
        while kept.count > 1 {
            kept.removeLast(max(1, kept.count / 8))
            if (try? bind(.all(kept), joining: .all)) != nil { break }
        }
        return .all(kept)
    }

    func bind(_ query: Query, joining: WordJoin) throws(QueryError) -> BoundQuery {
        try BoundQuery(query, tokenizer: tokenizer, joining: joining)
    }

    /// One result: the document with its snippet and title cut for `matcher` (none when the
    /// request asks for no snippets).
    func hit(
        _ document: MatchedDocument, rank: Int, score: Double, explanation: ScoreExplanation?,
        matching matcher: TermMatcher, request: SearchRequest
    ) -> SearchHit {
        SearchHit(
            rank: rank, documentID: document.id, path: document.location, title: document.title, score: score,
            date: document.date,
            metadata: document.metadata,
            snippet: request.includesSnippets
                // A header block's lines are metadata: the snippet comes from the story after them
                // (with the matched lines first when only they match).
                ? cutter.snippet(ofBody: document.body, matching: matcher)
                : Snippet(text: "", highlights: []),
            titleHighlights: request.includesSnippets
                ? cutter.highlights(in: document.title, matching: matcher) : [],
            explanation: explanation)
    }

    /// A search with filters and no words: the documents that pass them, newest first, each
    /// with the opening of its text as the snippet.
    private func listing(_ request: SearchRequest, filter: DocumentFilter, notes: [SearchNote])
        throws(SearchError) -> SearchResponse
    {
        do {
            let total = try store.filteredCount(filter)
            let documents =
                request.offset < total
                ? try store.filteredDocuments(filter, limit: request.limit, offset: request.offset) : []
            let nothing = TermMatcher(HighlightPatterns())
            let hits = documents.enumerated().map { position, document in
                hit(
                    document, rank: request.offset + position + 1, score: 0, explanation: nil,
                    matching: nothing, request: request)
            }
            let facets = try store.facetCounts(
                request.facets, of: nil, filter: filter, top: request.facetLimit)
            return SearchResponse(
                query: request.query, total: total, hits: hits, wordJoin: .all, allWordsTotal: total,
                notes: notes, parsedQuery: nil, filter: filter, facets: facets)
        } catch {
            throw .index(error)
        }
    }
}
