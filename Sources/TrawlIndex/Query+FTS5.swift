import TrawlQuery
import TrawlText

extension BoundQuery {
    /// Binds `query` (the words part of a parsed query, filters separated) to the index: runs
    /// every word through `tokenizer` once and derives the MATCH expression, the ranked terms,
    /// the highlight patterns and the shape from that one pass.
    ///
    /// | Query                    | MATCH text                                 |
    /// |--------------------------|--------------------------------------------|
    /// | `iran talks`             | `"iran" AND "talks"`                       |
    /// | `oil oil prices`         | `"oil" AND "prices"` (`oil` typed twice)   |
    /// | `al-Sudani`              | `("al sudani" OR "alsudani")`              |
    /// | `"prime minister"`       | `"prime minister"`                         |
    /// | `negot*`, `al-Sudan*`    | `"negot" *`, `"al sudan" *`                |
    /// | `~Houthi`                | `("~hata" OR "houthi")`: the key, and the word itself |
    /// | `title:(a OR b)`         | `title : ("a" OR "b")`                     |
    /// | `a b -c -d`              | `("a" AND "b") NOT ("c" OR "d")`           |
    ///
    /// Words with no index terms (`++`, emoji) are dropped, and so are groups and exclusions
    /// left empty; a part repeated as typed is matched once and counted in `queryFrequency`.
    /// `joining: .any` turns only the top-level AND of words into OR.
    ///
    /// - Throws: `QueryError.noSearchableWords` when every word to search for was dropped,
    ///   `.unknownField` for a field that is not an FTS5 column, `.phraseTooLong` and
    ///   `.tooManyTerms` past ``maximumPhraseLength`` and ``maximumTermCount``, `.nothingToSearch`
    ///   when nothing is left for any other reason.
    public init(_ query: Query, tokenizer: Tokenizer = Tokenizer(), joining: WordJoin = .all)
        throws(QueryError)
    {
        var compiler = FTS5QueryCompiler(tokenizer: tokenizer)
        let top: Query
        switch (joining, query) {
        case (.any, .all(let parts)):
            top = .any(parts)
        case (.any, .excluding(.all(let parts), let exclusions)):
            top = .excluding(.any(parts), exclusions)
        default:
            top = query
        }
        guard let fragment = try compiler.compile(top, isPositive: true) else {
            if compiler.unsearchableWords.isEmpty { throw .nothingToSearch }
            throw .noSearchableWords(compiler.unsearchableWords.joined(separator: " "))
        }
        guard compiler.terms.count <= Self.maximumTermCount else {
            throw .tooManyTerms(count: compiler.terms.count, limit: Self.maximumTermCount)
        }
        match = FTS5Match(fragment.text, wordPhrases: fragment.wordPhrases)
        terms = compiler.terms
        highlights = compiler.highlights
        wordJoin = joining
        shape = .general
        guard !compiler.usesFields, terms.count == 1 else { return }
        let single = terms[0].singleIndexTerm
        switch (compiler.exclusions.count, top) {
        case (0, _):
            if let single, fragment.text == FTS5QueryCompiler.quoted([single]) {
                shape = .singleTerm(single)
            } else if let prefix = terms[0].singlePrefix,
                fragment.text == FTS5QueryCompiler.quoted([prefix]) + " *"
            {
                shape = .singlePrefix(prefix)
            } else {
                shape = .oneQueryTerm
            }
        case (1, .excluding):
            // The top exclusion is the only one: `said -oil` is `"said" NOT "oil"`.
            if let single, let exclusion = compiler.exclusions.first,
                exclusion.included == FTS5QueryCompiler.quoted([single])
            {
                shape = .singleTermExcluding(single, excluded: FTS5Match(exclusion.excluded))
            }
        default:
            break
        }
    }
}

/// A piece of MATCH text and whether it can stand next to an operator without parentheses.
struct FTS5Fragment: Hashable, Sendable {
    var text: String
    /// A quoted string, a prefix phrase or something already in parentheses.
    var isAtomic: Bool
    /// The fragment's phrases in the order FTS5 numbers them, when every one is a single index
    /// term with no prefix and no column filter (`FTS5Match.wordPhrases`); nil otherwise.
    var wordPhrases: [String]?

    /// The text, parenthesised unless atomic.
    var nested: String { isAtomic ? text : "(\(text))" }
}

