import Foundation
import TrawlIndex
import TrawlText

// Trawl's ranking: the Ranker scores a document from where the query's terms occur in its title,
// body and header lines (as FTS5 stores the positions, or re-tokenized from its text) with BM25F
// (tunable k1, b and field weights), a term-pair proximity bonus and a coordination factor. Pure
// value code; docs/RANKING.md explains the method and the measurements behind the defaults.

/// The knobs of Trawl's ranking. The defaults are one set for every collection, chosen on
/// Cranfield and NPL together (see docs/RANKING.md).
public struct RankingParameters: Sendable, Hashable {
    /// BM25 term-frequency saturation: how quickly repeated occurrences stop adding score.
    public var k1 = 2.0
    /// BM25 length normalisation of titles (0 = none, 1 = full).
    public var titleB = 0.5
    /// BM25 length normalisation of bodies (0 = none, 1 = full).
    public var bodyB = 0.5
    /// How much one occurrence in the title counts, against one in the body.
    public var titleWeight = 4.0
    /// How much one occurrence in the body counts.
    public var bodyWeight = 1.0
    /// BM25 length normalisation of header lines (`IndexedFields.meta`: tags, author, source …).
    public var metaB = 0.5
    /// How much one occurrence in the header lines counts: below the body, since a tag, an
    /// author or a source names what a report is filed under rather than what it says (see
    /// docs/RANKING.md).
    public var metaWeight = 0.4
    /// Scale of the term-pair proximity bonus (0 turns it off).
    public var proximityWeight = 1.0
    /// Two query-term occurrences further apart than this many positions are not a pair.
    public var proximityWindow = 5
    /// The BM25 part is multiplied by (matched distinct terms / query terms) to this power
    /// (0 turns coordination off).
    public var coordinationExponent = 1.0
    /// With `--recent`, a document dated now gains this share of the best candidate's score.
    public var recencyShare = 0.25
    /// With `--recent`, the recency bonus halves every this many days of age.
    public var recencyHalfLifeDays = 30.0
    /// Queries with more distinct terms than this are read as natural-language questions:
    /// proximity and coordination (which measurably hurt there, see docs/RANKING.md) are off.
    public var keywordQueryTermLimit = 4
    /// Pseudo-relevance feedback for questions (not keyword queries): terms taken from this many
    /// top documents are added to the query (0 turns it off).
    public var feedbackDocuments = 10
    /// How many feedback terms are added.
    public var feedbackTerms = 10
    /// The weight of the strongest feedback term (the others in proportion).
    public var feedbackWeight = 0.25
    /// How many of the best matches a search keeps, at least: what near-duplicate collapsing
    /// and pseudo-relevance feedback re-rank (every match is scored).
    public var candidateDepth = 100
    /// BM25's k3: how a term typed k times in the query counts, (k3 + 1)·k / (k3 + k) times
    /// (0: once, however often it is typed; infinity: k times, as FTS5's `bm25()` counts it).
    public var queryFrequencySaturation = 8.0

    /// Changes whenever the defaults change how one term ranks documents, so that champion lists
    /// stored under older defaults are not used (see `Searcher.championLookup`).
    public static let revision: Int64 = 3

    /// The measured defaults.
    public init() {}
}

/// One distinct query position as index terms: a word's term with the alternatives indexed at
/// the same position, or a prefix.
public struct RankedTerm: Sendable, Hashable {
    /// Index terms that count as this query term.
    public var terms: Set<String>
    /// Index-term prefixes that count as this query term (from `word*`).
    public var prefixes: Set<String>
    /// Documents containing any of the terms (title, body or header lines).
    public var documentFrequency: Int
    /// How much the term's BM25 counts (1 for typed terms; less for feedback terms).
    public var weight: Double
    /// Added by pseudo-relevance feedback rather than typed: not counted by coordination.
    public var isExpansion: Bool
    /// How many times the query holds this term (BM25's qtf; 1 for feedback terms).
    public var queryFrequency: Int

