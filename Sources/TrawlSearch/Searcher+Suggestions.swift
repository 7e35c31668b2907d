import TrawlIndex
import TrawlQuery
import TrawlText

/// A rewritten query that finds more documents, offered when an exact search finds little.
public struct QuerySuggestion: Sendable, Hashable {
    /// The query to try, e.g. `~Hizballah`.
    public var query: String
    /// How many documents it matches.
    public var total: Int
    /// What was rewritten.
    public var kind: Kind = .variants

    /// What a suggestion rewrote.
    public enum Kind: String, Sendable, Hashable {
        /// Misspelled words replaced by a close, frequent spelling (`Hezbolah` → `Hezbollah`).
        case spelling
        /// Words widened to all their transliteration variants (`~Hizballah`).
        case variants
    }
}

extension Searcher {
    /// Below this many matches, a search looks for a better spelling of its words.
    public static let spellingThreshold = 3

    /// The one suggestion to show with `response`: a spelling correction when the query found
    /// fewer than ``spellingThreshold`` documents and one finds more — widened to every
    /// transliteration of the corrected words (`~Hezbollah`) when that finds more still — else
    /// the transliteration variants of the words as typed when they find more (at any count:
    /// `Hizballah` finds 4, `~Hizballah` 13).
    public func suggestion(for response: SearchResponse) -> QuerySuggestion? {
        if response.total < Self.spellingThreshold, let spelling = spellingCorrection(for: response) {
            return variantSuggestion(
                for: spelling.query, of: response, beyond: spelling.total, kind: .spelling)
                ?? QuerySuggestion(query: Self.render(spelling.query), total: spelling.total, kind: .spelling)
        }
        return variantSuggestion(for: response)
    }

    /// The query with each misspelled plain word (one in no document, or in fewer than a
    /// twentieth as many as its correction) replaced by the closest frequent spelling in the
    /// index, when that finds more documents than `response` did, and how many documents it finds.
    ///
    /// A correction is an index term at most one edit away (two for words of six letters or
    /// more) — a letter dropped, added, changed, or two neighbours swapped — the fewest edits
    /// first, then the most documents. Returns nil when no word was corrected.
    func spellingCorrection(for response: SearchResponse) -> (query: Query, total: Int)? {
        guard let parsed = response.parsedQuery else { return nil }
        var corrected = false
        func fix(_ query: Query) -> Query {
            switch query {
            case .word(let word):
                guard let better = correction(of: word) else { return query }
                corrected = true
                return .word(better)
            case .phrase, .prefix, .variants: return query
            case .field(let name, let inner): return .field(name, fix(inner))
            case .all(let parts): return .all(parts.map(fix))
            case .any(let parts): return .any(parts.map(fix))
            case .excluding(let include, let exclude): return .excluding(fix(include), exclude)
            }
        }
        let fixed = fix(parsed)
        guard corrected, var bound = try? BoundQuery(fixed, tokenizer: tokenizer, joining: response.wordJoin)
        else { return nil }
        bound.filter = response.filter
        guard let total = try? store.matchCount(bound), total > response.total else { return nil }
        return (fixed, total)
    }

    /// A correction needs at least this many times the documents of the word it replaces.
    static let correctionFrequencyRatio = 20

