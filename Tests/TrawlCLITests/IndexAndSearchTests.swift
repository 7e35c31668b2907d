import Foundation
import Testing

/// End-to-end behaviour of `trawl index` and `trawl search` on small folders written by the test.
@Suite struct IndexAndSearchTests {
    let folder: URL
    let db: String

    init() throws {
        folder = try TrawlBinary.temporaryFolder()
        db = folder.appendingPathComponent("index.sqlite").path
        try folder.write(
            "Oil sanctions tighten\n\nBEIRUT, Nov 18 - New oil sanctions took effect on Tuesday, officials said.\n",
            to: "docs/oil-sanctions.txt")
        try folder.write(
            "Weekly market note\n\nPrices rose. Much later in a long note, the word oil appears, and sanctions "
                + "are mentioned far away from it in another sentence entirely.\n",
            to: "docs/market/note.txt")
        try folder.write(
            "# Grain corridor reopens\n\nShips moved through the grain corridor again.\n", to: "docs/grain.md"
        )
        try folder.write("ignored because of its extension\n", to: "docs/data.csv")
    }

    func index(_ extra: [String] = []) throws -> TrawlBinary.Outcome {
        try TrawlBinary.run(["index", folder.appendingPathComponent("docs").path, "--db", db] + extra)
    }

    func search(_ query: String, _ extra: [String] = []) throws -> TrawlBinary.Outcome {
        try TrawlBinary.run(["search", query, "--db", db] + extra)
    }

