import TrawlQuery
import TrawlText

/// An FTS5 MATCH expression. Only `TrawlIndex` makes one, from a bound query or a filter, so no
/// raw MATCH text crosses a target boundary; `description` shows it (for tests and `--explain`).
public struct FTS5Match: Hashable, Sendable, CustomStringConvertible {
    /// The MATCH text; every term double-quoted.
    let text: String
    /// Its phrases in the order FTS5 numbers them, when the text is only single index terms
    /// joined by AND, OR and NOT (no phrase of several words, prefix or column filter): a scoring
    /// pass then reads each term's positions from the MATCH itself. Nil otherwise, or unknown.
    let wordPhrases: [String]?

    init(_ text: String, wordPhrases: [String]? = nil) {
        self.text = text
        self.wordPhrases = wordPhrases
    }

    public var description: String { text }

    /// Two matches are the same when their text is: `wordPhrases` is read from it.
    public static func == (left: FTS5Match, right: FTS5Match) -> Bool { left.text == right.text }

    public func hash(into hasher: inout Hasher) { hasher.combine(text) }
}

/// How the top-level words of a query combine.
public enum WordJoin: Hashable, Sendable {
    /// Every word must match (`a b` means `a AND b`).
    case all
    /// Any word may match (`a b` means `a OR b`); groups, phrases and exclusions keep their meaning.
    case any
}

/// One query term as the ranker scores it: a word position's index terms (the term and the
/// alternatives that stand for the same word), or a prefix, and how often the query holds it.
public struct QueryTerm: Hashable, Sendable {
    /// Index terms that count as this query term.
    public var terms: Set<String>
    /// Index-term prefixes that count as this query term (from `word*`).
    public var prefixes: Set<String>
    /// How many times the query holds this term (`oil prices oil` holds `oil` twice).
    public var queryFrequency: Int

    /// Creates a query term from its index terms and prefixes.
    public init(terms: Set<String>, prefixes: Set<String> = [], queryFrequency: Int = 1) {
        self.terms = terms
        self.prefixes = prefixes
        self.queryFrequency = queryFrequency
    }

    /// True when the term is exactly one index term (no alternative, no prefix).
    public var singleIndexTerm: String? {
        terms.count == 1 && prefixes.isEmpty ? terms.first : nil
    }

    /// The prefix, when the term is exactly one prefix (no index term beside it).
    public var singlePrefix: String? {
        prefixes.count == 1 && terms.isEmpty ? prefixes.first : nil
    }
}

/// What a highlighter marks: every occurrence of `terms` and `prefixes`, and the occurrences of
/// each sequence (a phrase, a hyphenated or dotted word) only where the whole sequence stands.
public struct HighlightPatterns: Hashable, Sendable {
    /// A run of consecutive word positions that matches only as a whole.
    public struct Sequence: Hashable, Sendable {
        /// The index term at each position.
        public var terms: [String]
        /// True when the last element is a prefix (`"prime minis*"`, `al-Sudan*`).
        public var endsWithPrefix: Bool

        public init(terms: [String], endsWithPrefix: Bool = false) {
            self.terms = terms
            self.endsWithPrefix = endsWithPrefix
        }
    }

    /// Index terms marked wherever they occur.
    public var terms: Set<String> = []
    /// Index-term prefixes marked wherever a term starts with them.
    public var prefixes: Set<String> = []
    /// Sequences marked only where they occur whole.
    public var sequences: [Sequence] = []

    public init(terms: Set<String> = [], prefixes: Set<String> = [], sequences: [Sequence] = []) {
        self.terms = terms
        self.prefixes = prefixes
        self.sequences = sequences
    }

    /// True when nothing is to be marked.
    public var isEmpty: Bool { terms.isEmpty && prefixes.isEmpty && sequences.isEmpty }
}

/// The shape of a bound query, which decides how its candidates are found.
public enum QueryShape: Hashable, Sendable {
    /// One index term and nothing else (`said`): its matches are the term's documents.
    case singleTerm(String)
    /// One index term minus exclusions (`said -oil`): the term's documents without those matching
    /// `excluded`.
    case singleTermExcluding(String, excluded: FTS5Match)
    /// One query term with alternatives (`al-Sudani`, `~Hezbollah`) or a prefix in a phrase: its
    /// document frequency is the query's match count.
    case oneQueryTerm
    /// One prefix and nothing else (`pro*`): its matches are the documents holding an index term
    /// that starts with it, and its document frequency is the query's match count.
    case singlePrefix(String)
    /// Anything else.
    case general
}

/// A query bound to the index: built once per search from the parsed `Query` and the tokenizer,
/// and read by every later stage — matching and counting (`match`, `filter`), candidate choice
/// (`shape`), ranking (`terms`) and highlighting (`highlights`) — so they cannot disagree.
///
/// ```swift
/// let bound = try BoundQuery(QueryParser().parse("al-Sudani -visit"))
/// bound.match.description   // ("al sudani" OR "alsudani") NOT "visit"
/// bound.terms               // [{al, alsudani}, {sudani}]
/// bound.highlights          // sequence [al, sudani], terms {alsudani}
/// ```
public struct BoundQuery: Sendable {
    /// What documents must match.
    public internal(set) var match: FTS5Match
    /// Metadata filters and a date range that every match must also pass.
    public var filter = DocumentFilter()
    /// The distinct positive query terms in typed order, with how often each was typed.
    public internal(set) var terms: [QueryTerm]
    /// What snippets and `trawl show` mark.
    public internal(set) var highlights: HighlightPatterns
    /// How candidates are found.
    public internal(set) var shape: QueryShape
    /// How the top-level words were combined.
    public internal(set) var wordJoin: WordJoin

    /// At most this many words in a quoted phrase.
    public static let maximumPhraseLength = 64
    /// At most this many distinct query terms (repeated words count once).
    public static let maximumTermCount = 256
}