    /// Creates a query term from its index terms, prefixes and document frequency.
    public init(
        terms: Set<String>, prefixes: Set<String> = [], documentFrequency: Int = 0, weight: Double = 1,
        isExpansion: Bool = false, queryFrequency: Int = 1
    ) {
        self.terms = terms
        self.prefixes = prefixes
        self.documentFrequency = documentFrequency
        self.weight = weight
        self.isExpansion = isExpansion
        self.queryFrequency = queryFrequency
    }
}

/// Where the query terms occur in one field of one document.
public struct FieldOccurrences: Sendable, Hashable {
    /// Token positions in the field (colocated alternatives share a position).
    public var length: Int
    /// For each query term (same order as the ranker's terms), its positions in the field.
    public var positions: [[Int]]

    /// Creates occurrences from the field length and the positions of each query term.
    public init(length: Int, positions: [[Int]]) {
        self.length = length
        self.positions = positions
    }
}

/// The score of one document, split into the parts that add up to it.
public struct ScoreExplanation: Sendable, Hashable, Codable {
    /// BM25F contribution of title occurrences.
    public var bm25Title: Double
    /// BM25F contribution of body occurrences.
    public var bm25Body: Double
    /// BM25F contribution of occurrences in the header lines (tags, author, source …).
    public var bm25Meta: Double
    /// Bonus for query terms close together (adjacent, in typed order, counts most).
    public var proximity: Double
    /// Change from coordination: zero when every query term matched, negative otherwise.
    public var coordination: Double
    /// Bonus for a recent document date (only with `--recent`).
    public var recency: Double
    /// Distinct query terms the document contains.
    public var matchedTerms: Int
    /// Distinct query terms.
    public var queryTerms: Int

    /// The document's score: the sum of the parts.
    public var total: Double { bm25Title + bm25Body + bm25Meta + proximity + coordination + recency }

    /// Creates an explanation from its parts.
    public init(
        bm25Title: Double, bm25Body: Double, bm25Meta: Double = 0, proximity: Double, coordination: Double,
        recency: Double = 0, matchedTerms: Int, queryTerms: Int
    ) {
        self.bm25Title = bm25Title
        self.bm25Body = bm25Body
        self.bm25Meta = bm25Meta
        self.proximity = proximity
        self.coordination = coordination
        self.recency = recency
        self.matchedTerms = matchedTerms
        self.queryTerms = queryTerms
    }
}

/// Scores documents for one query: BM25F over title, body and header lines, proximity,
/// coordination, recency.
///
/// ```swift
/// let ranker = Ranker(terms: terms, statistics: try store.collectionStatistics())
/// let parts = ranker.explanation(of: title, body: storedBody)   // the body split as the index splits it
/// parts.total   // the document's score
/// ```
public struct Ranker: Sendable {
    /// The knobs this ranker scores with.
    public let parameters: RankingParameters
    /// Document count and average field lengths of the index.
    public let statistics: CollectionStatistics
    /// Distinct query terms, in the order they were typed.
    public let terms: [RankedTerm]
    /// BM25 inverse document frequency of each term.
    public let inverseDocumentFrequencies: [Double]
    /// How much each term counts for being typed more than once (see
    /// ``RankingParameters/queryFrequencySaturation``).
    public let queryFrequencyFactors: [Double]
    /// Σ idf × query-frequency factor over the typed terms: what matching every term weighs
    /// (see ``coordinationFactor(matchedWeight:)``), summed once instead of per document.
    private let typedTermsWeight: Double
    private let termIndex: [String: Int]
    private let prefixIndex: [(prefix: String, index: Int)]
    /// The index terms' UTF-8 bytes grouped by byte length (element n: the terms n bytes long),
    /// so `occurrences(in:)` compares a token's bytes with a few terms and allocates nothing.
    private let termBytesByLength: [[(bytes: [UInt8], index: Int)]]
    private let prefixBytes: [(bytes: [UInt8], index: Int)]
    /// The terms `occurrences(in:)` looks for, so that other words are not stemmed.
    private let wantedTerms: WantedTerms
    private let tokenizer = Tokenizer()

