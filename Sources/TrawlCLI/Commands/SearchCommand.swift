import ArgumentParser
import Foundation
import Synchronization
import TrawlAPI
import TrawlIndex
import TrawlSearch

/// `trawl search <query words>...`: ranked results with highlighted snippets.
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
            Several words are one query (`trawl search Iran talks`); quote phrases and anything \
            the shell would read (`"grain corridor"`, `'oil OR gas'`). A word starting with - \
            (`-opec`, `'-tag:opinion Hezbollah'`) is part of the query unless it is one of the \
            options below; after `--` everything is query. With --since/--until and no query, \
            documents are listed newest first. At most 10,000 characters. \
            Near-duplicates (a flash and its updates, one story on two wires) show as one result, \
            the newest version, the others listed under it; --no-collapse shows them all. A \
            search that finds little suggests a better spelling ("Did you mean: …"). \
            Exit status: 0 hits found, 1 no hits, 2 the query cannot be interpreted.
            """)

    @Argument(
        help: ArgumentHelp(
            "The query; several words are one query (quote phrases: \"a phrase\").", valueName: "query"))
    var words: [String] = []

    @OptionGroup var index: IndexOption

    @Option(name: [.customShort("n"), .long], help: "How many results to show (at most 1,000).")
    var limit = 10

    @Option(name: .long, help: "Skip this many results first (for paging).")
    var offset = 0

    @Option(name: .long, help: "Order: relevance, or date (newest first, undated documents last).")
    var sort: ResultOrder = .relevance

    @OptionGroup var dates: DateRangeOptions

    @OptionGroup var indexedWindow: IndexedWindowOptions

    @Flag(name: .long, help: "Boost recent documents (by document date; undated documents get no boost).")
    var recent = false

    @Flag(
        name: .long, help: "Show the parts of each score (BM25 title/body, proximity, coordination, recency)."
    )
    var explain = false

    @OptionGroup var ranking: RankingOptions

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Output format: text (default), json, csv (rank, path, title, date, source, author, score) "
                + "or paths (one per line).", valueName: "format"))
    var format: SearchFormat?

    @Flag(name: [.customShort("j"), .long], help: "JSON output (same as --format json).")
    var json = false

    @Flag(
        name: [.customShort("l"), .customLong("paths")],
        help: "Print only the paths of matching documents, one per line (same as --format paths).")
    var pathsOnly = false

    @Option(name: .long, help: "Colour: auto (terminals, unless NO_COLOR is set), always or never.")
    var color: ColorChoice = .auto

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Count all matching documents by these, comma-separated: source, author, tag, year, month, "
                + "lang, folder (the top 10 values of each).", valueName: "facets"))
    var facets: FacetList?

    /// The longest query `search` reads, in characters (`SearchJSON.maximumQueryLength`).
    static let maximumQueryLength = SearchJSON.maximumQueryLength

    /// The query the words make: joined with spaces, each without the space
    /// `protectingQueryWords` put before a leading `-`.
    var query: String {
        words.map { $0.hasPrefix(" -") ? String($0.dropFirst()) : $0 }.joined(separator: " ")
    }

    /// `--format`, `-j` or `-l`, whichever was given (they must agree).
    var outputFormat: SearchFormat { json ? .json : pathsOnly ? .paths : format ?? .text }

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1.") }
        guard offset >= 0 else { throw ValidationError("--offset cannot be negative.") }
        let chosen = [json ? SearchFormat.json : nil, pathsOnly ? .paths : nil, format].compactMap { $0 }
        guard Set(chosen).count <= 1 else {
            throw ValidationError(
                "-j (--json), -l (--paths) and --format ask for different outputs; give one.")
        }
        guard !words.isEmpty || dates.since != nil || dates.until != nil || indexedWindow.isGiven else {
            throw ValidationError(
                "Missing query: give the words to search for (trawl search Iran talks), or --since/--until "
                    + "to list documents by date (--new, --indexed-since: by when they were indexed).")
        }
    }

    /// What one `trawl search` asks for, as plain values.
    struct Invocation {
        var request: SearchRequest
        var indexPath: String
        var explain = false
        var format = SearchFormat.text
        var color = ColorChoice.auto
        /// The index, when it was already opened (to resolve `--new`); else it is opened at `indexPath`.
        var store: IndexStore? = nil
    }

    func run() throws {
        var request = ranking.request(query: query, limit: limit, offset: offset)
        request.sort = sort
        request.prefersRecent = recent
        request.since = dates.since?.start
        request.until = dates.until?.end
        var store: IndexStore?
        if indexedWindow.isGiven {
            let opened = try IndexStore(path: index.path, access: .readOnly)
            request.indexed = try indexedWindow.window(in: opened)
            store = opened
        }
        request.facets = facets?.facets ?? []
        try Self.run(
            Invocation(
                request: request, indexPath: index.path, explain: explain, format: outputFormat, color: color,
                store: store))
    }

    /// The options of `search` that take no value; every other option takes one.
    static let flagOptions: Set<String> = [
        "-h", "--help", "--recent", "--explain", "-j", "--json", "-l", "--paths", "--new", "--no-collapse",
    ]

    /// Whether `argument`, found where an option could be, is query text: it starts with one `-`
    /// and either holds a space (`'-tag:opinion Hezbollah'`) or is not made of the short options'
    /// letters (`-opec`, `-iran`; but `-n`, `-j`, `-l`, `-h`, `-jl` are options). Negative numbers
    /// stay values (the parser then says what is wrong with them).
    static func readsAsQueryText(_ argument: String) -> Bool {
        guard argument.hasPrefix("-"), !argument.hasPrefix("--"), argument.count > 1 else { return false }
        if argument.contains(where: \.isWhitespace) { return true }
        let letters = argument.dropFirst()
        if letters.allSatisfy({ "hjln".contains($0) }) { return false }
        return Double(argument) == nil
    }

    /// `arguments` (those after `search`) with a space put before each query word that starts
    /// with `-` (`readsAsQueryText`), so that swift-argument-parser reads it as a query word
    /// rather than as options (`-tag:…` would otherwise be `-t -a -g …`, and `h` asks for help);
    /// `query` takes the space off again. Values of options and everything after `--` are left
    /// as they are.
    static func protectingQueryWords(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var expectsValue = false
        for (position, argument) in arguments.enumerated() {
            if argument == "--" { return result + arguments[position...] }
            if expectsValue {
                expectsValue = false
                result.append(argument)
            } else if readsAsQueryText(argument) {
                result.append(" " + argument)
            } else {
                expectsValue =
                    (argument == "-n" || argument.hasPrefix("--")) && !argument.contains("=")
                    && !flagOptions.contains(argument)
                result.append(argument)
            }
        }
        return result
    }

    /// The invocation for `arguments` (those after `search`) when they hold only the everyday
    /// options — query words and any of `--db`, `--limit`/`-n`, `--offset`, `--format`,
    /// `--color`, `--facets`, `-j`/`--json`, `-l`/`--paths`, each once, with valid values that agree — and
    /// nil otherwise (then the full parser handles them, with its messages). Words are told from
    /// options as the full parser tells them (`readsAsQueryText`, `--`). Skips
    /// swift-argument-parser's reflection, about 4 ms of a search's start-up (docs/BENCHMARKS.md,
    /// "Search latency (issue 7)").
    static func everydayInvocation(_ arguments: [String]) -> Invocation? {
        var words: [String] = []
        var options: [String: String] = [:]
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" {
                words += arguments[(index + 1)...]
                break
            } else if !argument.hasPrefix("-") || argument == "-" || readsAsQueryText(argument) {
                words.append(argument)
                index += 1
            } else if let format = ["-j": "json", "--json": "json", "-l": "paths", "--paths": "paths"][
                argument]
            {
                guard options[argument] == nil, options["--format"] ?? format == format else { return nil }
                (options[argument], options["--format"]) = (format, format)
                index += 1
            } else {
                let name = argument == "-n" ? "--limit" : argument
                guard ["--db", "--limit", "--offset", "--format", "--color", "--facets"].contains(name),
                    options[name] == nil,
                    index + 1 < arguments.count, !arguments[index + 1].hasPrefix("-")
                else { return nil }
                options[name] = arguments[index + 1]
                index += 2
            }
        }
        guard !words.isEmpty else { return nil }
        let limit = options["--limit"].map { Int($0) } ?? 10
        let offset = options["--offset"].map { Int($0) } ?? 0
        let indexPath = IndexLocation.resolve(options["--db"])
        guard let limit, let offset, limit >= 1, offset >= 0,
            let format = SearchFormat(rawValue: options["--format"] ?? "text"),
            let color = ColorChoice(rawValue: options["--color"] ?? "auto"),
            IndexLocation.problem(at: indexPath) == nil
        else { return nil }
        // With no ranking option given, `RankingOptions.request` is the plain request.
        // Joined by hand: `joined(separator:)` runs unspecialized here, and its first type look-up
        // scans the runtime's conformance records (0.4 M instructions, 3% of a rare-word search).
        var query = words[0]
        for word in words.dropFirst() { query += " " + word }
        var request = SearchRequest(query: query, limit: limit, offset: offset)
        if let facets = options["--facets"] {
            guard let list = FacetList(argument: facets) else { return nil }
            request.facets = list.facets
        }
        return Invocation(request: request, indexPath: indexPath, format: format, color: color)
    }

    /// The stores of this process's searches, never closed (see `run(_:)`).
    private static let openUntilExit = Mutex<[IndexStore]>([])

    static func run(_ invocation: Invocation) throws {
        let (request, format, explain) = (invocation.request, invocation.format, invocation.explain)
        guard request.query.count <= maximumQueryLength else {
            throw UsageError(message: SearchJSON.queryTooLongMessage(request.query.count))
        }
        let store = try invocation.store ?? IndexStore(path: invocation.indexPath, access: .readOnly)
        // The process ends after the output: closing the read-only connection first (GRDB's
        // teardown, its statements and caches freed; 1.2 M instructions, 8% of a rare-word
        // search) would only delay the exit. A static keeps it, where an unused
        // `Unmanaged.passRetained` was optimized away and the store was closed all the same.
        openUntilExit.withLock { $0.append(store) }
        let searcher = Searcher(store: store)
        let response = try searcher.search(request)
        // Few hits: a better spelling; any count: the transliteration variants, if they find more.
        // Only the formats that show it pay for it.
        let suggestion = format == .json || format == .text ? searcher.suggestion(for: response) : nil
        switch format {
        case .json:
            var json = SearchJSON(response, explains: explain)
            json.suggestion = suggestion.map(SearchJSON.Suggestion.init)
            try JSONOutput.print(json)
        case .csv:
            for note in response.notes { printError("Note: \(note)") }
            FileHandle.standardOutput.write(Data(SearchCSV.table(response.hits).utf8))
        case .paths:
            for note in response.notes { printError("Note: \(note)") }
            for line in SearchPaths.lines(response.hits) { print(line) }
        case .text:
            let style = Style(enabled: invocation.color.enabled())
            printText(response, style: style, explain: explain)
            printFacets(response.facets, style: style)
            if let suggestion {
                let documents = "\(suggestion.total) document\(suggestion.total == 1 ? "" : "s")"
                let query = TerminalText.visible(suggestion.query)
                let line =
                    switch suggestion.kind {
                    case .spelling: "Did you mean: \(query) (\(documents))? trawl search '\(query)'"
                    case .variants: "Other spellings find more: trawl search '\(query)' (\(documents))."
                    }
                if response.total == 0 { printError(line) } else { print(style.dim(line)) }
            }
        }
        if response.hits.isEmpty { throw ExitStatus.partial }
    }

    private static func printText(_ response: SearchResponse, style: Style, explain: Bool) {
        for note in response.notes { printError("Note: \(note)") }
        if response.total == 0 {
            printError("No documents match \(Self.quoted(response.query)).")
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
            if let line = Self.duplicatesLine(hit) { print("   \(style.dim(line))") }
            print("")
        }
        let shown =
            response.hits.isEmpty ? "none" : "\(response.hits.first!.rank)–\(response.hits.last!.rank)"
        var counted = "\(response.total) matching document\(response.total == 1 ? "" : "s")"
        if let groups = response.groupTotal, groups < response.total {
            counted += " (\(groups) once near-duplicates are shown together)"
        }
        print(style.dim("\(counted); showing \(shown)."))
    }

    /// `+2 earlier versions: /path/update-1.txt (2025-11-20), /path/flash.txt (2025-11-20)`: the
    /// near-duplicates a hit stands for (nil when none); "other" when any of them is newer.
    static func duplicatesLine(_ hit: SearchHit) -> String? {
        guard !hit.duplicates.isEmpty else { return nil }
        let count = hit.duplicates.count
        let kind =
            hit.duplicates.allSatisfy { duplicate in
                guard let date = duplicate.date else { return true }
                return hit.date.map { date <= $0 } ?? false
            } ? "earlier" : "other"
        let list = hit.duplicates.map { "\($0.location) (\(DocumentJSON.shownDay($0.date)))" }
        return TerminalText.visible(
            "+\(count) \(kind) version\(count == 1 ? "" : "s"): " + list.joined(separator: ", "))
    }

    /// `source: Reuters 12 · AFP 3 (+4 more)`, one line per facet asked for.
    private static func printFacets(_ facets: [FacetCounts], style: Style) {
        guard !facets.isEmpty else { return }
        print("")
        for counts in facets {
            var values = counts.values.map { "\(TerminalText.visible($0.value)) \($0.count)" }
                .joined(separator: " · ")
            if values.isEmpty { values = style.dim("(none)") }
            let more = counts.distinctValues - counts.values.count
            print(
                style.bold(counts.facet.rawValue + ":") + " " + values
                    + (more > 0 ? style.dim(" (+\(more) more)") : ""))
        }
    }

    /// At most the first 80 characters of `query`, with `…` when cut: what a message quotes of it.
    static func quoted(_ query: String) -> String {
        query.count <= 80 ? query : String(query.prefix(80)) + "…"
    }

    /// `path · 2025-11-18 · author · source` (`undated` for no date): where a hit is and what it
    /// says about itself.
    static func sourceLine(_ hit: SearchHit) -> String {
        var parts = [hit.path, DocumentJSON.shownDay(hit.date)]
        if !hit.metadata.author.isEmpty { parts.append(hit.metadata.author) }
        if !hit.metadata.source.isEmpty { parts.append(hit.metadata.source) }
        return TerminalText.visible(parts.joined(separator: " · "))
    }

    /// `score 7.412 = bm25 title 3.100 + bm25 body 4.012 + bm25 meta 0.000 + proximity 0.300
    /// + coordination 0.000 + recency 0.000 (2/2 terms)` (one line)
    static func explanationText(_ hit: SearchHit) -> String {
        guard let parts = hit.explanation else {
            return String(format: "score %.3f = fts5 bm25()", hit.score)
        }
        return String(
            format: "score %.3f = bm25 title %.3f + bm25 body %.3f + bm25 meta %.3f + proximity %.3f"
                + " + coordination %.3f + recency %.3f (%d/%d terms)",
            parts.total, parts.bm25Title, parts.bm25Body, parts.bm25Meta, parts.proximity, parts.coordination,
            parts.recency, parts.matchedTerms, parts.queryTerms)
    }
}

/// `--facets source,year`: the facets to count, in the order given, each once.
struct FacetList: ExpressibleByArgument {
    var facets: [DocumentFacet]

    init?(argument: String) {
        var facets: [DocumentFacet] = []
        for name in argument.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = name.trimmingCharacters(in: .whitespaces).lowercased()
            guard let facet = DocumentFacet(rawValue: trimmed == "language" ? "lang" : trimmed) else {
                return nil
            }
            if !facets.contains(facet) { facets.append(facet) }
        }
        self.facets = facets
    }

    static var allValueStrings: [String] { DocumentFacet.allCases.map(\.rawValue) }
}
