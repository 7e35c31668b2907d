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

    /// Creates a request. With `wordJoin` nil (automatic), a keyword query (a few words) requires
    /// every word, and falls back to any word, documents holding more of them first, when no
    /// document has them all; a longer, question-like query matches any word.
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
    /// The file's path, or `path#record` for a record inside a file.
    public var path: String
    public var title: String
    public var score: Double
    /// Seconds since 1970.
    public var date: Double
    /// Author, source, tags, language, URL and where the date came from.
    public var metadata: DocumentMetadata
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
    /// How the words were combined: `.all` (every word required) or `.any`.
    public var wordJoin: WordJoin = .all
    /// True when the words were to be required together but too few documents had them all to
    /// fill the page, so documents with any of them follow those with all of them.
    public var relaxedToAnyWord = false
    /// How many documents have every word (nil when unknown: `any` was asked for).
    public var allWordsTotal: Int?
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
        if let since = request.since, let until = request.until, since >= until {
            throw .invalidOption("--since must be earlier than --until.")
        }
        var bound: FTS5Query
        let query: Query
        var wordJoin: WordJoin
        var relaxed = false
        do {
            var filter = DocumentFilter(since: request.since, until: request.until)
            let isBlank = request.query.allSatisfy(\.isWhitespace)
            let (search, filterQuery) =
                isBlank && !filter.isEmpty
                ? (nil, nil) : try QueryParser().parse(request.query).separatingFilters()
            if let filterQuery {
                let metadata = try filterQuery.documentFilter(tokenizer: tokenizer)
                (filter.metadataMatch, filter.excludedMetadataMatch) =
                    (metadata.metadataMatch, metadata.excludedMetadataMatch)
            }
            guard let search else { return try listing(request, filter: filter) }
            query = search.droppingStopwords(request.stopwords)
            wordJoin =
                request.wordJoin
                ?? (query.rankedTerms(tokenizer: tokenizer).count <= request.parameters.keywordQueryTermLimit
                    ? .all : .any)
            bound = try query.fts5Query(tokenizer: tokenizer, joining: wordJoin)
            bound.filter = filter
        } catch let error as QueryError {
            throw .query(error)
        } catch let error as SearchError {
            throw error
        } catch {
            throw .invalidOption("\(error)")
        }
        let page: [(document: MatchedDocument, explanation: ScoreExplanation?)]
        var total: Int
        var allWordsTotal: Int?
        do {
            let champion = try championLookup(bound, request: request)
            var candidates: PrecomputedCandidates?
            if let known = champion?.list?.documentFrequency, champion?.excluded == nil {
                total = known
            } else if request.ranking == .trawl, request.sort == .relevance, champion == nil {
                // The ranking stage will want FTS5's best candidates: take them with the count.
                let depth = max(request.offset + request.limit, request.parameters.candidateDepth)
                let found = try store.rankedCandidates(bound, limit: depth)
                candidates = PrecomputedCandidates(depth: depth, ids: found.ids)
                total = found.total
            } else {
                total = try store.matchCount(bound)
            }
            let pageEnd = request.offset + request.limit
            var anyWord =
                request.wordJoin == nil && wordJoin == .all && total < pageEnd
                ? try? query.fts5Query(tokenizer: tokenizer, joining: .any) : nil
            anyWord?.filter = bound.filter
            var anyWordTotal: Int?
            if let anyWord, anyWord.matchText != bound.matchText {
                anyWordTotal = try store.matchCount(anyWord)
            }
            if let anyWord, let anyWordTotal, anyWordTotal > total {
                // Too few documents have every word to fill the page: list them first, then those
                // with any of the words, ranked (coordination puts those with more words first).
                var everyWordRequest = request
                (everyWordRequest.offset, everyWordRequest.limit) = (0, max(total, 1))
                let everyWord =
                    total > 0
                    ? try rankedPage(
                        everyWordRequest, query: query, bound: bound, candidates: candidates,
                        matchCount: total)
                    : []
                var anyWordRequest = request
                (anyWordRequest.offset, anyWordRequest.limit) = (0, pageEnd)
                let listed = Set(everyWord.map(\.document.id))
                let rest = try rankedPage(anyWordRequest, query: query, bound: anyWord)
                    .filter { !listed.contains($0.document.id) }
                let combined = everyWord + rest
                page =
                    request.offset < combined.count
                    ? Array(combined[request.offset..<min(pageEnd, combined.count)]) : []
                allWordsTotal = total
                total = anyWordTotal
                (bound, wordJoin, relaxed) = (anyWord, .any, true)
            } else {
                page = try rankedPage(
                    request, query: query, bound: bound, champion: champion, candidates: candidates,
                    matchCount: total)
            }
        } catch {
            throw .index(error)
        }
        let matcher = TermMatcher(terms: bound.highlightTerms, prefixes: bound.highlightPrefixes)
        let hits = page.enumerated().map { position, entry in
            let document = entry.document
            return SearchHit(
                rank: request.offset + position + 1, path: document.location, title: document.title,
                score: entry.explanation?.total ?? document.score, date: document.date,
                metadata: document.metadata,
                snippet: request.includesSnippets
                    ? cutter.snippet(of: document.body, matching: matcher)
                    : Snippet(text: "", highlights: []),
                titleHighlights: request.includesSnippets
                    ? cutter.highlights(in: document.title, matching: matcher) : [],
                explanation: entry.explanation)
        }
        return SearchResponse(
            query: request.query, total: total, hits: hits, wordJoin: wordJoin, relaxedToAnyWord: relaxed,
            allWordsTotal: allWordsTotal ?? (wordJoin == .all ? total : nil))
    }

    /// A search with filters and no words: the documents that pass them, newest first, each
    /// with the opening of its text as the snippet.
    private func listing(_ request: SearchRequest, filter: DocumentFilter) throws(SearchError)
        -> SearchResponse
    {
        do {
            let total = try store.filteredCount(filter)
            let documents = try store.filteredDocuments(filter, limit: request.limit, offset: request.offset)
            let nothing = TermMatcher(terms: [], prefixes: [])
            let hits = documents.enumerated().map { position, document in
                SearchHit(
                    rank: request.offset + position + 1, path: document.location, title: document.title,
                    score: 0, date: document.date, metadata: document.metadata,
                    snippet: request.includesSnippets
                        ? cutter.snippet(of: document.body, matching: nothing)
                        : Snippet(text: "", highlights: []),
                    titleHighlights: [], explanation: nil)
            }
            return SearchResponse(
                query: request.query, total: total, hits: hits, wordJoin: .all, allWordsTotal: total)
        } catch {
            throw .index(error)
        }
    }

    /// FTS5's best candidates for a query, fetched with its count: the first `depth` by `bm25()`.
    private struct PrecomputedCandidates {
        var depth: Int
        var ids: [Int64]
    }

    /// The requested page, ordered and (with Trawl's ranking) explained. `matchCount`, when
    /// known, is how many documents `bound` matches.
    private func rankedPage(
        _ request: SearchRequest, query: Query, bound: FTS5Query, champion: ChampionLookup? = nil,
        candidates: PrecomputedCandidates? = nil, matchCount: Int? = nil
    ) throws(IndexError)
        -> [(document: MatchedDocument, explanation: ScoreExplanation?)]
    {
        let pageEnd = request.offset + request.limit
        if request.ranking == .fts5 {
            let order: MatchOrder = request.sort == .date ? .newestFirst : .relevance
            return try store.matches(bound, limit: request.limit, offset: request.offset, order: order).map {
                ($0, nil)
            }
        }
        let known =
            champion.flatMap { lookup in lookup.list.map { [lookup.term: $0.documentFrequency] } } ?? [:]
        // A query of one term with alternatives or a prefix (`pro*`) matches exactly the documents
        // that term is in: its frequency is the count already taken.
        let knownMatch = bound.filter.isEmpty ? matchCount.map { (text: bound.matchText, count: $0) } : nil
        let ranker = try makeRanker(
            query: query, parameters: request.parameters, knownFrequencies: known, knownMatch: knownMatch)
        if request.sort == .date {
            let documents = try store.matches(
                bound, limit: request.limit, offset: request.offset, order: .newestFirst)
            return documents.map { ($0, explanation(of: $0, by: ranker)) }
        }
        let depth = max(pageEnd, request.parameters.candidateDepth)
        var scored: [(document: MatchedDocument?, id: Int64, explanation: ScoreExplanation)]
        if ranker.terms.contains(where: { !$0.prefixes.isEmpty }) {
            // Prefix terms are not single index terms: re-tokenize the candidates instead.
            let documents =
                if let candidates, candidates.depth >= depth {
                    try store.documents(withIDs: Array(candidates.ids.prefix(depth)))
                } else {
                    try store.matches(bound, limit: depth)
                }
            scored = documents.map { ($0, $0.id, explanation(of: $0, by: ranker)) }
        } else {
            let champions = try champion.flatMap { lookup throws(IndexError) in
                try championCandidates(lookup, ranker: ranker, depth: depth)
            }
            let ids: [Int64]
            if let champions {
                ids = champions.map(\.id)
            } else if let candidates, candidates.depth >= depth {
                ids = Array(candidates.ids.prefix(depth))
            } else {
                ids = try store.candidateIDs(bound, limit: depth)
            }
            // Positions from the index cost a pass over each term's whole posting list; for
            // frequent terms, re-tokenizing the few candidates is cheaper (same scores).
            let postings = ranker.terms.reduce(0) { $0 + $1.documentFrequency }
            let texts: [Int64: MatchedDocument]? =
                champions == nil && postings > Self.positionsFromIndexLimit
                ? Dictionary(
                    try store.documents(withIDs: ids).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
                : nil
            func explanations(by ranker: Ranker) throws(IndexError) -> [Int64: ScoreExplanation] {
                if let champions {
                    return Dictionary(
                        champions.map { ($0.id, $0.explanation) }, uniquingKeysWith: { a, _ in a })
                }
                guard let texts else { return try explanationsFromIndex(of: ids, by: ranker) }
                var result: [Int64: ScoreExplanation] = [:]
                for id in ids {
                    result[id] =
                        texts[id].map { explanation(of: $0, by: ranker) }
                        ?? ranker.explanation(
                            title: ranker.occurrences(in: ""), body: ranker.occurrences(in: ""))
                }
                return result
            }
            var explained = try explanations(by: ranker)
            if !ranker.isKeywordQuery, request.parameters.feedbackDocuments > 0 {
                let top = ids.sorted { explained[$0]!.total > explained[$1]!.total }
                    .prefix(request.parameters.feedbackDocuments)
                let expanded = try expandedRanker(
                    ranker, feedback: top.map { ($0, explained[$0]!.total) }, stopwords: request.stopwords)
                explained = try explanations(by: expanded)
            }
            scored = ids.map { (texts?[$0], $0, explained[$0]!) }
        }
        if request.prefersRecent {
            let now = request.now ?? Date().timeIntervalSince1970
            let best = scored.map(\.explanation.total).max() ?? 0
            let dates = try datesByID(scored)
            for index in scored.indices {
                scored[index].explanation.recency = ranker.recencyBonus(
                    date: dates[scored[index].id] ?? 0, now: now, scale: best)
            }
        }
        // A stable sort keeps FTS5's order among equal scores.
        let ranked = scored.enumerated().sorted { left, right in
            let (leftScore, rightScore) = (left.element.explanation.total, right.element.explanation.total)
            if leftScore != rightScore { return leftScore > rightScore }
            return left.offset < right.offset
        }.map(\.element)
        guard request.offset < ranked.count else { return [] }
        let page = ranked[request.offset..<min(pageEnd, ranked.count)]
        let missing = page.filter { $0.document == nil }.map(\.id)
        var loaded: [Int64: MatchedDocument] = [:]
        for document in try store.documents(withIDs: missing) { loaded[document.id] = document }
        return page.compactMap { entry in
            guard let document = entry.document ?? loaded[entry.id] else { return nil }
            return (document, entry.explanation)
        }
    }

    /// `ranker` with pseudo-relevance feedback terms added: the terms that weigh most in the
    /// `feedback` documents (with their first-pass scores), by Σ_d score(d)/score(top) ×
    /// tf(t, d)/|d| × idf(t), each weighted in proportion to the strongest (whose weight is
    /// `feedbackWeight`); a simplified RM3.
    private func expandedRanker(
        _ ranker: Ranker, feedback: [(id: Int64, score: Double)], stopwords: Set<String>
    )
        throws(IndexError) -> Ranker
    {
        var strength: [String: Double] = [:]
        let scores = Dictionary(feedback.map { ($0.id, $0.score) }, uniquingKeysWith: { first, _ in first })
        let topScore = feedback.map(\.score).max() ?? 1
        for document in try store.documents(withIDs: feedback.map(\.id)) {
            let documentWeight = topScore > 0 ? (scores[document.id] ?? 0) / topScore : 1
            var counts: [String: Int] = [:]
            var length = 0
            for token in tokenizer.tokens(in: document.title + "\n" + document.body) {
                if !token.colocated { length += 1 }
                let term = token.term
                guard term.utf8.count > 2, ranker.termIndex(of: term) == nil, !stopwords.contains(term),
                    term.utf8.first != Tokenizer.variantKeyMarker, !term.allSatisfy(\.isNumber)
                else { continue }
                counts[term, default: 0] += 1
            }
            guard length > 0 else { continue }
            for (term, count) in counts {
                strength[term, default: 0] += documentWeight * Double(count) / Double(length)
            }
        }
        // Looking up every distinct term of the feedback documents costs more than the rest of
        // the search: only the strongest (before idf) are looked up.
        let strongest = strength.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(Self.feedbackCandidateTerms).map(\.key)
        let frequencies = try store.documentFrequencies(of: Set(strongest))
        let documentCount = ranker.statistics.documentCount
        let weighted = strength.compactMap { term, value -> (String, Double, Int)? in
            guard let frequency = frequencies[term] else { return nil }
            let idf = Ranker.inverseDocumentFrequency(
                documentFrequency: frequency, documentCount: documentCount)
            return (term, value * idf, frequency)
        }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.prefix(ranker.parameters.feedbackTerms)
        guard let strongest = weighted.first?.1, strongest > 0 else { return ranker }
        let expansion = weighted.map { term, value, frequency in
            RankedTerm(
                terms: [term], documentFrequency: frequency,
                weight: ranker.parameters.feedbackWeight * value / strongest, isExpansion: true)
        }
        return Ranker(
            terms: ranker.terms + expansion, statistics: ranker.statistics, parameters: ranker.parameters)
    }

    /// How many feedback-document terms (the strongest by frequency) are weighed by idf.
    static let feedbackCandidateTerms = 100

    /// Dates of the scored documents, loading those not yet loaded.
    private func datesByID(_ scored: [(document: MatchedDocument?, id: Int64, explanation: ScoreExplanation)])
        throws(IndexError) -> [Int64: Double]
    {
        var dates: [Int64: Double] = [:]
        for entry in scored { if let document = entry.document { dates[entry.id] = document.date } }
        for document in try store.documents(withIDs: scored.filter { $0.document == nil }.map(\.id)) {
            dates[document.id] = document.date
        }
        return dates
    }

    /// Scores documents from the positions and lengths FTS5 stores (no re-tokenizing).
    private func explanationsFromIndex(of ids: [Int64], by ranker: Ranker) throws(IndexError)
        -> [Int64: ScoreExplanation]
    {
        let termCount = ranker.terms.count
        let stored = try store.termOccurrences(
            of: ranker.terms.flatMap { $0.terms.sorted() }, inDocuments: Set(ids))
        var positions: [Int64: [[[Int]]]] = [:]
        for occurrence in stored.occurrences {
            guard let term = ranker.termIndex(of: occurrence.term) else { continue }
            positions[
                occurrence.documentID,
                default: Array(repeating: Array(repeating: [], count: termCount), count: 2)][
                    occurrence.field][term].append(occurrence.position)
        }
        var result: [Int64: ScoreExplanation] = [:]
        for id in ids {
            let fields = positions[id] ?? Array(repeating: Array(repeating: [], count: termCount), count: 2)
            // Alternatives of one query term can share a position: keep each position once, in order.
            let sorted = fields.map { $0.map { Array(Set($0)).sorted() } }
            let lengths = stored.fieldLengths[id] ?? (0, 0)
            result[id] = ranker.explanation(
                title: FieldOccurrences(length: lengths.title, positions: sorted[0]),
                body: FieldOccurrences(length: lengths.body, positions: sorted[1]))
        }
        return result
    }

    /// A ranker for `query`'s terms, with document frequencies and collection statistics from the index.
    ///
    /// A term that is one index term has its frequency looked up in FTS5's vocabulary (one
    /// b-tree seek); alternatives and prefixes are counted with a MATCH (a pass over their postings),
    /// unless `knownMatch` is the count of that very MATCH.
    private func makeRanker(
        query: Query, parameters: RankingParameters, knownFrequencies: [String: Int] = [:],
        knownMatch: (text: String, count: Int)? = nil
    ) throws(IndexError) -> Ranker {
        var terms = query.rankedTerms(tokenizer: tokenizer)
        let singles = Set(terms.filter { $0.terms.count == 1 && $0.prefixes.isEmpty }.flatMap(\.terms))
            .subtracting(knownFrequencies.keys)
        let known = knownFrequencies.merging(
            singles.isEmpty ? [:] : try store.documentFrequencies(of: singles),
            uniquingKeysWith: { a, _ in a })
        for index in terms.indices {
            if terms[index].terms.count == 1, terms[index].prefixes.isEmpty,
                let term = terms[index].terms.first
            {
                terms[index].documentFrequency = known[term] ?? 0
            } else {
                let (anyOf, prefixes) = (terms[index].terms.sorted(), terms[index].prefixes.sorted())
                if let knownMatch, knownMatch.text == IndexStore.anyOfMatchText(anyOf, prefixes: prefixes) {
                    terms[index].documentFrequency = knownMatch.count
                } else {
                    terms[index].documentFrequency = try store.documentFrequency(
                        ofAnyOf: anyOf, prefixes: prefixes)
                }
            }
        }
        return Ranker(terms: terms, statistics: try store.collectionStatistics(), parameters: parameters)
    }

    /// A single-term query's stored champion list, looked up once per search (nil when the query
    /// is not one term, alone or minus exclusions, or is ranked otherwise than by Trawl's default
    /// ranking).
    private struct ChampionLookup {
        var term: String
        /// The MATCH text of what the query excludes (`said -oil`), if anything.
        var excluded: String?
        var version: Int64
        /// Nil when none is stored for the index's current version.
        var list: ChampionList?
    }

    private func championLookup(_ bound: FTS5Query, request: SearchRequest) throws(IndexError)
        -> ChampionLookup?
    {
        guard request.ranking == .trawl, bound.filter.isEmpty, request.parameters == RankingParameters(),
            let (term, excluded): (String, String?) =
                bound.singleTerm.map({ ($0, nil) })
                ?? bound.singleTermWithExclusion.map({ ($0.term, $0.excluded) })
        else { return nil }
        // Lists stored under other ranking defaults are another version: they are not used.
        let version = try store.indexVersion() ^ RankingParameters.revision
        return ChampionLookup(
            term: term, excluded: excluded, version: version,
            list: store.championList(of: term, indexVersion: version))
    }

    /// Above this many postings (summed document frequencies of the query terms), candidates are
    /// re-scored from their re-tokenized text rather than from positions read from the index.
    static let positionsFromIndexLimit = 1_000

    /// A term in at least this many documents gets a champion list (see `championCandidates`).
    static let championListThreshold = 1_000

    /// How many documents a champion list holds: deeper pages than this are ranked the usual way.
    static let championListLength = 200

    /// The best `depth` candidates of a single-term query whose term is in very many documents
    /// (or of such a term minus exclusions: `said -oil`), from the term's champion list (its best
    /// documents under Trawl's own scoring with the default parameters), computing and storing the
    /// list if the index has none for its current version.
    /// Nil when the query is not such a query: then FTS5's `bm25()` picks the candidates.
    ///
    /// The list is exact: for one term, the score depends only on the term's frequencies and the
    /// field lengths, which the list was ranked by; re-scoring the first `depth` of it gives the
    /// same top `depth` as scoring every posting. Exclusions do not change a document's score, so
    /// the list without the excluded documents is exact too, as long as `depth` of it are left.
    private func championCandidates(_ lookup: ChampionLookup, ranker: Ranker, depth: Int) throws(IndexError)
        -> [(id: Int64, explanation: ScoreExplanation)]?
    {
        let term = lookup.term
        guard ranker.terms.count == 1, ranker.terms[0].terms == [term],
            ranker.terms[0].documentFrequency >= Self.championListThreshold, depth <= Self.championListLength
        else { return nil }
        func explained(_ posting: TermPosting) -> (id: Int64, explanation: ScoreExplanation) {
            let title = FieldOccurrences(
                length: posting.titleLength, positions: [Array(repeating: 0, count: posting.titleFrequency)])
            let body = FieldOccurrences(
                length: posting.bodyLength, positions: [Array(repeating: 0, count: posting.bodyFrequency)])
            return (posting.documentID, ranker.explanation(title: title, body: body))
        }
        /// The best `depth` of `list` without the excluded documents; nil when too few are left.
        func candidates(from list: [TermPosting]) throws(IndexError) -> [(
            id: Int64, explanation: ScoreExplanation
        )]? {
            guard let excluded = lookup.excluded else { return list.prefix(depth).map(explained) }
            let excludedIDs = try store.matchingIDs(excluded)
            let kept = list.filter { !excludedIDs.contains($0.documentID) }
            return kept.count >= depth ? kept.prefix(depth).map(explained) : nil
        }
        if let stored = lookup.list {
            return try candidates(from: stored.postings)
        }
        let postings = try store.postings(of: term)
        let scores = postings.map { explained($0).explanation.total }
        // Best first; equal scores by id, so the list does not depend on the posting order.
        let best = postings.indices.sorted {
            scores[$0] != scores[$1]
                ? scores[$0] > scores[$1] : postings[$0].documentID < postings[$1].documentID
        }.prefix(Self.championListLength).map { postings[$0] }
        store.storeChampionList(
            ChampionList(documentFrequency: postings.count, postings: best), of: term,
            indexVersion: lookup.version)
        return try candidates(from: best)
    }

    private func explanation(of document: MatchedDocument, by ranker: Ranker) -> ScoreExplanation {
        ranker.explanation(
            title: ranker.occurrences(in: document.title), body: ranker.occurrences(in: document.body))
    }
}
