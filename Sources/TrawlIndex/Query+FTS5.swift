import TrawlQuery
import TrawlText

// CONTRACT STUB — replaced by the query compiler from branch `query`.

/// What a query becomes when bound to the FTS5 index.
public struct FTS5Query: Hashable, Sendable {
    public var matchText: String
    public var highlightTerms: Set<String>
    public var highlightPrefixes: Set<String>
    public var phrases: [[String]]
}

/// How top-level words combine.
public enum WordJoin: Sendable { case all, any }

extension Query {
    public func fts5Query(tokenizer: Tokenizer = Tokenizer(), joining: WordJoin = .all) throws(QueryError)
        -> FTS5Query
    {
        var terms: [String] = []
        func collect(_ q: Query) {
            switch q {
            case .word(let w), .phrase(let w), .prefix(let w), .variants(let w):
                terms += tokenizer.tokens(in: w).map(\.term)
            case .field(_, let q): collect(q)
            case .all(let qs), .any(let qs): qs.forEach(collect)
            case .excluding(let q, _): collect(q)
            }
        }
        collect(self)
        if terms.isEmpty { throw .nothingToSearch }
        return FTS5Query(
            matchText: terms.map { "\"\($0)\"" }.joined(separator: joining == .all ? " AND " : " OR "),
            highlightTerms: Set(terms), highlightPrefixes: [], phrases: [])
    }
}
