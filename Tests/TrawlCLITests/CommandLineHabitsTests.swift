import Foundation
import Testing

/// Issue 18, "A command line that fits people's habits": one test per thing a new user hit,
/// through the `trawl` binary, on reports written here.
@Suite(.serialized)
struct CommandLineHabitsTests {
    let folder: URL
    let db: String

    init() throws {
        folder = try TrawlBinary.temporaryFolder()
        db = folder.appendingPathComponent("index.sqlite").path
        let reports = folder.appendingPathComponent("reports")
        try reports.write(
            "Iran talks resume in Vienna\nDate: 2025-11-18\n\nIran and the agency resumed talks on Tuesday.",
            to: "iran-talks.txt")
        try reports.write(
            "---\ntitle: Hezbollah, the state and the border\ndate: 2025-11-17\ntags: [opinion]\n---\n"
                + "An opinion on Hezbollah and the state.",
            to: "hezbollah-opinion.md")
        try reports.write(
            "---\ntitle: Hezbollah finance networks\ndate: 2025-11-19\nauthor: Rania Haddad\nsource: Wire\n---\n"
                + "Sanctions target Hezbollah finance networks and OPEC oil money.",
            to: "hezbollah-finance.md")
        try reports.write(
            "Hezbollah statement\nDate: 2025-11-19\n\nHezbollah issued a statement on the ceasefire.",
            to: "hezbollah-statement.txt")
        let outcome = try TrawlBinary.run(["index", reports.path, "--db", db])
        #expect(outcome.status == 0, "\(outcome.stderr)")
    }

    func trawl(_ arguments: [String], environment: [String: String] = [:]) throws -> TrawlBinary.Outcome {
        try TrawlBinary.run(arguments, environment: environment.merging(["TRAWL_DB": db]) { old, _ in old })
    }

    func names(_ paths: String) -> [String] {
        paths.split(separator: "\n").map {
            URL(fileURLWithPath: String($0)).deletingPathExtension().lastPathComponent
        }
    }

