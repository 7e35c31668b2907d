import ArgumentParser
import Foundation
import TrawlIndex
import TrawlSearch

/// `trawl search "<query>"`: ranked results with highlighted snippets.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the index; results are ranked by relevance, with highlighted snippets.",
        discussion: """
            Query syntax: words; "a phrase"; a OR b; NOT word or -word; prefix*; \
            ~name (all transliteration variants); title:word, body:word; ( ) to group; \
            author:name, source:name, tag:name (and -tag:name) keep only documents with that \
            metadata — alone they list every such document, newest first; so does an empty query \
            with --since/--until. \
            By default a few words must all match; when no document has them all, documents \
            with most of them are shown instead (and the output says so). A longer, \
            question-like query matches any of its words, documents with more of them and \
            closer together ranking first. --match all or --match any forces either. Common \
            words such as "the" or "what" are ignored when other words remain. \
            Exit status: 0 hits found, 1 no hits, 2 the query cannot be interpreted.
            """)

    @Argument(help: "The query.")
    var query: String

    @OptionGroup var index: IndexOption

    @Option(name: .long, help: "How many results to show.")
    var limit = 10

    @Option(name: .long, help: "Skip this many results first (for paging).")
    var offset = 0

    @Option(name: .long, help: "Order: relevance, or date (newest first).")
    var sort: ResultOrder = .relevance

    @OptionGroup var dates: DateRangeOptions

    @Flag(name: .long, help: "Boost recent documents (by document date).")
    var recent = false

    @Flag(
        name: .long, help: "Show the parts of each score (BM25 title/body, proximity, coordination, recency)."
    )
    var explain = false

    @OptionGroup var ranking: RankingOptions

    @Option(name: .long, help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(name: .long, help: "Colour: auto (terminals, unless NO_COLOR is set), always or never.")
    var color: ColorChoice = .auto

    /// Below this many hits, `search` checks whether `~word` variants would find more.
    static let suggestionThreshold = 3

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1.") }
        guard offset >= 0 else { throw ValidationError("--offset cannot be negative.") }
    }

    /// What one `trawl search` asks for, as plain values.
    struct Invocation {
        var request: SearchRequest
        var indexPath: String
        var explain = false
        var format = OutputFormat.text
        var color = ColorChoice.auto
    }

    func run() throws {
        var request = ranking.request(query: query, limit: limit, offset: offset)
        request.sort = sort
        request.prefersRecent = recent
        request.since = dates.since?.start
        request.until = dates.until?.end
        try Self.run(
            Invocation(
                request: request, indexPath: index.path, explain: explain, format: format, color: color))
    }

    /// The invocation for `arguments` (those after `search`) when they hold only the everyday
    /// options — one query and any of `--db`, `--limit`, `--offset`, `--format`, `--color`, each
    /// once, with valid values — and nil otherwise (then the full parser handles them, with its
    /// messages). Skips swift-argument-parser's reflection, about 4 ms of a search's start-up
    /// (docs/BENCHMARKS.md, "Search latency (issue 7)").
    static func everydayInvocation(_ arguments: [String]) -> Invocation? {
        var query: String?
        var options: [String: String] = [:]
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument.hasPrefix("-") {
                let known = ["--db", "--limit", "--offset", "--format", "--color"]
                guard known.contains(argument), options[argument] == nil, index + 1 < arguments.count,
                    !arguments[index + 1].hasPrefix("-")
                else { return nil }
                options[argument] = arguments[index + 1]
                index += 2
            } else {
                guard query == nil else { return nil }
                query = argument
                index += 1
            }
        }
        guard let query else { return nil }
        let limit = options["--limit"].map { Int($0) } ?? 10
        let offset = options["--offset"].map { Int($0) } ?? 0
        guard let limit, let offset, limit >= 1, offset >= 0,
            let format = OutputFormat(rawValue: options["--format"] ?? "text"),
            let color = ColorChoice(rawValue: options["--color"] ?? "auto")
        else { return nil }
        return Invocation(
            // With no ranking option given, `RankingOptions.request` is the plain request.
            request: SearchRequest(query: query, limit: limit, offset: offset),
            indexPath: IndexLocation.resolve(options["--db"]), format: format, color: color)
    }

    static func run(_ invocation: Invocation) throws {
        let (request, format, explain) = (invocation.request, invocation.format, invocation.explain)
        let store = try IndexStore(path: invocation.indexPath, access: .readOnly)
        let searcher = Searcher(store: store)
        let response = try searcher.search(request)
        // Few hits: offer the transliteration variants of the words, if they find more.
        let suggestion =
            response.total < Self.suggestionThreshold
            ? searcher.variantSuggestion(for: response) : nil
        switch format {
        case .json:
            var json = SearchJSON(response, explains: explain)
            json.suggestion = suggestion.map { SearchJSON.Suggestion(query: $0.query, total: $0.total) }
            try JSONOutput.print(json)
        case .text:
            let style = Style(enabled: invocation.color.enabled())
            printText(response, style: style, explain: explain)
            if let suggestion {
                let line =
                    "Other spellings find more: trawl search '\(TerminalText.visible(suggestion.query))' "
                    + "(\(suggestion.total) document\(suggestion.total == 1 ? "" : "s"))."
                if response.total == 0 { printError(line) } else { print(style.dim(line)) }
            }
        }
        if response.hits.isEmpty { throw ExitStatus.partial }
    }

    private static func printText(_ response: SearchResponse, style: Style, explain: Bool) {
        for note in response.notes { printError("Note: \(note)") }
        if response.total == 0 {
            printError("No documents match \(response.query).")
            return
        }
        if response.relaxedToAnyWord {
            let count = response.allWordsTotal ?? 0
            print(
                style.dim(
                    count == 0
                        ? "No document contains all of the words; showing those with most of them.\n"
                        : "\(count) document\(count == 1 ? " contains" : "s contain") all of the words; "
                            + "then come those with some of them.\n"))
        }
        for hit in response.hits {
            print("\(hit.rank). \(style.bold(style.marking(hit.title, hit.titleHighlights)))")
            print("   \(style.dim(Self.sourceLine(hit)))")
            if explain { print("   \(style.dim(Self.explanationText(hit)))") }
            if !hit.snippet.text.isEmpty {
                print(
                    "   \(style.marking(hit.snippet.text, hit.snippet.highlights, bracketsWithoutColor: true))"
                )
            }
            print("")
        }
        let shown =
            response.hits.isEmpty ? "none" : "\(response.hits.first!.rank)–\(response.hits.last!.rank)"
        print(
            style.dim(
                "\(response.total) matching document\(response.total == 1 ? "" : "s"); showing \(shown)."))
    }

    /// `path · 2025-11-18 · author · source`: where a hit is and what it says about itself.
    static func sourceLine(_ hit: SearchHit) -> String {
        var parts = [hit.path, DocumentJSON.day(hit.date)]
        if !hit.metadata.author.isEmpty { parts.append(hit.metadata.author) }
        if !hit.metadata.source.isEmpty { parts.append(hit.metadata.source) }
        return TerminalText.visible(parts.joined(separator: " · "))
    }

    /// `score 7.412 = bm25 title 3.100 + bm25 body 4.012 + proximity 0.300 + coordination 0.000 + recency 0.000 (2/2 terms)`
    static func explanationText(_ hit: SearchHit) -> String {
        guard let parts = hit.explanation else {
            return String(format: "score %.3f = fts5 bm25()", hit.score)
        }
        return String(
            format: "score %.3f = bm25 title %.3f + bm25 body %.3f + proximity %.3f + coordination %.3f"
                + " + recency %.3f (%d/%d terms)",
            parts.total, parts.bm25Title, parts.bm25Body, parts.proximity, parts.coordination, parts.recency,
            parts.matchedTerms, parts.queryTerms)
    }
}