    /// The closest frequent spelling of `word`, written as the user would type it, or nil.
    func correction(of word: String) -> String? {
        guard word.count >= 4, word.allSatisfy(\.isLetter) else { return nil }
        let tokens = tokenizer.tokens(in: word).filter { !$0.colocated }
        guard tokens.count == 1 else { return nil }
        let term = tokens[0].term
        let letters = Array(term)
        guard letters.count >= 4, term.utf8.first != Tokenizer.variantKeyMarker else { return nil }
        let maximumEdits = letters.count >= 6 ? 2 : 1
        // An ASCII word's edits are counted on the terms' bytes first, so that only terms close
        // enough become strings (a letter of a large index holds hundreds of thousands of terms),
        // and leaf pages whose terms all start too far from the word are not read. The two see
        // different sorted sequences (terms, page starts), so each keeps its own table.
        let termBytes = Array(term.utf8)
        let isASCII = termBytes.allSatisfy({ $0 < 0x80 })
        let quickTest = isASCII ? SortedTermEdits(termBytes, limit: maximumEdits) : nil
        let pageTest = isASCII ? SortedTermEdits(termBytes, limit: maximumEdits) : nil
        // The index terms close enough in spelling, with their edits. A swap of the first two
        // letters or a dropped first letter changes the first letter: terms starting with the
        // second letter are candidates too.
        var close: [String: Int] = [:]
        for prefix in Set([String(letters[0]), String(letters[1])]) {
            let found =
                (try? store.terms(
                    startingWith: prefix,
                    lengths: (letters.count - maximumEdits)...(letters.count + maximumEdits),
                    where: quickTest.map { test in
                        { candidate, shared in test.mayBeClose(candidate, sharing: shared) }
                    },
                    pagesStartingWith: pageTest.map { test in
                        { start, shared in test.mayStart(with: start, sharing: shared) }
                    }))
                ?? []
            for candidate in found where candidate != term && candidate.allSatisfy(\.isLetter) {
                let edits = Self.editDistance(letters, Array(candidate), limit: maximumEdits)
                if edits <= maximumEdits { close[candidate] = edits }
            }
        }
        // Then how many documents hold them and the word itself, in one lookup (a term's count
        // reads its postings, so only these few are counted).
        guard !close.isEmpty, let counts = try? store.documentFrequencies(of: Set(close.keys).union([term]))
        else { return nil }
        let frequency = counts[term] ?? 0
        let lowered = Array(word.lowercased())
        // Where the word as typed and its term part: the term's ending (`i` of `revolutionnari`)
        // is the stemmer's, the word's (`y` of `revolutionnary`) the user's.
        let common = zip(lowered, letters).prefix { $0 == $1 }.count
        let stemEnding = String(letters[common...])
        let typedEnding = String(lowered[min(common, lowered.count)...])
        // The fewest edits, then the most documents, then the length as typed (a swap keeps it),
        // then the alphabet: the same answer on every run.
        var best: (surface: String, edits: Int, documents: Int, lengthChange: Int, term: String)?
        for (candidate, edits) in close {
            guard let documents = counts[candidate],
                documents >= max(1, Self.correctionFrequencyRatio * frequency)
            else { continue }
            let lengthChange = abs(candidate.count - letters.count)
            if let best,
                (best.edits, -best.documents, best.lengthChange, best.term)
                    <= (edits, -documents, lengthChange, candidate)
            {
                continue
            }
            // The user's ending goes back on in place of the stemmer's (`compnies` → stem
            // `compni` → `compani` → `companies`); failing that, the term itself.
            var surface = candidate
            if candidate.hasSuffix(stemEnding) {
                surface = String(candidate.dropLast(stemEnding.count)) + typedEnding
            }
            if tokenizer.tokens(in: surface).first(where: { !$0.colocated })?.term != candidate {
                surface = candidate
                guard tokenizer.tokens(in: surface).first(where: { !$0.colocated })?.term == candidate else {
                    continue
                }
            }
            best = (surface, edits, documents, lengthChange, candidate)
        }
        guard var surface = best?.surface else { return nil }
        if word.allSatisfy(\.isUppercase) {
            surface = surface.uppercased()
        } else if word.first?.isUppercase == true {
            surface = surface.prefix(1).uppercased() + surface.dropFirst()
        }
        return surface
    }

