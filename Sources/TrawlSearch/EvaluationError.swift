/// Why a test-collection file (queries, relevance judgments or a run) cannot be used for evaluation.
///
/// Every case names the file and, where it applies, the 1-based line so the reader can open the
/// file at the faulty line.
public enum EvaluationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file could not be read at all (missing, unreadable, not UTF-8).
    case unreadableFile(file: String, reason: String)
    /// A line of a JSON Lines file is not a JSON object with the expected fields.
    case invalidJSONLine(file: String, line: Int, reason: String)
    /// A line has a number of whitespace-separated columns the format does not allow.
    case wrongColumnCount(file: String, line: Int, found: Int, expected: String)
    /// A column that must hold a number holds something else.
    case notANumber(file: String, line: Int, column: String, value: String)
    /// The same query id appears on two lines of a queries file.
    case duplicateQuery(file: String, line: Int, queryID: String, firstLine: Int)
    /// The same (query, document) pair is judged twice in a qrels file.
    case duplicateJudgment(file: String, line: Int, queryID: String, documentID: String, firstLine: Int)
    /// The same document is listed twice for one query in a run file.
    case duplicateRetrieval(file: String, line: Int, queryID: String, documentID: String, firstLine: Int)

    public var description: String {
        switch self {
        case .unreadableFile(let file, let reason):
            return "Cannot read \(file): \(reason)"
        case .invalidJSONLine(let file, let line, let reason):
            return "\(file):\(line): \(reason)"
        case .wrongColumnCount(let file, let line, let found, let expected):
            return "\(file):\(line): found \(found) column\(found == 1 ? "" : "s"), expected \(expected)."
        case .notANumber(let file, let line, let column, let value):
            return "\(file):\(line): the \(column) column must be a number, not ‘\(value)’."
        case .duplicateQuery(let file, let line, let queryID, let firstLine):
            return "\(file):\(line): query ‘\(queryID)’ was already defined on line \(firstLine)."
        case .duplicateJudgment(let file, let line, let queryID, let documentID, let firstLine):
            return
                "\(file):\(line): document ‘\(documentID)’ was already judged for query ‘\(queryID)’ on line \(firstLine)."
        case .duplicateRetrieval(let file, let line, let queryID, let documentID, let firstLine):
            return
                "\(file):\(line): document ‘\(documentID)’ was already retrieved for query ‘\(queryID)’ on line \(firstLine)."
        }
    }
}
