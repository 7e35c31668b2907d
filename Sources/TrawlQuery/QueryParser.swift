/// Parses the query language into a `Query`.
///
/// | You type                                        | You get                                    |
/// |-------------------------------------------------|--------------------------------------------|
/// | `iran talks`                                    | both words (words side by side are ANDed)  |
/// | `iran AND talks`                                | the same; `AND` is upper-case only         |
/// | `iran OR iraq`                                  | either word; `OR` is upper-case only       |
/// | `"prime minister"`                              | the words in this order (“ ” work too)     |
/// | `-word`, `-"a phrase"`, `NOT word`, `NOT (a b)` | no result may contain it                   |
/// | `negot*`                                        | every word starting with `negot`           |
/// | `~Hezbollah`                                    | every transliteration of the word          |
/// | `title:iran`, `body:"a b"`, `title:(a OR b)`    | only in that field (`title` or `body`)     |
/// | `author:smith`, `source:reuters`, `tag:energy`  | only documents with that metadata          |
/// | `( … )`                                         | a group                                    |
///
/// `OR` binds tighter than the words around it, as in web search engines:
/// `a b OR c d` means `a AND (b OR c) AND d`; use parentheses for anything else.
/// Exclusions apply to the group they stand in: `a (b -c)` excludes `c` only from the
/// `(b -c)` part. An exclusion cannot be one side of an `OR` (`a OR -b` is an error), and a
/// query must search for at least one word (`-a` alone is an error).
///
/// Everything else is a word, kept exactly as typed, punctuation included: `U.S.`,
/// `al-Sudani`, `AT&T`, `C++`, `don't`, `10:30`, `http://x`. A `-` means "exclude" only at
/// the start of a word with something after it, `*` only at the end of a word, and `x:` is a
/// field only for `title`, `body`, `author`, `source` and `tag` (or `tags`; any case), which must
/// be followed at once by a word,
/// quote or `(`. A lone `*`, an empty `""` and an empty `()` are ignored. The tokenizer
/// decides later what words mean. Groups may nest up to ``maximumNesting`` deep.
///
/// Nested ANDs and ORs are flattened and one-element groups collapse to their element, so
/// `a (b c)` is `.all([a, b, c])` and `(a)` is `a`; a group with exclusions becomes
/// `.excluding(positives, [negatives])`.
public struct QueryParser: Sendable {
    /// How deep parentheses may nest before the parser refuses the query.
    public static let maximumNesting = 64

    public init() {}

    /// Parses `text`; throws a `QueryError` that names what is wrong and where.
    public func parse(_ text: String) throws(QueryError) -> Query {
        try parse(tokens: QueryLexer.tokens(of: text))
    }

    func parse(tokens: [QueryToken]) throws(QueryError) -> Query {
        var cursor = TokenCursor(tokens: tokens)
        let clause = try cursor.parseGroup(depth: 0)
        if let token = cursor.peek {
            // parseGroup only stops early on a `)`.
            throw .unexpectedClosingParenthesis(column: token.column)
        }
        if clause.positives.isEmpty {
            throw clause.negatives.isEmpty ? .nothingToSearch : .onlyExclusions
        }
        return clause.query
    }
}

/// A query as read for a search: its AST, whether it is only words side by side, and how it was
/// read when it was not valid query syntax.
public struct ParsedQuery: Sendable, Hashable {
    /// What to search for.
    public var query: Query
    /// True when the query is only words side by side: no operator, quote, parenthesis, field or
    /// exclusion. Only such a query may fall back to "any of the words"; anything the user spelled
    /// out (`AND`, a phrase, `-word`, `title:`) is a requirement.
    public var isPlainWords: Bool
    /// True when the query spells out `AND`: every word it joins is required as typed, common
    /// words included.
    public var hasExplicitAnd = false
    /// Why the text was read as plain words rather than as query syntax (nil: read as typed).
    public var readAsPlainWordsBecause: QueryError?
}

extension QueryParser {
    /// A query of at least this many words that is not valid syntax is pasted text: it is read as
    /// plain words (`read(_:)`) instead of being refused.
    public static let pastedTextWordCount = 6