    /// The optimal-string-alignment distance between `a` and `b` (insertions, deletions,
    /// substitutions, and swaps of neighbours, each one edit); any value above `limit` is
    /// returned as `limit + 1`.
    static func editDistance(_ a: [Character], _ b: [Character], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...max(b.count, 1) where !b.isEmpty {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, before[j - 2] + 1)
                }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return limit + 1 }
            (before, previous, current) = (previous, current, before)
        }
        return min(previous[b.count], limit + 1)
    }

    /// Suggests searching every transliteration variant (`~word`) of the plain words of the
    /// query `response` answered, under the same filters and word join, when that finds more
    /// than the documents it found.
    ///
    /// Returns nil for queries with no plain words, or when the variants find nothing more.
    public func variantSuggestion(for response: SearchResponse) -> QuerySuggestion? {
        guard let parsed = response.parsedQuery else { return nil }
        return variantSuggestion(for: parsed, of: response, beyond: response.total, kind: .variants)
    }

    /// `query` with its plain words widened to `~word`, when that finds more than `total`
    /// documents under `response`'s filters and word join.
    func variantSuggestion(
        for query: Query, of response: SearchResponse, beyond total: Int, kind: QuerySuggestion.Kind
    ) -> QuerySuggestion? {
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
        let widened = widen(query)
        guard rewrote, var bound = try? BoundQuery(widened, tokenizer: tokenizer, joining: response.wordJoin)
        else { return nil }
        // Words with no transliteration key (lower-case or common words, short ones) widen to
        // themselves: the same search finds nothing more, so it is not run.
        if let asTyped = try? BoundQuery(query, tokenizer: tokenizer, joining: response.wordJoin),
            asTyped.match == bound.match
        {
            return nil
        }
        bound.filter = response.filter
        guard let found = try? store.matchCount(bound), found > total else { return nil }
        return QuerySuggestion(query: Self.render(widened), total: found, kind: kind)
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

/// Tells, term after term of a sorted list, whether a term may be within `limit` edits of an
/// ASCII word as `Searcher.editDistance` counts them: exactly for ASCII terms, by their bytes, and
/// always yes for the others (their characters decide). The rows of the edit table a term shares
/// with the term before (their common first letters) are kept, and a term whose shared letters
/// already cost too much is refused at once, so most terms of a letter cost a few comparisons.
final class SortedTermEdits {
    private let word: [UInt8]
    private let limit: Int
    /// Row `i` of the table (the term's first `i` bytes against each start of `word`) is at
    /// `i * width`.
    private var rows: [Int]
    private let width: Int
    private let longest: Int
    /// Rows 0...valid hold the last term's first bytes.
    private var valid = 0
    /// The row past `limit` everywhere at which the last term was refused, if it was.
    private var refusedAt: Int?

    init(_ word: [UInt8], limit: Int) {
        self.word = word
        self.limit = limit
        width = word.count + 1
        longest = word.count + limit
        rows = [Int](repeating: 0, count: (longest + 1) * width)
        for j in 0..<width { rows[j] = j }
    }

    /// Whether `term`, which shares its first `shared` bytes with the bytes asked about before,
    /// may be close enough.
    func mayBeClose(_ term: UnsafeBufferPointer<UInt8>, sharing shared: Int) -> Bool {
        guard let refused = advance(to: term, sharing: shared) else { return true }
        return !refused && abs(term.count - word.count) <= limit
            && rows[term.count * width + word.count] <= limit
    }

    /// Whether a term starting with `start`, which shares its first `shared` bytes with the bytes
    /// asked about before, may be close enough.
    func mayStart(with start: UnsafeBufferPointer<UInt8>, sharing shared: Int) -> Bool {
        guard let refused = advance(to: start, sharing: shared) else { return true }
        return !refused
    }

    /// Fills the table's rows for `bytes` from the first one they do not share with the bytes
    /// before, and tells whether a row went past `limit` everywhere (then no word starting with
    /// `bytes` is close: a row's least value never falls further down); nil when `bytes` are not
    /// ASCII or longer than any close term, and nothing is known.
    private func advance(to bytes: UnsafeBufferPointer<UInt8>, sharing shared: Int) -> Bool? {
        valid = min(valid, shared)
        if let row = refusedAt, row > valid { refusedAt = nil }
        guard bytes.count <= longest, bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        if refusedAt != nil { return true }  // its first bytes already cost too much
        let (m, width, limit, start) = (word.count, width, limit, valid + 1)
        var (reached, refused) = (valid, false)
        rows.withUnsafeMutableBufferPointer { rows in
            word.withUnsafeBufferPointer { word in
                for i in start..<(bytes.count + 1) {
                    let row = i * width
                    let above = row - width
                    let letter = bytes[i - 1]
                    rows[row] = i
                    var rowMinimum = i
                    for j in 1...m {
                        let cost = letter == word[j - 1] ? 0 : 1
                        var value = min(
                            rows[above + j] + 1, rows[row + j - 1] + 1, rows[above + j - 1] + cost)
                        if i > 1, j > 1, letter == word[j - 2], bytes[i - 2] == word[j - 1] {
                            value = min(value, rows[above - width + j - 2] + 1)
                        }
                        rows[row + j] = value
                        rowMinimum = min(rowMinimum, value)
                    }
                    reached = i
                    if rowMinimum > limit {
                        refused = true
                        return
                    }
                }
            }
        }
        valid = reached
        if refused { refusedAt = reached }
        return refused
    }
}
