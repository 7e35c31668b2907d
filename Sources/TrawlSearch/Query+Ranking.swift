import TrawlQuery
import TrawlText

/// Query-time stopwords: function words dropped from natural-language queries.
public enum Stopwords {
    /// NLTK's English stopword list without its contraction fragments (`s`, `t`, `don`, `ll`, …)
    /// and without `it`, `no` and `us`, which are also IT, No. and U.S. See docs/RANKING.md.
    public static let english: Set<String> = [
        "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours", "yourself",
        "yourselves",
        "he", "him", "his", "himself", "she", "her", "hers", "herself", "its", "itself", "they", "them",
        "their",
        "theirs", "themselves", "what", "which", "who", "whom", "this", "that", "these", "those", "am", "is",
        "are",
        "was", "were", "be", "been", "being", "have", "has", "had", "having", "do", "does", "did", "doing",
        "a", "an",
        "the", "and", "but", "if", "or", "because", "as", "until", "while", "of", "at", "by", "for", "with",
        "about",
        "against", "between", "into", "through", "during", "before", "after", "above", "below", "to", "from",
        "up",
        "down", "in", "out", "on", "off", "over", "under", "again", "further", "then", "once", "here",
        "there",
        "when", "where", "why", "how", "all", "any", "both", "each", "few", "more", "most", "other", "some",
        "such",
        "nor", "not", "only", "own", "same", "so", "than", "too", "very", "can", "will", "just", "should",
        "now",
    ]
}

extension Query {
    /// The query without its top-level plain words that are stopwords, unless nothing else
    /// would be left to search for. Phrases, prefixes and fielded words are kept as typed.
    func droppingStopwords(_ stopwords: Set<String>) -> Query {
        guard !stopwords.isEmpty else { return self }
        func isStopword(_ part: Query) -> Bool {
            if case .word(let text) = part { return stopwords.contains(text.lowercased()) }
            return false
        }
        func kept(_ parts: [Query]) -> [Query]? {
            let remaining = parts.filter { !isStopword($0) }
            return remaining.isEmpty || remaining.count == parts.count ? nil : remaining
        }
        switch self {
        case .all(let parts):
            guard let remaining = kept(parts) else { return self }
            return remaining.count == 1 ? remaining[0] : .all(remaining)
        case .any(let parts):
            guard let remaining = kept(parts) else { return self }
            return remaining.count == 1 ? remaining[0] : .any(remaining)
        case .excluding(let include, let exclusions):
            return .excluding(include.droppingStopwords(stopwords), exclusions)
        default:
            return self
        }
    }

    /// The distinct positive query terms, in typed order, as the ranker scores them: one per
    /// word position (colocated alternatives together), prefixes as prefixes, transliteration
    /// keys as one term, each with how many times it occurs in the query. Exclusions contribute
    /// nothing.
    func rankedTerms(tokenizer: Tokenizer) -> [RankedTerm] {
        var result: [RankedTerm] = []
        func add(_ term: RankedTerm) {
            guard !term.terms.isEmpty || !term.prefixes.isEmpty else { return }
            if let index = result.firstIndex(where: { $0.terms == term.terms && $0.prefixes == term.prefixes }
            ) {
                result[index].queryFrequency += 1
            } else {
                result.append(term)
            }
        }
        func positions(_ text: String) -> [Set<String>] {
            var groups: [Set<String>] = []
            for token in tokenizer.tokens(in: text) where !token.term.isEmpty {
                if token.term.utf8.first == Tokenizer.variantKeyMarker { continue }
                if token.colocated, !groups.isEmpty {
                    groups[groups.count - 1].insert(token.term)
                } else {
                    groups.append([token.term])
                }
            }
            return groups
        }
        func walk(_ query: Query) {
            switch query {
            case .word(let text), .phrase(let text):
                for group in positions(text) { add(RankedTerm(terms: group)) }
            case .prefix(let text):
                let groups = positions(text)
                for group in groups.dropLast() { add(RankedTerm(terms: group)) }
                if let last = groups.last,
                    let primary = tokenizer.tokens(in: text).last(where: { !$0.colocated })?.term
                {
                    add(RankedTerm(terms: [], prefixes: last.count == 1 ? last : [primary]))
                }
            case .variants(let text):
                let keys = Set(
                    tokenizer.tokens(in: text).map(\.term).filter {
                        $0.utf8.first == Tokenizer.variantKeyMarker
                    })
                if keys.isEmpty {
                    walk(.word(text))
                } else {
                    add(RankedTerm(terms: keys))
                }
            case .field(_, let inner):
                walk(inner)
            case .all(let parts), .any(let parts):
                parts.forEach(walk)
            case .excluding(let include, _):
                walk(include)
            }
        }
        walk(self)
        return result
    }
}
