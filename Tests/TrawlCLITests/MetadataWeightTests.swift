import Foundation
import Testing

/// Issue 15, "Snippets and metadata": tags, author and source are searchable as words at a weight
/// below the title and the story (schema v11's `meta` column), and a header block is a field of
/// its own, so a phrase does not run from it into the story.
struct MetadataWeightTests {
    let folder: URL
    let db: String

    init() throws {
        folder = try TrawlBinary.temporaryFolder()
        db = folder.appendingPathComponent("index.sqlite").path
        let docs = folder.appendingPathComponent("docs")
        // The same words in both reports: "sorghum" is a tag of one and in the story of the other.
        try docs.write(
            """
            Harvest Notes
            Tags: sorghum, wheat

            Farmers in the east said the millet harvest was late this year.

            """, to: "tagged.txt")
        try docs.write(
            """
            Harvest Notes
            Tags: millet, wheat

            Farmers in the east said the sorghum harvest was late this year.

            """, to: "told.txt")
        try docs.write(
            """
            Substation Plans
            Source: Grid Desk
            Tags: energy, grid

            Storage plans for the region were approved on Tuesday.

            """, to: "grid.txt")
        try docs.write(
            """
            <html lang="en"><head><title>Inspectors Return to Fordow</title>
            <meta name="keywords" content="nuclear, iaea">
            </head><body><article><p>Agency inspectors returned to the enrichment site.</p></article></body></html>
            """, to: "fordow.html")
        let outcome = try TrawlBinary.run(["index", docs.path, "--db", db])
        #expect(outcome.status == 0, "\(outcome.stderr)")
    }

    struct Explained: Decodable {
        struct Result: Decodable {
            struct Parts: Decodable {
                var bm25Title: Double
                var bm25Body: Double
                var bm25Meta: Double
                var proximity: Double
                var coordination: Double
                var recency: Double
            }
            var path: String
            var score: Double
            var snippet: String
            var explain: Parts
        }
        var total: Int
        var results: [Result]
    }

    func explained(_ query: String) throws -> Explained {
        let outcome = try TrawlBinary.run([
            "search", query, "--db", db, "--format", "json", "--explain", "--no-collapse",
        ])
        return try JSONDecoder().decode(Explained.self, from: Data(outcome.stdout.utf8))
    }

    @Test func aWordOnlyInTheTagsRanksBelowTheSameWordInTheStory() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = try explained("sorghum")
        #expect(output.results.map { ($0.path as NSString).lastPathComponent } == ["told.txt", "tagged.txt"])
        let (told, tagged) = (output.results[0], output.results[1])
        #expect(told.score > tagged.score)
        #expect(told.explain.bm25Body > 0 && told.explain.bm25Meta == 0)
        #expect(tagged.explain.bm25Meta > 0 && tagged.explain.bm25Body == 0)
        // The parts still add up to the score.
        for result in output.results {
            let parts = result.explain
            let sum =
                parts.bm25Title + parts.bm25Body + parts.bm25Meta + parts.proximity + parts.coordination
                + parts.recency
            #expect(abs(sum - result.score) < 1e-9)
        }
        // The text output names the part too.
        let text = try TrawlBinary.run([
            "search", "sorghum", "--db", db, "--explain", "--color", "never", "--no-collapse",
        ])
        #expect(text.stdout.components(separatedBy: " + bm25 meta ").count == 3, "\(text.stdout)")
        #expect(!text.stdout.contains("bm25 body 0.000 + bm25 meta 0.000"), "\(text.stdout)")
    }

    @Test func anHTMLBriefTaggedNuclearMatchesNuclearWithTheTagLineShown() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = try explained("nuclear")
        #expect(output.results.map { ($0.path as NSString).lastPathComponent } == ["fordow.html"])
        #expect(output.results.first?.explain.bm25Meta ?? 0 > 0)
        #expect(output.results.first?.snippet.hasPrefix("Tags: nuclear, iaea · Agency inspectors") == true)
        let text = try TrawlBinary.run(["search", "nuclear", "--db", db, "--color", "never"])
        #expect(text.stdout.contains("Tags: [nuclear], iaea · Agency inspectors returned"), "\(text.stdout)")
    }

    @Test func aPhraseDoesNotRunFromTheHeaderIntoTheStory() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        // "grid" ends the last header line, "Storage" starts the story.
        #expect(try explained("\"grid storage\"").total == 0)
        #expect(try explained("grid storage").total == 1)
        // Inside one header line, and inside the story, phrases match as before.
        #expect(try explained("\"energy grid\"").total == 1)
        #expect(try explained("\"storage plans\"").total == 1)
        // `body:` is the story, `title:` the title; a plain word matches every field.
        #expect(try explained("body:grid").total == 0)
        #expect(try explained("body:storage").total == 1)
        #expect(try explained("title:substation grid").total == 1)
    }

    /// `Fixtures/upgrade/v10.db` was written by a Trawl of schema v10 (see its README): the binary
    /// upgrades it on first open, every document is still found, the phrase no longer runs from
    /// the header into the story, and `trawl check` passes.
    @Test func anIndexWrittenBySchemaV10IsUpgradedByTheBinary() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let old = folder.appendingPathComponent("v10.db").path
        try FileManager.default.copyItem(
            atPath: TrawlBinary.packageRoot.appendingPathComponent("Fixtures/upgrade/v10.db").path,
            toPath: old)
        // `check` never migrates: it says the index is older.
        let before = try TrawlBinary.run(["check", "--db", old])
        #expect(before.status != 0 && before.stderr.contains("older Trawl"), "\(before.stderr)")
        func paths(_ query: String) throws -> [String] {
            let outcome = try TrawlBinary.run(["search", query, "--db", old, "--format", "paths"])
            return outcome.stdout.split(separator: "\n").map { ($0 as NSString).lastPathComponent }.sorted()
        }
        #expect(try paths("port") == ["audit.txt", "fordow.html", "harvest.txt"])
        #expect(try paths("nuclear") == ["fordow.html"])
        #expect(try paths("haddad") == ["audit.txt"])
        #expect(try paths("sorghum") == ["harvest.txt"])
        #expect(try paths("\"grid storage\"") == [])
        let after = try TrawlBinary.run(["check", "--db", old])
        #expect(after.status == 0, "\(after.stdout)\(after.stderr)")
        #expect(after.stdout.contains("is intact (3 documents)"), "\(after.stdout)")
        let explained = try TrawlBinary.run([
            "search", "nuclear", "--db", old, "--format", "json", "--explain",
        ])
        let output = try JSONDecoder().decode(Explained.self, from: Data(explained.stdout.utf8))
        #expect(output.results.first?.explain.bm25Meta ?? 0 > 0)
        #expect(output.results.first?.explain.bm25Body == 0)
    }
}
