import Foundation
import TrawlIndex
import TrawlText

// The ranking stage of a search: how candidates are found for a bound query (one strategy,
// chosen once from the query's shape and the request), how they are scored, and the champion
// lists and pseudo-relevance feedback that serve it.

/// How a search finds the documents its ranker scores.
enum CandidateStrategy {
    /// FTS5's `bm25()` orders and pages the matches itself (the `fts5` ranking).
    case fts5Order
    /// The matches newest first, each explained (`--sort date`).
    case dateOrder
    /// A very frequent single term, alone or minus exclusions, or a prefix alone: its champion
    /// list (exact), or a scoring pass when the list cannot serve the page.
    case championList(Searcher.ChampionLookup)
    /// Every match scored by Trawl's ranker in one pass over the MATCH, the best kept (taken
    /// with the count, unless one term's count had to come first for its document frequency).
    case scored(ScoredCandidates)
}

/// The best matches of one scoring pass (`Searcher.scoredCandidates`), explained.
struct ScoredCandidates {
    /// The ranker that scored them.
    var ranker: Ranker
    /// Best first, equal scores by id.
    var entries: [(id: Int64, explanation: ScoreExplanation)]
    /// How many the pass kept at most: places past it need another pass.
    var keep: Int
}

/// A bound query counted, with the strategy its page will be ranked by.
struct EvaluatedQuery {
    var total: Int
    var strategy: CandidateStrategy
    /// Which matches belong to near-duplicate groups, when the search collapses them.
    var grouped: GroupedMatches?
}

/// How a query's matches fall into near-duplicate groups, counted with the query (see
/// `Searcher.evaluate`).
struct GroupedMatches {
    var count: GroupedMatchCount
    /// Every matching document that belongs to a group, with its group, when the count was made
    /// from them (a frequent term's champion list); nil when only counted.
    var members: [Int64: Int64]?
}

