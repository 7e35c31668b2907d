import GRDB

/// A property of documents that search results can be counted by (`--facets`).
public enum DocumentFacet: String, Sendable, Hashable, CaseIterable, Codable {
    case source
    case author
    /// Each tag of a document counts once.
    case tag
    /// The document date's year (`1987`), UTC.
    case year
    /// The document date's month (`1987-03`), UTC.
    case month
    /// The language code (`en`).
    case lang
    /// The folder holding the document's file (for a record, the folder of its file).
    case folder
}

/// One value of a facet and how many matching documents have it.
public struct FacetCount: Sendable, Hashable, Codable {
    public var value: String
    public var count: Int

    public init(value: String, count: Int) {
        self.value = value
        self.count = count
    }
}

/// The values of one facet over a whole result set, most frequent first.
public struct FacetCounts: Sendable, Hashable {
    public var facet: DocumentFacet
    /// At most the requested number of values, by count (ties by value); empty values are left out.
    public var values: [FacetCount]
    /// How many different values the result set has in all.
    public var distinctValues: Int

    public init(facet: DocumentFacet, values: [FacetCount], distinctValues: Int) {
        self.facet = facet
        self.values = values
        self.distinctValues = distinctValues
    }
}

extension IndexStore {
    /// Counts `facets` over every document that `query` matches (its filter included) — or, with
    /// no query, over every document that passes `filter` — keeping the `top` values of each.
    ///
    /// One pass over the matching documents' stored metadata (never their bodies), whatever the
    /// number of facets:
    ///
    ///     SELECT s.path, s.date, s.author, s.source, s.tags, s.language FROM document_store s
    ///     WHERE s.id IN (SELECT rowid FROM document_fts WHERE document_fts MATCH :match <filter>)
    ///     -- with no query:
    ///     SELECT s.path, s.date, s.author, s.source, s.tags, s.language FROM document_store s WHERE 1 <filter>
    ///
    /// Tags are stored one per line, so they are split and counted here rather than grouped in SQL.
    public func facetCounts(
        _ facets: [DocumentFacet], of query: BoundQuery?, filter: DocumentFilter, top: Int
    ) throws(IndexError) -> [FacetCounts] {
        guard !facets.isEmpty else { return [] }
        let columns = "s.path, s.date, s.author, s.source, s.tags, s.language"
        let sql: String
        var arguments = StatementArguments()
        if let query {
            let conditions = query.filter.sqlConditions(rowid: "document_fts.rowid")
            sql =
                "SELECT \(columns) FROM document_store s WHERE s.id IN "
                + "(SELECT rowid FROM document_fts WHERE document_fts MATCH ?\(conditions.sql))"
            arguments = [query.match.text]
            arguments += conditions.arguments
        } else {
            let conditions = filter.sqlConditions(rowid: "s.id")
            sql = "SELECT \(columns) FROM document_store s WHERE 1" + conditions.sql
            arguments = conditions.arguments
        }
        var tallies = Array(repeating: [String: Int](), count: facets.count)
        try wrap {
            try reading { db in
                let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
                while let row = try rows.next() {
                    for (position, facet) in facets.enumerated() {
                        switch facet {
                        case .tag:
                            let tags: String = row[4]
                            for tag in StoredMetadata.tags(tags) where !tag.isEmpty {
                                tallies[position][tag, default: 0] += 1
                            }
                        default:
                            let value = Self.facetValue(facet, row: row)
                            if !value.isEmpty { tallies[position][value, default: 0] += 1 }
                        }
                    }
                }
            }
        }
        return zip(facets, tallies).map { facet, tally in
            let ordered = tally.sorted { left, right in
                left.value != right.value ? left.value > right.value : left.key < right.key
            }
            return FacetCounts(
                facet: facet,
                values: ordered.prefix(max(0, top)).map { FacetCount(value: $0.key, count: $0.value) },
                distinctValues: tally.count)
        }
    }

    /// The value of a single-valued `facet` in a row of `facetCounts`' query.
    private static func facetValue(_ facet: DocumentFacet, row: Row) -> String {
        switch facet {
        case .source: return row[3]
        case .author: return row[2]
        case .lang: return row[5]
        case .tag: return ""
        case .folder:
            let path: String = row[0]
            guard let slash = path.lastIndex(of: "/") else { return "" }
            return slash == path.startIndex ? "/" : String(path[..<slash])
        case .year, .month:
            // An undated document (`date` NULL) has no year or month.
            guard let seconds = row[1] as Double?, seconds.isFinite, abs(seconds) < 1e13 else { return "" }
            let days = Int((seconds / 86_400).rounded(.down))
            let (year, month, _) = CivilDate.date(daysSince1970: days)
            let yearText = String(year)
            guard facet == .month else { return yearText }
            return yearText + (month < 10 ? "-0" : "-") + String(month)
        }
    }
}
