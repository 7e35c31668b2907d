import TrawlQuery
import TrawlText

/// What a query becomes when bound to the FTS5 index.
///
/// ```swift
/// let query = try QueryParser().parse("al-Sudani -visit")
/// let fts = try query.fts5Query()
/// // fts.matchText == #"("al sudani" OR "alsudani") NOT "visit""#
/// // SELECT rowid FROM <fts5 table> WHERE <fts5 table> MATCH ?   -- with fts.matchText bound
/// ```
public struct FTS5Query: Hashable, Sendable {

    /// The MATCH expression; every term double-quoted, so no user text is read as FTS5 syntax.
    public var matchText: String
    /// Positive index terms (for snippet highlighting), transliteration keys included.
    public var highlightTerms: Set<String>
    /// Positive prefix terms (a document term starting with one of these is a hit).
    public var highlightPrefixes: Set<String>
    /// Positive phrases and multi-term words, as term lists (for proximity ranking).
    public var phrases: [[String]]
    /// Metadata filters and a date range that every match must also pass.
    public var filter = DocumentFilter()
    /// When the whole query excludes something (`said -oil`): the MATCH text of what it looks
    /// for (`"said"`) and of what it excludes (`"oil"`); `matchText` is `included NOT (excluded)`.
    public var exclusion: (included: String, excluded: String)? {
        guard let includedMatchText, let excludedMatchText else { return nil }
        return (includedMatchText, excludedMatchText)
    }
    var includedMatchText: String?
    var excludedMatchText: String?

    /// Creates a bound query from its parts.
    public init(
        matchText: String, highlightTerms: Set<String> = [], highlightPrefixes: Set<String> = [],
        phrases: [[String]] = []
    ) {
        self.matchText = matchText
        self.highlightTerms = highlightTerms
        self.highlightPrefixes = highlightPrefixes
        self.phrases = phrases
    }
}

/// How the top-level words of a query combine.
public enum WordJoin: Hashable, Sendable {
    /// Every word must match (`a b` means `a AND b`).
    case all
    /// Any word may match (`a b` means `a OR b`); groups, phrases and exclusions keep their meaning.
    case any
}

extension Query {
    /// Binds the query to the FTS5 index: runs every word through `tokenizer` and builds the
    /// MATCH expression, quoting every term.
    ///
    /// | Query                    | MATCH text                                 |
    /// |--------------------------|--------------------------------------------|
    /// | `iran talks`             | `"iran" AND "talks"`                       |
    /// | `al-Sudani`              | `("al sudani" OR "alsudani")`              |
    /// | `"prime minister"`       | `"prime minister"`                         |
    /// | `negot*`, `al-Sudan*`    | `"negot" *`, `"al sudan" *`                |
    /// | `~Hezbollah`             | `"~hzbl"` (the word's transliteration key) |
    /// | `title:(a OR b)`         | `title : ("a" OR "b")`                     |
    /// | `a b -c -d`              | `("a" AND "b") NOT ("c" OR "d")`           |
    ///
    /// Words with no index terms (`++`, emoji) are dropped, and so are groups and exclusions
    /// left empty. `joining: .any` turns only the top-level AND of words into OR.
    ///
    /// - Throws: `QueryError.noSearchableWords` when every word to search for was dropped,
    ///   `.unknownField` for a field that is not an FTS5 column, `.nothingToSearch` when
    ///   nothing is left for any other reason.
    public func fts5Query(tokenizer: Tokenizer = Tokenizer(), joining: WordJoin = .all) throws(QueryError)
        -> FTS5Query
    {
        var compiler = FTS5QueryCompiler(tokenizer: tokenizer)
        let top: Query
        switch (joining, self) {
        case (.any, .all(let parts)):
            top = .any(parts)
        case (.any, .excluding(.all(let parts), let exclusions)):
            top = .excluding(.any(parts), exclusions)
        default:
            top = self
        }
        guard let fragment = try compiler.compile(top, isPositive: true) else {
            if compiler.unsearchableWords.isEmpty { throw .nothingToSearch }
            throw .noSearchableWords(compiler.unsearchableWords.joined(separator: " "))
        }
        var query = FTS5Query(
            matchText: fragment.text, highlightTerms: compiler.highlightTerms,
            highlightPrefixes: compiler.highlightPrefixes, phrases: compiler.phrases)
        // The top exclusion is the last one compiled (its parts are compiled before it).
        if case .excluding = top, let split = compiler.lastExclusion {
            (query.includedMatchText, query.excludedMatchText) = split
        }
        return query
    }
}

