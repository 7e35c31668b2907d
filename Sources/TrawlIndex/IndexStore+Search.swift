import GRDB

/// A document that matched a query, with the score the index gave it.
public struct MatchedDocument: Sendable, Hashable {
    public var id: Int64
    /// The file's path.
    public var path: String
    /// The record's key inside the file; empty for a whole-file document.
    public var record: String
    public var title: String
    public var body: String
    /// Seconds since 1970; nil for an undated document.
    public var date: Double?
    public var metadata: DocumentMetadata
    /// BM25 relevance; higher is better.
    public var score: Double

    /// `path`, or `path#record` for a record.
    public var location: String { DocumentLocation.text(path: path, record: record) }
}

extension MatchedDocument {
    /// The columns `init(row:score:)` reads, in order, from `tables`: what the view `document`
    /// shows, read from the tables behind it. Preparing a statement on the view costs SQLite
    /// about 0.9 M instructions more (it expands all 17 of the view's columns), 7% of a rare-word
    /// `trawl search`.
    static let columns = """
        s.id, s.path, s.record, s.title, trawl_inflate(b.body), s.date, s.date_source, s.author, s.source, \
        s.tags, s.language, s.url
        """
    /// The tables `columns` come from.
    static let tables = "document_store s \(bodies)"
    /// How `tables` adds each document's body to its `document_store` row `s`.
    static let bodies = "LEFT JOIN document_body b ON b.id = s.id"

    init(row: Row, score: Double) {
        self.init(
            id: row[0], path: row[1], record: row[2], title: row[3], body: row[4], date: row[5],
            metadata: DocumentMetadata(
                dateSource: StoredMetadata.dateSource(code: row[6]), author: row[7], source: row[8],
                tags: StoredMetadata.tags(row[9]), language: row[10], url: row[11]),
            score: score)
    }
}

/// How much a match in each field counts in FTS5's `bm25()`.
public struct FieldWeights: Sendable, Hashable {
    public var title: Double
    public var body: Double
    /// A header block's lines (`IndexedFields.meta`): below the body, as in Trawl's ranking.
    public var meta: Double

    public init(title: Double = 3, body: Double = 1, meta: Double = 0.4) {
        self.title = title
        self.body = body
        self.meta = meta
    }
}

/// The order in which the index hands out matching documents.
public enum MatchOrder: Sendable, Hashable {
    /// FTS5 `bm25()` with the given field weights, best first.
    case relevance
    /// Document date, newest first (ties by `bm25()`); undated documents last (SQLite orders NULL
    /// below every value).
    case newestFirst
}

