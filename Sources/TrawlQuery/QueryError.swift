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
    /// An exclusion is one side of the `OR` at the given column (`a OR -b`), which FTS
    /// cannot answer.
    case exclusionInAlternative(column: Int)
    /// A field name (`title:` or `body:`) at the given column has nothing right after its colon.
    case emptyField(String, column: Int)
    /// Parentheses nest deeper than `QueryParser.maximumNesting`; the column is the `(` that
    /// went too deep.
    case tooDeeplyNested(column: Int)
    /// Every word to search for is punctuation or symbols, which the index does not hold;
    /// the associated text lists those words as typed.
    case noSearchableWords(String)
    /// `name:` at the given column is not a field Trawl knows (`date:2025`, `path2:x`).
    case unknownField(String, column: Int)
    /// A quoted phrase holds more words than `limit`.
    case phraseTooLong(words: Int, limit: Int)
    /// The query searches for more distinct terms than `limit`.
    case tooManyTerms(count: Int, limit: Int)
    /// A metadata filter (`author:`, `source:`, `tag:`) is OR-ed or grouped with words to search
    /// for, or sits inside `title:`/`body:`; filters can only stand beside the words.
    case filterMixedWithWords(String)
    /// The query only excludes words from a metadata filter's documents (`tag:x -word`).
    case exclusionWithoutWords

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
        case .exclusionInAlternative(let column):
            return
                "The ‘OR’ at column \(column) has an excluded word on one side; "
                + "put exclusions outside the OR, e.g. ‘(a OR b) -c’."
        case .emptyField(let field, let column):
            return "‘\(field):’ at column \(column) needs a word right after the colon, e.g. ‘\(field):iran’."
        case .tooDeeplyNested(let column):
            return
                "The ‘(’ at column \(column) nests groups more than "
                + "\(QueryParser.maximumNesting) deep; remove some parentheses."
        case .noSearchableWords(let words):
            return "‘\(words)’ has no searchable words: punctuation and symbols are not indexed."
        case .unknownField(let field, let column):
            return
                "‘\(field):’ at column \(column) is not a field Trawl knows; the fields are "
                + Query.knownFieldNames.map { "‘\($0):’" }.joined(separator: ", ")
                + ". To search for the text, put it in quotes: ‘\"\(field):…\"’."
        case .phraseTooLong(let words, let limit):
            return "A quoted phrase may hold at most \(limit) words; this one has \(words)."
        case .tooManyTerms(let count, let limit):
            return "The query searches for \(count) different words; Trawl searches at most \(limit) at once."
        case .filterMixedWithWords(let field):
            return
                "‘\(field):’ narrows the results and cannot be OR-ed or grouped with words to search for; "
                + "put it beside them, e.g. ‘iran \(field):name’ or ‘(\(field):a OR \(field):b) iran’."
        case .exclusionWithoutWords:
            return
                "Excluding words needs at least one word to search for besides the filters, "
                + "e.g. ‘tag:energy oil -gas’."
        }
    }
}