/// The stable JSON contract of `trawl search --format json`.
struct SearchJSON: Encodable {
    struct Result: Encodable {
        var rank: Int
        var path: String
        var title: String
        var score: Double
        var snippet: String
        var highlights: [[Int]]
        /// Present with `--explain`: the parts of `score`.
        var explain: ExplainJSON?
    }

    /// The parts of a score; they add up to `score`.
    struct ExplainJSON: Encodable {
        var bm25Title: Double
        var bm25Body: Double
        var proximity: Double
        var coordination: Double
        var recency: Double
        var matchedTerms: Int
        var queryTerms: Int

        init(_ parts: ScoreExplanation) {
            bm25Title = parts.bm25Title
            bm25Body = parts.bm25Body
            proximity = parts.proximity
            coordination = parts.coordination
            recency = parts.recency
            matchedTerms = parts.matchedTerms
            queryTerms = parts.queryTerms
        }
    }

    var query: String
    var total: Int
    /// `all` when every word was required, `any` when documents with any word matched.
    var matching: String
    /// How many documents contain every word (absent when `--match any` was asked for).
    var totalAllWords: Int?
    /// Present when few documents matched and other spellings (`~word`) find more.
    var suggestion: Suggestion?
    /// How the query was read when not simply as typed (empty otherwise).
    var notes: [String]

    struct Suggestion: Encodable {
        var query: String
        var total: Int
    }
    var results: [MetadataJSON.Flattened<Result>]

    init(_ response: SearchResponse, explains: Bool = false) {
        query = response.query
        total = response.total
        matching = response.wordJoin == .all ? "all" : "any"
        totalAllWords = response.allWordsTotal
        notes = response.notes.map(\.description)
        results = response.hits.map { hit in
            let result = Result(
                rank: hit.rank, path: hit.path, title: hit.title, score: hit.score,
                snippet: hit.snippet.text,
                highlights: hit.snippet.highlights.map { [$0.lowerBound, $0.upperBound] },
                explain: explains ? hit.explanation.map(ExplainJSON.init) : nil)
            return MetadataJSON.Flattened(result, date: hit.date, metadata: hit.metadata)
        }
    }
}