    @Test func indexPrintsOneSummaryLineWithCounts() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try index()
        #expect(outcome.status == 0)
        #expect(
            outcome.stdout.hasPrefix(
                "3 added, 0 updated, 0 moved, 0 removed, 0 unchanged, 0 skipped, 0 failed in "))
        // data.csv is not read, and says so once (issue 15: nothing skipped in silence).
        #expect(
            outcome.stdout.split(separator: "\n").dropFirst()
                == ["1 file of types Trawl does not read: .csv 1 — see trawl status"])
        #expect(try index().stdout.split(separator: "\n").count == 1)
    }

    @Test func reindexSkipsUnchangedAndPicksUpChangesMovesAndDeletions() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try index()
        #expect(try index().stdout.hasPrefix("0 added, 0 updated, 0 moved, 0 removed, 3 unchanged"))

        let docs = folder.appendingPathComponent("docs")
        try docs.write("Grain corridor closes\n\nThe corridor closed after strikes.\n", to: "grain.md")
        try FileManager.default.moveItem(
            at: docs.appendingPathComponent("market/note.txt"),
            to: docs.appendingPathComponent("moved-note.txt"))
        try docs.write("Fresh report\n\nDesalination plants expand.\n", to: "new.txt")
        try FileManager.default.removeItem(at: docs.appendingPathComponent("oil-sanctions.txt"))
        let outcome = try index()
        #expect(
            outcome.stdout.hasPrefix("1 added, 1 updated, 1 moved, 1 removed, 0 unchanged"),
            "\(outcome.stdout)")

        let moved = try SearchOutput(json: search("prices", ["--format", "json"]).stdout)
        #expect(moved.results.map(\.path) == [docs.appendingPathComponent("moved-note.txt").path])
        #expect(try search("desalination").status == 0)
        #expect(try search("tuesday").status == 1, "a deleted file must not be found")
        let updated = try SearchOutput(json: search("corridor", ["--format", "json"]).stdout)
        #expect(updated.results.map(\.title) == ["Grain corridor closes"])
    }

    @Test func titleMatchesRankAboveBodyOnlyMatches() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try index()
        let output = try SearchOutput(json: search("oil sanctions", ["--format", "json"]).stdout)
        #expect(output.total == 2)
        #expect(output.results.map(\.title) == ["Oil sanctions tighten", "Weekly market note"])
        #expect(output.results.map(\.rank) == [1, 2])
        #expect(output.results[0].score > output.results[1].score)
    }

    @Test func jsonSnippetHighlightsAreTheMatchedWords() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try index()
        let output = try SearchOutput(json: search("sanctions", ["--format", "json"]).stdout)
        let first = try #require(output.results.first)
        #expect(first.path == folder.appendingPathComponent("docs/oil-sanctions.txt").path)
        #expect(first.snippet == "BEIRUT, Nov 18 - New oil sanctions took effect on Tuesday, officials said.")
        #expect(first.highlightedText == ["sanctions"])
        #expect(output.query == "sanctions")
    }

    @Test func textOutputMarksMatchesWithoutColourAndShowsPath() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try index()
        let outcome = try search("corridor", ["--color", "never"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("1. Grain corridor reopens"))
        #expect(outcome.stdout.contains(folder.appendingPathComponent("docs/grain.md").path))
        #expect(outcome.stdout.contains("Ships moved through the grain [corridor] again."))
        #expect(!outcome.stdout.contains("\u{1B}["))
    }

    @Test func colourFollowsColorOptionAndNoColor() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try index()
        #expect(
            try search("corridor", ["--color", "always"]).stdout.contains("\u{1B}[1;33mcorridor\u{1B}[0m"))
        let noColor = try TrawlBinary.run(
            ["search", "corridor", "--db", db, "--color", "auto"], environment: ["NO_COLOR": "1"])
        #expect(!noColor.stdout.contains("\u{1B}["))
    }

    @Test func noHitsExitsOneAndSaysSo() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try index()
        let outcome = try search("zanzibar")
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("No documents match zanzibar."))
        let json = try search("zanzibar", ["--format", "json"])
        #expect(json.status == 1)
        #expect(try SearchOutput(json: json.stdout).total == 0)
    }

    @Test func limitAndOffsetPageThroughResults() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try index()
        let second = try SearchOutput(
            json: search("oil", ["--format", "json", "--limit", "1", "--offset", "1"]).stdout)
        #expect(second.total == 2)
        #expect(second.results.map(\.rank) == [2])
        #expect(second.results.map(\.title) == ["Weekly market note"])
    }

    @Test(arguments: [
        ("\"", "Missing closing quote (opened at column 1)."),
        ("(oil", "Missing closing parenthesis (opened at column 1)."),
        ("", "The query has no words to search for."),
    ])
    func uninterpretableQueriesExitTwoWithAMessage(query: String, message: String) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try index()
        let outcome = try search(query)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains(message), "\(outcome.stderr)")
    }

    @Test(arguments: [
        "U.S.", "al-Sudani", "Tehran’s", "don't", "AT&T", "C++", "\"", "(", ")", "OR", "NOT", "-", "*",
        "a OR", "\"unclosed phrase", "title:", "oil)", "((oil", "oil AND", "NEAR(oil sanctions)", "oil^2",
        "col:oil", "{title}: oil", "\u{1F600}", "'", "''", "\\", "%", "oil*sanctions", "**", "-oil",
    ])
    func hostileInputNeverSurfacesAnSQLiteError(query: String) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try index()
        let outcome = try search(query)
        #expect([0, 1, 2].contains(outcome.status), "\(query): \(outcome.status) \(outcome.stderr)")
        for leak in ["SQLite", "sqlite", "fts5", "syntax error", "no such column", "unterminated"] {
            #expect(!outcome.stderr.contains(leak), "\(query) leaked: \(outcome.stderr)")
        }
    }

    @Test func searchingWithoutAnIndexExplainsWhatToDo() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try search("oil")
        #expect(outcome.status == 74)
        #expect(outcome.stderr.contains("No index at \(db) yet; run `trawl index <folder>` first"))
    }

    @Test func aFileThatIsNotAnIndexIsLeftAlone() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let notes = folder.appendingPathComponent("notes.sqlite")
        try "precious notes, not a database".write(to: notes, atomically: true, encoding: .utf8)
        let outcome = try TrawlBinary.run([
            "index", folder.appendingPathComponent("docs").path, "--db", notes.path,
        ])
        #expect(outcome.status == 74)
        #expect(outcome.stderr.contains("is not a Trawl index"))
        #expect(try String(contentsOf: notes, encoding: .utf8) == "precious notes, not a database")
    }

    @Test func indexLocationComesFromTrawlDBThenXDGDataHome() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let docs = folder.appendingPathComponent("docs").path
        let fromEnvironment = folder.appendingPathComponent("env.sqlite").path
        #expect(try TrawlBinary.run(["index", docs], environment: ["TRAWL_DB": fromEnvironment]).status == 0)
        #expect(FileManager.default.fileExists(atPath: fromEnvironment))
        let dataHome = folder.appendingPathComponent("xdg").path
        #expect(try TrawlBinary.run(["index", docs], environment: ["XDG_DATA_HOME": dataHome]).status == 0)
        #expect(FileManager.default.fileExists(atPath: dataHome + "/trawl/index.sqlite"))
    }

    @Test func missingFolderIsReportedAndRemovesNothing() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try index()
        let missing = folder.appendingPathComponent("unmounted").path
        let outcome = try TrawlBinary.run(["index", missing, "--db", db])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("\(missing): folder not found; nothing under it was removed"))
        #expect(try SearchOutput(json: search("oil", ["--format", "json"]).stdout).total == 2)
    }

    @Test func statsReportsDocumentsAndLastRun() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try index()
        let outcome = try TrawlBinary.run(["stats", "--db", db, "--format", "json"])
        #expect(outcome.status == 0)
        struct Stats: Decodable {
            struct Run: Decodable { var added: Int }
            var documents: Int
            var distinctTerms: Int
            var textBytes: Int
            var indexFileBytes: Int
            var lastRun: Run?
        }
        let stats = try JSONDecoder().decode(Stats.self, from: Data(outcome.stdout.utf8))
        #expect(stats.documents == 3)
        #expect(stats.distinctTerms > 20)
        #expect(stats.textBytes > 200)
        #expect(stats.indexFileBytes > 0)
        #expect(stats.lastRun?.added == 3)
    }

    @Test func usageErrorsExitTwo() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try TrawlBinary.run(["search"]).status == 2)
        #expect(try TrawlBinary.run(["index"]).status == 2)
        #expect(try TrawlBinary.run(["frobnicate"]).status == 2)
        #expect(try TrawlBinary.run(["search", "oil", "--limit", "0", "--db", db]).status == 2)
        #expect(try TrawlBinary.run(["--help"]).status == 0)
    }

    @Test func documentsWithEveryWordComeFirstThenThoseWithSomeOfThem() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try index()
        struct Counts: Decodable {
            var total: Int
            var totalAllWords: Int?
            var matching: String
            var results: [SearchOutput.Result]
        }
        let json = try search("grain corridor prices", ["--format", "json"])
        let counts = try JSONDecoder().decode(Counts.self, from: Data(json.stdout.utf8))
        #expect(counts.totalAllWords == 0)
        #expect(counts.matching == "any")
        #expect(counts.total == 2)
        #expect(counts.results.map(\.title) == ["Grain corridor reopens", "Weekly market note"])
        let text = try search("grain corridor prices", ["--color", "never"])
        #expect(
            text.stdout.hasPrefix("No document contains all of the words; showing those with most of them."))
        let strict = try search("grain corridor prices", ["--match", "all"])
        #expect(strict.status == 1)
    }

    @Test func aFewWordsMustAllMatchWhenEnoughDocumentsHaveThemAll() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try index()
        let json = try SearchOutput(
            json: search("oil sanctions", ["--format", "json", "--limit", "1"]).stdout)
        #expect(json.total == 2)
        #expect(json.results.map(\.title) == ["Oil sanctions tighten"])
    }
}
