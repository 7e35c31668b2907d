import TrawlAPI
import TrawlIndex
import TrawlSearch

/// The parameters of `/api/search`, the page and the MCP `search` tool, read from text values
/// (`q`, `limit`, `offset`, `since`, `until`, `sort`, `facets`, and the page's filters `source`,
/// `author`, `tag`, `folder`), and the `SearchRequest` they make.
struct SearchParameters: Sendable, Hashable {
    /// The query as typed.
    var query = ""
    var limit = 10
    var offset = 0
    /// As typed (`2025`, `2025-11`, `2025-11-18`); empty when not given.
    var since = ""
    var until = ""
    var sort = ResultOrder.relevance
    var facets: [DocumentFacet] = []
    /// One value each, from the page's facet links: added to the query as `source:"…"` and so on.
    var source = ""
    var author = ""
    var tag = ""
    var folder = ""

    /// The facets the page shows beside its results.
    static let pageFacets: [DocumentFacet] = [.source, .author, .tag, .year, .folder]

    /// Reads `values` (parameter name → value); a malformed value is a request error with a
    /// message naming the parameter.
    init(_ values: [String: String]) throws(ErrorJSON) {
        query = values["q"] ?? ""
        guard query.count <= SearchJSON.maximumQueryLength else {
            throw ErrorJSON(SearchJSON.queryTooLongMessage(query.count), kind: .request)
        }
        limit = try Self.number(values["limit"], named: "limit") ?? 10
        offset = try Self.number(values["offset"], named: "offset") ?? 0
        since = values["since"] ?? ""
        until = values["until"] ?? ""
        if let sort = values["sort"], !sort.isEmpty {
            guard let order = ResultOrder(rawValue: sort) else {
                throw ErrorJSON("sort must be relevance or date, not ‘\(sort.prefix(40))’.", kind: .request)
            }
            self.sort = order
        }
        if let names = values["facets"], !names.isEmpty {
            for name in names.split(separator: ",") {
                guard let facet = DocumentFacet(rawValue: name.lowercased()) else {
                    throw ErrorJSON(
                        "Unknown facet ‘\(name.prefix(40))’; facets are "
                            + DocumentFacet.allCases.map(\.rawValue).joined(separator: ", ") + ".",
                        kind: .request)
                }
                if !facets.contains(facet) { facets.append(facet) }
            }
        }
        source = values["source"] ?? ""
        author = values["author"] ?? ""
        tag = values["tag"] ?? ""
        folder = values["folder"] ?? ""
        for (name, value) in [("source", source), ("author", author), ("tag", tag), ("folder", folder)]
        where value.count > 1_000 {
            throw ErrorJSON("\(name) is longer than 1,000 characters.", kind: .request)
        }
    }

    init() {}

    private static func number(_ text: String?, named name: String) throws(ErrorJSON) -> Int? {
        guard let text, !text.isEmpty else { return nil }
        guard let value = Int(text) else {
            throw ErrorJSON("\(name) must be a whole number, not ‘\(text.prefix(40))’.", kind: .request)
        }
        return value
    }

    /// The query with the page's filters added (`iran source:"Reuters" path:"/reports/gulf"`).
    var fullQuery: String {
        var parts = query.allSatisfy(\.isWhitespace) ? [] : [query]
        for (field, value) in [("source", source), ("author", author), ("tag", tag), ("path", folder)]
        where !value.allSatisfy(\.isWhitespace) {
            // The query language has no escape inside quotes: a quote in a value becomes a space
            // (metadata is matched word by word, so nothing else changes).
            parts.append(field + ":\"" + value.replacingOccurrences(of: "\"", with: " ") + "\"")
        }
        return parts.joined(separator: " ")
    }

    /// Whether there is anything to search for: words, a filter or a date.
    var isEmpty: Bool { fullQuery.isEmpty && since.isEmpty && until.isEmpty }

    /// The request these parameters make.
    func request() throws(ErrorJSON) -> SearchRequest {
        guard !isEmpty else {
            throw ErrorJSON(
                "Missing query: give the words to search for (q=Iran talks), or since/until to list "
                    + "documents by date.", kind: .request)
        }
        var request = SearchRequest(query: fullQuery, limit: limit, offset: offset)
        request.sort = sort
        request.facets = facets
        if !since.isEmpty {
            guard let period = DatePeriod(since) else { throw Self.badDate("since", since) }
            request.since = period.start
        }
        if !until.isEmpty {
            guard let period = DatePeriod(until) else { throw Self.badDate("until", until) }
            request.until = period.end
        }
        return request
    }

    private static func badDate(_ name: String, _ text: String) -> ErrorJSON {
        ErrorJSON(
            "\(name) must be a date: 2025, 2025-11, 2025-11-18 or 2025-11-18T09:30Z, not ‘\(text.prefix(40))’.",
            kind: .request)
    }
}
