import ArgumentParser
import Foundation
import TrawlAPI
import TrawlIndex
import TrawlSearch

/// `trawl watch add|list|remove|show|run`: saved searches that report what is new.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Saved searches: report the documents that newly match them after each index run.",
        discussion: """
            A watch is a query with its search options, stored in the index file (it travels with \
            it). `trawl watch run` (or `trawl index … --watch`) prints, for each watch, the documents \
            that match it and that it has not reported before: documents added since it last ran, \
            and documents whose title or body changed and that match now (a changed modification \
            time alone is not a change). It prints nothing when nothing is new, so cron sends no \
            mail. A report is remembered only after it was printed (and its feed written): a run \
            killed in between reports it again next time, with the same entry id (at-least-once). \
            A watch reports the documents its search finds as written: words that no document holds \
            together do not fall back to any word (give --match any for that).
            """,
        subcommands: [
            WatchAddCommand.self, WatchListCommand.self, WatchRemoveCommand.self, WatchShowCommand.self,
            WatchRunCommand.self,
        ])
}

/// The search options a watch keeps, as typed; read again on every run.
struct WatchSearchOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Only documents dated on or after this (2025-11-18, 7d, yesterday: relative dates are read on each run).",
            valueName: "date"))
    var since: String?

    @Option(name: .long, help: ArgumentHelp("Only documents dated on or before this.", valueName: "date"))
    var until: String?

    @Option(name: .long, help: "Order of the reported documents: relevance or date (newest first).")
    var sort: ResultOrder?

    @Option(name: .long, help: "How plain words combine: all (every word required) or any.")
    var match: MatchMode?

    func validate() throws {
        _ = try dates()
    }

    /// `--since` and `--until` read now.
    func dates() throws -> (since: Double?, until: Double?) {
        var range: (since: Double?, until: Double?) = (nil, nil)
        if let since {
            guard let date = DateArgument(argument: since) else {
                throw ValidationError(
                    "--since \(since): expected a date like 2025-11-18, 7d, 24h or yesterday.")
            }
            range.since = date.start
        }
        if let until {
            guard let date = DateArgument(argument: until) else {
                throw ValidationError("--until \(until): expected a date like 2025-11-18, today or 7d.")
            }
            range.until = date.end
        }
        if let since = range.since, let until = range.until, since >= until {
            throw ValidationError("--since must be earlier than --until.")
        }
        return range
    }

    /// The options as arguments, to store.
    var arguments: [String] {
        var arguments: [String] = []
        if let since { arguments += ["--since", since] }
        if let until { arguments += ["--until", until] }
        if let sort { arguments += ["--sort", sort.rawValue] }
        if let match { arguments += ["--match", match.rawValue] }
        return arguments
    }

    /// The request the watch's query and these options make.
    func request(query: String, limit: Int = 10) throws -> SearchRequest {
        var request = SearchRequest(query: query, limit: limit)
        (request.since, request.until) = try dates()
        request.sort = sort ?? .relevance
        if let match { request.wordJoin = match.wordJoin }
        request.relaxesToAnyWord = false
        return request
    }

    /// The request of a stored watch: its options read again, or why they cannot be.
    static func request(for watch: StoredWatch) -> Result<SearchRequest, WatchProblem> {
        do {
            let options = try WatchSearchOptions.parse(watch.options)
            return .success(try options.request(query: watch.query))
        } catch {
            return .failure(WatchProblem(WatchSearchOptions.message(for: error)))
        }
    }
}

/// A watch's name: letters, digits, `.`, `_` and `-` (it names its feed file).
enum WatchName {
    static func validate(_ name: String) throws {
        guard !name.isEmpty, name.count <= 64, !name.hasPrefix("."), !name.hasPrefix("-"),
            name.unicodeScalars.allSatisfy({
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0))
            })
        else {
            throw ValidationError(
                "Watch name ‘\(name)’: use 1 to 64 letters, digits, '.', '_' or '-' (not first: '.', '-'); it names the feed file."
            )
        }
    }

    /// The stored watch of that name, or a usage error naming the ones there are.
    static func find(_ name: String, in store: IndexStore) throws -> StoredWatch {
        let watches = try store.watches()
        guard let watch = watches.first(where: { $0.name == name }) else {
            let names = watches.map(\.name).joined(separator: ", ")
            throw UsageError(
                message: "There is no watch named ‘\(name)’ "
                    + (names.isEmpty
                        ? "(there are none; `trawl watch add` makes one)." : "(watches: \(names))."))
        }
        return watch
    }
}