    /// Creates a ranker for `terms` over a collection described by `statistics`.
    public init(
        terms: [RankedTerm], statistics: CollectionStatistics,
        parameters: RankingParameters = RankingParameters()
    ) {
        self.terms = terms
        self.statistics = statistics
        self.parameters = parameters
        let idfs = terms.map {
            Self.inverseDocumentFrequency(
                documentFrequency: $0.documentFrequency, documentCount: statistics.documentCount)
        }
        let factors = terms.map {
            Self.queryFrequencyFactor(
                queryFrequency: $0.queryFrequency, saturation: parameters.queryFrequencySaturation)
        }
        inverseDocumentFrequencies = idfs
        queryFrequencyFactors = factors
        typedTermsWeight = terms.indices.filter { !terms[$0].isExpansion }.map { idfs[$0] * factors[$0] }
            .reduce(0, +)
        var index: [String: Int] = [:]
        var prefixes: [(String, Int)] = []
        for (position, term) in terms.enumerated() {
            for text in term.terms where index[text] == nil { index[text] = position }
            for prefix in term.prefixes { prefixes.append((prefix, position)) }
        }
        termIndex = index
        prefixIndex = prefixes
        var byLength = [[(bytes: [UInt8], index: Int)]](
            repeating: [], count: (index.keys.map(\.utf8.count).max() ?? 0) + 1)
        for (text, position) in index { byLength[text.utf8.count].append((Array(text.utf8), position)) }
        termBytesByLength = byLength
        prefixBytes = prefixes.map { (Array($0.0.utf8), $0.1) }
        wantedTerms = WantedTerms(terms: Array(index.keys), prefixes: prefixes.map(\.0))
    }

    /// Lucene's BM25 idf, never negative: ln(1 + (N − df + 0.5) / (df + 0.5)).
    public static func inverseDocumentFrequency(documentFrequency: Int, documentCount: Int) -> Double {
        let n = Double(max(documentCount, documentFrequency))
        let df = Double(documentFrequency)
        return log(1 + (n - df + 0.5) / (df + 0.5))
    }

    /// BM25's query-term weight (k3 + 1)·qtf / (k3 + qtf): qtf itself when k3 is infinite, 1 when
    /// k3 is 0.
    public static func queryFrequencyFactor(queryFrequency: Int, saturation: Double) -> Double {
        let qtf = Double(max(queryFrequency, 1))
        return saturation.isInfinite ? qtf : (saturation + 1) * qtf / (saturation + qtf)
    }

    /// The index in ``terms`` of the query term that `term` counts for (prefixes not included).
    public func termIndex(of term: String) -> Int? {
        termIndex[term]
    }

    /// Tokenizes a field and records its length and where each query term occurs.
    public func occurrences(in text: String) -> FieldOccurrences {
        var positions = [[Int]](repeating: [], count: terms.count)
        var position = -1
        var copy = text
        copy.withUTF8 { bytes in
            tokenizer.tokenize(utf8: bytes, lookingFor: wantedTerms) { term, _, _, colocated in
                if !colocated || position < 0 { position += 1 }
                if term.count < termBytesByLength.count {
                    for candidate in termBytesByLength[term.count] where candidate.bytes.elementsEqual(term) {
                        if positions[candidate.index].last != position {
                            positions[candidate.index].append(position)
                        }
                        return true
                    }
                }
                for prefix in prefixBytes where term.starts(with: prefix.bytes) {
                    if positions[prefix.index].last != position { positions[prefix.index].append(position) }
                }
                return true
            }
        }
        return FieldOccurrences(length: position + 1, positions: positions)
    }

