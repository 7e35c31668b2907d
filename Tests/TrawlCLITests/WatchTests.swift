import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Issue 14: what is new since the last run — run ids, `trawl changes`, `--new`,
/// `--indexed-since`, relative dates, and saved searches that report new matches once.
@Suite(.serialized) struct WatchTests {
    let folder: URL
    let docs: URL
    let db: String

    init() throws {
        folder = try TrawlBinary.temporaryFolder()
        docs = folder.appendingPathComponent("docs")
        db = folder.appendingPathComponent("index.sqlite").path
        try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
    }

    @discardableResult
    func trawl(_ arguments: [String]) throws -> TrawlBinary.Outcome {
        try TrawlBinary.run(arguments + ["--db", db])
    }

    func index(_ extra: [String] = []) throws -> TrawlBinary.Outcome {
        try trawl(["index", docs.path, "--quiet"] + extra)
    }

    func path(_ name: String) -> String { docs.appendingPathComponent(name).path }

    /// A report dated today by a `Date:` header (a report without one is undated, and `--since`
    /// leaves undated documents out).
    static func datedToday(_ title: String, _ body: String) -> String {
        "\(title)\nDate: \(ISO8601DateFormatter().string(from: Date()))\n\n\(body)\n"
    }

    /// The paths of a `--format json` watch run, by watch name.
    func reported(_ outcome: TrawlBinary.Outcome) throws -> [String: [String]] {
        let run = try JSONDecoder().decode(WatchRunOutput.self, from: Data(outcome.stdout.utf8))
        return Dictionary(uniqueKeysWithValues: run.watches.map { ($0.name, $0.new.map(\.path)) })
    }