/// `trawl watch add NAME QUERY…`
struct WatchAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Save a search as a watch; only documents indexed from now on are new to it.",
        discussion: """
            The query is written as for `trawl search` (filters such as tag:oil and path:levant \
            included). Documents already in the index are not reported as new unless \
            --include-existing is given (then the first run reports every current match).
            """)

    @Argument(help: ArgumentHelp("The watch's name (letters, digits, . _ -).", valueName: "name"))
    var name: String

    @Argument(help: ArgumentHelp("The query; several words are one query.", valueName: "query"))
    var words: [String] = []

    @OptionGroup var index: IndexOption

    @OptionGroup var options: WatchSearchOptions

    @Flag(name: .long, help: "Report the documents that match now on the first run, too.")
    var includeExisting = false

    var query: String { words.joined(separator: " ") }

    func validate() throws {
        try WatchName.validate(name)
        guard !query.allSatisfy(\.isWhitespace) else {
            throw ValidationError(
                "Missing query: give the words to watch for (trawl watch add oil oil tanker).")
        }
    }

    func run() throws {
        let store = try IndexStore(path: index.path, access: .readWrite)
        // The query must run now: a watch that cannot search is refused rather than saved.
        let matching = try Searcher(store: store).search(try options.request(query: query, limit: 1)).total
        guard
            try store.addWatch(
                name: name, query: query, options: options.arguments, includeExisting: includeExisting)
        else {
            throw UsageError(
                message: "A watch named ‘\(name)’ exists already (`trawl watch remove \(name)` first).")
        }
        print(
            TerminalText.visible(
                "Saved watch \(name): \(query)"
                    + (options.arguments.isEmpty ? "" : " " + options.arguments.joined(separator: " "))))
        print(
            includeExisting
                ? "The next `trawl watch run` reports the \(matching) document\(matching == 1 ? "" : "s") that match now."
                : "\(matching) document\(matching == 1 ? " matches" : "s match") now (`trawl watch show \(name)`); "
                    + "`trawl watch run` reports those indexed from now on.")
    }
}

/// `trawl watch list`
struct WatchListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the watches: name, query and options.")

    @OptionGroup var index: IndexOption

    @Option(name: .long, help: "Output format: text or json.")
    var format: OutputFormat = .text

    struct WatchJSON: Encodable {
        var name: String
        var query: String
        var options: [String]
        var created: String
        /// The error last reported for a watch that cannot run.
        var error: String?
    }

    func run() throws {
        let store = try IndexStore(path: index.path, access: .readOnly)
        let watches = try store.watches()
        switch format {
        case .json:
            try JSONOutput.print(
                watches.map {
                    WatchJSON(
                        name: $0.name, query: $0.query, options: $0.options,
                        created: DocumentJSON.instant($0.createdAt.timeIntervalSince1970), error: $0.broken)
                })
        case .text:
            if watches.isEmpty { print("no watches (`trawl watch add NAME QUERY` makes one)") }
            for watch in watches {
                let options = watch.options.isEmpty ? "" : "  " + watch.options.joined(separator: " ")
                print(TerminalText.visible("\(watch.name)  \(watch.query)\(options)"))
                if let broken = watch.broken { print(TerminalText.visible("  cannot run: \(broken)")) }
            }
        }
    }
}

/// `trawl watch remove NAME`
struct WatchRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove a watch and forget what it reported.")

    @Argument(help: ArgumentHelp("The watch's name.", valueName: "name"))
    var name: String

    @OptionGroup var index: IndexOption

    func run() throws {
        let store = try IndexStore(path: index.path, access: .readWrite)
        _ = try WatchName.find(name, in: store)
        _ = try store.removeWatch(named: name)
        print(TerminalText.visible("Removed watch \(name)."))
    }
}

/// `trawl watch show NAME`
struct WatchShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a watch's current matches, as `trawl search` would (works on a read-only index).",
        discussion: "Exit status: 0 matches found, 1 none, 2 the watch cannot run.")

    @Argument(help: ArgumentHelp("The watch's name.", valueName: "name"))
    var name: String

    @OptionGroup var index: IndexOption

    @Option(name: [.customShort("n"), .long], help: "How many results to show (at most 1,000).")
    var limit = 10

    @Option(name: .long, help: ArgumentHelp("Output format: text, json, csv or paths.", valueName: "format"))
    var format: SearchFormat = .text

    @Option(name: .long, help: "Colour: auto, always or never.")
    var color: ColorChoice = .auto

    func run() throws {
        let store = try IndexStore(path: index.path, access: .readOnly)
        let watch = try WatchName.find(name, in: store)
        switch WatchSearchOptions.request(for: watch) {
        case .failure(let problem):
            throw UsageError(message: "Watch \(name) cannot run: \(problem.message)")
        case .success(var request):
            request.limit = limit
            try SearchCommand.run(
                SearchCommand.Invocation(
                    request: request, indexPath: index.path, format: format, color: color, store: store))
        }
    }
}

/// `trawl watch run [NAME…]`
struct WatchRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Report, for each watch, the matching documents it has not reported; then remember them.",
        discussion: """
            Prints nothing when nothing is new (cron sends no mail). Needs to write the index (it \
            remembers what it reported). A watch whose query no longer runs is reported once with \
            its error and skipped; the others run. --feed DIR keeps one Atom feed per watch, \
            DIR/NAME.atom (its latest 100 entries; each entry's id never changes). \
            Exit status: 0 done; 1 a watch newly cannot run; 2 usage error; 74 the index cannot \
            be read or written.
            """)

    @Argument(help: ArgumentHelp("Watches to run (default: all).", valueName: "name"))
    var names: [String] = []

    @OptionGroup var index: IndexOption

    @Option(name: .long, help: "Output format: text (a digest, nothing when nothing is new) or json.")
    var format: OutputFormat = .text

    @Option(
        name: .long, help: ArgumentHelp("Write one Atom feed per watch into this folder.", valueName: "dir"))
    var feed: String?

    func run() throws {
        let store = try WatchReporter.openForWriting(index.path)
        let reporter = WatchReporter(store: store, format: format, feedFolder: feed)
        if try !reporter.run(names: names) { throw ExitStatus.partial }
    }
}
