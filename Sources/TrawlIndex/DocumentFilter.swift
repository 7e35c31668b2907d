import GRDB
import TrawlQuery
import TrawlText

/// What narrows a search besides its words: metadata filters and a date range.
public struct DocumentFilter: Hashable, Sendable {
    /// The metadata condition a document must meet (`author:`, `source:`, `tag:`, `path:`,
    /// `lang:`, combined as typed); nil when there is none.
    var condition: FilterCondition?
    /// The earliest document date, seconds since 1970 (inclusive).
    public var since: Double?
    /// The date documents must be older than, seconds since 1970 (exclusive).
    public var until: Double?
    /// Only documents added or updated by recent runs (`--new`, `--indexed-since`, a watch).
    public var indexed: IndexedWindow?

    /// A filter on the date alone.
    public init(since: Double? = nil, until: Double? = nil) {
        self.since = since
        self.until = until
    }

    /// True when the filter lets every document through.
    public var isEmpty: Bool { condition == nil && since == nil && until == nil && indexed == nil }

    /// The conditions on the document whose id is `rowid` (a qualified column name written by the
    /// caller, never user text), starting with ` AND `, and the values they bind:
    ///
    ///     AND <each part of the condition's AND>     -- see FilterCondition.topLevelSQL
    ///     AND (SELECT d.date FROM document_store d WHERE d.id = rowid) >= :since
    ///     AND (SELECT d.date FROM document_store d WHERE d.id = rowid) < :until
    ///     AND <the indexed window's test>     -- see IndexedWindow.sql
    func sqlConditions(rowid: String) -> (sql: String, arguments: StatementArguments) {
        var sql = ""
        var arguments = StatementArguments()
        if let condition {
            for part in condition.conjuncts {
                let (partSQL, partArguments) = part.topLevelSQL(rowid: rowid)
                sql += " AND " + partSQL
                arguments += partArguments
            }
        }
        if let since {
            sql += " AND (SELECT d.date FROM document_store d WHERE d.id = \(rowid)) >= ?"
            arguments += [since]
        }
        if let until {
            sql += " AND (SELECT d.date FROM document_store d WHERE d.id = \(rowid)) < ?"
            arguments += [until]
        }
        if let indexed {
            let (windowSQL, windowArguments) = indexed.sql(rowid: rowid)
            sql += " AND " + windowSQL
            arguments += windowArguments
        }
        return (sql, arguments)
    }
}

/// A metadata condition on a document, as the filter part of a query combines them.
indirect enum FilterCondition: Hashable, Sendable {
    /// The document's author, source and tags match this MATCH text of `document_meta_fts`.
    case metadata(FTS5Match)
    /// The document's path matches one of these GLOB patterns.
    case path([String])
    /// The document's language is this code, or a variant of it (`en` takes `en-gb`).
    case language(String)
    case all([FilterCondition])
    case any([FilterCondition])
    case not(FilterCondition)

    /// The SQL expression for the document whose id is `rowid`, and the values it binds:
    ///
    ///     rowid IN (SELECT rowid FROM document_meta_fts WHERE document_meta_fts MATCH :match)
    ///     (s.path GLOB :p1 OR s.path GLOB :p2)
    ///     (lower(s.language) = :code OR lower(s.language) GLOB :code-*)
    ///     (a AND b), (a OR b), NOT (a)
    ///
    /// `rowid` is the stored document's id column (`s.id`).
    func sql(rowid: String) -> (sql: String, arguments: StatementArguments) {
        switch self {
        case .metadata(let match):
            return (
                "\(rowid) IN (SELECT rowid FROM document_meta_fts WHERE document_meta_fts MATCH ?)",
                [match.text]
            )
        case .path(let patterns):
            let tests = Array(repeating: "s.path GLOB ?", count: patterns.count).joined(separator: " OR ")
            return ("(" + tests + ")", StatementArguments(patterns))
        case .language(let code):
            return (
                "(lower(s.language) = ? OR lower(s.language) GLOB ?)", [code, Self.globEscaped(code) + "-*"]
            )
        case .all(let parts), .any(let parts):
            var arguments = StatementArguments()
            let separator = if case .all = self { " AND " } else { " OR " }
            let texts = parts.map { part in
                let (text, partArguments) = part.sql(rowid: rowid)
                arguments += partArguments
                return text
            }
            return ("(" + texts.joined(separator: separator) + ")", arguments)
        case .not(let inner):
            let (text, arguments) = inner.sql(rowid: rowid)
            return ("NOT (" + text + ")", arguments)
        }
    }

    /// The parts of an AND, each tested on its own; any other condition is one part.
    var conjuncts: [FilterCondition] {
        if case .all(let parts) = self { return parts.flatMap(\.conjuncts) }
        return [self]
    }

    /// The condition as one test of the document whose id is `rowid` beside an FTS5 MATCH:
    ///
    ///     rowid IN (SELECT rowid FROM document_meta_fts WHERE document_meta_fts MATCH :match)
    ///     rowid NOT IN (SELECT rowid FROM document_meta_fts WHERE document_meta_fts MATCH :match)
    ///     rowid IN (SELECT s.id FROM document_store s WHERE <sql(rowid: "s.id")>)
    ///
    /// A metadata match (or its negation) is one subquery SQLite evaluates once; anything else is
    /// tested on the stored documents apart from the FTS5 MATCH, which FTS5 refuses to see OR-ed
    /// with other conditions.
    func topLevelSQL(rowid: String) -> (sql: String, arguments: StatementArguments) {
        let metadataSubquery = "(SELECT rowid FROM document_meta_fts WHERE document_meta_fts MATCH ?)"
        switch self {
        case .metadata(let match):
            return ("\(rowid) IN \(metadataSubquery)", [match.text])
        case .not(.metadata(let match)):
            return ("\(rowid) NOT IN \(metadataSubquery)", [match.text])
        default:
            let (conditionSQL, conditionArguments) = sql(rowid: "s.id")
            return (
                "\(rowid) IN (SELECT s.id FROM document_store s WHERE \(conditionSQL))", conditionArguments
            )
        }
    }

    /// The GLOB patterns `path:` tests for `typed`: an absolute path names that file or folder;
    /// a pattern with `*`, `?` or `[` is matched against the end of the path, or of a folder in
    /// it; anything else is a run of whole path components (`levant`, `2025/11`, `notes.txt`).
    static func pathPatterns(_ typed: String) -> [String] {
        var text = typed
        while text.count > 1, text.hasSuffix("/") { text.removeLast() }
        if text.hasPrefix("/") {
            let exact = globEscaped(text)
            return [exact, exact + "/*"]
        }
        let pattern = text.contains(where: { "*?[".contains($0) }) ? text : globEscaped(text)
        return ["*/" + pattern, "*/" + pattern + "/*"]
    }

    /// `text` with GLOB's special characters matched literally (`*` as `[*]`).
    static func globEscaped(_ text: String) -> String {
        var result = ""
        for character in text {
            if "*?[".contains(character) { result += "[\(character)]" } else { result.append(character) }
        }
        return result
    }
}

