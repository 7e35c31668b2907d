import Foundation

// Measuring ranking quality on a test collection: queries, graded relevance judgments ("qrels") and
// ranked runs in, trec_eval-compatible nDCG@10, MAP, P@10 and Recall@100 out. Pure value code: it
// knows nothing of the index, so Trawl's own results and any external system's TREC run are scored
// by the same functions.

/// One test query: an identifier shared with the relevance judgments, and the text to search for.
public struct EvaluationQuery: Hashable, Sendable, Codable {
    /// The query identifier, as written in the judgments (numbers in JSON become their decimal text).
    public var id: String
    /// The query text, as a user would type it.
    public var text: String

    /// Creates a query from its identifier and text.
    public init(id: String, text: String) {
        self.id = id
        self.text = text
    }
}

/// Graded relevance judgments: for each query, the grade assessors gave each judged document.
///
/// A grade above zero means relevant (higher is more relevant); zero or below means judged and
/// found not relevant. A document without a judgment counts as not relevant.
public struct RelevanceJudgments: Hashable, Sendable {
    /// Grades by query identifier, then by document identifier.
    public var grades: [String: [String: Int]]

    /// Creates judgments from grades by query identifier, then by document identifier.
    public init(grades: [String: [String: Int]] = [:]) {
        self.grades = grades
    }

    /// The identifiers of every query that has at least one judgment (relevant or not).
    public var queryIDs: Set<String> { Set(grades.keys) }

    /// The number of documents judged relevant (grade above zero) for a query.
    public func relevantCount(forQuery queryID: String) -> Int {
        grades[queryID, default: [:]].values.count(where: { $0 > 0 })
    }
}

/// Ranked results per query: for each query identifier, document identifiers best first.
public struct RankedRun: Hashable, Sendable {
    /// Document identifiers best first, by query identifier.
    public var rankings: [String: [String]]

    /// Creates a run from rankings (document identifiers best first) by query identifier.
    public init(rankings: [String: [String]] = [:]) {
        self.rankings = rankings
    }

    /// The document identifier evaluation uses for a file: its name without directory or extension.
    ///
    /// `documentID(forPath: "/corpus/docs/1042.txt")` is `"1042"`.
    public static func documentID(forPath path: String) -> String {
        URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    }
}

/// The scores of one evaluated query.
public struct QueryEvaluation: Hashable, Sendable, Codable {
    /// The query identifier.
    public var queryID: String
    /// How many documents are judged relevant (grade above zero) for this query.
    public var relevantCount: Int
    /// How many distinct documents the run returned for this query.
    public var retrievedCount: Int
    /// Normalised discounted cumulative gain of the first 10 results (trec_eval `ndcg_cut_10`).
    public var ndcgAt10: Double
    /// Average precision over the whole ranking (trec_eval `map` for one query).
    public var averagePrecision: Double
    /// The share of the first 10 positions holding a relevant document (trec_eval `P_10`).
    public var precisionAt10: Double
    /// The share of relevant documents found in the first 100 results (trec_eval `recall_100`).
    public var recallAt100: Double
}

/// The scores of a run over a set of queries: means over the evaluated queries, and each query.
///
/// Encoded as JSON with the keys `evaluatedQueries`, `skippedQueries`, `skippedQueryIDs`,
/// `ndcgAt10`, `map`, `precisionAt10`, `recallAt100` and `perQuery`.
public struct EvaluationReport: Hashable, Sendable, Codable {
    /// How many queries were scored (those with at least one relevant judgment).
    public var evaluatedQueries: Int
    /// How many queries were left out because no document is judged relevant for them.
    public var skippedQueries: Int
    /// The identifiers of the skipped queries, in query order.
    public var skippedQueryIDs: [String]
    /// Mean nDCG@10 over the evaluated queries.
    public var ndcgAt10: Double
    /// Mean average precision over the evaluated queries.
    public var map: Double
    /// Mean precision at 10 over the evaluated queries.
    public var precisionAt10: Double
    /// Mean recall at 100 over the evaluated queries.
    public var recallAt100: Double
    /// The scores of each evaluated query, in query order.
    public var perQuery: [QueryEvaluation]
}

