import GRDB

/// A document that matched a query, with the score the index gave it.
public struct MatchedDocument: Sendable, Hashable {
    public var id: Int64
    public var path: String
    public var title: String
    public var body: String
    /// Seconds since 1970.
    public var date: Double
    /// BM25 relevance; higher is better.
    public var score: Double
}

/// How much a match in each field counts in BM25.
public struct FieldWeights: Sendable, Hashable {
    public var title: Double
    public var body: Double

    public init(title: Double = 3, body: Double = 1) {
        self.title = title
        self.body = body
    }
}

/// The order in which the index hands out matching documents.
public enum MatchOrder: Sendable, Hashable {
    /// FTS5 `bm25()` with the given field weights, best first.
    case relevance
    /// Document date, newest first (ties by `bm25()`).
    case newestFirst
}

extension IndexStore {
    /// The matching documents for `query` in `order`: by default the best-scoring first.
    ///
    ///     SELECT d.id, d.path, d.title, d.body, d.date, m.rank FROM (
    ///         SELECT rowid AS id, bm25(document_fts, :title, :body) AS rank FROM document_fts
    ///         WHERE document_fts MATCH :match ORDER BY rank LIMIT :limit OFFSET :offset
    ///     ) m JOIN document d ON d.id = m.id ORDER BY m.rank
    ///     -- .newestFirst: the subquery orders by the document date, newest first, then rank
    ///
    /// `score` is `-bm25()`, so higher is better.
    public func matches(
        _ query: FTS5Query, limit: Int, offset: Int = 0, weights: FieldWeights = FieldWeights(),
        order: MatchOrder = .relevance
    ) throws(IndexError) -> [MatchedDocument] {
        // Order and cut in a subquery that reads no body, so only the page's bodies are inflated.
        let sql =
            switch order {
            case .relevance:
                """
                SELECT d.id, d.path, d.title, d.body, d.date, m.rank FROM (
                    SELECT rowid AS id, bm25(document_fts, ?, ?) AS rank FROM document_fts
                    WHERE document_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?
                ) m JOIN document d ON d.id = m.id ORDER BY m.rank
                """
            case .newestFirst:
                """
                SELECT d.id, d.path, d.title, d.body, d.date, m.rank FROM (
                    SELECT document_fts.rowid AS id, bm25(document_fts, ?, ?) AS rank, s.date AS date
                    FROM document_fts JOIN document s ON s.id = document_fts.rowid
                    WHERE document_fts MATCH ? ORDER BY s.date DESC, rank LIMIT ? OFFSET ?
                ) m JOIN document d ON d.id = m.id ORDER BY m.date DESC, m.rank
                """
            }
        return try wrap {
            try database.read { db in
                try Row.fetchAll(
                    db,
                    sql: sql,
                    arguments: [weights.title, weights.body, query.matchText, limit, offset]
                ).map { row in
                    MatchedDocument(
                        id: row[0], path: row[1], title: row[2], body: row[3], date: row[4],
                        score: -(row[5] as Double))
                }
            }
        }
    }

    /// How many documents match `query`.
    ///
    ///     SELECT count(*) FROM document_fts WHERE document_fts MATCH :match
    public func matchCount(_ query: FTS5Query) throws(IndexError) -> Int {
        try wrap {
            try database.read { db in
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM document_fts WHERE document_fts MATCH ?",
                    arguments: [query.matchText]) ?? 0
            }
        }
    }
}