/// A piece of MATCH text and whether it can stand next to an operator without parentheses.
struct FTS5Fragment: Hashable, Sendable {
    var text: String
    /// A quoted string, a prefix phrase or something already in parentheses.
    var isAtomic: Bool

    /// The text, parenthesised unless atomic.
    var nested: String { isAtomic ? text : "(\(text))" }
}

/// Walks a `Query`, building MATCH text and collecting the terms to highlight.
struct FTS5QueryCompiler {
    let tokenizer: Tokenizer
    /// The FTS5 column of each field name a `.field` query may use.
    var columns = ["title": "title", "body": "body"]
    var highlightTerms: Set<String> = []
    var highlightPrefixes: Set<String> = []
    var phrases: [[String]] = []
    /// Positive words, as typed, that produced no index terms.
    var unsearchableWords: [String] = []
    /// The included and excluded MATCH texts of the last exclusion compiled.
    var lastExclusion: (included: String, excluded: String)?

    init(tokenizer: Tokenizer) { self.tokenizer = tokenizer }

    /// Compiles `query`; `nil` when nothing searchable is left. `isPositive` is false inside
    /// an exclusion, whose terms are neither highlighted nor reported as unsearchable.
    mutating func compile(_ query: Query, isPositive: Bool) throws(QueryError) -> FTS5Fragment? {
        switch query {
        case .word(let text):
            return word(tokens: tokenizer.tokens(in: text), typed: text, isPositive: isPositive)
        case .phrase(let text):
            let terms = Self.positions(of: tokenizer.tokens(in: text)).map { $0[0].term }
            guard !terms.isEmpty else { return unsearchable(text, isPositive: isPositive) }
            if isPositive {
                highlightTerms.formUnion(terms)
                if terms.count > 1 { phrases.append(terms) }
            }
            return FTS5Fragment(text: Self.quoted(terms), isAtomic: true)
        case .prefix(let text):
            let terms = Self.positions(of: tokenizer.tokens(in: text)).map { $0[0].term }
            guard let last = terms.last else { return unsearchable(text + "*", isPositive: isPositive) }
            if isPositive {
                highlightTerms.formUnion(terms.dropLast())
                highlightPrefixes.insert(last)
            }
            return FTS5Fragment(text: Self.quoted(terms) + " *", isAtomic: true)
        case .variants(let text):
            return variants(of: text, isPositive: isPositive)
        case .field(let name, let inner):
            guard let column = columns[name.lowercased()] else { throw .unknownField(name) }
            guard let fragment = try compile(inner, isPositive: isPositive) else { return nil }
            return FTS5Fragment(text: "\(column) : \(fragment.nested)", isAtomic: false)
        case .all(let parts):
            return try joined(parts, by: " AND ", isPositive: isPositive)
        case .any(let parts):
            return try joined(parts, by: " OR ", isPositive: isPositive)
        case .excluding(let include, let exclusions):
            guard let included = try compile(include, isPositive: isPositive) else { return nil }
            // `p NOT (n1 OR n2)` rather than `p NOT n1 NOT n2`: the same rows, but FTS5 flattens
            // an OR chain while each NOT adds a level, and newer SQLite refuses trees deeper
            // than 256.
            guard let excluded = try joined(exclusions, by: " OR ", isPositive: false) else {
                return included
            }
            lastExclusion = (included.text, excluded.text)
            return FTS5Fragment(text: included.nested + " NOT " + excluded.nested, isAtomic: false)
        }
    }

