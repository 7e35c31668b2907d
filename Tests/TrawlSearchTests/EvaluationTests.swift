import Foundation
import Testing

@testable import TrawlSearch

/// Compares two measures to 1e-9: the hand-computed values below are rounded decimals.
private func isClose(_ actual: Double, _ expected: Double) -> Bool {
    abs(actual - expected) < 1e-9
}

/// A small collection used by several tests.
///
/// Query 1 judges d1:3, d2:2, d3:1, d5:2 relevant and d4:0 not relevant (4 relevant documents).
/// Query 2 only has a non-relevant judgment. Query 3 has one relevant document and no results.
private let judgments = RelevanceJudgments(grades: [
    "1": ["d1": 3, "d2": 2, "d3": 1, "d4": 0, "d5": 2],
    "2": ["d1": 0],
    "3": ["d7": 1],
])

/// Query 1's ranking: relevant at ranks 1 (d2, grade 2), 3 (d1, grade 3) and 5 (d3, grade 1).
private let run = RankedRun(rankings: [
    "1": ["d2", "d4", "d1", "d9", "d3"],
    "2": ["d1", "d2"],
])

@Suite struct EvaluatorTests {
    /// DCG@10  = 2/log2(2) + 3/log2(4) + 1/log2(6) = 2 + 1.5 + 0.386852807 = 3.886852807
    /// IDCG@10 = grades 3,2,2,1 → 3/log2(2) + 2/log2(3) + 2/log2(4) + 1/log2(5)
    ///         = 3 + 1.261859507 + 1 + 0.430676558 = 5.692536065
    /// nDCG@10 = 3.886852807 / 5.692536065 = 0.682798100
    /// AP      = (1/1 + 2/3 + 3/5) / 4 relevant = 2.266666667 / 4 = 0.566666667
    /// P@10    = 3 / 10 = 0.3 (divided by 10 although only 5 were returned, as trec_eval P_10)
    /// R@100   = 3 / 4 = 0.75
    /// pytrec_eval ({"ndcg_cut.10", "map", "P.10", "recall.100"}) gives the same four values on
    /// this qrel/run (run scores 5,4,3,2,1): 0.6827980996, 0.5666666667, 0.3, 0.75.
    @Test func gradedQueryMatchesHandComputedTrecEvalValues() {
        let result = Evaluator.evaluate(
            queryID: "1", ranking: run.rankings["1"]!, grades: judgments.grades["1"]!)
        #expect(isClose(result.ndcgAt10, 3.8868528072345416 / 5.692536065216308))
        #expect(isClose(result.ndcgAt10, 0.6827980996000675))
        #expect(isClose(result.averagePrecision, 0.5666666666666667))
        #expect(isClose(result.precisionAt10, 0.3))
        #expect(isClose(result.recallAt100, 0.75))
        #expect(result.relevantCount == 4)
        #expect(result.retrievedCount == 5)
    }

    /// Query 2 has no relevant judgment: skipped. Query 3 has one but no results: all zeros, counted.
    /// Means over queries 1 and 3: nDCG 0.682798100/2 = 0.341399050, MAP 0.566666667/2 = 0.283333333,
    /// P@10 0.3/2 = 0.15, R@100 0.75/2 = 0.375.
    @Test func queryWithoutRelevantJudgmentIsSkippedAndQueryWithoutResultsScoresZero() {
        let report = Evaluator.evaluate(run: run, judgments: judgments)
        #expect(report.evaluatedQueries == 2)
        #expect(report.skippedQueries == 1)
        #expect(report.skippedQueryIDs == ["2"])
        #expect(report.perQuery.map(\.queryID) == ["1", "3"])
        let unanswered = report.perQuery[1]
        #expect(unanswered.retrievedCount == 0)
        #expect(unanswered.ndcgAt10 == 0 && unanswered.averagePrecision == 0)
        #expect(unanswered.precisionAt10 == 0 && unanswered.recallAt100 == 0)
        #expect(isClose(report.ndcgAt10, 0.34139904980003377))
        #expect(isClose(report.map, 0.2833333333333333))
        #expect(isClose(report.precisionAt10, 0.15))
        #expect(isClose(report.recallAt100, 0.375))
    }