    /// The score parts of a document with this title and stored body, re-tokenized: the body
    /// split into story and header lines as the index splits it (`IndexedFields`), so the score
    /// equals the one computed from the positions FTS5 stores.
    public func explanation(of title: String, body: String) -> ScoreExplanation {
        let fields = IndexedFields(body: body)
        return explanation(
            title: occurrences(in: title), body: occurrences(in: fields.story),
            meta: occurrences(in: fields.meta))
    }

    /// The score parts of a document whose fields hold `title`, `body` and `meta` occurrences
    /// (recency is added by the caller, which knows the dates); `meta` nil is an empty field.
    ///
    /// BM25F: per term, tf̃ = Σ_f w_f·tf_f / (1 − b_f + b_f·len_f/avglen_f) and
    /// score = idf·tf̃·(k1 + 1)/(k1 + tf̃), split between the fields in proportion to their share of
    /// tf̃. Proximity and coordination: see ``proximity(title:body:)`` and
    /// ``coordinationFactor(matchedWeight:)``; proximity reads the title and body only (header
    /// lines are lists of names, not prose, and a tag next to a tag is no phrase).
    public func explanation(title: FieldOccurrences, body: FieldOccurrences, meta: FieldOccurrences? = nil)
        -> ScoreExplanation
    {
        explanation(
            lengths: (title.length, body.length, meta?.length ?? 0),
            proximity: isKeywordQuery ? proximity(title: title, body: body) : 0
        ) { index in
            (title.positions[index].count, body.positions[index].count, meta?.positions[index].count ?? 0)
        }
    }

    /// The score parts of a document for a query of one term (a word or a prefix), from its
    /// posting (how many positions of each field hold the term, and the field lengths): the same
    /// parts as from its positions (one term has no proximity), without building them — what a
    /// champion list is ranked by, for every document of a frequent term.
    public func explanation(ofOnlyTerm posting: TermPosting) -> ScoreExplanation {
        precondition(terms.count == 1, "a ranker of one term")
        return explanation(
            lengths: (posting.titleLength, posting.bodyLength, posting.metaLength), proximity: 0
        ) { _ in (posting.titleFrequency, posting.bodyFrequency, posting.metaFrequency) }
    }

    /// BM25F and coordination from each term's frequency per field (`frequencies(term)`), with
    /// `proximity` added.
    func explanation(
        lengths: (title: Int, body: Int, meta: Int), proximity: Double,
        frequencies: (Int) -> (title: Int, body: Int, meta: Int)
    ) -> ScoreExplanation {
        let parts = bm25Parts(lengths: lengths, frequencies: frequencies)
        return ScoreExplanation(
            bm25Title: parts.title, bm25Body: parts.body, bm25Meta: parts.meta, proximity: proximity,
            coordination: (parts.title + parts.body + parts.meta + proximity)
                * (parts.coordinationFactor - 1),
            matchedTerms: parts.matched, queryTerms: typedTermCount)
    }

    /// A document's BM25F per field and its coordination multiplier, from each term's frequency
    /// per field.
    func bm25Parts(
        lengths: (title: Int, body: Int, meta: Int), frequencies: (Int) -> (title: Int, body: Int, meta: Int)
    ) -> (title: Double, body: Double, meta: Double, matched: Int, coordinationFactor: Double) {
        let p = parameters
        let titleNorm = Self.lengthNorm(
            length: lengths.title, average: statistics.averageTitleLength, b: p.titleB)
        let bodyNorm = Self.lengthNorm(
            length: lengths.body, average: statistics.averageBodyLength, b: p.bodyB)
        let metaNorm = Self.lengthNorm(
            length: lengths.meta, average: statistics.averageMetaLength, b: p.metaB)
        var titlePart = 0.0
        var bodyPart = 0.0
        var metaPart = 0.0
        var matched = 0
        var matchedWeight = 0.0
        for index in terms.indices {
            let counts = frequencies(index)
            let titleTF = Double(counts.title)
            let bodyTF = Double(counts.body)
            let metaTF = Double(counts.meta)
            guard titleTF + bodyTF + metaTF > 0 else { continue }
            if !terms[index].isExpansion {
                matched += 1
                matchedWeight += inverseDocumentFrequencies[index] * queryFrequencyFactors[index]
            }
            let titleShare = p.titleWeight * titleTF / titleNorm
            let bodyShare = p.bodyWeight * bodyTF / bodyNorm
            let metaShare = p.metaWeight * metaTF / metaNorm
            let combined = titleShare + bodyShare + metaShare
            guard combined > 0 else { continue }
            let score =
                terms[index].weight * queryFrequencyFactors[index] * inverseDocumentFrequencies[index]
                * combined * (p.k1 + 1)
                / (p.k1 + combined)
            titlePart += score * titleShare / combined
            bodyPart += score * bodyShare / combined
            metaPart += score * metaShare / combined
        }
        let factor = isKeywordQuery ? coordinationFactor(matchedWeight: matchedWeight) : 1
        return (titlePart, bodyPart, metaPart, matched, factor)
    }