extension Searcher {
    /// Counts the matches of `bound` and chooses how its candidates will be found; with
    /// `countingGroups`, also counts the matches' near-duplicate groups, in the same pass where
    /// there is one (a frequent term's champion list holds its grouped documents: no pass).
    func evaluate(_ bound: BoundQuery, request: SearchRequest, countingGroups: Bool = false)
        throws(IndexError) -> EvaluatedQuery
    {
        /// The matches counted, with their groups when asked for.
        func counted() throws(IndexError) -> (total: Int, grouped: GroupedMatches?) {
            guard countingGroups else { return (try store.matchCount(bound), nil) }
            let counted = try store.matchCountWithGroups(bound)
            return (counted.total, GroupedMatches(count: counted.grouped))
        }
        if request.ranking == .fts5 {
            let (total, grouped) = try counted()
            return EvaluatedQuery(total: total, strategy: .fts5Order, grouped: grouped)
        }
        if request.sort == .date {
            let (total, grouped) = try counted()
            return EvaluatedQuery(total: total, strategy: .dateOrder, grouped: grouped)
        }
        if var lookup = try championLookup(bound, request: request) {
            if countingGroups, lookup.list == nil, lookup.excluded == nil {
                // No list for this version of the index (its first search since the index
                // changed, or a rarer term): when the term is frequent enough for one, build the
                // list now — it counts the term's groups — instead of counting them in a pass of
                // their own and building the list after.
                let total = try store.matchCount(bound)
                if total >= Self.championListThreshold {
                    let ranker = try makeRanker(
                        bound, parameters: request.parameters, knownFrequencies: [lookup.key: total],
                        matchCount: total)
                    lookup.list = try buildChampionList(lookup, ranker: ranker)
                }
            }
            if countingGroups, let list = lookup.list, let count = list.grouped {
                // Few enough to hold: the members themselves, for the page's look-ups and to take
                // out what an exclusion excludes.
                let members =
                    count.groupedDocuments <= Self.groupedMembersInMemory
                    ? list.groupedDocuments
                        ?? store.championGroupedDocuments(of: lookup.key, indexVersion: lookup.version) : nil
                if lookup.excluded == nil {
                    return EvaluatedQuery(
                        total: list.documentFrequency, strategy: .championList(lookup),
                        grouped: GroupedMatches(count: count, members: members))
                }
                if let excluded = lookup.excluded, var matching = members {
                    let excludedIDs = try store.matchingIDs(excluded)
                    lookup.excludedIDs = excludedIDs
                    matching = matching.filter { !excludedIDs.contains($0.key) }
                    let grouped = GroupedMatches(
                        count: GroupedMatchCount(groupsOfDocuments: matching.values), members: matching)
                    return EvaluatedQuery(
                        total: try store.matchCount(bound), strategy: .championList(lookup), grouped: grouped)
                }
            }
            if lookup.excluded == nil, let list = lookup.list, !countingGroups {
                return EvaluatedQuery(total: list.documentFrequency, strategy: .championList(lookup))
            }
            var listServes = true
            if let excluded = lookup.excluded, let list = lookup.list {
                // Too few of the list left after the exclusion to fill the candidates: a scoring
                // pass ranks the matches and counts them (and their groups) at once, rather
                // than a count first and the pass after.
                let excludedIDs = try excludedDocuments(excluded, among: list.postings.map(\.documentID))
                lookup.excludedIDs = excludedIDs
                // `excludedIDs` may hold documents the list does not: count what is left of it.
                let left = list.postings.count(where: { !excludedIDs.contains($0.documentID) })
                listServes = left >= request.parameters.candidateDepth
            }
            if listServes {
                let (total, grouped) = try counted()
                return EvaluatedQuery(total: total, strategy: .championList(lookup), grouped: grouped)
            }
        }
        // Every other query: each match scored in one pass.
        let keep = max(request.parameters.candidateDepth, request.offset + request.limit)
        guard Self.matchCountIsTermFrequency(bound) else {
            // Nothing to rank: no document frequency is counted (for a phrase of common words
            // that is a pass over each word's documents, to find none).
            guard try store.hasMatches(bound) else {
                let nothing = ScoredCandidates(
                    ranker: Ranker(terms: [], statistics: .empty), entries: [], keep: keep)
                let grouped =
                    countingGroups
                    ? GroupedMatches(count: GroupedMatchCount(groupedDocuments: 0, groups: 0)) : nil
                return EvaluatedQuery(total: 0, strategy: .scored(nothing), grouped: grouped)
            }
            let ranker = try makeRanker(bound, parameters: request.parameters)
            let pass = try scoredCandidates(bound, ranker: ranker, keep: keep, countingGroups: countingGroups)
            return EvaluatedQuery(
                total: pass.total, strategy: .scored(pass.candidates),
                grouped: pass.grouped.map { GroupedMatches(count: $0) })
        }
        // One query term alone: its document frequency is the match count, counted first.
        let (total, grouped) = try counted()
        let ranker = try makeRanker(bound, parameters: request.parameters, matchCount: total)
        let pass = try scoredCandidates(bound, ranker: ranker, keep: keep, countingGroups: false)
        return EvaluatedQuery(total: total, strategy: .scored(pass.candidates), grouped: grouped)
    }

    /// The requested page of `bound`'s matches, ordered and (with Trawl's ranking) explained.
    func rankedPage(_ request: SearchRequest, bound: BoundQuery, evaluated: EvaluatedQuery)
        throws(IndexError) -> [(document: MatchedDocument, explanation: ScoreExplanation?)]
    {
        let list = try rankedList(
            request, bound: bound, evaluated: evaluated, from: request.offset,
            through: request.offset + request.limit)
        return try loaded(list.entries[...], ranker: list.ranker)
    }

    /// One place in a ranking: the document when already read, its id, and its score's parts
    /// (nil past the candidates the ranker scored, or with the FTS5 ranking).
    typealias RankedEntry = (document: MatchedDocument?, id: Int64, explanation: ScoreExplanation?)

    /// The places `start..<end` of `bound`'s ranking, with the ranker that scored them (nil with
    /// the FTS5 ranking).
    struct RankedList {
        var entries: [RankedEntry]
        var ranker: Ranker?
    }

