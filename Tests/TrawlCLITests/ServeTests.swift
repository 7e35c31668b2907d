import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `trawl serve` on the fixture reports (and the hostile-markup fixture): the JSON API is the
/// CLI's JSON, errors are JSON with the CLI's messages and fitting statuses, pages escape
/// everything, and documents indexed while it runs are found without a restart.
@Suite(.serialized)
struct ServeTests {
    /// An index of `Fixtures/reports` and `Fixtures/web` in a temporary folder.
    static func fixtureIndex() throws -> (folder: URL, db: String) {
        let folder = try TrawlBinary.temporaryFolder()
        let db = folder.appendingPathComponent("index.sqlite").path
        let web = TrawlBinary.packageRoot.appendingPathComponent("Fixtures/web").path
        let outcome = try TrawlBinary.run(["index", TrawlBinary.fixtures.path, web, "--db", db])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        return (folder, db)
    }

    func get(_ base: URL, _ target: String) async throws -> (status: Int, body: String, type: String) {
        let url = URL(string: target, relativeTo: base)!
        let (data, response) = try await URLSession.shared.data(from: url)
        let http = response as! HTTPURLResponse
        return (
            http.statusCode, String(decoding: data, as: UTF8.self),
            http.value(forHTTPHeaderField: "Content-Type") ?? ""
        )
    }

    @Test func apiSearchIsTheCommandLineJSON() async throws {
        let (folder, db) = try Self.fixtureIndex()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (server, base) = try RunningTrawl.server(db: db)
        defer { server.stop() }
        for (query, options) in [
            ("oil", ""), ("Hezbollah OR Hizballah", "&limit=3&offset=1"), ("grain", "&sort=date"),
        ] {
            let served = try await get(
                base,
                "api/search?q=\(query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)\(options)"
            )
            var arguments = ["search", query, "--db", db, "--format", "json"]
            if options.contains("limit") { arguments += ["--limit", "3", "--offset", "1"] }
            if options.contains("sort") { arguments += ["--sort", "date"] }
            let cli = try TrawlBinary.run(arguments)
            #expect(served.status == 200)
            #expect(served.type.hasPrefix("application/json"))
            #expect(served.body == cli.stdout, "\(query)")
        }
        let path = try TrawlBinary.run(["search", "oil", "--db", db, "--paths"]).stdout
            .split(separator: "\n")[0]
        let shown = try await get(base, "api/doc?path=\(path)&q=oil")
        let cli = try TrawlBinary.run([
            "show", String(path), "--query", "oil", "--db", db, "--format", "json",
        ])
        #expect(shown.status == 200)
        #expect(shown.body == cli.stdout)
    }