    @Test func queryListDecidesWhichQueriesAreScoredAndCountsUnjudgedOnesAsSkipped() {
        // "4" has no judgments at all; "3" is not in the list, so it is neither scored nor skipped.
        let report = Evaluator.evaluate(run: run, judgments: judgments, queryIDs: ["1", "2", "4"])
        #expect(report.perQuery.map(\.queryID) == ["1"])
        #expect(report.skippedQueryIDs == ["2", "4"])
        #expect(isClose(report.ndcgAt10, 0.6827980996000675))
    }

    /// Only ranks 1–10 count for nDCG and P@10, 1–100 for recall; AP runs to the end.
    /// Relevant documents r1 at rank 1, r2 at rank 11, r3 at rank 101, r4 never retrieved.
    /// nDCG@10 = (1/log2 2) / (1/log2 2 + 1/log2 3 + 1/log2 4 + 1/log2 5)
    ///         = 1 / (1 + 0.630929754 + 0.5 + 0.430676558) = 1 / 2.561606312 = 0.390380050 (pytrec_eval: 0.3903800500)
    /// AP = (1/1 + 2/11 + 3/101) / 4 = (1 + 0.181818182 + 0.029702970) / 4 = 0.302880288 (pytrec_eval: same)
    /// P@10 = 1/10, R@100 = 2/4.
    @Test func cutoffsApplyToTheirMeasuresOnly() {
        var ranking = (1...110).map { "n\($0)" }
        ranking[0] = "r1"
        ranking[10] = "r2"
        ranking[100] = "r3"
        let grades = ["r1": 1, "r2": 1, "r3": 1, "r4": 1]
        let result = Evaluator.evaluate(queryID: "q", ranking: ranking, grades: grades)
        #expect(isClose(result.ndcgAt10, 1 / (1 + 1 / log2(3.0) + 0.5 + 1 / log2(5.0))))
        #expect(abs(result.ndcgAt10 - 0.39038005) < 1e-8)
        #expect(isClose(result.averagePrecision, (1 + 2.0 / 11 + 3.0 / 101) / 4))
        #expect(isClose(result.precisionAt10, 0.1))
        #expect(isClose(result.recallAt100, 0.5))
    }

    @Test func idealRankingHoldsAtMostTenDocumentsAndPerfectRankingScoresOne() {
        let grades = Dictionary(uniqueKeysWithValues: (1...15).map { ("d\($0)", $0 <= 5 ? 2 : 1) })
        let perfect = (1...15).map { "d\($0)" }
        let result = Evaluator.evaluate(queryID: "q", ranking: perfect, grades: grades)
        #expect(isClose(result.ndcgAt10, 1))
        #expect(isClose(result.averagePrecision, 1))
        #expect(isClose(result.precisionAt10, 1))
        #expect(isClose(result.recallAt100, 1))
    }

    @Test func repeatedDocumentCountsOnlyAtItsFirstRank() {
        // Without deduplication d1 would count twice: AP 2/1, P@10 2/10.
        let result = Evaluator.evaluate(queryID: "q", ranking: ["d1", "d1", "d2"], grades: ["d1": 1])
        #expect(result.retrievedCount == 2)
        #expect(isClose(result.averagePrecision, 1))
        #expect(isClose(result.precisionAt10, 0.1))
    }

    @Test func emptyEvaluationHasZeroMeans() {
        let report = Evaluator.evaluate(run: RankedRun(), judgments: RelevanceJudgments())
        #expect(report.evaluatedQueries == 0 && report.skippedQueries == 0)
        #expect(report.ndcgAt10 == 0 && report.map == 0)
    }

    @Test func reportEncodesTheDocumentedJSONKeys() throws {
        let data = try JSONEncoder().encode(Evaluator.evaluate(run: run, judgments: judgments))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in ["evaluatedQueries", "skippedQueries", "ndcgAt10", "map", "precisionAt10", "recallAt100"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        let decoded = try JSONDecoder().decode(EvaluationReport.self, from: data)
        #expect(decoded == Evaluator.evaluate(run: run, judgments: judgments))
    }

    @Test(arguments: [
        ("2", "10", true), ("10", "2", false), ("9", "a", true), ("a", "9", false), ("a", "b", true),
    ])
    func queryIdentifiersSortNumericallyThenAsText(left: String, right: String, isBefore: Bool) {
        #expect(Evaluator.queryOrder(left, right) == isBefore)
    }
}

@Suite struct RelevanceJudgmentsParsingTests {
    @Test func headerLineIsSkippedAndGradesAreKept() throws {
        let text = "query-id\tcorpus-id\tscore\n1\t29\t3\n1\t486\t0\n2\t12\t4\n"
        let parsed = try RelevanceJudgments.parse(text)
        #expect(parsed.grades == ["1": ["29": 3, "486": 0], "2": ["12": 4]])
        #expect(parsed.relevantCount(forQuery: "1") == 1)
    }

