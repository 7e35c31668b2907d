import Foundation
import Testing

/// Ranking behaviour of `trawl search` through the real binary, on a small corpus written by the test.
@Suite struct RankingTests {
    let folder: URL
    let db: String

    /// The JSON result fields these tests read, `explain` included.
    struct ExplainedOutput: Decodable {
        struct Result: Decodable {
            struct Explain: Decodable {
                var bm25Title: Double
                var bm25Body: Double
                var proximity: Double
                var coordination: Double
                var recency: Double
                var matchedTerms: Int
                var queryTerms: Int

                var sum: Double { bm25Title + bm25Body + proximity + coordination + recency }
            }

            var path: String
            var score: Double
            var explain: Explain?

            var name: String { URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent }
        }

        var total: Int
        var results: [Result]
    }

    init() throws {
        folder = try TrawlBinary.temporaryFolder()
        db = folder.appendingPathComponent("index.sqlite").path
        let filler = "alpha beta gamma delta epsilon zeta eta theta iota kappa"
        // Each report is dated by a `Date:` header (an undated file has no date, whatever its
        // modification time): the number of days before today.
        let day = 86_400.0
        let now = Date().timeIntervalSince1970
        let formatter = ISO8601DateFormatter()
        func dated(_ title: String, _ age: Double) -> String {
            "\(title)\nDate: \(formatter.string(from: Date(timeIntervalSince1970: now - age * day)))\n\n"
        }
        try folder.write(
            dated("Report one", 300) + "The sea level went up. \(filler) end.\n", to: "docs/adjacent.txt")
        try folder.write(
            dated("Report two", 1) + "The sea went up. \(filler) level end.\n", to: "docs/scattered.txt")
        try folder.write(
            dated("Report three", 30) + "Copper mine strike. \(filler).\n", to: "docs/all-terms.txt")
        try folder.write(
            dated("Report four", 100) + "Copper copper copper mine mine mine. \(filler).\n",
            to: "docs/two-terms.txt")
        let outcome = try TrawlBinary.run(["index", folder.appendingPathComponent("docs").path, "--db", db])
        #expect(outcome.status == 0, "\(outcome.stderr)")
    }

    func search(_ query: String, _ extra: [String] = []) throws -> ExplainedOutput {
        let outcome = try TrawlBinary.run(["search", query, "--db", db, "--format", "json"] + extra)
        return try JSONDecoder().decode(ExplainedOutput.self, from: Data(outcome.stdout.utf8))
    }

