import TrawlIndex
import TrawlQuery

/// A rewritten query that finds more documents, offered when an exact search finds little.
public struct QuerySuggestion: Sendable, Hashable {
    /// The query to try, e.g. `~Hizballah`.
    public var query: String
    /// How many documents it matches.
    public var total: Int
}

extension Searcher {
    /// Suggests searching every transliteration variant (`~word`) of the plain words of the
    /// query `response` answered, under the same filters and word join, when that finds more
    /// than the documents it found.
    ///
    /// Returns nil for queries with no plain words, or when the variants find nothing more.
    public func variantSuggestion(for response: SearchResponse) -> QuerySuggestion? {
        guard let parsed = response.parsedQuery else { return nil }
        var rewrote = false
        func widen(_ query: Query) -> Query {
            switch query {
            case .word(let word) where word.unicodeScalars.contains(where: { $0.properties.isAlphabetic }):
                rewrote = true
                return .variants(word)
            case .word, .phrase, .prefix, .variants: return query
            case .field(let name, let inner): return .field(name, widen(inner))
            case .all(let parts): return .all(parts.map(widen))
            case .any(let parts): return .any(parts.map(widen))
            case .excluding(let include, let exclude): return .excluding(widen(include), exclude)
            }
        }
        let widened = widen(parsed)
        guard rewrote, var bound = try? BoundQuery(widened, tokenizer: tokenizer, joining: response.wordJoin)
        else { return nil }
        bound.filter = response.filter
        guard let total = try? store.matchCount(bound), total > response.total else { return nil }
        return QuerySuggestion(query: Self.render(widened), total: total)
    }

    /// Writes a query back in the query language.
    static func render(_ query: Query) -> String {
        switch query {
        case .word(let word): return word
        case .phrase(let text): return "\"\(text)\""
        case .prefix(let word): return word + "*"
        case .variants(let word): return "~" + word
        case .field(let name, let inner): return "\(name):" + group(inner)
        case .all(let parts): return parts.map(group).joined(separator: " ")
        case .any(let parts): return parts.map(group).joined(separator: " OR ")
        case .excluding(let include, let exclude):
            return ([render(include)] + exclude.map { "-" + group($0) }).joined(separator: " ")
        }
    }

    private static func group(_ query: Query) -> String {
        switch query {
        case .all, .any, .excluding: return "(\(render(query)))"
        default: return render(query)
        }
    }
}
