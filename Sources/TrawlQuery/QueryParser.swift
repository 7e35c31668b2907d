/// Parses the query language into a `Query`.
///
/// CONTRACT STUB — replaced by the real implementation.
public struct QueryParser: Sendable {
    public init() {}

    /// Parses `text`; throws a `QueryError` that names what is wrong and where.
    public func parse(_ text: String) throws(QueryError) -> Query {
        let words = text.split(whereSeparator: { $0.isWhitespace }).map { Query.word(String($0)) }
        if words.isEmpty { throw .nothingToSearch }
        return words.count == 1 ? words[0] : .all(words)
    }
}