/// Walks a `Query` once, building the MATCH text and collecting the ranked terms and the
/// highlight patterns from the same tokens.
struct FTS5QueryCompiler {
    let tokenizer: Tokenizer
    /// The FTS5 column of each field name a `.field` query may use.
    var columns = ["title": "title", "body": "body"]
    /// Distinct positive query terms in typed order, with their counts.
    private(set) var terms: [QueryTerm] = []
    private var termIndex: [QueryTermKey: Int] = [:]
    var highlights = HighlightPatterns()
    /// Positive words, as typed, that produced no index terms.
    var unsearchableWords: [String] = []
    /// The included and excluded MATCH texts of every exclusion compiled, innermost first.
    var exclusions: [(included: String, excluded: String)] = []
    /// Whether a `title:`/`body:` field was compiled.
    var usesFields = false

    init(tokenizer: Tokenizer) { self.tokenizer = tokenizer }

    private struct QueryTermKey: Hashable {
        var terms: Set<String>
        var prefixes: Set<String>
    }

    /// Notes a positive query term, counting repeats.
    mutating func add(_ term: QueryTerm) {
        guard !term.terms.isEmpty || !term.prefixes.isEmpty else { return }
        let key = QueryTermKey(terms: term.terms, prefixes: term.prefixes)
        if let index = termIndex[key] {
            terms[index].queryFrequency += 1
        } else {
            termIndex[key] = terms.count
            terms.append(term)
        }
    }

    /// Compiles `query`; `nil` when nothing searchable is left. `isPositive` is false inside
    /// an exclusion, whose terms are neither ranked, highlighted nor reported as unsearchable.
    mutating func compile(_ query: Query, isPositive: Bool) throws(QueryError) -> FTS5Fragment? {
        switch query {
        case .word(let text):
            return word(tokens: tokenizer.tokens(in: text), typed: text, isPositive: isPositive)
        case .phrase(let text):
            let primaries = Self.positions(of: tokenizer.tokens(in: text)).map { $0[0].term }
            guard !primaries.isEmpty else { return unsearchable(text, isPositive: isPositive) }
            guard primaries.count <= BoundQuery.maximumPhraseLength else {
                throw .phraseTooLong(words: primaries.count, limit: BoundQuery.maximumPhraseLength)
            }
            if isPositive {
                for term in primaries { add(QueryTerm(terms: [term])) }
                if primaries.count == 1 {
                    highlights.terms.insert(primaries[0])
                } else {
                    highlights.sequences.append(.init(terms: primaries))
                }
            }
            return FTS5Fragment(
                text: Self.quoted(primaries), isAtomic: true,
                wordPhrases: primaries.count == 1 ? primaries : nil)
        case .prefix(let text):
            let primaries = Self.positions(of: tokenizer.tokens(in: text)).map { $0[0].term }
            guard let last = primaries.last else { return unsearchable(text + "*", isPositive: isPositive) }
            guard primaries.count <= BoundQuery.maximumPhraseLength else {
                throw .phraseTooLong(words: primaries.count, limit: BoundQuery.maximumPhraseLength)
            }
            if isPositive {
                for term in primaries.dropLast() { add(QueryTerm(terms: [term])) }
                add(QueryTerm(terms: [], prefixes: [last]))
                if primaries.count == 1 {
                    highlights.prefixes.insert(last)
                } else {
                    highlights.sequences.append(.init(terms: primaries, endsWithPrefix: true))
                }
            }
            return FTS5Fragment(text: Self.quoted(primaries) + " *", isAtomic: true, wordPhrases: nil)
        case .variants(let text):
            return variants(of: text, isPositive: isPositive)
        case .field(let name, let inner):
            guard let column = columns[name.lowercased()] else { throw .unknownField(name, column: 0) }
            usesFields = true
            guard let fragment = try compile(inner, isPositive: isPositive) else { return nil }
            return FTS5Fragment(text: "\(column) : \(fragment.nested)", isAtomic: false, wordPhrases: nil)
        case .all(let parts):
            return try joined(parts, by: " AND ", isPositive: isPositive)
        case .any(let parts):
            return try joined(parts, by: " OR ", isPositive: isPositive)
        case .excluding(let include, let excluded):
            guard let included = try compile(include, isPositive: isPositive) else { return nil }
            // `p NOT (n1 OR n2)` rather than `p NOT n1 NOT n2`: the same rows, but FTS5 flattens
            // an OR chain while each NOT adds a level, and newer SQLite refuses trees deeper
            // than 256.
            guard let excludedFragment = try joined(excluded, by: " OR ", isPositive: false) else {
                return included
            }
            exclusions.append((included.text, excludedFragment.text))
            return FTS5Fragment(
                text: included.nested + " NOT " + excludedFragment.nested, isAtomic: false,
                wordPhrases: Self.concatenated([included, excludedFragment]))
        }
    }