    /// Searches take turns (`--concurrent-searches`): with one turn, many requests at once are
    /// all answered, each as it would be alone; a bad count is a usage error.
    @Test func requestsWaitingTheirTurnAreAllAnswered() async throws {
        let (folder, db) = try Self.fixtureIndex()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (server, base) = try RunningTrawl.server(db: db, ["--concurrent-searches", "1"])
        defer { server.stop() }
        let queries = ["oil", "grain", "Hezbollah", "tanker Hormuz", "bonds", "said", "wheat", "IAEA"]
        let alone = try TrawlBinary.run(["search", "oil", "--db", db, "--format", "json"]).stdout
        let answers = try await withThrowingTaskGroup(of: (String, Int, String).self) { group in
            for round in 0..<4 {
                for query in queries {
                    group.addTask {
                        let target =
                            "api/search?q=\(query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
                        let answer = try await get(base, target + (round == 0 ? "" : "&limit=\(10 + round)"))
                        return (query + " \(round)", answer.status, answer.body)
                    }
                }
            }
            var answers: [(String, Int, String)] = []
            for try await answer in group { answers.append(answer) }
            return answers
        }
        #expect(answers.count == 32)
        #expect(answers.allSatisfy { $0.1 == 200 }, "\(answers.filter { $0.1 != 200 }.map(\.0))")
        #expect(answers.first { $0.0 == "oil 0" }?.2 == alone)
        let bad = try TrawlBinary.run(["serve", "--db", db, "--concurrent-searches", "5000"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--concurrent-searches must be 0 to 1024."), "\(bad.stderr)")
    }

    @Test func errorsAreJSONWithTheCommandLineMessages() async throws {
        let (folder, db) = try Self.fixtureIndex()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (server, base) = try RunningTrawl.server(db: db)
        defer { server.stop() }
        let badQuery = try await get(base, "api/search?q=%22oil")
        let cli = try TrawlBinary.run(["search", "\"oil", "--db", db])
        #expect(badQuery.status == 400)
        #expect(badQuery.body.contains("\"error\":\"Missing closing quote (opened at column 1).\""))
        #expect(cli.stderr.contains("Missing closing quote (opened at column 1)."))
        let traversal = try await get(base, "api/doc?path=../../etc/passwd")
        #expect(traversal.status == 404)
        #expect(traversal.body.contains("\"kind\":\"notFound\""))
        let page = try await get(base, "doc?path=%2Fetc%2Fpasswd")
        #expect(page.status == 404)
        #expect(!page.body.contains("root:"))
        let long = try await get(base, "api/search?q=" + String(repeating: "a%20", count: 10_001))
        #expect(long.status == 400)
        #expect(long.body.contains("Trawl reads at most 10,000"))
        let huge = try await get(base, "api/search?q=" + String(repeating: "a", count: 70_000))
        #expect(huge.status == 414)
        #expect(huge.body.contains("The request address is longer than 64 KB."))
        let badLimit = try await get(base, "api/search?q=oil&limit=lots")
        #expect(badLimit.status == 400)
        #expect(badLimit.body.contains("limit must be a whole number"))
    }

    @Test func missingIndexAnswers503UntilItExists() async throws {
        let folder = try TrawlBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("later.sqlite").path
        let (server, base) = try RunningTrawl.server(db: db)
        defer { server.stop() }
        let before = try await get(base, "healthz")
        #expect(before.status == 503)
        #expect(before.body.contains("\"kind\":\"index\""))
        try folder.write(
            "Pipeline valves\n\nBAKU, Nov 3 - Engineers inspected the valves.\n", to: "docs/valves.txt")
        _ = try TrawlBinary.run(["index", folder.appendingPathComponent("docs").path, "--db", db])
        let after = try await get(base, "healthz")
        #expect(after.status == 200)
        #expect(after.body.contains("\"documents\":1"))
    }

    @Test func documentsIndexedWhileServingAppearWithoutRestart() async throws {
        let folder = try TrawlBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let docs = folder.appendingPathComponent("docs")
        try folder.write(
            "Harbour cranes\n\nODESA, Nov 3 - The cranes were repaired.\n", to: "docs/cranes.txt")
        let db = folder.appendingPathComponent("index.sqlite").path
        _ = try TrawlBinary.run(["index", docs.path, "--db", db])
        let (server, base) = try RunningTrawl.server(db: db)
        defer { server.stop() }
        let before = try await get(base, "api/search?q=turbines")
        #expect(before.body.contains("\"total\":0"))
        try folder.write(
            "Wind turbines\n\nKYIV, Nov 4 - New turbines were installed.\n", to: "docs/turbines.txt")
        _ = try TrawlBinary.run(["index", docs.path, "--db", db])
        let after = try await get(base, "api/search?q=turbines")
        #expect(after.body.contains("\"total\":1"))
        #expect(after.body.contains("turbines.txt"))
    }

    @Test func pagesEscapeHostileMarkupAndLinkOnlyWebAddresses() async throws {
        let (folder, db) = try Self.fixtureIndex()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (server, base) = try RunningTrawl.server(db: db)
        defer { server.stop() }
        let results = try await get(base, "?q=pipeline%20%3Cscript%3E")
        #expect(results.status == 200)
        #expect(results.type.hasPrefix("text/html"))
        let path = try TrawlBinary.run(["search", "pipeline", "--db", db, "--paths"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let document = try await get(
            base, "doc?path=\(path.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&q=pipeline")
        #expect(document.status == 200)
        for page in [results.body, document.body] {
            // The only script element is the page's own.
            #expect(page.components(separatedBy: "<script").count == 2)
            #expect(!page.contains("<img"))
            #expect(!page.contains("href=\"javascript:"))
            #expect(!page.contains("onerror=\""))
        }
        #expect(document.body.contains("&lt;script&gt;window.__xss = &quot;title&quot;&lt;/script&gt;"))
        #expect(document.body.contains("javascript:window.__xss=&#39;url&#39;"))
        #expect(document.body.contains("<mark id=\"m1\">"))
    }

    @Test func searchPageShowsFacetCountsAndPages() async throws {
        let (folder, db) = try Self.fixtureIndex()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (server, base) = try RunningTrawl.server(db: db)
        defer { server.stop() }
        let listing = try await get(base, "?since=2025")
        let total = try SearchOutput(
            json: TrawlBinary.run(["search", "--since", "2025", "--db", db, "-j"]).stdout
        ).total
        #expect(listing.body.contains("\(total) matching documents; showing 1–10."))
        #expect(listing.body.contains("rel=\"next\" href=\"/?since=2025&amp;offset=10\""))
        let second = try await get(base, "?since=2025&offset=10")
        #expect(second.body.contains("showing 11–20."))
        let oil = try await get(base, "?q=oil")
        #expect(
            oil.body.contains(
                "data-facet=\"source\"><span class=\"value\">Trawl Wire</span> <span class=\"count\">1</span>"
            ))
    }
}