    /// Reads `text` as a search query: as query syntax when it is valid; otherwise, when it has
    /// at least ``pastedTextWordCount`` words (a pasted question or paragraph with a stray quote,
    /// parenthesis or operator), as plain words with quotes and parentheses ignored, saying why in
    /// `readAsPlainWordsBecause`. A shorter query that is not valid syntax is refused.
    public func read(_ text: String) throws(QueryError) -> ParsedQuery {
        let error: QueryError
        do {
            let tokens = try QueryLexer.tokens(of: text)
            let query = try parse(tokens: tokens)
            return ParsedQuery(
                query: query, isPlainWords: Self.arePlainWords(tokens),
                hasExplicitAnd: tokens.contains { TokenCursor.operatorName($0) == "AND" })
        } catch let thrown {
            error = thrown
        }
        let words = text.split(whereSeparator: \.isWhitespace).map { word in
            String(word.filter { !QueryLexer.isQuote($0) && $0 != "(" && $0 != ")" })
        }.filter { !$0.isEmpty }
        guard words.count >= Self.pastedTextWordCount else { throw error }
        return ParsedQuery(
            query: Query.allOf(words.map { .word($0) }), isPlainWords: true, readAsPlainWordsBecause: error)
    }

    /// Whether lexed tokens are words side by side and nothing else.
    static func arePlainWords(_ tokens: [QueryToken]) -> Bool {
        tokens.allSatisfy { token in
            guard case .word(let text) = token.kind, TokenCursor.operatorName(token) == nil else {
                return false
            }
            let isExcluded = text.first == "-" && text.count > 1
            return !isExcluded && TokenCursor.fieldPrefix(of: Substring(text)) == nil
        }
    }
}

// MARK: - Lexing

/// One lexical unit of a query string, with the 1-based column where it starts.
struct QueryToken: Sendable {
    enum Kind: Sendable, Equatable {
        /// A run of characters up to whitespace, a parenthesis or a quote.
        case word(String)
        /// The text between quotes.
        case quoted(String)
        case openParenthesis
        case closeParenthesis
    }

    var kind: Kind
    var column: Int
    /// Whether the token touches the one before it (no whitespace between), as the `"x"` in
    /// `-"x"` or the `(` in `title:(`.
    var isAttached: Bool
}

/// Splits a query string into words, quoted phrases and parentheses.
enum QueryLexer {
    static func isQuote(_ character: Character) -> Bool {
        character == "\"" || character == "\u{201C}" || character == "\u{201D}"
    }

    static func tokens(of text: String) throws(QueryError) -> [QueryToken] {
        var tokens: [QueryToken] = []
        var column = 0  // column of `character`, 1-based
        var attached = false
        var word = ""
        var wordColumn = 0
        var quoted: String? = nil
        var quoteColumn = 0

        func endWord() {
            guard !word.isEmpty else { return }
            tokens.append(QueryToken(kind: .word(word), column: wordColumn, isAttached: attached))
            word = ""
            attached = true
        }

        for character in text {
            column += 1
            if let phrase = quoted {
                if isQuote(character) {
                    tokens.append(
                        QueryToken(kind: .quoted(phrase), column: quoteColumn, isAttached: attached))
                    quoted = nil
                    attached = true
                } else {
                    quoted?.append(character)
                }
            } else if character.isWhitespace {
                endWord()
                attached = false
            } else if isQuote(character) {
                endWord()
                quoted = ""
                quoteColumn = column
            } else if character == "(" || character == ")" {
                endWord()
                let kind: QueryToken.Kind = character == "(" ? .openParenthesis : .closeParenthesis
                tokens.append(QueryToken(kind: kind, column: column, isAttached: attached))
                attached = true
            } else {
                if word.isEmpty { wordColumn = column }
                word.append(character)
            }
        }
        if quoted != nil { throw .missingClosingQuote(column: quoteColumn) }
        endWord()
        return tokens
    }
}

// MARK: - Parsing

/// What a group of words amounts to so far: what must match and what must not.
struct QueryClause: Sendable {
    var positives: [Query] = []
    var negatives: [Query] = []

    var isEmpty: Bool { positives.isEmpty && negatives.isEmpty }

    /// The clause as one query; call only when `positives` is not empty.
    var query: Query {
        let include = Query.allOf(positives)
        return negatives.isEmpty ? include : .excluding(include, negatives)
    }

    mutating func absorb(_ other: QueryClause) {
        positives.append(contentsOf: other.positives)
        negatives.append(contentsOf: other.negatives)
    }
}

extension Query {
    /// `.all(parts)` with nested `.all`s flattened; one part collapses to itself.
    static func allOf(_ parts: [Query]) -> Query {
        var flat: [Query] = []
        for part in parts {
            if case .all(let inner) = part { flat.append(contentsOf: inner) } else { flat.append(part) }
        }
        return flat.count == 1 ? flat[0] : .all(flat)
    }