extension Query {
    /// Compiles a metadata filter (the `filter` part of `separatingFilters()`) into the condition a
    /// document must meet. `author:`, `source:` and `tag:` are matched like text against the
    /// metadata index (columns `author`, `source`, `tags`); `path:` and `lang:` test the stored
    /// path and language:
    ///
    /// | Filter                         | Condition                                       |
    /// |--------------------------------|-------------------------------------------------|
    /// | `author:smith`                 | metadata MATCH `author : "smith"`               |
    /// | `tag:oil OR tag:gas`           | metadata `tags : "oil"` OR metadata `tags : "gas"` |
    /// | `-source:blog`                 | NOT metadata `source : "blog"`                  |
    /// | `path:levant`                  | path GLOB `*/levant` OR `*/levant/*`            |
    /// | `lang:fr`                      | language `fr` (or `fr-…`)                       |
    public func documentFilter(tokenizer: Tokenizer = Tokenizer()) throws(QueryError) -> DocumentFilter {
        var filter = DocumentFilter()
        filter.condition = try filterCondition(tokenizer: tokenizer)
        return filter
    }

    func filterCondition(tokenizer: Tokenizer) throws(QueryError) -> FilterCondition {
        if isMetadataOnly {
            // Words of the author, source and tags, combined in one MATCH of the metadata index.
            var compiler = FTS5QueryCompiler(tokenizer: tokenizer)
            compiler.columns = ["author": "author", "source": "source", "tag": "tags"]
            guard let fragment = try compiler.compile(self, isPositive: true) else {
                if compiler.unsearchableWords.isEmpty { throw .nothingToSearch }
                throw .noSearchableWords(compiler.unsearchableWords.joined(separator: " "))
            }
            return .metadata(FTS5Match(fragment.text))
        }
        switch self {
        case .field(let name, let inner):
            switch name {
            case "path":
                guard let text = inner.typedText else { throw .emptyField(name, column: 0) }
                return .path(FilterCondition.pathPatterns(text))
            case "lang":
                guard let text = inner.typedText?.lowercased(), !text.isEmpty else {
                    throw .emptyField(name, column: 0)
                }
                return .language(text)
            default:
                throw .unknownField(name, column: 0)
            }
        case .all(let parts):
            var conditions: [FilterCondition] = []
            for part in parts { conditions.append(try part.filterCondition(tokenizer: tokenizer)) }
            return conditions.count == 1 ? conditions[0] : .all(conditions)
        case .any(let parts):
            var conditions: [FilterCondition] = []
            for part in parts { conditions.append(try part.filterCondition(tokenizer: tokenizer)) }
            return conditions.count == 1 ? conditions[0] : .any(conditions)
        case .excluding(let include, let exclusions):
            var conditions: [FilterCondition] = []
            if case .all(let parts) = include, parts.isEmpty {
                // "none of these": `-tag:opinion` beside words.
            } else {
                conditions.append(try include.filterCondition(tokenizer: tokenizer))
            }
            for exclusion in exclusions {
                conditions.append(.not(try exclusion.filterCondition(tokenizer: tokenizer)))
            }
            return conditions.count == 1 ? conditions[0] : .all(conditions)
        default:
            // Only fields reach here: `separatingFilters` keeps words out of the filter part.
            throw .nothingToSearch
        }
    }

    /// True when every field in the query is `author:`, `source:` or `tag:` (and the query is not
    /// only an exclusion), so the metadata index answers it in one MATCH.
    var isMetadataOnly: Bool {
        switch self {
        case .field(let name, _): ["author", "source", "tag"].contains(name)
        case .all(let parts), .any(let parts): !parts.isEmpty && parts.allSatisfy(\.isMetadataOnly)
        case .excluding(let include, let exclusions):
            include.isMetadataOnly && exclusions.allSatisfy(\.isMetadataOnly)
        default: false
        }
    }

    /// The text of a word, phrase or prefix as typed (a prefix keeps its `*`), for filters that
    /// test stored values rather than words.
    var typedText: String? {
        switch self {
        case .word(let text), .phrase(let text): text
        case .prefix(let text): text + "*"
        case .variants(let text): "~" + text
        default: nil
        }
    }
}