/// Scores ranked runs against relevance judgments with the definitions of trec_eval.
///
/// A document is relevant when its grade is above zero. Per query:
/// - nDCG@10 = DCG@10 / IDCG@10 with DCG@k = Σ_{i ≤ k} grade(dᵢ) / log₂(i + 1), the ideal ranking
///   built from all relevant grades judged for the query (`ndcg_cut_10`);
/// - AP = (Σ over relevant documents at rank i of precision@i) / number of relevant documents,
///   over the whole ranking (`map`);
/// - P@10 = relevant documents in the first 10 / 10, even when fewer than 10 were returned (`P_10`);
/// - Recall@100 = relevant documents in the first 100 / number of relevant documents (`recall_100`).
///
/// A query with relevant judgments but no results scores 0 on every measure and counts in the means
/// (as `trec_eval -c`); a query without any relevant judgment is skipped and counted apart.
public enum Evaluator {
    /// The rank cut-off of nDCG and precision.
    public static let topCutoff = 10
    /// The rank cut-off of recall.
    public static let recallCutoff = 100

    /// Scores a run against judgments, returning the mean and per-query measures.
    ///
    /// - Parameter queryIDs: the queries to score (typically those of the queries file). When nil,
    ///   every query that appears in the run or the judgments.
    public static func evaluate(
        run: RankedRun, judgments: RelevanceJudgments, queryIDs: [String]? = nil
    ) -> EvaluationReport {
        let candidates = Set(queryIDs ?? Array(run.rankings.keys) + Array(judgments.grades.keys))
        var perQuery: [QueryEvaluation] = []
        var skipped: [String] = []
        for queryID in candidates.sorted(by: queryOrder) {
            let grades = judgments.grades[queryID, default: [:]]
            if !grades.values.contains(where: { $0 > 0 }) {
                skipped.append(queryID)
                continue
            }
            perQuery.append(
                evaluate(queryID: queryID, ranking: run.rankings[queryID, default: []], grades: grades))
        }
        func mean(_ measure: (QueryEvaluation) -> Double) -> Double {
            perQuery.isEmpty ? 0 : perQuery.map(measure).reduce(0, +) / Double(perQuery.count)
        }
        return EvaluationReport(
            evaluatedQueries: perQuery.count,
            skippedQueries: skipped.count,
            skippedQueryIDs: skipped,
            ndcgAt10: mean(\.ndcgAt10),
            map: mean(\.averagePrecision),
            precisionAt10: mean(\.precisionAt10),
            recallAt100: mean(\.recallAt100),
            perQuery: perQuery)
    }

    /// Scores one query's ranking (document identifiers best first) against its graded judgments.
    ///
    /// A document listed more than once counts only at its first position.
    public static func evaluate(queryID: String, ranking: [String], grades: [String: Int]) -> QueryEvaluation
    {
        var seen = Set<String>()
        let distinctRanking = ranking.filter { seen.insert($0).inserted }
        let relevantGrades = grades.values.filter { $0 > 0 }

        var discountedGain = 0.0
        var relevantSoFar = 0
        var precisionSum = 0.0
        var relevantInTop = 0
        var relevantInRecallCutoff = 0
        for (index, documentID) in distinctRanking.enumerated() {
            let rank = index + 1
            let grade = grades[documentID, default: 0]
            guard grade > 0 else { continue }
            relevantSoFar += 1
            precisionSum += Double(relevantSoFar) / Double(rank)
            if rank <= topCutoff {
                discountedGain += Double(grade) / discount(rank: rank)
                relevantInTop += 1
            }
            if rank <= recallCutoff {
                relevantInRecallCutoff += 1
            }
        }
        let idealGain = relevantGrades.sorted(by: >).prefix(topCutoff).enumerated().reduce(0.0) {
            $0 + Double($1.element) / discount(rank: $1.offset + 1)
        }
        let relevantCount = relevantGrades.count
        return QueryEvaluation(
            queryID: queryID,
            relevantCount: relevantCount,
            retrievedCount: distinctRanking.count,
            ndcgAt10: idealGain > 0 ? discountedGain / idealGain : 0,
            averagePrecision: relevantCount > 0 ? precisionSum / Double(relevantCount) : 0,
            precisionAt10: Double(relevantInTop) / Double(topCutoff),
            recallAt100: relevantCount > 0 ? Double(relevantInRecallCutoff) / Double(relevantCount) : 0)
    }

    /// The DCG divisor of a 1-based rank: log₂(rank + 1).
    private static func discount(rank: Int) -> Double {
        log2(Double(rank + 1))
    }