    /// `.any(parts)` with nested `.any`s flattened; one part collapses to itself.
    static func anyOf(_ parts: [Query]) -> Query {
        var flat: [Query] = []
        for part in parts {
            if case .any(let inner) = part { flat.append(contentsOf: inner) } else { flat.append(part) }
        }
        return flat.count == 1 ? flat[0] : .any(flat)
    }
}

/// A recursive-descent parser over the lexed tokens.
///
/// ```
/// group    := item ( "AND"? item )*
/// item     := unary ( "OR" unary )*
/// unary    := "NOT" primary | primary
/// primary  := "(" group ")" | quoted | word      (word may carry -, ~, *, title:, body:)
/// ```
struct TokenCursor {
    let tokens: [QueryToken]
    var index = 0

    init(tokens: [QueryToken]) { self.tokens = tokens }

    var peek: QueryToken? { index < tokens.count ? tokens[index] : nil }

    /// The operator a token stands for, if it is exactly `AND`, `OR` or `NOT`.
    static func operatorName(_ token: QueryToken?) -> String? {
        guard case .word(let text)? = token?.kind else { return nil }
        return text == "AND" || text == "OR" || text == "NOT" ? text : nil
    }

    /// Whether the next token can begin an operand: not the end, a `)` or an operator other
    /// than a `NOT` (when allowed).
    func nextStartsOperand(allowingNot: Bool) -> Bool {
        guard let token = peek, token.kind != .closeParenthesis else { return false }
        guard let name = Self.operatorName(token) else { return true }
        return allowingNot && name == "NOT"
    }

    /// Parses words up to the end or a `)` (which is left for the caller).
    mutating func parseGroup(depth: Int) throws(QueryError) -> QueryClause {
        var clause = QueryClause()
        var hasItem = false
        while let token = peek, token.kind != .closeParenthesis {
            if let name = Self.operatorName(token), name != "NOT" {
                // `AND` between two items, or an `OR` / `AND` with nothing on its left.
                index += 1
                guard name == "AND", hasItem, nextStartsOperand(allowingNot: true) else {
                    throw .danglingOperator(name, column: token.column)
                }
            }
            clause.absorb(try parseAlternatives(depth: depth))
            hasItem = true
        }
        return clause
    }

    /// Parses `unary ( OR unary )*`.
    mutating func parseAlternatives(depth: Int) throws(QueryError) -> QueryClause {
        let first = try parseUnary(depth: depth)
        guard Self.operatorName(peek) == "OR" else { return first }
        var operands = [first]
        var orColumns: [Int] = []
        while let token = peek, Self.operatorName(token) == "OR" {
            index += 1
            guard nextStartsOperand(allowingNot: true) else {
                throw .danglingOperator("OR", column: token.column)
            }
            orColumns.append(token.column)
            operands.append(try parseUnary(depth: depth))
        }
        var alternatives: [Query] = []
        for (position, operand) in operands.enumerated() where !operand.negatives.isEmpty {
            let column = orColumns[max(0, position - 1)]
            throw .exclusionInAlternative(column: column)
        }
        for operand in operands where !operand.positives.isEmpty {
            alternatives.append(operand.query)
        }
        return alternatives.isEmpty ? QueryClause() : QueryClause(positives: [Query.anyOf(alternatives)])
    }

    /// Parses `NOT primary` or `primary`.
    mutating func parseUnary(depth: Int) throws(QueryError) -> QueryClause {
        guard let token = peek, Self.operatorName(token) == "NOT" else {
            return try parsePrimary(depth: depth)
        }
        index += 1
        guard nextStartsOperand(allowingNot: false) else {
            throw .danglingOperator("NOT", column: token.column)
        }
        return try Self.negated(parsePrimary(depth: depth))
    }

    /// Turns what must match into what must not.
    static func negated(_ clause: QueryClause) throws(QueryError) -> QueryClause {
        if clause.isEmpty { return clause }
        // `NOT (-a)`: a double negative is almost surely a mistake, not a request.
        if clause.positives.isEmpty { throw .onlyExclusions }
        return QueryClause(negatives: [clause.query])
    }

