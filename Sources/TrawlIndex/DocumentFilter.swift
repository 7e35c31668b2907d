import GRDB
import TrawlQuery
import TrawlText

/// What narrows a search besides its words: metadata filters and a date range.
public struct DocumentFilter: Hashable, Sendable {
    /// MATCH text for `document_meta_fts` that a document must match; nil when there is none.
    public var metadataMatch: String?
    /// MATCH text for `document_meta_fts` that a document must not match; nil when there is none.
    public var excludedMetadataMatch: String?
    /// The earliest document date, seconds since 1970 (inclusive).
    public var since: Double?
    /// The date documents must be older than, seconds since 1970 (exclusive).
    public var until: Double?

    public init(
        metadataMatch: String? = nil, excludedMetadataMatch: String? = nil, since: Double? = nil,
        until: Double? = nil
    ) {
        self.metadataMatch = metadataMatch
        self.excludedMetadataMatch = excludedMetadataMatch
        self.since = since
        self.until = until
    }

    /// True when the filter lets every document through.
    public var isEmpty: Bool {
        metadataMatch == nil && excludedMetadataMatch == nil && since == nil && until == nil
    }

    /// The conditions on the document whose id is `rowid` (a qualified column name written by the
    /// caller, never user text), each starting with ` AND `, and the values they bind:
    ///
    ///     AND rowid IN (SELECT rowid FROM document_meta_fts WHERE document_meta_fts MATCH :match)
    ///     AND rowid NOT IN (SELECT rowid FROM document_meta_fts WHERE document_meta_fts MATCH :excluded)
    ///     AND (SELECT d.date FROM document_store d WHERE d.id = rowid) >= :since
    ///     AND (SELECT d.date FROM document_store d WHERE d.id = rowid) < :until
    func sqlConditions(rowid: String) -> (sql: String, arguments: StatementArguments) {
        var sql = ""
        var arguments = StatementArguments()
        if let metadataMatch {
            sql += " AND \(rowid) IN (SELECT rowid FROM document_meta_fts WHERE document_meta_fts MATCH ?)"
            arguments += [metadataMatch]
        }
        if let excludedMetadataMatch {
            sql +=
                " AND \(rowid) NOT IN (SELECT rowid FROM document_meta_fts WHERE document_meta_fts MATCH ?)"
            arguments += [excludedMetadataMatch]
        }
        if let since {
            sql += " AND (SELECT d.date FROM document_store d WHERE d.id = \(rowid)) >= ?"
            arguments += [since]
        }
        if let until {
            sql += " AND (SELECT d.date FROM document_store d WHERE d.id = \(rowid)) < ?"
            arguments += [until]
        }
        return (sql, arguments)
    }
}

extension Query {
    /// Compiles a metadata filter (the `filter` part of `separatingFilters()`) into MATCH text
    /// for the metadata index, whose columns are `author`, `source` and `tags`:
    ///
    /// | Filter                         | MATCH text (`metadataMatch`)                  |
    /// |--------------------------------|-----------------------------------------------|
    /// | `author:smith`                 | `author : "smith"`                            |
    /// | `tag:oil OR tag:gas`           | `(tags : "oil") OR (tags : "gas")`            |
    /// | `-source:blog` (excluded)      | `excludedMetadataMatch`: `source : "blog"`    |
    public func documentFilter(tokenizer: Tokenizer = Tokenizer()) throws(QueryError) -> DocumentFilter {
        var compiler = FTS5QueryCompiler(tokenizer: tokenizer)
        compiler.columns = ["author": "author", "source": "source", "tag": "tags"]
        var filter = DocumentFilter()
        switch self {
        case .excluding(let include, let exclusions):
            filter.metadataMatch = try compiler.compile(include, isPositive: true)?.text
            filter.excludedMetadataMatch = try compiler.joined(exclusions, by: " OR ", isPositive: false)?
                .text
        default:
            filter.metadataMatch = try compiler.compile(self, isPositive: true)?.text
        }
        if filter.metadataMatch == nil && filter.excludedMetadataMatch == nil {
            if compiler.unsearchableWords.isEmpty { throw .nothingToSearch }
            throw .noSearchableWords(compiler.unsearchableWords.joined(separator: " "))
        }
        return filter
    }
}