    /// Orders query identifiers numerically when both are integers, otherwise as text (numbers first).
    static func queryOrder(_ left: String, _ right: String) -> Bool {
        switch (Int(left), Int(right)) {
        case (let l?, let r?): return l != r ? l < r : left < right
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return left < right
        }
    }
}

// MARK: - Reading and writing the files of a test collection

extension EvaluationQuery {
    /// Reads a JSON Lines queries file: one `{"id": …, "text": …}` object per line.
    public static func load(from url: URL) throws(EvaluationError) -> [EvaluationQuery] {
        try parseJSONLines(readText(of: url), file: url.path)
    }

    /// Parses JSON Lines query text: one `{"id": …, "text": …}` object per line, blank lines ignored.
    ///
    /// The id may be a JSON string or number (`7` and `"7"` are the same query); other fields are
    /// ignored. `file` only names the source in errors.
    public static func parseJSONLines(_ text: String, file: String = "queries") throws(EvaluationError)
        -> [EvaluationQuery]
    {
        var queries: [EvaluationQuery] = []
        var firstLineByID: [String: Int] = [:]
        let decoder = JSONDecoder()
        for (index, line) in lines(of: text).enumerated() where !line.allSatisfy(\.isWhitespace) {
            let lineNumber = index + 1
            let object: [String: JSONScalar]
            do {
                object = try decoder.decode([String: JSONScalar].self, from: Data(line.utf8))
            } catch DecodingError.typeMismatch {
                throw .invalidJSONLine(file: file, line: lineNumber, reason: "expected a JSON object.")
            } catch {
                throw .invalidJSONLine(file: file, line: lineNumber, reason: "not valid JSON.")
            }
            guard let idValue = object["id"] else {
                throw .invalidJSONLine(file: file, line: lineNumber, reason: "missing the \"id\" field.")
            }
            guard let id = idValue.identifierText else {
                throw .invalidJSONLine(
                    file: file, line: lineNumber, reason: "the \"id\" field must be a string or a number.")
            }
            guard case .string(let queryText) = object["text"] else {
                let reason =
                    object["text"] == nil
                    ? "missing the \"text\" field." : "the \"text\" field must be a string."
                throw .invalidJSONLine(file: file, line: lineNumber, reason: reason)
            }
            if let firstLine = firstLineByID[id] {
                throw .duplicateQuery(file: file, line: lineNumber, queryID: id, firstLine: firstLine)
            }
            firstLineByID[id] = lineNumber
            queries.append(EvaluationQuery(id: id, text: queryText))
        }
        return queries
    }
}

extension RelevanceJudgments {
    /// Reads a qrels file (see ``parse(_:file:)`` for the accepted layouts).
    public static func load(from url: URL) throws(EvaluationError) -> RelevanceJudgments {
        try parse(readText(of: url), file: url.path)
    }

    /// Parses qrels text: whitespace-separated rows, blank lines ignored.
    ///
    /// Two layouts are accepted, row by row: `query-id corpus-id grade` (BEIR/MTEB `.tsv`) and
    /// `query-id iteration doc-id grade` (TREC). A first line whose grade column is not an integer
    /// is a header and is skipped. `file` only names the source in errors.
    public static func parse(_ text: String, file: String = "qrels") throws(EvaluationError)
        -> RelevanceJudgments
    {
        var grades: [String: [String: Int]] = [:]
        var firstLineByPair: [String: [String: Int]] = [:]
        var isFirstRow = true
        for (index, line) in lines(of: text).enumerated() {
            let lineNumber = index + 1
            let fields = line.split(whereSeparator: \.isWhitespace).map(String.init)
            if fields.isEmpty { continue }
            defer { isFirstRow = false }
            let queryID: String
            let documentID: String
            let gradeText: String
            switch fields.count {
            case 3: (queryID, documentID, gradeText) = (fields[0], fields[1], fields[2])
            case 4: (queryID, documentID, gradeText) = (fields[0], fields[2], fields[3])
            default:
                throw .wrongColumnCount(
                    file: file, line: lineNumber, found: fields.count,
                    expected: "3 (query-id corpus-id grade) or 4 (query-id iteration doc-id grade)")
            }
            guard let grade = Int(gradeText) else {
                if isFirstRow { continue }  // a header line such as "query-id corpus-id score"
                throw .notANumber(file: file, line: lineNumber, column: "grade", value: gradeText)
            }
            if let firstLine = firstLineByPair[queryID]?[documentID] {
                throw .duplicateJudgment(
                    file: file, line: lineNumber, queryID: queryID, documentID: documentID,
                    firstLine: firstLine)
            }
            firstLineByPair[queryID, default: [:]][documentID] = lineNumber
            grades[queryID, default: [:]][documentID] = grade
        }
        return RelevanceJudgments(grades: grades)
    }
}