    @Test func phraseAdjacentDocumentRanksAboveScatteredDocument() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = try search("sea level")
        #expect(output.results.map(\.name) == ["adjacent", "scattered"])
        #expect(output.results[0].score > output.results[1].score)
    }

    @Test func documentWithMoreQueryTermsRanksAboveOneWithFewer() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = try search("copper mine strike", ["--match", "any"])
        #expect(output.results.map(\.name) == ["all-terms", "two-terms"])
        // By default every word is required when some document has them all: the total does
        // not depend on how many results the page shows.
        let strict = try search("copper mine strike")
        #expect(strict.results.map(\.name) == ["all-terms"])
    }

    @Test func sortByDateListsNewestFirst() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = try search("report", ["--sort", "date"])
        #expect(output.results.map(\.name) == ["scattered", "all-terms", "two-terms", "adjacent"])
    }

    @Test func explainGivesEveryPartAndThePartsSumToTheScore() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        for extra in [[], ["--recent"], ["--sort", "date"]] {
            let output = try search("sea level", ["--explain"] + extra)
            #expect(!output.results.isEmpty)
            for result in output.results {
                let explain = try #require(result.explain)
                #expect(abs(explain.sum - result.score) < 1e-9, "\(extra)")
                #expect(explain.queryTerms == 2)
            }
        }
        #expect(try search("sea level").results.allSatisfy { $0.explain == nil }, "explain only when asked")
    }

    @Test func recentBoostFavoursNewDocuments() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = try search("sea level", ["--explain", "--recent"])
        let recency = Dictionary(
            uniqueKeysWithValues: output.results.map { ($0.name, $0.explain?.recency ?? 0) })
        #expect(recency["scattered", default: 0] > 10 * recency["adjacent", default: 0])
    }

    /// `trawl eval` scores what `trawl search --limit DEPTH` returns for each query, nothing else:
    /// a query that search refuses (here an unclosed quote, while the parser is strict) retrieves
    /// nothing in eval either.
    @Test func evalRetrievesExactlyWhatSearchReturns() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let queries = ["sea level", "\"sea level", "copper (mine", "report"]
        let lines = queries.enumerated().map { index, text in
            String(decoding: try! JSONEncoder().encode(["id": "\(index + 1)", "text": text]), as: UTF8.self)
        }
        try folder.write(lines.joined(separator: "\n") + "\n", to: "queries.jsonl")
        let qrels = (1...queries.count).map { "\($0)\tadjacent\t1\n\($0)\tall-terms\t1" }
        try folder.write(qrels.joined(separator: "\n") + "\n", to: "qrels.tsv")
        struct Report: Decodable {
            struct Query: Decodable {
                var queryID: String
                var retrievedCount: Int
            }
            var perQuery: [Query]
        }
        let outcome = try TrawlBinary.run([
            "eval", "--queries", folder.appendingPathComponent("queries.jsonl").path,
            "--qrels", folder.appendingPathComponent("qrels.tsv").path, "--db", db, "--depth", "50",
            "--format", "json",
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(outcome.stdout.utf8))
        let retrieved = Dictionary(
            uniqueKeysWithValues: report.perQuery.map { ($0.queryID, $0.retrievedCount) })
        for (index, text) in queries.enumerated() {
            let search = try TrawlBinary.run([
                "search", text, "--db", db, "--limit", "50", "--format", "json",
            ])
            let found =
                search.status == 0
                ? try JSONDecoder().decode(ExplainedOutput.self, from: Data(search.stdout.utf8)).results.count
                : 0
            #expect(retrieved["\(index + 1)"] == found, "\(text)")
        }
    }

    @Test func explainTextShowsTheParts() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try TrawlBinary.run([
            "search", "sea level", "--db", db, "--explain", "--color", "never",
        ])
        #expect(outcome.stdout.contains("= bm25 title "))
        #expect(outcome.stdout.contains(" + proximity "))
        #expect(outcome.stdout.contains(" + coordination "))
        #expect(outcome.stdout.contains(" + recency "))
    }
}

/// `scripts/eval-ranking.py write-docs`, the harness that turns a test collection into files for
/// `trawl index`, through the real binary.
@Suite struct EvalHarnessTests {
    static let python = "/usr/bin/python3"

    /// An untitled document of the collection (NPL's abstracts) is indexed with its whole text as
    /// body, as FTS5's `bm25()` baseline inserts it, not with its first line as the title.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: python), "needs /usr/bin/python3"))
    func untitledDocumentIsIndexedAsBody() throws {
        let folder = try TrawlBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try folder.write(
            """
            {"id": "untitled", "title": "", "text": "copper mine strike in the north"}
            {"id": "titled", "title": "Sea level", "text": "the sea rose again"}

            """, to: "docs.jsonl")
        let script = TrawlBinary.packageRoot.appendingPathComponent("scripts/eval-ranking.py").path
        let written = try TrawlBinary.runProcess(
            URL(fileURLWithPath: Self.python),
            [
                script, "write-docs", "--docs", folder.appendingPathComponent("docs.jsonl").path,
                "--out", folder.appendingPathComponent("docs").path,
            ])
        #expect(written.status == 0)
        let db = folder.appendingPathComponent("index.sqlite").path
        let indexed = try TrawlBinary.run(["index", folder.appendingPathComponent("docs").path, "--db", db])
        #expect(indexed.status == 0, "\(indexed.stderr)")
        func explained(_ query: String) throws -> RankingTests.ExplainedOutput.Result.Explain {
            let outcome = try TrawlBinary.run(["search", query, "--db", db, "--format", "json", "--explain"])
            let output = try JSONDecoder().decode(
                RankingTests.ExplainedOutput.self, from: Data(outcome.stdout.utf8))
            return try #require(output.results.first?.explain, "\(query): \(outcome.stderr)")
        }
        let untitled = try explained("copper")
        #expect(untitled.bm25Title == 0)
        #expect(untitled.bm25Body > 0)
        let titled = try explained("level")
        #expect(titled.bm25Title > 0)
    }
}