    /// What ``IndexedScorer/score(_:lengths:unlessBelow:)`` found for one document.
    public enum IndexedScore: Sendable, Hashable {
        /// The document's score parts, exactly as from its positions.
        case exact(ScoreExplanation)
        /// A bound on the document's score, below the threshold it was asked to beat: it cannot
        /// rank above a document already scored at the threshold.
        case bound(Double)

        /// The score, or the bound.
        public var value: Double {
            switch self {
            case .exact(let explanation): explanation.total
            case .bound(let bound): bound
            }
        }
    }

    /// A scorer of a scoring pass's rows by this ranker (see ``IndexedScorer``).
    public func indexedScorer() -> IndexedScorer { IndexedScorer(ranker: self) }

    /// Scores the rows of a scoring pass (`IndexStore.scoredMatches`), whose occurrences name the
    /// ranker's terms by index, reusing its buffers from row to row.
    public struct IndexedScorer {
        let ranker: Ranker
        /// Occurrences per term and field (term × 3 + field), for the row at hand.
        private var counts: [Int]
        /// Proximity accumulators per term pair (a × terms + b), for the row at hand.
        private var accumulators: [Double]

        init(ranker: Ranker) {
            self.ranker = ranker
            counts = Array(repeating: 0, count: 3 * ranker.terms.count)
            accumulators = Array(
                repeating: 0,
                count: ranker.terms.count <= Self.proximityTermLimit
                    ? ranker.terms.count * ranker.terms.count : 0)
        }

        /// Proximity is computed in place for at most this many terms (a keyword query has at most
        /// `keywordQueryTermLimit`).
        static let proximityTermLimit = 16

        /// The row's score parts, exactly as ``Ranker/explanation(title:body:meta:)`` gives them
        /// from the same positions — or, when even the most it could score leaves it below
        /// `threshold`, that bound, without reading its field lengths (`lengths`, a
        /// document-size lookup).
        ///
        /// The bound: the proximity bonus and coordination do not depend on the lengths and are
        /// computed exactly; BM25F grows as a field gets shorter, and a field is at least one token
        /// longer than the last position a query term occurs at in it, so BM25F at those lengths
        /// bounds it. A row where two query terms share a position is scored exactly, the slow
        /// way.
        public mutating func score(
            _ row: ScoredRow, lengths: () -> ScoredRow.Lengths, unlessBelow threshold: Double
        ) -> IndexedScore {
            let termCount = ranker.terms.count
            for index in counts.indices { counts[index] = 0 }
            var sharesPosition = false
            var previous = ScoredRow.Occurrence(term: -1, field: -1, position: -1)
            var shortest = (title: 0, body: 0, meta: 0)
            for occurrence in row.occurrences where occurrence.term < termCount {
                counts[3 * occurrence.term + occurrence.field] += 1
                if occurrence.field == previous.field, occurrence.position == previous.position {
                    sharesPosition = true
                }
                previous = occurrence
                switch occurrence.field {
                case 0: shortest.title = occurrence.position + 1
                case 1: shortest.body = occurrence.position + 1
                default: shortest.meta = occurrence.position + 1
                }
            }
            let counts = self.counts
            let frequencies: (Int) -> (title: Int, body: Int, meta: Int) = {
                (counts[3 * $0], counts[3 * $0 + 1], counts[3 * $0 + 2])
            }
            let parameters = ranker.parameters
            let scoresProximity = ranker.isKeywordQuery && parameters.proximityWeight > 0 && termCount > 1
            guard !scoresProximity || (!sharesPosition && termCount <= Self.proximityTermLimit) else {
                return .exact(ranker.explanationFromPositions(of: row, lengths: lengths()))
            }
            let proximity = scoresProximity ? proximity(of: row) : 0
            if threshold.isFinite {
                let parts = ranker.bm25Parts(lengths: shortest, frequencies: frequencies)
                let bound =
                    (parts.title + parts.body + parts.meta + proximity) * parts.coordinationFactor
                    * (1 + 1e-9)
                if bound < threshold { return .bound(bound) }
            }
            return .exact(
                ranker.explanation(lengths: lengths(), proximity: proximity, frequencies: frequencies))
        }