    @Test func trecFourColumnRowsWithoutHeaderAndWithCRLFAreAccepted() throws {
        let text = "401 0 FBIS3-10082 1\r\n401 0 FBIS3-10169 0\r\n\r\n402 0 FT921-1 2\r\n"
        let parsed = try RelevanceJudgments.parse(text)
        #expect(parsed.grades == ["401": ["FBIS3-10082": 1, "FBIS3-10169": 0], "402": ["FT921-1": 2]])
    }

    @Test func negativeGradeIsJudgedNotRelevant() throws {
        let parsed = try RelevanceJudgments.parse("q d1 -1\nq d2 1\n")
        #expect(parsed.relevantCount(forQuery: "q") == 1)
    }

    @Test(arguments: [
        (
            "q d1 1\nq d2\n",
            EvaluationError.wrongColumnCount(
                file: "qrels", line: 2, found: 2,
                expected: "3 (query-id corpus-id grade) or 4 (query-id iteration doc-id grade)")
        ),
        ("q d1 1\nq d2 high\n", .notANumber(file: "qrels", line: 2, column: "grade", value: "high")),
        (
            "q d1 1\n\nq d1 2\n",
            .duplicateJudgment(
                file: "qrels", line: 3, queryID: "q", documentID: "d1", firstLine: 1)
        ),
    ])
    func malformedRowIsReportedWithItsLine(text: String, expected: EvaluationError) {
        #expect(throws: expected) { try RelevanceJudgments.parse(text) }
    }

    @Test func errorDescriptionNamesFileLineAndProblem() {
        let error = EvaluationError.notANumber(file: "r.tsv", line: 7, column: "grade", value: "x")
        #expect(error.description == "r.tsv:7: the grade column must be a number, not ‘x’.")
    }

    @Test func missingFileIsAnUnreadableFileError() {
        let url = URL(fileURLWithPath: "/nonexistent/trawl-eval/qrels.tsv")
        #expect {
            try RelevanceJudgments.load(from: url)
        } throws: { error in
            guard case .unreadableFile(let file, _) = error as? EvaluationError else { return false }
            return file == url.path
        }
    }
}

@Suite struct EvaluationQueryParsingTests {
    @Test func stringAndNumberIdentifiersAreAcceptedAndOtherFieldsIgnored() throws {
        let text = """
            {"id": "1", "text": "heat transfer"}

            {"id": 2, "text": "boundary layer", "lang": "en"}
            """
        let queries = try EvaluationQuery.parseJSONLines(text)
        #expect(queries == [.init(id: "1", text: "heat transfer"), .init(id: "2", text: "boundary layer")])
    }

    @Test(arguments: [
        ("{\"id\": 1, \"text\": \"a\"}\n{\"id\": 1, \"text\"", "not valid JSON."),
        ("[1, 2]", "expected a JSON object."),
        ("{\"text\": \"a\"}", "missing the \"id\" field."),
        ("{\"id\": true, \"text\": \"a\"}", "the \"id\" field must be a string or a number."),
        ("{\"id\": \"1\"}", "missing the \"text\" field."),
        ("{\"id\": \"1\", \"text\": 5}", "the \"text\" field must be a string."),
    ])
    func malformedLineIsReportedWithWhatIsWrong(text: String, reason: String) {
        let line = text.contains("\n") ? 2 : 1
        #expect(throws: EvaluationError.invalidJSONLine(file: "queries", line: line, reason: reason)) {
            try EvaluationQuery.parseJSONLines(text)
        }
    }

    @Test func repeatedIdentifierIsRejected() {
        let text = "{\"id\": \"7\", \"text\": \"a\"}\n{\"id\": 7, \"text\": \"b\"}"
        #expect(throws: EvaluationError.duplicateQuery(file: "queries", line: 2, queryID: "7", firstLine: 1))
        {
            try EvaluationQuery.parseJSONLines(text)
        }
    }
}

