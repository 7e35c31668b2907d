/// Why a query string cannot be understood.
public enum QueryError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A `"` was opened at the given 1-based column and never closed.
    case missingClosingQuote(column: Int)
    /// A `(` was opened at the given 1-based column and never closed.
    case missingClosingParenthesis(column: Int)
    /// A `)` at the given column closes nothing.
    case unexpectedClosingParenthesis(column: Int)
    /// An operator (`OR`, `AND`, `NOT`) at the given column has nothing on one side.
    case danglingOperator(String, column: Int)
    /// The query has no word to search for (empty, or only exclusions).
    case nothingToSearch
    /// Only excluded words: FTS cannot list "everything except".
    case onlyExclusions

    public var description: String {
        switch self {
        case .missingClosingQuote(let column):
            return "Missing closing quote (opened at column \(column))."
        case .missingClosingParenthesis(let column):
            return "Missing closing parenthesis (opened at column \(column))."
        case .unexpectedClosingParenthesis(let column):
            return "Unexpected ‘)’ at column \(column): there is no ‘(’ for it to close."
        case .danglingOperator(let op, let column):
            return "‘\(op)’ at column \(column) needs a word on each side."
        case .nothingToSearch:
            return "The query has no words to search for."
        case .onlyExclusions:
            return "The query only excludes words; add at least one word to search for."
        }
    }
}
