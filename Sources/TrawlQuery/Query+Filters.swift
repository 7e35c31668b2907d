extension Query {
    /// Fields searched as text: FTS5 columns of the document.
    public static let searchFields: Set<String> = ["title", "body"]
    /// Fields that narrow the results by the document's metadata instead of being searched:
    /// words of the author, source or tags; a folder or glob of the path; the language code.
    public static let filterFields: Set<String> = ["author", "source", "tag", "path", "lang"]
    /// Every field name the query language knows, as `trawl` lists them in messages.
    public static let knownFieldNames = ["title", "body", "author", "source", "tag", "path", "lang"]

    /// The field a typed name stands for: `tags` is `tag`, `language` is `lang`.
    static func canonicalFieldName(_ name: String) -> String {
        switch name {
        case "tags": "tag"
        case "language": "lang"
        default: name
        }
    }

    /// Splits the query into what is searched for and the metadata filters beside it.
    ///
    /// Filters are the `author:`, `source:` and `tag:` parts that stand beside the words (or are
    /// excluded beside them), alone or OR-ed with other filters:
    ///
    ///     iran author:smith -tag:opinion   →  search: iran,  filter: author:smith -tag:opinion
    ///     (tag:oil OR tag:gas) opec        →  search: opec,  filter: tag:oil OR tag:gas
    ///     tag:energy                       →  search: nil,   filter: tag:energy
    ///
    /// - Throws: `.filterMixedWithWords` when a filter is OR-ed or grouped with words,
    ///   `.exclusionWithoutWords` when words are excluded but none is searched for.
    public func separatingFilters() throws(QueryError) -> (search: Query?, filter: Query?) {
        switch self {
        case .all(let parts):
            let (search, filters) = try Self.partition(parts)
            return (Self.conjunction(search), Self.conjunction(filters))
        case .excluding(let include, let exclusions):
            let (includedSearch, includedFilter) = try include.separatingFilters()
            let (excludedSearch, excludedFilters) = try Self.partition(exclusions)
            let search: Query?
            if let includedSearch {
                search = excludedSearch.isEmpty ? includedSearch : .excluding(includedSearch, excludedSearch)
            } else if excludedSearch.isEmpty {
                search = nil
            } else {
                throw .exclusionWithoutWords
            }
            let filter: Query?
            if excludedFilters.isEmpty {
                filter = includedFilter
            } else {
                // `.excluding` with an empty include: "none of these" (compiled as NOT IN).
                filter = .excluding(includedFilter ?? .all([]), excludedFilters)
            }
            return (search, filter)
        default:
            if isFilter { return (nil, self) }
            if let field = filterField { throw .filterMixedWithWords(field) }
            return (self, nil)
        }
    }

    /// True for a metadata filter, or an OR / AND of filters only.
    var isFilter: Bool {
        switch self {
        case .field(let name, _): Self.filterFields.contains(name.lowercased())
        case .any(let parts), .all(let parts): !parts.isEmpty && parts.allSatisfy(\.isFilter)
        default: false
        }
    }

    /// The name of the first filter field anywhere in the query, or nil.
    var filterField: String? {
        switch self {
        case .field(let name, let inner):
            Self.filterFields.contains(name.lowercased()) ? name.lowercased() : inner.filterField
        case .any(let parts), .all(let parts): parts.lazy.compactMap(\.filterField).first
        case .excluding(let include, let exclusions):
            include.filterField ?? exclusions.lazy.compactMap(\.filterField).first
        default: nil
        }
    }

    private static func partition(_ parts: [Query]) throws(QueryError) -> (search: [Query], filters: [Query])
    {
        var search: [Query] = []
        var filters: [Query] = []
        for part in parts {
            if part.isFilter {
                filters.append(part)
            } else if let field = part.filterField {
                throw .filterMixedWithWords(field)
            } else {
                search.append(part)
            }
        }
        return (search, filters)
    }

    private static func conjunction(_ parts: [Query]) -> Query? {
        parts.count <= 1 ? parts.first : .all(parts)
    }
}
