import GRDB

/// A document's stored body as the full-text index holds it: the story in `document_fts`'s
/// `body` column and the header block's lines in its `meta` column (schema v11), so a word
/// found only in `Tags:`, `Author:` or `Source:` weighs less than one in the story, and a phrase
/// cannot run from the last header line into the story.
///
/// ```
/// Date: 26-FEB-1987 15:01:01.79      ← meta: the lines, joined by line breaks
/// Tags: cocoa
///
/// SALVADOR, Feb 26 - Showers …       ← story (the whole body when it has no header block)
/// ```
///
/// The insert, the delete and the ranker's re-tokenizing all split a body here, and the SQL
/// functions the content view `document_text` reads (registered on every connection) do too, so
/// FTS5's `integrity-check` and every scoring path see the same three fields:
///
///     CREATE VIEW document_text(id, title, body, meta) AS
///         SELECT id, title, trawl_story(body), trawl_meta(body) FROM document
public struct IndexedFields: Sendable, Hashable {
    /// The body after its header block (the whole body when it has none).
    public var story: String
    /// The header block's lines, joined by line breaks (empty when the body has none).
    public var meta: String

    /// Splits a stored body into its story and header lines (see `HeaderBlock`).
    public init(body: String) {
        let header = HeaderBlock(splitting: body)
        if header.lines.isEmpty {
            story = body
            meta = ""
        } else {
            story = String(header.story)
            meta = header.lines.joined(separator: "\n")
        }
    }

    /// Registers `trawl_story(body)` and `trawl_meta(body)` on `db`.
    static func register(in db: Database) {
        db.add(
            function: DatabaseFunction("trawl_story", argumentCount: 1, pure: true) { values in
                String.fromDatabaseValue(values[0]).map { IndexedFields(body: $0).story }
            })
        db.add(
            function: DatabaseFunction("trawl_meta", argumentCount: 1, pure: true) { values in
                String.fromDatabaseValue(values[0]).map { IndexedFields(body: $0).meta }
            })
    }
}