    /// Places `start..<end` of `bound`'s matches, ordered and (with Trawl's ranking) explained.
    ///
    /// Trawl's ranker orders every match: a champion list's best, or a scoring pass that keeps
    /// at least `candidateDepth` and the whole page (a page past what the pass or the list kept
    /// costs a pass of its own). Questions re-rank what was kept with pseudo-relevance feedback.
    func rankedList(
        _ request: SearchRequest, bound: BoundQuery, evaluated: EvaluatedQuery, from start: Int,
        through end: Int
    ) throws(IndexError) -> RankedList {
        let depth = request.parameters.candidateDepth
        let ranker: Ranker
        let candidates: [(id: Int64, explanation: ScoreExplanation)]
        switch evaluated.strategy {
        case .fts5Order:
            let documents = try store.matches(bound, limit: end - start, offset: start, order: .relevance)
            return RankedList(entries: documents.map { ($0, $0.id, nil) }, ranker: nil)
        case .dateOrder:
            let ranker = try makeRanker(bound, parameters: request.parameters, matchCount: evaluated.total)
            let documents = try store.matches(bound, limit: end - start, offset: start, order: .newestFirst)
            return RankedList(
                entries: documents.map { ($0, $0.id, explanation(of: $0, by: ranker)) }, ranker: ranker)
        case .championList(let lookup):
            let known = lookup.list.map { [lookup.key: $0.documentFrequency] } ?? [:]
            ranker = try makeRanker(
                bound, parameters: request.parameters, knownFrequencies: known, matchCount: evaluated.total)
            if let champions = try championCandidates(lookup, ranker: ranker, depth: depth),
                end <= champions.count || evaluated.total <= champions.count
            {
                candidates = champions
            } else {
                // A rarer term, too few left after exclusions, or a page past the list.
                candidates = try scoredCandidates(
                    bound, ranker: ranker, keep: max(depth, end), countingGroups: false
                ).candidates.entries
            }
        case .scored(let pass):
            ranker = pass.ranker
            candidates =
                end > pass.keep && evaluated.total > pass.keep
                ? try scoredCandidates(bound, ranker: ranker, keep: end, countingGroups: false).candidates
                    .entries
                : pass.entries
        }
        let ids = candidates.map(\.id)
        var explained = Dictionary(
            candidates.map { ($0.id, $0.explanation) }, uniquingKeysWith: { first, _ in first })
        var loaded: [Int64: MatchedDocument] = [:]
        // Questions get pseudo-relevance feedback (not with prefixes, whose candidates would be
        // re-tokenized).
        if !ranker.isKeywordQuery, request.parameters.feedbackDocuments > 0, !ranker.hasPrefixTerms {
            let top = ids.sorted { explained[$0]!.total > explained[$1]!.total }
                .prefix(request.parameters.feedbackDocuments)
            let expanded = try expandedRanker(
                ranker, feedback: top.map { ($0, explained[$0]!.total) }, stopwords: request.stopwords)
            let source = try feedbackSource(ids: ids, ranker: expanded)
            explained = try source.explanations(by: expanded, searcher: self)
            if case .storedText(_, let documents) = source { loaded = documents }
        }
        var scored: [(document: MatchedDocument?, id: Int64, explanation: ScoreExplanation)] =
            ids.map { (loaded[$0], $0, explained[$0]!) }
        if request.prefersRecent {
            let now = request.now ?? Date().timeIntervalSince1970
            let best = scored.map(\.explanation.total).max() ?? 0
            let dates = try datesByID(scored)
            // An undated document gets no recency bonus.
            for index in scored.indices {
                guard let date = dates[scored[index].id] else { continue }
                scored[index].explanation.recency = ranker.recencyBonus(date: date, now: now, scale: best)
            }
        }
        // A stable sort keeps the candidates' order (equal scores by id) among equal scores.
        let ranked: [RankedEntry] =
            scored.enumerated().sorted { left, right in
                let (leftScore, rightScore) = (
                    left.element.explanation.total, right.element.explanation.total
                )
                if leftScore != rightScore { return leftScore > rightScore }
                return left.offset < right.offset
            }.map { ($0.element.document, $0.element.id, $0.element.explanation) }
        guard start < ranked.count else { return RankedList(entries: [], ranker: ranker) }
        return RankedList(entries: Array(ranked[start..<min(end, ranked.count)]), ranker: ranker)
    }

