import Foundation
import Testing

/// Issue 15, "Snippets and metadata": a `.txt` report's `Key: value` header block is metadata —
/// searchable, but snippets come from the story and `trawl show` prints it once.
struct HeaderBlockTests {
    let folder: URL
    let db: String
    let report: String

    init() throws {
        folder = try TrawlBinary.temporaryFolder()
        db = folder.appendingPathComponent("index.sqlite").path
        let docs = folder.appendingPathComponent("docs")
        try docs.write(
            """
            Port Audit Finds Unsafe Storage
            Date: 2025-11-04
            Author: Rana Haddad
            Source: Trawl Wire
            Tags: ports, chemicals, audit
            Places: lebanon

            BEIRUT, Nov 4 (Trawl Wire) - An audit of the port found ammonium nitrate stored beside fuel tanks, \
            the port authority said. Chemicals were moved.

            """, to: "header-report.txt")
        try docs.write(
            "Desk reminder\n\nNote: bring the lists\n\nThe tanker lists are due on Friday.\n", to: "note.txt")
        report = docs.appendingPathComponent("header-report.txt").path
        let outcome = try TrawlBinary.run(["index", docs.path, "--db", db])
        #expect(outcome.status == 0, "\(outcome.stderr)")
    }

    @Test func headerWordsAreSearchableButSnippetsComeFromTheStory() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        for query in ["audit", "haddad", "lebanon", "chemicals"] {
            let outcome = try TrawlBinary.run(["search", query, "--db", db, "--format", "json"])
            let output = try JSONDecoder().decode(SearchOutput.self, from: Data(outcome.stdout.utf8))
            #expect(output.results.map(\.path) == [report], "\(query)")
            let snippet = try #require(output.results.first?.snippet)
            #expect(snippet.hasPrefix("BEIRUT, Nov 4"), "\(query): \(snippet)")
            #expect(
                !snippet.contains("Tags:") && !snippet.contains("Author:") && !snippet.contains("Places:"))
        }
        // A body that opens with a line that only looks like a header keeps it.
        let note = try TrawlBinary.run(["search", "lists", "--db", db, "--color", "never"])
        #expect(note.stdout.contains("Note: bring the [lists]"))
    }

    @Test func showPrintsTheMetadataOnce() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = try TrawlBinary.run(["show", report, "--db", db, "--color", "never"]).stdout
        for label in ["Date:", "Author:", "Source:", "Tags:", "Places:"] {
            #expect(text.components(separatedBy: label).count == 2, "\(label) once in:\n\(text)")
        }
        #expect(text.contains("Tags:     ports, chemicals, audit"))
        #expect(text.contains("Places:   lebanon"))
        #expect(text.contains("\n\nBEIRUT, Nov 4 (Trawl Wire) - An audit"))

        struct Shown: Decodable {
            var body: String
            var headerLines: [String]
            var bodyHighlights: [[Int]]
        }
        let json = try TrawlBinary.run([
            "show", report, "--db", db, "--format", "json", "--query", "chemicals",
        ])
        let shown = try JSONDecoder().decode(Shown.self, from: Data(json.stdout.utf8))
        #expect(shown.body.hasPrefix("BEIRUT, Nov 4"))
        #expect(shown.headerLines == ["Places: lebanon"])
        let scalars = Array(shown.body.unicodeScalars)
        #expect(
            shown.bodyHighlights.map { String(String.UnicodeScalarView(scalars[$0[0]..<$0[1]])) } == [
                "Chemicals"
            ])
    }
}
