import Foundation
import Testing

/// Issue 12, "One query, one meaning": what is matched, counted, ranked and highlighted agrees
/// with what was typed. One test per behaviour a user hit, through the `trawl` binary, on reports
/// written here.
@Suite(.serialized)
struct QueryMeaningTests {
    let folder: URL
    let db: String

    init() throws {
        folder = try TrawlBinary.temporaryFolder()
        db = folder.appendingPathComponent("index.sqlite").path
        let reports = folder.appendingPathComponent("reports")
        try reports.write(
            "Tanker seized in the Gulf\nIranian forces seized a tanker carrying crude near Hormuz on Monday.",
            to: "wire/gulf/tanker-seized.txt")
        try reports.write(
            "Kirkuk oil exports resume\nIraq resumed oil exports from Kirkuk through the northern pipeline.",
            to: "wire/iraq/kirkuk-exports.txt")
        try reports.write(
            "Budget deal\nThe cabinet approved $3.5 billion for power plants and 2 billion for roads.",
            to: "briefs/budget-deal.txt")
        try reports.write(
            "Roads plan\nA separate plan gives roads another billion next year.", to: "briefs/roads-plan.txt")
        try reports.write(
            "Red Sea attacks\nThe Houthis fired two missiles at a cargo ship, the navy said.",
            to: "wire/yemen/houthis-fire.txt")
        try reports.write(
            "Prime minister meets militia leaders\n"
                + "Prime Minister al-Sudani met leaders of al-Nujaba and envoys from al-Sham on Sunday; "
                + "al-Sudani said the talks were frank.",
            to: "briefs/sudani-meets-militias.txt")
        try reports.write(
            "Militia statement\nA spokesman for al-Nujaba said the group would not attend.",
            to: "wire/iraq/nujaba-statement.txt")
        try reports.write(
            "L'accord sur le cacao\nLe gouvernement a signé l'accord sur le prix du cacao avec les planteurs.",
            to: "briefs/cacao-accord.txt")
        let outcome = try TrawlBinary.run(["index", reports.path, "--db", db])
        #expect(outcome.status == 0, "\(outcome.stderr)")
    }

    func search(_ query: String, _ extra: [String] = []) throws -> (TrawlBinary.Outcome, SearchOutput?) {
        let outcome = try TrawlBinary.run(["search", query, "--db", db, "--format", "json"] + extra)
        return (outcome, try? SearchOutput(json: outcome.stdout))
    }

    func names(_ output: SearchOutput?) -> [String] {
        (output?.results ?? []).map {
            URL(fileURLWithPath: $0.path).deletingPathExtension().lastPathComponent
        }
    }