    /// The documents of `entries`, reading those not yet read and explaining those not yet
    /// explained (with `ranker`, when there is one).
    func loaded(_ entries: ArraySlice<RankedEntry>, ranker: Ranker?) throws(IndexError)
        -> [(document: MatchedDocument, explanation: ScoreExplanation?)]
    {
        let missing = entries.filter { $0.document == nil }.map(\.id)
        var loaded: [Int64: MatchedDocument] = [:]
        for document in try store.documents(withIDs: missing) { loaded[document.id] = document }
        return entries.compactMap { entry in
            guard let document = entry.document ?? loaded[entry.id] else { return nil }
            return (document, entry.explanation ?? ranker.map { explanation(of: document, by: $0) })
        }
    }

    /// Scores every match of `bound` with `ranker` in one pass (`IndexStore.scoredMatches`) and
    /// keeps the best `keep`, explained: exact, since every match is scored; a match whose
    /// score cannot reach the `keep`-th best so far is bounded rather than scored
    /// (`Ranker.IndexedScorer`). Also the match count and, with `countingGroups`, the matches'
    /// near-duplicate groups, counted in the same pass.
    func scoredCandidates(_ bound: BoundQuery, ranker: Ranker, keep: Int, countingGroups: Bool)
        throws(IndexError) -> (candidates: ScoredCandidates, total: Int, grouped: GroupedMatchCount?)
    {
        var explanations: [Int64: ScoreExplanation] = [:]
        var scorer = ranker.indexedScorer()
        let matches = try store.scoredMatches(bound, keep: keep, countingGroups: countingGroups) {
            row, lengths, toBeat in
            let score = scorer.score(row, lengths: lengths, unlessBelow: toBeat)
            // Kept whenever it ties the score to beat too: the pass orders equal scores by id.
            if case .exact(let explanation) = score, explanation.total >= toBeat {
                explanations[row.documentID] = explanation
            }
            return score.value
        }
        let candidates = ScoredCandidates(
            ranker: ranker,
            entries: matches.best.compactMap { match in explanations[match.id].map { (match.id, $0) } },
            keep: keep)
        return (candidates, matches.total, matches.grouped)
    }

    /// Where a question's feedback terms are read for its candidates `ids` (see `ScoreSource`):
    /// the positions FTS5 stores, or the candidates' text when the terms' postings outnumber it.
    func feedbackSource(ids: [Int64], ranker: Ranker) throws(IndexError) -> ScoreSource {
        // Positions from the index cost a pass over the terms' postings; re-tokenizing costs the
        // candidates' text (same scores). Past the crossover measured on Reuters, the text is
        // cheaper.
        let postings = ranker.terms.reduce(0) { $0 + $1.documentFrequency }
        let statistics = ranker.statistics
        let averageLength =
            statistics.averageTitleLength + statistics.averageBodyLength + statistics.averageMetaLength
        let tokens = Double(ids.count) * averageLength
        guard Double(postings) > Self.postingsPerRetokenizedToken * tokens else {
            return .indexPositions(ids)
        }
        return .storedText(ids: ids, documents: Self.byID(try store.documents(withIDs: ids)))
    }

    /// Above this many postings (summed document frequencies of the query terms) for each token
    /// of the candidates' text, candidates are re-scored from their re-tokenized text rather than
    /// from positions read from the index. Measured on Reuters (100 candidates of about 150
    /// tokens; `trawl-bench warm-search`, 2026-12-06): `said oil`, 16,800 postings, 9.5 → 6.1 ms
    /// from the index; `mln said`, 23,600, 11.4 → 11.3 ms; `mln dlrs in`, 29,000, 7.8 → 8.2 ms.
    static let postingsPerRetokenizedToken = 1.5