    /// Parses a parenthesised group, a quoted phrase or a word with its decorations.
    mutating func parsePrimary(depth: Int) throws(QueryError) -> QueryClause {
        guard let token = peek else { return QueryClause() }
        index += 1
        switch token.kind {
        case .closeParenthesis:
            throw .unexpectedClosingParenthesis(column: token.column)
        case .openParenthesis:
            return try parseParenthesised(openedAt: token.column, depth: depth)
        case .quoted(let text):
            return Self.phrase(text)
        case .word(let text):
            return try parseWord(text, column: token.column, depth: depth)
        }
    }

    /// Parses the rest of a group whose `(` was just consumed.
    mutating func parseParenthesised(openedAt column: Int, depth: Int) throws(QueryError) -> QueryClause {
        guard depth < QueryParser.maximumNesting else { throw .tooDeeplyNested(column: column) }
        let inner = try parseGroup(depth: depth + 1)
        guard let close = peek, close.kind == .closeParenthesis else {
            throw .missingClosingParenthesis(column: column)
        }
        index += 1
        // A group of only exclusions excludes from the enclosing group: `a (-b)` is `a -b`.
        if inner.positives.isEmpty { return inner }
        return QueryClause(positives: [inner.query])
    }

    static func phrase(_ text: String) -> QueryClause {
        text.allSatisfy(\.isWhitespace) ? QueryClause() : QueryClause(positives: [.phrase(text)])
    }

    /// Whether the next token is a quote or `(` glued to the word just read.
    var nextIsAttachedOpener: Bool {
        guard let token = peek, token.isAttached else { return false }
        return token.kind == .openParenthesis || Self.isQuoted(token)
    }

    static func isQuoted(_ token: QueryToken) -> Bool {
        if case .quoted = token.kind { return true }
        return false
    }

    /// Interprets a word: `-` in front, then `title:` / `body:`, then `~word` or `word*`.
    mutating func parseWord(_ text: String, column: Int, depth: Int) throws(QueryError) -> QueryClause {
        var rest = Substring(text)
        var isExcluded = false
        if rest.first == "-", rest.count > 1 || nextIsAttachedOpener {
            isExcluded = true
            rest = rest.dropFirst()
        }
        var clause: QueryClause
        if let (field, after) = Self.fieldPrefix(of: rest) {
            if !after.isEmpty {
                clause = Self.atom(after)
            } else if nextIsAttachedOpener {
                clause = try parsePrimary(depth: depth)
            } else {
                throw .emptyField(field, column: column + (isExcluded ? 1 : 0))
            }
            if !clause.positives.isEmpty {
                clause = QueryClause(positives: [.field(field, clause.query)])
            } else if !clause.negatives.isEmpty {
                throw .onlyExclusions
            }
        } else if rest.isEmpty {
            // A lone `-` glued to a quote or `(`.
            clause = try parsePrimary(depth: depth)
        } else if let unknown = Self.unknownFieldName(in: rest) {
            throw .unknownField(unknown, column: column + (isExcluded ? 1 : 0))
        } else {
            clause = Self.atom(rest)
        }
        return isExcluded ? try Self.negated(clause) : clause
    }

    /// `title:…`, `author:…` and the other field names (any case): the lower-case field name
    /// (`tags` read as `tag`) and what follows the colon.
    static func fieldPrefix(of text: Substring) -> (String, Substring)? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let name = Query.canonicalFieldName(text[..<colon].lowercased())
        guard Query.searchFields.contains(name) || Query.filterFields.contains(name) else { return nil }
        return (name, text[text.index(after: colon)...])
    }

    /// The name of what looks like a field Trawl does not know (`date:2025`, `path2:x`): a word
    /// of 2 to 20 ASCII letters, then a colon and something that is not `/` (so `http://x`,
    /// `10:30` and `U.S.:` stay words). Nil for anything else.
    static func unknownFieldName(in text: Substring) -> String? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let name = text[..<colon]
        let after = text[text.index(after: colon)...]
        guard (2...20).contains(name.count), name.allSatisfy({ $0.isASCII && $0.isLetter }),
            let next = after.first, next != "/", next != ":"
        else { return nil }
        return name.lowercased()
    }

    /// `~word`, `word*` or a plain word; a word of only `*`s is ignored.
    static func atom(_ text: Substring) -> QueryClause {
        if text.first == "~", text.count > 1 {
            return QueryClause(positives: [.variants(String(text.dropFirst()))])
        }
        if text.last == "*" {
            var stem = text
            while stem.last == "*" { stem = stem.dropLast() }
            return stem.isEmpty ? QueryClause() : QueryClause(positives: [.prefix(String(stem))])
        }
        return QueryClause(positives: [.word(String(text))])
    }
}
