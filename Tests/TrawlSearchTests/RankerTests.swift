import Testing
import TrawlIndex
import TrawlQuery
import TrawlText

@testable import TrawlSearch

/// The ranker's arithmetic on plain values: BM25F, proximity, coordination and recency.
struct RankerTests {
    /// Ten documents, averages of 10 title and 10 body positions.
    let statistics = CollectionStatistics(documentCount: 10, averageTitleLength: 10, averageBodyLength: 10)

    /// Parameters with only BM25 switched on, so a test sees one part at a time.
    func bm25Only(titleB: Double = 0, bodyB: Double = 0) -> RankingParameters {
        var parameters = RankingParameters()
        parameters.k1 = 1.2
        parameters.titleB = titleB
        parameters.bodyB = bodyB
        parameters.titleWeight = 2
        parameters.bodyWeight = 1
        parameters.proximityWeight = 0
        parameters.coordinationExponent = 0
        return parameters
    }

    func terms(_ count: Int, documentFrequency: Int = 2) -> [RankedTerm] {
        (0..<count).map { RankedTerm(terms: ["t\($0)"], documentFrequency: documentFrequency) }
    }

    @Test func idfIsLuceneStyleAndNeverNegative() {
        // ln(1 + (10 − 2 + 0.5) / (2 + 0.5)) = ln 4.4
        #expect(
            abs(Ranker.inverseDocumentFrequency(documentFrequency: 2, documentCount: 10) - 1.4816045409242156)
                < 1e-12)
        #expect(Ranker.inverseDocumentFrequency(documentFrequency: 10, documentCount: 10) > 0)
    }

    @Test func bm25fCombinesWeightedFieldFrequenciesAndSplitsTheScoreByShare() {
        let ranker = Ranker(terms: terms(1), statistics: statistics, parameters: bm25Only())
        // tf̃ = 2·1 + 1·2 = 4; idf·4·2.2 / (1.2 + 4) = 2.507330761564057, half from each field.
        let parts = ranker.explanation(
            title: FieldOccurrences(length: 10, positions: [[3]]),
            body: FieldOccurrences(length: 10, positions: [[0, 5]]))
        #expect(abs(parts.bm25Title + parts.bm25Body - 2.507330761564057) < 1e-12)
        #expect(abs(parts.bm25Title - parts.bm25Body) < 1e-12)
        #expect(parts.total == parts.bm25Title + parts.bm25Body)
    }

    @Test func bodyLengthNormalisationFollowsB() {
        let ranker = Ranker(terms: terms(1), statistics: statistics, parameters: bm25Only(bodyB: 0.75))
        // Body twice the average: norm 0.25 + 0.75·2 = 1.75, tf̃ = 2/1.75; idf·tf̃·2.2/(1.2 + tf̃).
        let parts = ranker.explanation(
            title: FieldOccurrences(length: 0, positions: [[]]),
            body: FieldOccurrences(length: 20, positions: [[0, 5]]))
        #expect(abs(parts.bm25Body - 1.5900146292845243) < 1e-12)
        #expect(parts.bm25Title == 0)
    }

    @Test func occurrencesRecordPositionsAndLengthFromTheTokenizer() {
        let term = Tokenizer().tokens(in: "laws")[0].term
        let ranker = Ranker(terms: [RankedTerm(terms: [term])], statistics: statistics)
        let field = ranker.occurrences(in: "Similarity laws and more laws")
        #expect(field.length == 5)
        #expect(field.positions == [[1, 4]])
    }

    @Test func adjacentTermsInTypedOrderGetTheLargestProximityBonus() {
        var parameters = bm25Only()
        parameters.proximityWeight = 1
        let ranker = Ranker(terms: terms(2), statistics: statistics, parameters: parameters)
        let empty = FieldOccurrences(length: 0, positions: [[], []])
        func proximity(_ first: Int, _ second: Int) -> Double {
            ranker.proximity(
                title: empty, body: FieldOccurrences(length: 20, positions: [[first], [second]]))
        }
        #expect(proximity(0, 1) > proximity(1, 0), "typed order beats reversed order")
        #expect(proximity(1, 0) > proximity(0, 3))
        #expect(proximity(0, 3) > 0)
        #expect(proximity(0, 9) == 0, "pairs further apart than the window do not count")
    }

    @Test func moreMatchedTermsRankHigherThroughCoordination() {
        var parameters = bm25Only()
        parameters.coordinationExponent = 1
        let ranker = Ranker(terms: terms(3), statistics: statistics, parameters: parameters)
        let empty = FieldOccurrences(length: 0, positions: [[], [], []])
        let all = ranker.explanation(
            title: empty, body: FieldOccurrences(length: 10, positions: [[0], [4], [8]]))
        let two = ranker.explanation(
            title: empty, body: FieldOccurrences(length: 10, positions: [[0], [4, 6], []]))
        #expect(all.coordination == 0)
        #expect(two.coordination < 0)
        #expect(all.total > two.total)
        #expect((all.matchedTerms, two.matchedTerms) == (3, 2))
        // Equal idf: the factor is (2/3)¹.
        #expect(abs(two.total - (two.bm25Title + two.bm25Body) * 2 / 3) < 1e-12)
    }

    @Test func longQueriesAreReadAsQuestionsWithoutProximityOrCoordination() {
        var parameters = RankingParameters()
        parameters.keywordQueryTermLimit = 4
        let ranker = Ranker(terms: terms(5), statistics: statistics, parameters: parameters)
        let parts = ranker.explanation(
            title: FieldOccurrences(length: 0, positions: Array(repeating: [], count: 5)),
            body: FieldOccurrences(length: 10, positions: [[0], [1], [], [], []]))
        #expect(parts.proximity == 0)
        #expect(parts.coordination == 0)
    }

    @Test func feedbackTermsCountByTheirWeightAndNotForCoordination() {
        var parameters = bm25Only()
        parameters.coordinationExponent = 1
        let typed = RankedTerm(terms: ["t0"], documentFrequency: 2)
        let feedback = RankedTerm(terms: ["t1"], documentFrequency: 2, weight: 0.5, isExpansion: true)
        let ranker = Ranker(terms: [typed, feedback], statistics: statistics, parameters: parameters)
        let empty = FieldOccurrences(length: 0, positions: [[], []])
        let both = ranker.explanation(
            title: empty, body: FieldOccurrences(length: 10, positions: [[0], [5]]))
        let typedOnly = ranker.explanation(
            title: empty, body: FieldOccurrences(length: 10, positions: [[0], []]))
        let feedbackOnly = ranker.explanation(
            title: empty, body: FieldOccurrences(length: 10, positions: [[], [5]]))
        #expect(abs(both.bm25Body - 1.5 * typedOnly.bm25Body) < 1e-12)
        #expect(typedOnly.coordination == 0, "a missing feedback term costs nothing")
        #expect(feedbackOnly.total == 0, "a document with no typed term gets nothing from coordination")
        #expect((both.queryTerms, both.matchedTerms) == (1, 1))
    }

    @Test func aWordTypedTwiceWeighsMoreThanAWordTypedOnce() throws {
        let query = try QueryParser().parse("flutter wing flutter")
        let terms = try BoundQuery(query).terms.map {
            RankedTerm(
                terms: $0.terms, prefixes: $0.prefixes, documentFrequency: 2,
                queryFrequency: $0.queryFrequency)
        }
        #expect(terms.map(\.queryFrequency) == [2, 1])
        var parameters = bm25Only()
        parameters.queryFrequencySaturation = 8
        let ranker = Ranker(terms: terms, statistics: statistics, parameters: parameters)
        let empty = FieldOccurrences(length: 0, positions: [[], []])
        let repeated = ranker.explanation(
            title: empty, body: FieldOccurrences(length: 10, positions: [[0], []]))
        let once = ranker.explanation(title: empty, body: FieldOccurrences(length: 10, positions: [[], [0]]))
        #expect(repeated.total > once.total)
        // k3 = 8: a word typed twice counts (8 + 1)·2 / (8 + 2) = 1.8 times.
        #expect(abs(repeated.total - 1.8 * once.total) < 1e-12)
    }

    @Test(arguments: [(0.0, 3, 1.0), (8.0, 2, 1.8), (8.0, 1, 1.0), (Double.infinity, 3, 3.0)])
    func queryFrequencyFactorSaturatesWithK3(saturation: Double, queryFrequency: Int, factor: Double) {
        let computed = Ranker.queryFrequencyFactor(queryFrequency: queryFrequency, saturation: saturation)
        #expect(abs(computed - factor) < 1e-12)
    }

    @Test func recencyBonusHalvesEveryHalfLife() {
        var parameters = RankingParameters()
        parameters.recencyShare = 0.25
        parameters.recencyHalfLifeDays = 30
        let ranker = Ranker(terms: terms(1), statistics: statistics, parameters: parameters)
        let now = 1_000_000_000.0
        #expect(ranker.recencyBonus(date: now, now: now, scale: 8) == 2)
        #expect(abs(ranker.recencyBonus(date: now - 30 * 86_400, now: now, scale: 8) - 1) < 1e-12)
    }

    @Test(arguments: [
        ("what are the similarity laws", Query.all([.word("similarity"), .word("laws")])),
        ("the", Query.word("the")),
        ("the who", Query.all([.word("the"), .word("who")])),
        ("\"the laws\" of", Query.phrase("the laws")),
    ])
    func stopwordsAreDroppedOnlyWhenOtherWordsRemain(typed: String, expected: Query) throws {
        let query = try QueryParser().parse(typed)
        #expect(query.droppingStopwords(Stopwords.english) == expected)
    }

    @Test func boundTermsAreDistinctPositiveWordsInTypedOrderWithTheirCounts() throws {
        let query = try QueryParser().parse("laws similarity laws -aircraft negot*")
        let terms = try BoundQuery(query).terms
        let tokenizer = Tokenizer()
        #expect(terms.count == 3)
        #expect(terms[0].terms == [tokenizer.tokens(in: "laws")[0].term])
        #expect(terms[0].queryFrequency == 2)
        #expect(terms[1].terms == [tokenizer.tokens(in: "similarity")[0].term])
        #expect(terms[1].queryFrequency == 1)
        #expect(terms[2].prefixes == ["negot"])
    }
    /// A scoring pass's row (issue 20): scored exactly, the same parts as from its positions;
    /// bounded, never below its exact score — over rows of every shape (terms far apart, next to
    /// each other, repeated, in the title, the body or the header lines).
    @Test func aScoringPassRowIsScoredExactlyOrBoundedFromAbove() {
        let terms = [
            RankedTerm(terms: ["oil"], documentFrequency: 2),
            RankedTerm(terms: ["price"], documentFrequency: 5),
            RankedTerm(terms: ["crude"], documentFrequency: 8),
        ]
        let ranker = Ranker(terms: terms, statistics: statistics)
        var scorer = ranker.indexedScorer()
        var random = SeededGenerator(seed: 7)
        func next(_ bound: Int) -> Int { random.next(below: bound) }
        for _ in 0..<2_000 {
            let lengths = (title: 1 + next(8), body: 1 + next(60), meta: next(6))
            var occurrences: [ScoredRow.Occurrence] = []
            var positions = [[[Int]]](repeating: [[], [], []], count: 3)
            for field in 0..<3 {
                let length = [lengths.title, lengths.body, lengths.meta][field]
                for position in 0..<length where next(3) == 0 {
                    let term = next(3)
                    occurrences.append(ScoredRow.Occurrence(term: term, field: field, position: position))
                    positions[field][term].append(position)
                }
            }
            let row = ScoredRow(occurrences: occurrences)
            let exact = ranker.explanation(
                title: FieldOccurrences(length: lengths.title, positions: positions[0]),
                body: FieldOccurrences(length: lengths.body, positions: positions[1]),
                meta: FieldOccurrences(length: lengths.meta, positions: positions[2]))
            #expect(scorer.score(row, lengths: { lengths }, unlessBelow: -.infinity) == .exact(exact))
            // Far above (the bound at any length), just above, and just below the exact score.
            for threshold in [Double.greatestFiniteMagnitude, exact.total * 1.2 + 1e-6, exact.total * 0.99] {
                switch scorer.score(row, lengths: { lengths }, unlessBelow: threshold) {
                case .bound(let bound): #expect(bound >= exact.total && bound < threshold)
                case .exact(let scored): #expect(scored == exact)
                }
            }
        }
    }
}