extension RankedRun {
    /// Reads a TREC run file (see ``parseTREC(_:file:)``).
    public static func load(from url: URL) throws(EvaluationError) -> RankedRun {
        try parseTREC(readText(of: url), file: url.path)
    }

    /// Parses a TREC run: rows of `query-id Q0 doc-id rank score tag`, whitespace-separated.
    ///
    /// As trec_eval does, each query's documents are ordered by score, highest first, with ties
    /// broken by document identifier in *descending* byte order; the rank column is checked to be
    /// an integer but otherwise ignored. `file` only names the source in errors.
    public static func parseTREC(_ text: String, file: String = "run") throws(EvaluationError) -> RankedRun {
        var entries: [String: [(documentID: String, score: Double)]] = [:]
        var firstLineByPair: [String: [String: Int]] = [:]
        for (index, line) in lines(of: text).enumerated() {
            let lineNumber = index + 1
            let fields = line.split(whereSeparator: \.isWhitespace).map(String.init)
            if fields.isEmpty { continue }
            guard fields.count == 6 else {
                throw .wrongColumnCount(
                    file: file, line: lineNumber, found: fields.count,
                    expected: "6 (query-id Q0 doc-id rank score tag)")
            }
            let (queryID, documentID) = (fields[0], fields[2])
            guard Int(fields[3]) != nil else {
                throw .notANumber(file: file, line: lineNumber, column: "rank", value: fields[3])
            }
            guard let score = Double(fields[4]), score.isFinite else {
                throw .notANumber(file: file, line: lineNumber, column: "score", value: fields[4])
            }
            if let firstLine = firstLineByPair[queryID]?[documentID] {
                throw .duplicateRetrieval(
                    file: file, line: lineNumber, queryID: queryID, documentID: documentID,
                    firstLine: firstLine)
            }
            firstLineByPair[queryID, default: [:]][documentID] = lineNumber
            entries[queryID, default: []].append((documentID, score))
        }
        return RankedRun(
            rankings: entries.mapValues { results in
                results.sorted { left, right in
                    if left.score != right.score { return left.score > right.score }
                    return right.documentID.utf8.lexicographicallyPrecedes(left.documentID.utf8)
                }.map(\.documentID)
            })
    }

    /// The run as TREC run text, one `query-id Q0 doc-id rank score tag` row per result.
    ///
    /// Scores count down from the ranking's length to 1, so the order survives any reader that
    /// sorts by score (``parseTREC(_:file:)``, trec_eval). Queries appear in query order.
    public func trecRunText(tag: String = "trawl") -> String {
        var text = ""
        for queryID in rankings.keys.sorted(by: Evaluator.queryOrder) {
            let ranking = rankings[queryID, default: []]
            for (index, documentID) in ranking.enumerated() {
                text += "\(queryID) Q0 \(documentID) \(index + 1) \(ranking.count - index) \(tag)\n"
            }
        }
        return text
    }
}

/// The lines of a text, split at any line break ("\n", "\r\n", "\r").
private func lines(of text: String) -> [Substring] {
    text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
}

/// The whole text of a UTF-8 file, with read failures as ``EvaluationError``.
private func readText(of url: URL) throws(EvaluationError) -> String {
    do {
        return try String(contentsOf: url, encoding: .utf8)
    } catch {
        throw .unreadableFile(file: url.path, reason: error.localizedDescription)
    }
}

/// A JSON value as far as a queries file cares: strings and numbers, anything else only as its kind.
private enum JSONScalar: Decodable {
    case string(String)
    case integer(Int)
    case number(Double)
    case other

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else {
            self = .other
        }
    }

    /// The value as an identifier: strings as they are, numbers as decimal text.
    var identifierText: String? {
        switch self {
        case .string(let value): value
        case .integer(let value): String(value)
        case .number(let value): String(value)
        case .other: nil
        }
    }
}