        /// ``Ranker/proximity(title:body:)`` of a row whose occurrences hold no two terms at one
        /// position: its occurrences are already in the order that function sorts them into, so
        /// the pairs are visited, and each accumulator summed, in the same order — the same bits.
        private mutating func proximity(of row: ScoredRow) -> Double {
            let termCount = ranker.terms.count
            let window = ranker.parameters.proximityWindow
            for index in accumulators.indices { accumulators[index] = 0 }
            let occurrences = row.occurrences
            for first in occurrences.indices where occurrences[first].field < 2 {
                let a = occurrences[first]
                guard a.term < termCount else { continue }
                var second = first + 1
                while second < occurrences.count, occurrences[second].field == a.field,
                    occurrences[second].position - a.position <= window
                {
                    let b = occurrences[second]
                    if b.term < termCount, a.term != b.term {
                        accumulators[ranker.pairKey(a.term, b.term)] += Ranker.proximityIncrement(
                            from: (a.position, a.term), to: (b.position, b.term))
                    }
                    second += 1
                }
            }
            let accumulators = self.accumulators
            return ranker.proximityBonus(
                accumulators.indices.lazy.filter { accumulators[$0] != 0 }.map {
                    (key: $0, value: accumulators[$0])
                })
        }
    }

    /// The score parts of a scoring pass's row, from its positions placed per field and term.
    func explanationFromPositions(of row: ScoredRow, lengths: ScoredRow.Lengths) -> ScoreExplanation {
        var positions = [[[Int]]](repeating: [[Int]](repeating: [], count: terms.count), count: 3)
        for occurrence in row.occurrences where occurrence.term < terms.count {
            positions[occurrence.field][occurrence.term].append(occurrence.position)
        }
        return explanation(
            title: FieldOccurrences(length: lengths.title, positions: positions[0]),
            body: FieldOccurrences(length: lengths.body, positions: positions[1]),
            meta: FieldOccurrences(length: lengths.meta, positions: positions[2]))
    }

    /// Whether some query term is a prefix (`negot*`), which matches many index terms.
    public var hasPrefixTerms: Bool { terms.contains { !$0.prefixes.isEmpty } }

    /// Query terms the user typed (feedback terms left out).
    public var typedTermCount: Int { terms.count(where: { !$0.isExpansion }) }

    /// Whether the query is short enough to be read as keywords (proximity and coordination on)
    /// rather than as a natural-language question.
    public var isKeywordQuery: Bool { typedTermCount <= parameters.keywordQueryTermLimit }

    /// The coordination multiplier: (idf of the matched terms / idf of all query terms)^exponent,
    /// 1 when every term matched. Weighting by idf makes a missing rare term cost much and a
    /// missing common one little; a term typed twice weighs as its query-frequency factor says.
    public func coordinationFactor(matchedWeight: Double) -> Double {
        let totalWeight = typedTermsWeight
        guard totalWeight > 0, parameters.coordinationExponent != 0 else { return 1 }
        return pow(min(matchedWeight / totalWeight, 1), parameters.coordinationExponent)
    }