    /// Joins the distinct parts that are left with `separator`; one part stands alone. A part
    /// typed twice (`said said`) is matched once: FTS5 would evaluate it twice for the same rows.
    mutating func joined(_ parts: [Query], by separator: String, isPositive: Bool) throws(QueryError)
        -> FTS5Fragment?
    {
        var fragments: [FTS5Fragment] = []
        var seen: Set<String> = []
        for part in parts {
            if let fragment = try compile(part, isPositive: isPositive), seen.insert(fragment.text).inserted {
                fragments.append(fragment)
            }
        }
        if fragments.count <= 1 { return fragments.first }
        return FTS5Fragment(
            text: fragments.map(\.nested).joined(separator: separator), isAtomic: false,
            wordPhrases: Self.concatenated(fragments))
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
    /// could only widen the search beyond what was typed. Ranked, it is one term; a word of
    /// several positions is one ranked term per position (the whole-word alternatives count for
    /// the first, and so do `keys`, a `~word`'s transliteration keys), and is highlighted only
    /// where it stands whole.
    mutating func word(tokens: [Token], typed: String, isPositive: Bool, keys: [String] = []) -> FTS5Fragment?
    {
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
            for (index, primary) in primaries.enumerated() {
                add(QueryTerm(terms: index == 0 ? Set([primary] + alternatives + keys) : [primary]))
            }
            if primaries.count == 1 {
                highlights.terms.insert(primaries[0])
            } else {
                highlights.sequences.append(.init(terms: primaries))
                highlights.terms.formUnion(alternatives)
            }
        }
        let main = Self.quoted(primaries)
        let phrases = primaries.count == 1 ? primaries + alternatives : nil
        if alternatives.isEmpty { return FTS5Fragment(text: main, isAtomic: true, wordPhrases: phrases) }
        let options = [main] + alternatives.map { Self.quoted([$0]) }
        return FTS5Fragment(
            text: "(" + options.joined(separator: " OR ") + ")", isAtomic: true, wordPhrases: phrases)
    }

    /// `~word`: the word's transliteration key(s) OR the word itself, so `~word` finds every
    /// document `word` finds (a key is made from the unstemmed word: `Houthis` has another key
    /// than `Houthi`, but both stem to `houthi`).
    mutating func variants(of text: String, isPositive: Bool) -> FTS5Fragment? {
        let tokens = tokenizer.tokens(in: text)
        let keys = Self.unique(tokens.map(\.term).filter(Self.isVariantKey))
        // The keys count as the word's first ranked term.
        guard let plain = word(tokens: tokens, typed: "~" + text, isPositive: isPositive, keys: keys) else {
            return nil
        }
        guard !keys.isEmpty else { return plain }
        if isPositive {
            if keys.count == 1 {
                highlights.terms.insert(keys[0])
            } else {
                highlights.sequences.append(.init(terms: keys))
            }
        }
        // Several keys come from several positions of one word: they must follow each other.
        return FTS5Fragment(
            text: "(" + Self.quoted(keys) + " OR " + plain.nested + ")", isAtomic: true,
            wordPhrases: keys.count == 1 ? plain.wordPhrases.map { keys + $0 } : nil)
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

    /// The phrases of `fragments` in turn, when each one's are single index terms.
    static func concatenated(_ fragments: [FTS5Fragment]) -> [String]? {
        var phrases: [String] = []
        for fragment in fragments {
            guard let own = fragment.wordPhrases else { return nil }
            phrases += own
        }
        return phrases
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

extension BoundQuery {
    /// A query for documents holding any of `terms` — index terms, as the tokenizer makes them —
    /// each ranked as if typed `frequency` times: what `trawl similar` searches for with a
    /// document's most distinctive terms. No words are parsed, so nothing is refused.
    ///
    ///     "term1" OR "term2" OR …
    public init(anyOf terms: [(term: String, frequency: Int)]) {
        var seen: Set<String> = []
        let unique = terms.filter { !$0.term.isEmpty && seen.insert($0.term).inserted }
            .prefix(Self.maximumTermCount)
        match = FTS5Match(
            unique.map { FTS5QueryCompiler.quoted([$0.term]) }.joined(separator: " OR "),
            wordPhrases: unique.map(\.term))
        self.terms = unique.map { QueryTerm(terms: [$0.term], queryFrequency: max(1, $0.frequency)) }
        highlights = HighlightPatterns(terms: Set(unique.map(\.term)))
        shape = .general
        wordJoin = .any
    }
}