    static func byID(_ documents: [MatchedDocument]) -> [Int64: MatchedDocument] {
        Dictionary(documents.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// `ranker` with pseudo-relevance feedback terms added: the terms that weigh most in the
    /// `feedback` documents (with their first-pass scores), by Σ_d score(d)/score(top) ×
    /// tf(t, d)/|d| × idf(t), each weighted in proportion to the strongest (whose weight is
    /// `feedbackWeight`); a simplified RM3. The feedback documents are read here.
    func expandedRanker(_ ranker: Ranker, feedback: [(id: Int64, score: Double)], stopwords: Set<String>)
        throws(IndexError) -> Ranker
    {
        var strength: [String: Double] = [:]
        let scores = Dictionary(feedback.map { ($0.id, $0.score) }, uniquingKeysWith: { first, _ in first })
        let topScore = feedback.map(\.score).max() ?? 1
        let read = Self.byID(try store.documents(withIDs: feedback.map(\.id)))
        for document in feedback.compactMap({ read[$0.id] }) {
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

    /// Dates of the scored documents, loading those not yet loaded; undated documents are absent.
    func datesByID(_ scored: [(document: MatchedDocument?, id: Int64, explanation: ScoreExplanation)])
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
    func explanationsFromIndex(of ids: [Int64], by ranker: Ranker) throws(IndexError)
        -> [Int64: ScoreExplanation]
    {
        let termCount = ranker.terms.count
        let stored = try store.termOccurrences(
            of: ranker.terms.flatMap { $0.terms.sorted() }, inDocuments: Set(ids))
        // Per document, per field (title, body, meta), per query term: its positions.
        let empty = Array(repeating: Array(repeating: [Int](), count: termCount), count: 3)
        var positions: [Int64: [[[Int]]]] = [:]
        for occurrence in stored.occurrences {
            guard let term = ranker.termIndex(of: occurrence.term) else { continue }
            positions[occurrence.documentID, default: empty][occurrence.field][term].append(
                occurrence.position)
        }
        var result: [Int64: ScoreExplanation] = [:]
        for id in ids {
            let fields = positions[id] ?? empty
            // Alternatives of one query term can share a position: keep each position once, in order.
            let sorted = fields.map { $0.map { Array(Set($0)).sorted() } }
            let lengths = stored.fieldLengths[id] ?? (0, 0, 0)
            result[id] = ranker.explanation(
                title: FieldOccurrences(length: lengths.title, positions: sorted[0]),
                body: FieldOccurrences(length: lengths.body, positions: sorted[1]),
                meta: FieldOccurrences(length: lengths.meta, positions: sorted[2]))
        }
        return result
    }

    /// A ranker for the bound query's terms, with document frequencies and collection statistics
    /// from the index.
    ///
    /// When the query is one term and nothing else (shape `.singleTerm`, `.oneQueryTerm` or
    /// `.singlePrefix`, no filter), its matches are the term's documents and `matchCount` is the
    /// term's frequency. Otherwise each term's documents are counted with a MATCH (a pass over
    /// its postings), the single index terms together (`documentFrequencies(of:)`), unless
    /// `knownFrequencies` has them.
    func makeRanker(
        _ bound: BoundQuery, parameters: RankingParameters, knownFrequencies: [String: Int] = [:],
        matchCount: Int? = nil
    ) throws(IndexError) -> Ranker {
        var terms = bound.terms.map {
            RankedTerm(terms: $0.terms, prefixes: $0.prefixes, queryFrequency: $0.queryFrequency)
        }
        let counted = Self.matchCountIsTermFrequency(bound) ? matchCount : nil
        let singles =
            counted != nil
            ? [] : Set(bound.terms.compactMap(\.singleIndexTerm)).subtracting(knownFrequencies.keys)
        let known = knownFrequencies.merging(
            singles.isEmpty ? [:] : try store.documentFrequencies(of: singles),
            uniquingKeysWith: { a, _ in a })
        for index in terms.indices {
            if let single = bound.terms[index].singleIndexTerm {
                terms[index].documentFrequency = known[single] ?? counted ?? 0
            } else if let counted {
                terms[index].documentFrequency = counted
            } else {
                terms[index].documentFrequency = try store.documentFrequency(
                    ofAnyOf: terms[index].terms.sorted(), prefixes: terms[index].prefixes.sorted())
            }
        }
        return Ranker(terms: terms, statistics: try store.collectionStatistics(), parameters: parameters)
    }

    /// Whether `bound`'s match count is its one query term's document frequency: one term (with
    /// alternatives, or a prefix) and nothing else, no filter.
    static func matchCountIsTermFrequency(_ bound: BoundQuery) -> Bool {
        switch bound.shape {
        case .singleTerm, .oneQueryTerm, .singlePrefix: bound.filter.isEmpty
        case .singleTermExcluding, .general: false
        }
    }

    /// A single-term or single-prefix query's stored champion list, looked up once per search
    /// (nil when the query is not one term, alone or minus exclusions, or one prefix alone, or is
    /// ranked otherwise than by Trawl's default ranking).
    struct ChampionLookup {
        /// The index term, or the prefix, the query matches.
        var term: String
        /// Whether `term` is a prefix (`pro*`).
        var isPrefix = false
        /// What the query excludes (`said -oil`), if anything.
        var excluded: FTS5Match?
        /// The documents `excluded` matches, once read by `evaluate`: all of them (to take out
        /// of the term's grouped documents), or those among the list's.
        var excludedIDs: Set<Int64>?
        var version: Int64
        /// Nil when none is stored for the index's current version.
        var list: ChampionList?

        /// What the list is stored under.
        var key: String { isPrefix ? IndexStore.championKey(ofPrefix: term) : term }
    }

    func championLookup(_ bound: BoundQuery, request: SearchRequest) throws(IndexError)
        -> ChampionLookup?
    {
        guard request.ranking == .trawl, request.sort == .relevance, bound.filter.isEmpty,
            request.parameters == RankingParameters()
        else { return nil }
        var lookup: ChampionLookup
        switch bound.shape {
        case .singleTerm(let single): lookup = ChampionLookup(term: single, version: 0)
        case .singleTermExcluding(let single, let exclusion):
            lookup = ChampionLookup(term: single, excluded: exclusion, version: 0)
        case .singlePrefix(let prefix): lookup = ChampionLookup(term: prefix, isPrefix: true, version: 0)
        case .oneQueryTerm, .general: return nil
        }
        // Lists stored under other ranking defaults are another version: they are not used.
        lookup.version = try store.indexVersion() ^ RankingParameters.revision
        lookup.list = store.championList(of: lookup.key, indexVersion: lookup.version)
        return lookup
    }

    /// Up to this many grouped documents of a champion term are read into memory for a collapsed
    /// search (160 KB); more are looked up per page in the index, and an exclusion's groups are
    /// counted over its matches.
    static let groupedMembersInMemory = 10_000

    /// A term in at least this many documents gets a champion list (see `championCandidates`).
    static let championListThreshold = 1_000

    /// How many documents a champion list holds: deeper pages than this are ranked the usual way.
    static let championListLength = 200

    /// The best `depth` candidates of a single-term query whose term is in very many documents
    /// (or of such a term minus exclusions: `said -oil`, or of a prefix alone whose terms are:
    /// `pro*`), from the term's champion list (its best documents under Trawl's own scoring with
    /// the default parameters), computing and storing the list if the index has none for its
    /// current version. Nil when the query is not such a query: then a scoring pass ranks it.
    ///
    /// The list is exact: for one term, the score depends only on the term's frequencies and the
    /// field lengths, which the list was ranked by (for a prefix: the positions holding a term
    /// that starts with it, as the ranker counts them in re-tokenized text); re-scoring the first
    /// `depth` of it gives the same top `depth` as scoring every posting. Exclusions do not change a document's score, so
    /// the list without the excluded documents is exact too, as long as `depth` of it are left.
    func championCandidates(_ lookup: ChampionLookup, ranker: Ranker, depth: Int) throws(IndexError)
        -> [(id: Int64, explanation: ScoreExplanation)]?
    {
        let term = lookup.term
        let scored: (terms: Set<String>, prefixes: Set<String>) =
            lookup.isPrefix ? ([], [term]) : ([term], [])
        guard ranker.terms.count == 1, ranker.terms[0].terms == scored.terms,
            ranker.terms[0].prefixes == scored.prefixes,
            ranker.terms[0].documentFrequency >= Self.championListThreshold, depth <= Self.championListLength
        else { return nil }
        func explained(_ posting: TermPosting) -> (id: Int64, explanation: ScoreExplanation) {
            (posting.documentID, ranker.explanation(ofOnlyTerm: posting))
        }
        /// The best `depth` of `list` without the excluded documents; nil when too few are left.
        func candidates(from list: [TermPosting]) throws(IndexError) -> [(
            id: Int64, explanation: ScoreExplanation
        )]? {
            guard let excluded = lookup.excluded else { return list.prefix(depth).map(explained) }
            // The excluded documents among the list's (`excludedDocuments`), unless `evaluate`
            // found them already.
            let excludedIDs: Set<Int64>
            if let known = lookup.excludedIDs {
                excludedIDs = known
            } else {
                excludedIDs = try excludedDocuments(excluded, among: list.map(\.documentID))
            }
            let kept = list.filter { !excludedIDs.contains($0.documentID) }
            return kept.count >= depth ? kept.prefix(depth).map(explained) : nil
        }
        if let stored = lookup.list { return try candidates(from: stored.postings) }
        return try candidates(from: buildChampionList(lookup, ranker: ranker).postings)
    }

    /// The documents among `ids` (a champion list's) that `excluded` matches, or more: every
    /// document it matches when they are few enough to read (a walk of their list), else each of
    /// `ids` looked up on its own, which costs about as much as reading ninety (`oil` on
    /// 200,000 generated files: 24 M instructions for 200 look-ups, 139 M to read its 102,759
    /// documents).
    func excludedDocuments(_ excluded: FTS5Match, among ids: [Int64]) throws(IndexError) -> Set<Int64> {
        guard try store.documentCount(matching: excluded) > Self.documentsReadPerLookup * ids.count else {
            return try store.matchingIDs(excluded)
        }
        return try store.matchingIDs(excluded, among: ids)
    }

    /// How many matching documents are read for the cost of looking one up by id.
    static let documentsReadPerLookup = 90

    /// Builds and stores the champion list of `lookup`'s term or prefix: its documents ranked by
    /// `ranker` (a ranker of that one term, with the default parameters), the best
    /// `championListLength` kept, with the term's documents in near-duplicate groups (unless the
    /// groups are being recomputed).
    func buildChampionList(_ lookup: ChampionLookup, ranker: Ranker) throws(IndexError) -> ChampionList {
        let term = lookup.term
        let postings = try lookup.isPrefix ? store.postings(ofPrefix: term) : store.postings(of: term)
        // The term's documents in near-duplicate groups, stored with the list (unless the groups
        // are being recomputed).
        var groupedDocuments: [Int64: Int64]?
        if let groups = try store.nearDuplicateGroupMap() {
            groupedDocuments = Dictionary(
                postings.compactMap { posting in groups[posting.documentID].map { (posting.documentID, $0) }
                },
                uniquingKeysWith: { first, _ in first })
        }
        let scores = postings.map { ranker.explanation(ofOnlyTerm: $0).total }
        // Best first; equal scores by id, so the list does not depend on the posting order.
        let best = postings.indices.sorted {
            scores[$0] != scores[$1]
                ? scores[$0] > scores[$1] : postings[$0].documentID < postings[$1].documentID
        }.prefix(Self.championListLength).map { postings[$0] }
        let list = ChampionList(
            documentFrequency: postings.count, postings: best, groupedDocuments: groupedDocuments)
        store.storeChampionList(list, of: lookup.key, indexVersion: lookup.version)
        return list
    }

    func explanation(of document: MatchedDocument, by ranker: Ranker) -> ScoreExplanation {
        ranker.explanation(of: document.title, body: document.body)
    }

}

/// Where a question's expanded ranker reads its candidates' term occurrences, chosen once per
/// search (`Searcher.feedbackSource`).
enum ScoreSource {
    /// The positions FTS5 stores, read for the candidates (few postings).
    case indexPositions([Int64])
    /// The candidates' text, re-tokenized (terms with many postings).
    case storedText(ids: [Int64], documents: [Int64: MatchedDocument])

    /// Every candidate's score parts under `ranker`.
    func explanations(by ranker: Ranker, searcher: Searcher) throws(IndexError) -> [Int64: ScoreExplanation] {
        switch self {
        case .indexPositions(let ids):
            return try searcher.explanationsFromIndex(of: ids, by: ranker)
        case .storedText(let ids, let documents):
            var result: [Int64: ScoreExplanation] = [:]
            for id in ids {
                result[id] =
                    documents[id].map { searcher.explanation(of: $0, by: ranker) }
                    ?? ranker.explanation(of: "", body: "")
            }
            return result
        }
    }
}
