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
}