    @Test func aWatchReportsDocumentsIndexedAfterItWasAddedOnceAndPrintsNothingWhenNothingIsNew() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try docs.write("Oil tanker attacked\nAn oil tanker was attacked near Hormuz.\n", to: "a.txt")
        try docs.write("Wheat prices rise\nWheat futures climbed.\n", to: "b.txt")
        #expect(try index().status == 0)
        #expect(try trawl(["watch", "add", "oil", "oil", "tanker"]).status == 0)
        // Existing documents are not new to it.
        let first = try trawl(["watch", "run"])
        #expect(first.status == 0 && first.stdout.isEmpty && first.stderr.isEmpty)
        try docs.write("Second oil tanker seized\nAnother oil tanker was seized.\n", to: "c.txt")
        try docs.write("Grain corridor reopens\nShips carry grain again.\n", to: "d.txt")
        let digest = try index(["--watch"])
        #expect(digest.status == 0)
        #expect(digest.stdout.contains("== watch oil (oil tanker): 1 new =="))
        #expect(digest.stdout.contains("Second oil tanker seized"))
        #expect(digest.stdout.contains(path("c.txt")))
        #expect(!digest.stdout.contains(path("a.txt")) && !digest.stdout.contains("Grain"))
        // Reported once: the next runs print nothing, so cron sends no mail.
        #expect(try index(["--watch"]).stdout.isEmpty)
        #expect(try trawl(["watch", "run"]).stdout.isEmpty)
    }

    @Test func includeExistingReportsTheCurrentMatchesOnTheFirstRun() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try docs.write("Oil tanker attacked\nAn oil tanker was attacked.\n", to: "a.txt")
        try docs.write("Oil tanker freed\nThe oil tanker sailed on.\n", to: "b.txt")
        #expect(try index().status == 0)
        #expect(try trawl(["watch", "add", "all", "oil", "tanker", "--include-existing"]).status == 0)
        #expect(try trawl(["watch", "add", "fresh", "oil", "tanker"]).status == 0)
        let run = try reported(trawl(["watch", "run", "--format", "json"]))
        #expect(Set(run["all"] ?? []) == [path("a.txt"), path("b.txt")])
        #expect(run["fresh"] == nil)
        #expect(try reported(trawl(["watch", "run", "--format", "json"])).isEmpty)
    }

    @Test func aChangedDocumentIsReportedAgainOnlyWhenItsTextChanged() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try docs.write("Quiet day\nNothing happened.\n", to: "a.txt")
        #expect(try index().status == 0)
        #expect(try trawl(["watch", "add", "oil", "oil"]).status == 0)
        try docs.write("Oil tanker attacked\nAn oil tanker was attacked.\n", to: "c.txt")
        #expect(try index(["--watch"]).stdout.contains("Oil tanker attacked"))
        // Only the modification time changes: not reported.
        let later = Date().addingTimeInterval(120)
        try FileManager.default.setAttributes([.modificationDate: later], ofItemAtPath: path("c.txt"))
        #expect(try index(["--watch"]).stdout.isEmpty)
        // The body changes and still matches: reported again, marked as changed.
        try docs.write("Oil tanker attacked\nAn oil tanker was attacked; the crew is safe.\n", to: "c.txt")
        let changed = try index(["--watch"])
        #expect(changed.stdout.contains("changed: Oil tanker attacked"))
        // An existing document edited so that it now matches is new to the watch.
        try docs.write("Quiet day\nNothing happened, but oil prices rose.\n", to: "a.txt")
        let now = try reported(trawl(["watch", "run", "--format", "json"]))
        #expect(now.isEmpty)  // index has not run yet: nothing new
        let edited = try index(["--watch"]).stdout
        #expect(edited.contains("Quiet day") && !edited.contains("changed: Quiet day"))
    }

    @Test func removingAWatchForgetsWhatItReported() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try docs.write("Oil tanker attacked\nAn oil tanker was attacked.\n", to: "a.txt")
        #expect(try index().status == 0)
        #expect(try trawl(["watch", "add", "oil", "oil", "--include-existing"]).status == 0)
        #expect(try trawl(["watch", "run"]).stdout.contains("Oil tanker attacked"))
        #expect(try trawl(["watch", "list"]).stdout.contains("oil  oil"))
        #expect(try trawl(["watch", "remove", "oil"]).status == 0)
        #expect(try trawl(["watch", "list"]).stdout.contains("no watches"))
        let missing = try trawl(["watch", "remove", "oil"])
        #expect(missing.status == 2 && missing.stderr.contains("There is no watch named ‘oil’"))
        #expect(try trawl(["watch", "add", "oil", "oil", "--include-existing"]).status == 0)
        #expect(try trawl(["watch", "run"]).stdout.contains("Oil tanker attacked"))
    }

    @Test func aWatchWhoseQueryNoLongerParsesIsReportedOnceAndTheOthersStillRun() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try docs.write("Quiet day\nNothing happened.\n", to: "a.txt")
        #expect(try index().status == 0)
        #expect(try trawl(["watch", "add", "broken", "oil"]).status == 0)
        #expect(try trawl(["watch", "add", "works", "oil"]).status == 0)
        // As if an upgrade read the stored query differently: it no longer parses.
        let edit = try Shell.run(
            """
            if command -v sqlite3 >/dev/null; then sqlite3 "$DB" "UPDATE watch SET query = 'title:(oil' WHERE name = 'broken'"
            else python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("UPDATE watch SET query = ? WHERE name = ?", ("title:(oil", "broken")); c.commit()' "$DB"; fi
            """, environment: ["DB": db])
        #expect(edit.status == 0, "\(edit.stderr)")
        try docs.write("Oil tanker attacked\nAn oil tanker was attacked.\n", to: "c.txt")
        let first = try index(["--watch"])
        #expect(first.status == 1)
        #expect(
            first.stdout.contains(
                "== watch broken (title:(oil): cannot run, skipped until it is removed: Missing closing parenthesis"
            ))
        #expect(first.stdout.contains("== watch works (oil): 1 new =="))
        try docs.write("Oil tanker freed\nThe oil tanker sailed on.\n", to: "d.txt")
        let second = try index(["--watch"])
        #expect(second.status == 0)
        #expect(!second.stdout.contains("broken"))
        #expect(second.stdout.contains("Oil tanker freed"))
        #expect(try trawl(["watch", "list"]).stdout.contains("cannot run: Missing closing parenthesis"))
    }

    @Test func watchShowListsTheCurrentMatchesAndAddRefusesABadQueryOrName() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try docs.write(Self.datedToday("Oil tanker attacked", "An oil tanker was attacked."), to: "a.txt")
        try docs.write("Wheat prices rise\nWheat futures climbed.\n", to: "b.txt")
        #expect(try index().status == 0)
        #expect(try trawl(["watch", "add", "oil", "oil", "--sort", "date", "--since", "30d"]).status == 0)
        let show = try trawl(["watch", "show", "oil", "--format", "paths"])
        #expect(show.status == 0 && show.stdout == path("a.txt") + "\n")
        #expect(try trawl(["watch", "list"]).stdout.contains("oil  oil  --since 30d --sort date"))
        let bad = try trawl(["watch", "add", "bad", "title:(oil"])
        #expect(bad.status == 2 && bad.stderr.contains("Missing closing parenthesis"))
        #expect(try trawl(["watch", "add", "../x", "oil"]).status == 2)
        #expect(try trawl(["watch", "add", "oil", "wheat"]).stderr.contains("exists already"))
        #expect(try trawl(["watch", "show", "nothing"]).status == 2)
    }

    @Test(.enabled(if: OtherUser.available, OtherUser.reason))
    func watchShowWorksOnAReadOnlyIndexAndWatchRunSaysItNeedsToWrite() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try docs.write("Oil tanker attacked\nAn oil tanker was attacked.\n", to: "a.txt")
        #expect(try index().status == 0)
        #expect(try trawl(["watch", "add", "oil", "oil"]).status == 0)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: db)
        let show = try TrawlBinary.run(
            ["watch", "show", "oil", "--db", db, "--format", "paths"], launcher: OtherUser.launcher)
        #expect(show.status == 0 && show.stdout == path("a.txt") + "\n", "\(show.stderr)")
        let run = try TrawlBinary.run(["watch", "run", "--db", db], launcher: OtherUser.launcher)
        #expect(run.status == 2)
        #expect(run.stderr.contains("is read-only: `trawl watch run` remembers what it reported"))
    }

    @Test func runsHaveIdsAndChangesListsWhatARunDid() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try docs.write("Alpha\nFirst text.\n", to: "a.txt")
        try docs.write("Beta\nSecond text.\n", to: "b.txt")
        try docs.write("Gamma\nThird text.\n", to: "c.txt")
        #expect(try index().status == 0)
        try docs.write("Beta\nSecond text, edited.\n", to: "b.txt")
        try FileManager.default.moveItem(atPath: path("c.txt"), toPath: path("moved.txt"))
        try FileManager.default.removeItem(atPath: path("a.txt"))
        try docs.write("Delta\nFourth text.\n", to: "d.txt")
        #expect(try trawl(["index", docs.path, "--quiet", "--force"]).status == 0)
        let status = try trawl(["status"]).stdout
        #expect(status.contains("  run 2  ") && status.contains("  run 1  "))
        let changes = try trawl(["changes"]).stdout.split(separator: "\n").map(String.init)
        #expect(
            Set(changes) == [
                "added    \(path("d.txt"))  Delta", "updated  \(path("b.txt"))  Beta",
                "moved    \(path("c.txt")) -> \(path("moved.txt"))  Gamma",
                "removed  \(path("a.txt"))  Alpha",
            ])
        let first = try JSONDecoder().decode(
            ChangesOutput.self, from: Data(trawl(["changes", "--run", "1", "--format", "json"]).stdout.utf8))
        #expect(first.run == 1 && first.changes.map(\.kind) == ["added", "added", "added"])
        #expect(Set(first.changes.map(\.title)) == ["Alpha", "Beta", "Gamma"])
        let none = try trawl(["changes", "--run", "9"])
        #expect(none.status == 2 && none.stderr.contains("There is no index run 9; runs are numbered 1 to 2"))
    }

    @Test func newAndIndexedSinceCombineWithQueriesFiltersAndSort() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try docs.write(Self.datedToday("Oil first", "Oil report one."), to: "a.txt")
        try docs.write("Wheat first\nWheat report.\n", to: "b.txt")
        #expect(try index().status == 0)
        try docs.write(Self.datedToday("Oil second", "Oil report two."), to: "c.txt")
        try docs.write("Wheat first\nWheat report, edited.\n", to: "b.txt")
        #expect(try index().status == 0)
        func paths(_ arguments: [String]) throws -> [String] {
            try trawl(["search"] + arguments + ["-l"]).stdout.split(separator: "\n").map(String.init)
        }
        #expect(Set(try paths(["--new"])) == [path("b.txt"), path("c.txt")])
        #expect(try paths(["oil", "--new"]) == [path("c.txt")])
        #expect(try paths(["oil", "--indexed-since", "last-run"]) == [path("c.txt")])
        #expect(Set(try paths(["oil", "--indexed-since", "1"])) == [path("a.txt"), path("c.txt")])
        #expect(
            Set(try paths(["report", "--indexed-since", "2", "--sort", "date"])) == [
                path("b.txt"), path("c.txt"),
            ])
        #expect(try paths(["report", "path:c.txt", "--indexed-since", "2"]) == [path("c.txt")])
        #expect(try paths(["oil", "--indexed-since", "1h", "--since", "7d"]).count == 2)
        #expect(try trawl(["search", "oil", "--indexed-since", "99"]).status == 2)
        #expect(try trawl(["search", "oil", "--indexed-since", "soon"]).status == 2)
    }

    @Test func relativeDatesAreReadWhereverADateIsTaken() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let old = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-30 * 86_400))
        try docs.write("Old report\nDate: \(old)\n\nHarbour news.\n", to: "old.txt")
        try docs.write(Self.datedToday("New report", "Harbour news."), to: "new.txt")
        #expect(try index().status == 0)
        func paths(_ arguments: [String]) throws -> [String] {
            try trawl(["search"] + arguments + ["-l"]).stdout.split(separator: "\n").map(String.init)
        }
        #expect(try paths(["harbour", "--since", "7d"]) == [path("new.txt")])
        #expect(try paths(["harbour", "--since", "24h"]) == [path("new.txt")])
        #expect(try paths(["harbour", "--since", "yesterday"]) == [path("new.txt")])
        #expect(try paths(["harbour", "--until", "7d"]) == [path("old.txt")])
        #expect(try paths(["harbour", "--since", "5w"]).count == 2)
        #expect(try paths(["--until", "today"]).count == 2)
        #expect(try trawl(["search", "harbour", "--since", "7x"]).status == 2)
    }

    @Test func cronPrintsALineThatIndexesAndReports() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let cron = try trawl(["cron", "--every", "1d", docs.path]).stdout
        let line = cron.split(separator: "\n").first { $0.contains(" index --quiet --watch --db ") }
        #expect(line?.hasPrefix("0 3 * * * ") == true)
        #expect(line?.hasSuffix(" \(docs.path)") == true)
    }

    @Test func feedsAreWrittenWholeWithStableEntryIdsAndPassAnAtomSchemaAndAFeedReader() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let feeds = folder.appendingPathComponent("feeds")
        try docs.write("Quiet day\nNothing happened.\n", to: "a.txt")
        #expect(try index().status == 0)
        #expect(try trawl(["watch", "add", "oil", "oil"]).status == 0)
        #expect(try trawl(["watch", "add", "grain", "grain"]).status == 0)
        #expect(try index(["--watch", "--feed", feeds.path]).stdout.isEmpty)
        try docs.write("Oil & gas <update>\nOil \u{1} tanker \"seized\" & freed.\n", to: "c.txt")
        try docs.write("Oil again\nOil, again.\n", to: "d.txt")
        #expect(try index(["--watch", "--feed", feeds.path]).status == 0)
        let feed = try String(contentsOf: feeds.appendingPathComponent("oil.atom"), encoding: .utf8)
        #expect(feed.contains("<title>Oil &amp; gas &lt;update&gt;</title>"))
        let ids = feed.components(separatedBy: "<entry>").dropFirst().map { entry in
            entry.components(separatedBy: "<id>")[1].components(separatedBy: "</id>")[0]
        }
        #expect(ids.count == 2 && ids.allSatisfy { $0.hasPrefix("tag:trawl,2026:watch/") })
        #expect(FileManager.default.fileExists(atPath: feeds.appendingPathComponent("grain.atom").path))
        // Another report later keeps the earlier entries with the same ids.
        try docs.write("Oil third\nOil once more.\n", to: "e.txt")
        #expect(try index(["--watch", "--feed", feeds.path]).status == 0)
        let later = try String(contentsOf: feeds.appendingPathComponent("oil.atom"), encoding: .utf8)
        #expect(ids.allSatisfy { later.contains("<id>\($0)</id>") })
        #expect(later.components(separatedBy: "<entry>").count == 4)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: feeds.path).filter {
            !$0.hasSuffix(".atom")
        }
        #expect(leftovers.isEmpty)
        // xmllint against the RELAX NG schema in scripts/atom.rng, and Python's feedparser.
        let check = try Shell.run("scripts/check-feeds \"$FEEDS\"", environment: ["FEEDS": feeds.path])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("oil.atom: valid (3 entries)"))
    }
}

/// The decoded `trawl watch run --format json` contract.
struct WatchRunOutput: Decodable {
    struct Watch: Decodable {
        var name: String
        var error: String?
        var new: [Entry]
    }

    struct Entry: Decodable {
        var id: String
        var path: String
        var title: String
        var changed: Bool
    }

    var watches: [Watch]
}

/// The decoded `trawl changes --format json` contract.
struct ChangesOutput: Decodable {
    struct Change: Decodable {
        var kind: String
        var path: String
        var title: String
        var from: String?
    }

    var run: Int64
    var changes: [Change]
}