    /// Joins the parts that are left with `separator`; one part stands alone.
    mutating func joined(_ parts: [Query], by separator: String, isPositive: Bool) throws(QueryError)
        -> FTS5Fragment?
    {
        var fragments: [FTS5Fragment] = []
        for part in parts {
            if let fragment = try compile(part, isPositive: isPositive) { fragments.append(fragment) }
        }
        if fragments.count <= 1 { return fragments.first }
        return FTS5Fragment(text: fragments.map(\.nested).joined(separator: separator), isAtomic: false)
    }

    /// Notes a word that produced no terms (if it was to be searched for) and drops it.
    mutating func unsearchable(_ typed: String, isPositive: Bool) -> FTS5Fragment? {
        if isPositive { unsearchableWords.append(typed) }
        return nil
    }

    /// A typed word: one position gives `"t"`; several give the phrase of their primary terms,
    /// OR each alternative that spans the whole word: `("al sudani" OR "alsudani")`.
    ///
    /// A single-position word searches its primary term only: every document holding one of its
    /// colocated alternatives (the year of `2025-11-11`) also holds the primary, so OR-ing them
    /// could only widen the search beyond what was typed.
    mutating func word(tokens: [Token], typed: String, isPositive: Bool) -> FTS5Fragment? {
        let positions = Self.positions(of: tokens)
        guard let first = positions.first, let last = positions.last else {
            return unsearchable(typed, isPositive: isPositive)
        }
        let primaries = positions.map { $0[0].term }
        let alternatives: [String]
        if positions.count == 1 {
            alternatives = []
        } else {
            let start = first[0].start
            let end = last[0].end
            alternatives = Self.unique(
                positions.joined().filter { $0.colocated && $0.start <= start && $0.end >= end }.map(\.term))
        }
        if isPositive {
            highlightTerms.formUnion(primaries)
            highlightTerms.formUnion(alternatives)
            if primaries.count > 1 { phrases.append(primaries) }
        }
        let main = Self.quoted(primaries)
        if alternatives.isEmpty { return FTS5Fragment(text: main, isAtomic: true) }
        let options = [main] + alternatives.map { Self.quoted([$0]) }
        return FTS5Fragment(text: "(" + options.joined(separator: " OR ") + ")", isAtomic: true)
    }

    /// `~word`: the word's transliteration key(s), or the plain word when it has none.
    mutating func variants(of text: String, isPositive: Bool) -> FTS5Fragment? {
        let tokens = tokenizer.tokens(in: text)
        let keys = Self.unique(tokens.map(\.term).filter(Self.isVariantKey))
        guard !keys.isEmpty else { return word(tokens: tokens, typed: "~" + text, isPositive: isPositive) }
        if isPositive { highlightTerms.formUnion(keys) }
        // Several keys come from several positions of one word: they must follow each other.
        return FTS5Fragment(text: Self.quoted(keys), isAtomic: true)
    }

    /// Groups tokens into positions, dropping transliteration keys and empty terms: each
    /// non-colocated token starts a position, colocated ones are alternatives at it.
    static func positions(of tokens: [Token]) -> [[Token]] {
        var positions: [[Token]] = []
        for token in tokens where !token.term.isEmpty && !isVariantKey(token.term) {
            if token.colocated, !positions.isEmpty {
                positions[positions.count - 1].append(token)
            } else {
                positions.append([token])
            }
        }
        return positions
    }

    static func isVariantKey(_ term: String) -> Bool {
        term.utf8.first == Tokenizer.variantKeyMarker
    }

    static func unique(_ terms: [String]) -> [String] {
        var seen: Set<String> = []
        return terms.filter { seen.insert($0).inserted }
    }

    /// One FTS5 string holding `terms` separated by spaces (a phrase when there are several),
    /// with every `"` doubled.
    static func quoted(_ terms: [String]) -> String {
        var result = "\""
        for (index, term) in terms.enumerated() {
            if index > 0 { result += " " }
            for character in term {
                result.append(character)
                if character == "\"" { result.append("\"") }
            }
        }
        return result + "\""
    }
}
