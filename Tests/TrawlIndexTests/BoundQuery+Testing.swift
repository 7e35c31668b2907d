import TrawlQuery
import TrawlText

@testable import TrawlIndex

extension Query {
    /// Binds the query as a search does (shorthand for the tests).
    func fts5Query(tokenizer: Tokenizer = Tokenizer(), joining: WordJoin = .all) throws -> BoundQuery {
        try BoundQuery(self, tokenizer: tokenizer, joining: joining)
    }
}

extension BoundQuery {
    /// The MATCH text, for comparing with the compiler's table.
    var matchText: String { match.text }
}