@Suite struct RankedRunParsingTests {
    @Test func resultsAreOrderedByScoreWithTiesByDescendingIdentifierAsTrecEval() throws {
        // The rank column disagrees with the scores on purpose: trec_eval ignores it.
        let text = """
            1 Q0 a 1 1.5 sys
            1 Q0 c 2 1.5 sys
            1 Q0 b 3 1.5 sys
            1 Q0 z 4 0.2 sys
            1 Q0 top 5 9 sys
            2 Q0 x 1 -3.0 sys
            """
        let parsed = try RankedRun.parseTREC(text)
        #expect(parsed.rankings == ["1": ["top", "c", "b", "a", "z"], "2": ["x"]])
    }

    @Test func writtenRunReadsBackInTheSameOrder() throws {
        let original = RankedRun(rankings: ["1": ["b", "a", "c"], "10": ["z"], "2": []])
        let reread = try RankedRun.parseTREC(original.trecRunText(tag: "t"))
        #expect(reread.rankings == ["1": ["b", "a", "c"], "10": ["z"]])
        #expect(original.trecRunText(tag: "t").hasPrefix("1 Q0 b 1 3 t\n1 Q0 a 2 2 t\n"))
    }

    @Test(arguments: [
        (
            "1 Q0 a 1 0.5\n",
            EvaluationError.wrongColumnCount(
                file: "run", line: 1, found: 5, expected: "6 (query-id Q0 doc-id rank score tag)")
        ),
        ("1 Q0 a one 0.5 t\n", .notANumber(file: "run", line: 1, column: "rank", value: "one")),
        ("1 Q0 a 1 nan t\n", .notANumber(file: "run", line: 1, column: "score", value: "nan")),
        (
            "1 Q0 a 1 2 t\n1 Q0 a 2 1 t\n",
            .duplicateRetrieval(
                file: "run", line: 2, queryID: "1", documentID: "a", firstLine: 1)
        ),
    ])
    func malformedRowIsReportedWithItsLine(text: String, expected: EvaluationError) {
        #expect(throws: expected) { try RankedRun.parseTREC(text) }
    }

    @Test(arguments: [("/corpus/docs/1042.txt", "1042"), ("notes.md", "notes"), ("a/b/README", "README")])
    func documentIdentifierIsFileNameWithoutExtension(path: String, expected: String) {
        #expect(RankedRun.documentID(forPath: path) == expected)
    }
}

/// The Cranfield collection in ../shared/corpora/ir, found from this file's path.
private enum Cranfield {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/corpora/ir/cranfield")
    static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent("qrels.tsv").path)
    }
}

@Suite struct CranfieldFilesTests {
    /// PROVENANCE.md of the collection: 225 queries, 1,837 judgment rows of which 1,612 relevant.
    @Test(.enabled(if: Cranfield.isAvailable, "needs ../shared/corpora/ir/cranfield (not found)"))
    func cranfieldQueriesAndJudgmentsParseWithTheDocumentedCounts() throws {
        let queries = try EvaluationQuery.load(
            from: Cranfield.directory.appendingPathComponent("queries.jsonl"))
        let judgments = try RelevanceJudgments.load(
            from: Cranfield.directory.appendingPathComponent("qrels.tsv"))
        #expect(queries.count == 225)
        #expect(judgments.grades.values.map(\.count).reduce(0, +) == 1837)
        #expect(queries.map { judgments.relevantCount(forQuery: $0.id) }.reduce(0, +) == 1612)
        // A perfect run scores 1 on nDCG@10, MAP and R@100 for every query.
        let perfect = RankedRun(
            rankings: judgments.grades.mapValues { grades in
                grades.filter { $0.value > 0 }.sorted { $0.value > $1.value }.map(\.key)
            })
        let report = Evaluator.evaluate(run: perfect, judgments: judgments, queryIDs: queries.map(\.id))
        #expect(report.evaluatedQueries == 225 && report.skippedQueries == 0)
        #expect(abs(report.ndcgAt10 - 1) < 1e-12 && abs(report.map - 1) < 1e-12)
    }
}