    @Test func severalWordsAfterSearchAreOneQuery() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let quoted = try trawl(["search", "Iran talks", "--format", "json"])
        let words = try trawl(["search", "Iran", "talks", "--format", "json"])
        // `--sort` is not an everyday option: this goes through swift-argument-parser.
        let parsed = try trawl(["search", "Iran", "--sort", "relevance", "talks", "--format", "json"])
        #expect(words.status == 0, "\(words.stderr)")
        #expect(try SearchOutput(json: words.stdout).query == "Iran talks")
        #expect(words.stdout == quoted.stdout)
        #expect(parsed.status == 0, "\(parsed.stderr)")
        #expect(parsed.stdout == quoted.stdout)
    }

    @Test func aQueryStartingWithADashIsSearchedNotReadAsOptions() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        for extra in [[], ["--sort", "relevance"]] {
            let excluded = try trawl(["search", "-tag:opinion Hezbollah", "-l"] + extra)
            #expect(excluded.status == 0, "\(excluded.stderr)")
            #expect(!excluded.stdout.contains("USAGE"))
            #expect(Set(names(excluded.stdout)) == ["hezbollah-finance", "hezbollah-statement"])
            let word = try trawl(["search", "Hezbollah", "-opec", "-l"] + extra)
            #expect(Set(names(word.stdout)) == ["hezbollah-opinion", "hezbollah-statement"])
            let afterDashes = try trawl(["search", "-l"] + extra + ["--", "-tag:opinion", "Hezbollah"])
            #expect(afterDashes.stdout == excluded.stdout)
            let onlyExclusion = try trawl(["search", "-iran"] + extra)
            #expect(onlyExclusion.status == 2)
            #expect(onlyExclusion.stderr.contains("only excludes"), "\(onlyExclusion.stderr)")
        }
    }

    @Test func aMissingQueryWithADateOptionListsDocuments() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let listed = try trawl(["search", "--since", "2025-11-18", "-l"])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(names(listed.stdout).sorted() == ["hezbollah-finance", "hezbollah-statement", "iran-talks"])
        #expect(listed.stdout == (try trawl(["search", "", "--since", "2025-11-18", "-l"])).stdout)
        let nothing = try trawl(["search"])
        #expect(nothing.status == 2)
        #expect(nothing.stderr.contains("Missing query"))
    }

    @Test func shortOptionsAndPathsAndCSVOutput() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = try trawl(["search", "Hezbollah", "-j", "-n", "2"])
        #expect(json.status == 0, "\(json.stderr)")
        let results = try SearchOutput(json: json.stdout).results
        #expect(results.count == 2)
        let paths = try trawl(["search", "Hezbollah", "-n", "2", "-l"])
        #expect(paths.stdout == results.map { $0.path + "\n" }.joined())
        let csv = try trawl(["search", "Hezbollah", "--limit", "2", "--format", "csv"])
        let rows = csv.stdout.components(separatedBy: "\r\n")
        #expect(rows.first == "rank,path,title,date,source,author,score")
        #expect(rows.count == 4 && rows.last == "")
        #expect(rows[1].hasPrefix("1,\(results[0].path),"))
        let finance = try trawl(["search", "finance", "--format", "csv"]).stdout
        #expect(finance.contains(",\"Hezbollah finance networks\"") == false)
        #expect(finance.contains(",Hezbollah finance networks,2025-11-19,Wire,Rania Haddad,"))
        let opinion = try trawl(["search", "opinion", "--format", "csv"]).stdout
        #expect(opinion.contains(",\"Hezbollah, the state and the border\",2025-11-17,"))
        #expect(try trawl(["search", "Hezbollah", "-j", "-l"]).status == 2)
        #expect(try trawl(["search", "Hezbollah", "-j", "--format", "csv"]).status == 2)
    }

    @Test func versionIsACommandAndAnOption() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let command = try trawl(["version"])
        let option = try trawl(["--version"])
        #expect(command.status == 0 && option.status == 0)
        #expect(!command.stdout.isEmpty && command.stdout == option.stdout)
    }

    @Test(arguments: [
        "index", "search", "analyze", "stats", "eval", "show", "status", "check", "optimize", "cron",
        "version", "changes", "watch",
    ])
    func everyCommandsHelpEndsWithExamplesToPaste(command: String) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        for arguments in [[command, "--help"], ["help", command]] {
            let help = try trawl(arguments)
            #expect(help.status == 0)
            let sections = help.stdout.components(separatedBy: "\nEXAMPLES:\n")
            #expect(sections.count == 2, "\(arguments)")
            let examples = (sections.last ?? "").split(separator: "\n")
            #expect((3...6).contains(examples.count), "\(arguments)")
            #expect(examples.allSatisfy { $0.hasPrefix("  trawl ") })
            #expect(examples.contains { $0.hasPrefix("  trawl \(command)") })
        }
    }

    @Test func theDemoPrintsCommandsAsTheShellNeedsThem() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = """
            source scripts/lib.sh
            printed=$(shell_words search 'oil OR gas -opec' --limit 3 "it's" '' 'Tehran’s')
            echo "$printed"
            eval "set -- $printed"
            printf '[%s]' "$@"
            """
        let bash = try Shell.run(script)
        #expect(
            bash.stdout
                == "search 'oil OR gas -opec' --limit 3 'it'\\''s' '' 'Tehran’s'\n"
                + "[search][oil OR gas -opec][--limit][3][it's][][Tehran’s]")
        let demo = try String(
            contentsOf: TrawlBinary.packageRoot.appendingPathComponent("scripts/demo"), encoding: .utf8)
        #expect(demo.contains("$(shell_words \"$@\")"))
    }

    @Test func cronWarnsAboutAMissingFolderAndStrictRefusesIt() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("not-there").path
        let warned = try trawl(["cron", missing])
        #expect(warned.status == 0)
        #expect(warned.stderr.contains("warning:") && warned.stderr.contains("not-there"))
        #expect(warned.stdout.contains(missing))
        let refused = try trawl(["cron", "--strict", missing])
        #expect(refused.status == 2)
        #expect(refused.stdout.isEmpty)
        let present = try trawl(["cron", "--strict", folder.path])
        #expect(present.status == 0 && present.stderr.isEmpty)
    }

    @Test func anIndexPathThatIsAFolderIsNamedAsSuch() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        for outcome in [
            try trawl(["search", "Hezbollah", "--db", folder.path]),
            try trawl(["stats", "--db", folder.path]),
            try TrawlBinary.run(["search", "Hezbollah"], environment: ["TRAWL_DB": folder.path]),
        ] {
            #expect(outcome.status == 2)
            #expect(outcome.stderr.contains("is a folder"), "\(outcome.stderr)")
            #expect(!outcome.stderr.contains("unable to open"))
        }
    }

    @Test func longQueriesAreRefusedAndMessagesQuoteTheirStartOnly() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let pasted = Array(repeating: "word", count: 2_500).joined(separator: " ")
        let refused = try trawl(["search", pasted])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("at most 10,000"), "\(refused.stderr.prefix(300))")
        #expect(refused.stderr.count < 300)
        // 40 made-up words, 239 characters: no match.
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        let madeUp: [String] = (0..<40).map { number in
            "zqx" + String(letters[number % 26]) + String(letters[number / 26])
        }
        let long = madeUp.joined(separator: " ")
        let none = try trawl(["search", long, "--match", "any"])
        #expect(none.status == 1)
        let expected = "No documents match " + String(long.prefix(80)) + "…."
        #expect(none.stderr.contains(expected), "\(none.stderr)")
        #expect(none.stderr.count < 200)
    }
}

/// Runs a bash script from the package root.
enum Shell {
    static func run(_ script: String, environment extra: [String: String] = [:]) throws -> TrawlBinary.Outcome
    {
        try TrawlBinary.runProcess(
            URL(fileURLWithPath: "/bin/bash"), ["-c", script],
            environment: ProcessInfo.processInfo.environment.merging(extra) { _, new in new },
            in: TrawlBinary.packageRoot)
    }
}