extension IndexStore {
    /// The matching documents for `query` in `order`: by default the best-scoring first.
    ///
    ///     SELECT s.id, s.path, s.record, s.title, trawl_inflate(b.body), s.date, …, m.rank FROM (
    ///         SELECT rowid AS id, bm25(document_fts, :body, :title, :meta) AS rank FROM document_fts
    ///         WHERE document_fts MATCH :match <filter> ORDER BY rank LIMIT :limit OFFSET :offset
    ///     ) m JOIN document_store s ON s.id = m.id LEFT JOIN document_body b ON b.id = s.id
    ///     ORDER BY m.rank
    ///     -- .newestFirst: the subquery orders by the document date, newest first, then rank
    ///
    /// `<filter>` is `query.filter`'s conditions (see `DocumentFilter`). `score` is `-bm25()`, so
    /// higher is better.
    public func matches(
        _ query: BoundQuery, limit: Int, offset: Int = 0, weights: FieldWeights = FieldWeights(),
        order: MatchOrder = .relevance
    ) throws(IndexError) -> [MatchedDocument] {
        let filter = query.filter.sqlConditions(rowid: "document_fts.rowid")
        // Order and cut in a subquery that reads no body, so only the page's bodies are inflated.
        let (columns, bodies) = (MatchedDocument.columns, MatchedDocument.bodies)
        let sql =
            switch order {
            case .relevance:
                """
                SELECT \(columns), m.rank FROM (
                    SELECT rowid AS id, bm25(document_fts, ?, ?, ?) AS rank FROM document_fts
                    WHERE document_fts MATCH ?\(filter.sql) ORDER BY rank LIMIT ? OFFSET ?
                ) m JOIN document_store s ON s.id = m.id \(bodies) ORDER BY m.rank
                """
            case .newestFirst:
                """
                SELECT \(columns), m.rank FROM (
                    SELECT document_fts.rowid AS id, bm25(document_fts, ?, ?, ?) AS rank, s.date AS date
                    FROM document_fts JOIN document_store s ON s.id = document_fts.rowid
                    WHERE document_fts MATCH ?\(filter.sql) ORDER BY s.date DESC, rank LIMIT ? OFFSET ?
                ) m JOIN document_store s ON s.id = m.id \(bodies) ORDER BY m.date DESC, m.rank
                """
            }
        var arguments = StatementArguments(
            FullTextColumns.inColumnOrder(title: weights.title, body: weights.body, meta: weights.meta))
        arguments += [query.match.text]
        arguments += filter.arguments
        arguments += [limit, offset]
        return try wrap {
            try reading { db in
                try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                    MatchedDocument(row: row, score: -(row[12] as Double))
                }
            }
        }
    }

    /// The ids of the documents that match `match` (no filter, no ranking).
    ///
    ///     SELECT rowid FROM document_fts WHERE document_fts MATCH :match
    public func matchingIDs(_ match: FTS5Match) throws(IndexError) -> Set<Int64> {
        try wrap {
            try reading { db in
                Set(
                    try Int64.fetchAll(
                        db, sql: "SELECT rowid FROM document_fts WHERE document_fts MATCH ?",
                        arguments: [match.text]))
            }
        }
    }

    /// Whether any document matches `query` (its filter included): the first match only.
    ///
    ///     SELECT 1 FROM document_fts WHERE document_fts MATCH :match <filter> LIMIT 1
    public func hasMatches(_ query: BoundQuery) throws(IndexError) -> Bool {
        try integerOverMatches("1", of: query, after: " LIMIT 1") != nil
    }

    /// How many documents match `query` (its filter included).
    ///
    ///     SELECT count(*) FROM document_fts WHERE document_fts MATCH :match <filter>
    public func matchCount(_ query: BoundQuery) throws(IndexError) -> Int {
        try integerOverMatches("count(*)", of: query) ?? 0
    }

    /// `SELECT <value> FROM document_fts WHERE document_fts MATCH :match <filter><after>`, for
    /// `query`'s MATCH and filter: its integer, nil without a row. (Not generic over the value's
    /// type: a generic fetch looks its conformances up at run time, 0.4 M instructions a search.)
    private func integerOverMatches(_ value: String, of query: BoundQuery, after: String = "")
        throws(IndexError) -> Int?
    {
        let filter = query.filter.sqlConditions(rowid: "document_fts.rowid")
        return try wrap {
            try reading { db in
                try Int.fetchOne(
                    db,
                    sql: "SELECT \(value) FROM document_fts WHERE document_fts MATCH ?" + filter.sql + after,
                    arguments: [query.match.text] + filter.arguments)
            }
        }
    }

    /// The documents that pass `filter` alone (a search with filters and no words), newest first,
    /// undated last.
    ///
    ///     SELECT s.id FROM document_store s WHERE 1 <filter> ORDER BY s.date DESC, s.id LIMIT :limit OFFSET :offset
    public func filteredDocuments(_ filter: DocumentFilter, limit: Int, offset: Int) throws(IndexError)
        -> [MatchedDocument]
    {
        let conditions = filter.sqlConditions(rowid: "s.id")
        let ids = try wrap {
            try reading { db in
                try Int64.fetchAll(
                    db,
                    sql:
                        "SELECT s.id FROM document_store s WHERE 1\(conditions.sql) ORDER BY s.date DESC, s.id LIMIT ? OFFSET ?",
                    arguments: conditions.arguments + [limit, offset])
            }
        }
        return try documents(withIDs: ids)
    }

    /// How many documents pass `filter`.
    ///
    ///     SELECT count(*) FROM document_store s WHERE 1 <filter>
    public func filteredCount(_ filter: DocumentFilter) throws(IndexError) -> Int {
        let conditions = filter.sqlConditions(rowid: "s.id")
        return try wrap {
            try reading { db in
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM document_store s WHERE 1" + conditions.sql,
                    arguments: conditions.arguments) ?? 0
            }
        }
    }
}