    /// 1 − b + b·length/average (1 when the average is unknown), never below a small floor.
    static func lengthNorm(length: Int, average: Double, b: Double) -> Double {
        guard average > 0 else { return 1 }
        return max(1 - b + b * Double(length) / average, 0.01)
    }

    /// The term-pair proximity bonus (after BM25TP, Rasolofo & Savoy 2003).
    ///
    /// Within each field, every pair of occurrences of two different query terms at most
    /// `proximityWindow` positions apart adds 1/d² to the pair's accumulator, where d is the
    /// distance, plus one when the two appear in the opposite order to the query. Each pair then
    /// adds weight · min(idf) · acc·(k1 + 1)/(k1 + acc), so an adjacent in-order pair (the typed
    /// phrase) counts most and many distant pairs saturate.
    public func proximity(title: FieldOccurrences, body: FieldOccurrences) -> Double {
        guard parameters.proximityWeight > 0, terms.count > 1 else { return 0 }
        var accumulators: [Int: Double] = [:]
        for field in [title, body] {
            var merged: [(position: Int, term: Int)] = []
            for (term, positions) in field.positions.enumerated() {
                for position in positions { merged.append((position, term)) }
            }
            guard merged.count > 1 else { continue }
            merged.sort { $0.position < $1.position }
            for first in merged.indices {
                var second = first + 1
                while second < merged.count,
                    merged[second].position - merged[first].position <= parameters.proximityWindow
                {
                    let (a, b) = (merged[first], merged[second])
                    if a.term != b.term {
                        accumulators[pairKey(a.term, b.term), default: 0] += Self.proximityIncrement(
                            from: a, to: b)
                    }
                    second += 1
                }
            }
        }
        // Summed in the pairs' order: the same score, to the last bit, in every process (a
        // dictionary's order follows its per-process hash seed, and the sum's rounding with it).
        return proximityBonus(accumulators.sorted(by: { $0.key < $1.key }))
    }

    /// The accumulator key of the pair of terms `a` and `b` (either order).
    func pairKey(_ a: Int, _ b: Int) -> Int { min(a, b) * terms.count + max(a, b) }

    /// What two occurrences of different terms within the window add to their pair's
    /// accumulator (`second` at or after `first`): 1/d², d their distance, one more when they
    /// stand in the opposite order to the query.
    static func proximityIncrement(
        from first: (position: Int, term: Int), to second: (position: Int, term: Int)
    )
        -> Double
    {
        let distance = Double(second.position - first.position + (second.term < first.term ? 1 : 0))
        return 1 / (distance * distance)
    }

    /// The proximity bonus of a document from its pairs' accumulators (`pairKey`), summed in
    /// ascending key order.
    func proximityBonus(_ accumulators: some Sequence<(key: Int, value: Double)>) -> Double {
        let k1 = parameters.k1
        var pairs = 0.0
        for (key, accumulator) in accumulators {
            let (a, b) = (key / terms.count, key % terms.count)
            let weight = min(inverseDocumentFrequencies[a], inverseDocumentFrequencies[b])
            pairs += weight * accumulator * (k1 + 1) / (k1 + accumulator)
        }
        // A query of n terms has n − 1 neighbouring pairs: scale so long queries do not let
        // proximity outweigh BM25.
        return parameters.proximityWeight * pairs / Double(terms.count - 1)
    }

    /// The recency bonus for a document dated `date`: `recencyShare` × `scale`, halved every
    /// `recencyHalfLifeDays` of age before `now` (dates are seconds since 1970).
    public func recencyBonus(date: Double, now: Double, scale: Double) -> Double {
        let ageDays = max(0, now - date) / 86_400
        return parameters.recencyShare * scale * pow(0.5, ageDays / parameters.recencyHalfLifeDays)
    }
}