    @Test func anExplicitAndIsNeverRelaxed() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let (explicit, output) = try search("tanker AND Kirkuk")
        #expect(explicit.status == 1)
        #expect(output?.total == 0)
        #expect(output?.results.isEmpty == true)
        // A phrase, an exclusion and a field are requirements too.
        for query in ["\"tanker Kirkuk\"", "tanker Kirkuk -pipeline", "title:tanker Kirkuk"] {
            let (outcome, found) = try search(query)
            #expect(outcome.status == 1, "\(query)")
            #expect(found?.total == 0, "\(query)")
        }
        // Words side by side that no document holds together fall back to any of them, and say so.
        let (plain, relaxed) = try search("tanker Kirkuk")
        #expect(plain.status == 0)
        #expect(Set(names(relaxed)) == ["tanker-seized", "kirkuk-exports"])
        let text = try TrawlBinary.run(["search", "tanker Kirkuk", "--db", db])
        #expect(text.stdout.contains("No document contains all of the words"))
    }

    @Test func theTotalDoesNotDependOnTheLimitOrOffset() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        var totals: Set<Int> = []
        for extra in [["--limit", "1"], ["--limit", "2"], [], ["--limit", "100"], ["--offset", "1"]] {
            let (_, output) = try search("$3.5 billion", extra)
            totals.insert(try #require(output).total)
        }
        #expect(totals == [1])
    }

    @Test func variantsFindEverythingTheWordFinds() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let (_, word) = try search("Houthi")
        let (_, variants) = try search("~Houthi")
        #expect(names(word) == ["houthis-fire"])
        #expect(Set(names(word)).isSubset(of: Set(names(variants))))
    }

    @Test func onlyMatchesOfTheQueryAreHighlighted() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let (_, output) = try search("al-Sudani")
        let result = try #require(output?.results.first)
        #expect(names(output) == ["sudani-meets-militias"])
        #expect(result.highlightedText == ["al-Sudani", "al-Sudani"], "\(result.snippet)")
        let shown = try TrawlBinary.run([
            "show", folder.appendingPathComponent("reports/briefs/sudani-meets-militias.txt").path, "--query",
            "al-Sudani", "--db", db, "--color", "never",
        ])
        #expect(shown.stdout.contains("[al-Sudani] met leaders of al-Nujaba and envoys from al-Sham"))
        // A phrase is marked where it stands whole, not word by word.
        let (_, phrase) = try search("\"prime minister\"")
        for text in phrase?.results.flatMap(\.highlightedText) ?? [] {
            #expect(["Prime", "Minister", "prime", "minister"].contains(text), "\(text)")
        }
    }

    @Test func unknownFieldsAreRefusedAndTheKnownOnesNamed() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        for query in ["date:2025-11-24", "Hezbollah foo:bar"] {
            let (outcome, _) = try search(query)
            #expect(outcome.status == 2, "\(query)")
            #expect(outcome.stderr.contains("is not a field Trawl knows"), "\(outcome.stderr)")
            #expect(outcome.stderr.contains("‘path:’, ‘lang:’"), "\(outcome.stderr)")
        }
        // Words with colons that are not field names stay words.
        let (clock, _) = try search("10:30 http://example.org")
        #expect(clock.status == 1, "\(clock.stderr)")
    }

    @Test func pathAndLanguageFiltersKeepOnlyThoseDocuments() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(Set(names(try search("path:wire oil").1)) == ["kirkuk-exports"])
        #expect(Set(names(try search("path:iraq").1)) == ["kirkuk-exports", "nujaba-statement"])
        #expect(Set(names(try search("path:wire/iraq al-Nujaba").1)) == ["nujaba-statement"])
        #expect(Set(names(try search("oil -path:iraq").1)) == [])
        #expect(Set(names(try search("path:*.txt cacao").1)) == ["cacao-accord"])
        #expect(names(try search("lang:fr").1) == ["cacao-accord"])
        #expect(names(try search("accord -lang:fr").1) == [])
    }

    @Test func pastedTextWithStraySyntaxIsSearchedWithANote() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let pasted = "what did \"al-Sudani say to the militia leaders (on Sunday"
        let (outcome, output) = try search(pasted)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(names(output).first == "sudani-meets-militias")
        let json = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        let notes = try #require(json?["notes"] as? [String])
        #expect(notes.first?.hasPrefix("Read as plain words") == true, "\(notes)")
        let text = try TrawlBinary.run(["search", pasted, "--db", db])
        #expect(text.stderr.contains("Note: Read as plain words"), "\(text.stderr)")
        // A short query is still refused, with the column of its error.
        let (short, _) = try search("\"prime minister")
        #expect(short.status == 2)
        #expect(short.stderr.contains("Missing closing quote (opened at column 1)."))
    }

    @Test func evaluationRanksExactlyAsSearchDoes() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let question = "which militia leaders did \"prime minister al-Sudani meet (and when"
        let (_, output) = try search(question, ["--match", "any"])
        let ranked = names(output)
        #expect(ranked.count >= 2)
        // Judge search's own order as ideal: evaluation gives nDCG@10 = 1 only if it ranks the same.
        let queries = folder.appendingPathComponent("queries.jsonl")
        let questionJSON = String(decoding: try JSONEncoder().encode(question), as: UTF8.self)
        try "{\"id\": \"q1\", \"text\": \(questionJSON)}\n".write(
            to: queries, atomically: true, encoding: .utf8)
        let qrels = folder.appendingPathComponent("qrels.tsv")
        let lines = ranked.enumerated().map { "q1\t\($0.element)\t\(ranked.count - $0.offset)" }
        try (lines.joined(separator: "\n") + "\n").write(to: qrels, atomically: true, encoding: .utf8)
        let eval = try TrawlBinary.run([
            "eval", "--queries", queries.path, "--qrels", qrels.path, "--db", db, "--match", "any",
            "--format",
            "json",
        ])
        let report = try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any]
        #expect((report?["ndcgAt10"] as? Double).map { abs($0 - 1) < 1e-9 } == true, "\(eval.stdout)")
    }

    @Test func repeatedWordsAndHugeOffsetsAreAnsweredNotCrashed() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let (repeated, output) = try search(Array(repeating: "oil", count: 1_000).joined(separator: " "))
        #expect(repeated.status == 0)
        #expect(output?.total == 1)
        let (huge, _) = try search("oil", ["--offset", "9223372036854775807"])
        #expect(huge.status == 2)
        #expect(huge.stderr.contains("--offset can be at most"), "\(huge.stderr)")
        let (past, beyond) = try search("oil", ["--offset", "50"])
        #expect(past.status == 1)
        #expect(beyond?.total == 1)
    }
}
