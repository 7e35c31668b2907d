import GRDB

/// The `fts5vocab` views of the full-text index that searches and statistics read, created on
/// demand in the connection's TEMP schema (so a read-only index needs no migration for them).
enum VocabularyTable: String {
    /// One row per term: the documents holding it (`doc`) and its occurrences (`cnt`).
    case rows = "trawl_rows"

    /// Creates the table on this connection if it is not there yet and returns its name.
    ///
    ///     CREATE VIRTUAL TABLE IF NOT EXISTS temp.trawl_rows USING fts5vocab(main, document_fts, 'row')
    @discardableResult
    func ensure(in db: Database) throws -> String {
        try db.execute(
            sql:
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.\(rawValue) USING fts5vocab(main, document_fts, 'row')"
        )
        return "temp.\(rawValue)"
    }
}
