@_spi(Benchmark) import TrawlIndex

/// A parsed `trawl-bench` command line.
struct BenchCommand {
    /// What to measure.
    enum Benchmark {
        /// `tokenize <dir> [--passes N]`: Trawl's tokenizer alone over pre-loaded texts.
        case tokenize(folder: String, passes: Int)
        /// `fts-insert <dir> --tokenizer trawl|trawl-plain|trawl-replay|builtin|builtin-replay [--runs N] [--db PATH]`: an FTS5 insert.
        case ftsInsert(
            folder: String, tokenizer: FTS5InsertProbe.TokenizerChoice, runs: Int, database: String?)
        /// `fts-size <dir>`: FTS5 index sizes with and without Trawl's colocated terms.
        case ftsSize(folder: String)
        /// `warm-search <db> <query>... [--runs N] [--collapse on|off] [--order repeat|cycle]`:
        /// queries run in-process on an open index, near-duplicates collapsed (the default) or
        /// not, each query `runs` times in a row (`repeat`, the default) or the list `runs` times
        /// over (`cycle`, as a server's load alternates them).
        case warmSearch(database: String, queries: [String], runs: Int, collapses: Bool, cycles: Bool)
        /// `terms <dir>`: every file's terms and positions as Trawl indexes them (JSON Lines).
        case terms(folder: String)
        /// `query-terms <text>...`: each text's terms and positions (JSON Lines).
        case queryTerms(texts: [String])
    }

    static let usage = """
        usage: trawl-bench tokenize <dir> [--passes N] [--json]
               trawl-bench fts-insert <dir> --tokenizer trawl|trawl-plain|trawl-replay|builtin|builtin-replay [--runs N] [--db PATH] [--json]
               trawl-bench fts-size <dir> [--json]
               trawl-bench warm-search <db> <query>... [--runs N] [--collapse on|off] [--order repeat|cycle] [--json]
               trawl-bench terms <dir>
               trawl-bench query-terms <text>...
        """

    var benchmark: Benchmark
    /// Print one JSON object instead of a line of text.
    var json: Bool

    /// Parses `arguments` (without the program name).
    init(arguments: [String]) throws(BenchError) {
        guard let name = arguments.first else { throw .usage("Name a benchmark.") }
        var positional: [String] = []
        var options: [String: String] = [:]
        var json = false
        var rest = arguments.dropFirst()
        while let argument = rest.popFirst() {
            if argument == "--json" {
                json = true
            } else if argument.hasPrefix("--") {
                guard let value = rest.popFirst() else { throw .usage("\(argument) needs a value.") }
                options[String(argument.dropFirst(2))] = value
            } else {
                positional.append(argument)
            }
        }
        self.json = json
        func count(_ option: String, default fallback: Int) throws(BenchError) -> Int {
            guard let text = options.removeValue(forKey: option) else { return fallback }
            guard let value = Int(text), value >= 1 else {
                throw .usage("--\(option) must be a positive number.")
            }
            return value
        }
        switch name {
        case "tokenize":
            guard positional.count == 1 else { throw .usage("tokenize takes one folder.") }
            benchmark = .tokenize(folder: positional[0], passes: try count("passes", default: 5))
        case "fts-insert":
            guard positional.count == 1 else { throw .usage("fts-insert takes one folder.") }
            guard
                let choice = options.removeValue(forKey: "tokenizer").flatMap(
                    FTS5InsertProbe.TokenizerChoice.init)
            else {
                throw .usage(
                    "fts-insert needs --tokenizer trawl, trawl-plain, trawl-replay, builtin or builtin-replay."
                )
            }
            let runs = try count("runs", default: 1)
            benchmark = .ftsInsert(
                folder: positional[0], tokenizer: choice, runs: runs,
                database: options.removeValue(forKey: "db"))
        case "fts-size":
            guard positional.count == 1 else { throw .usage("fts-size takes one folder.") }
            benchmark = .ftsSize(folder: positional[0])
        case "warm-search":
            guard positional.count >= 2 else {
                throw .usage("warm-search takes an index and at least one query.")
            }
            benchmark = .warmSearch(
                database: positional[0], queries: Array(positional.dropFirst()),
                runs: try count("runs", default: 20),
                collapses: try Self.collapse(options.removeValue(forKey: "collapse")),
                cycles: try Self.cycles(options.removeValue(forKey: "order")))
        case "terms":
            guard positional.count == 1 else { throw .usage("terms takes one folder.") }
            benchmark = .terms(folder: positional[0])
        case "query-terms":
            guard !positional.isEmpty else { throw .usage("query-terms takes at least one text.") }
            benchmark = .queryTerms(texts: positional)
        default:
            throw .usage("Unknown benchmark \(name).")
        }
        if let unknown = options.keys.sorted().first {
            throw .usage("Unknown option --\(unknown) for \(name).")
        }
    }

    /// `--order repeat|cycle` (absent: repeat).
    private static func cycles(_ value: String?) throws(BenchError) -> Bool {
        switch value {
        case nil, "repeat": return false
        case "cycle": return true
        default: throw .usage("--order takes repeat or cycle.")
        }
    }

    /// `--collapse on|off` (absent: on).
    private static func collapse(_ value: String?) throws(BenchError) -> Bool {
        switch value {
        case nil, "on": return true
        case "off": return false
        default: throw .usage("--collapse takes on or off.")
        }
    }
}
