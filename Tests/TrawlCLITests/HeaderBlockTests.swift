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
        try docs.write(
            """
            <html lang="en"><head><title>Inspectors Return to Fordow</title>
            <meta name="author" content="Leila Farahani"><meta name="keywords" content="nuclear, iaea">
            </head><body><article><p>Agency inspectors returned to the enrichment site.</p></article></body></html>
            """, to: "fordow.html")
        try docs.write(
            "---\ntitle: Grid Outlook\nsource: Kyiv Desk\ntags: [blackout]\n---\nPower cuts eased this week.\n",
            to: "grid.md")
        try docs.write(
            #"[{"id": "s1", "title": "Smelter restarts", "body": "The smelter restarted.", "tags": ["aluminium"]}]"#,
            to: "feed.json")
        report = docs.appendingPathComponent("header-report.txt").path
        let outcome = try TrawlBinary.run(["index", docs.path, "--db", db])
        #expect(outcome.status == 0, "\(outcome.stderr)")
    }

    @Test func headerWordsAreSearchableButSnippetsComeFromTheStory() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        // Words in the story: the snippet is the story's, no header line in it.
        for query in ["audit", "chemicals"] {
            let outcome = try TrawlBinary.run(["search", query, "--db", db, "--format", "json"])
            let output = try JSONDecoder().decode(SearchOutput.self, from: Data(outcome.stdout.utf8))
            #expect(output.results.map(\.path) == [report], "\(query)")
            let snippet = try #require(output.results.first?.snippet)
            #expect(snippet.hasPrefix("BEIRUT, Nov 4"), "\(query): \(snippet)")
            #expect(
                !snippet.contains("Tags:") && !snippet.contains("Author:") && !snippet.contains("Places:"))
        }
        // Words only in header lines: the matched line, marked, then the story's opening.
        for (query, line) in [("haddad", "Author: Rana Haddad"), ("lebanon", "Places: lebanon")] {
            let outcome = try TrawlBinary.run(["search", query, "--db", db, "--format", "json"])
            let output = try JSONDecoder().decode(SearchOutput.self, from: Data(outcome.stdout.utf8))
            #expect(output.results.map(\.path) == [report], "\(query)")
            let snippet = try #require(output.results.first?.snippet)
            #expect(snippet.hasPrefix(line + " · BEIRUT, Nov 4"), "\(query): \(snippet)")
            #expect(!snippet.contains("Tags:"), "\(snippet)")
        }
        // A body that opens with a line that only looks like a header keeps it.
        let note = try TrawlBinary.run(["search", "lists", "--db", db, "--color", "never"])
        #expect(note.stdout.contains("Note: bring the [lists]"))
    }

    /// An HTML brief tagged "nuclear" matches `nuclear`; so do authors, sources and tags of every
    /// format, while snippets and `trawl show` keep them out of the text.
    @Test(arguments: [
        ("nuclear", "fordow.html", "Agency inspectors returned"),
        ("farahani", "fordow.html", "Agency inspectors"),
        ("kyiv", "grid.md", "Power cuts eased"), ("blackout", "grid.md", "Power cuts eased"),
        ("aluminium", "feed.json#s1", "The smelter restarted."),
    ])
    func metadataOfEveryFormatIsSearchableAsWords(_ query: String, _ file: String, _ story: String) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try TrawlBinary.run(["search", query, "--db", db, "--format", "json"])
        let output = try JSONDecoder().decode(SearchOutput.self, from: Data(outcome.stdout.utf8))
        #expect(
            output.results.map { $0.path.hasSuffix("/" + file) } == [true], "\(output.results.map(\.path))")
        // The word is only in the metadata: the snippet shows the line it is on, then the story.
        let snippet = output.results.first?.snippet ?? ""
        let separator = try #require(snippet.range(of: " · "), "\(snippet)")
        #expect(snippet[..<separator.lowerBound].lowercased().contains(query), "\(snippet)")
        #expect(snippet[separator.upperBound...].hasPrefix(story), "\(snippet)")
        let path = folder.appendingPathComponent("docs").path + "/" + file
        let shown = try TrawlBinary.run(["show", path, "--db", db, "--color", "never"]).stdout
        #expect(shown.contains("\n\n" + story), "\(shown)")
        for label in ["Author:", "Source:", "Tags:"] {
            #expect(shown.components(separatedBy: label).count <= 2, "\(label) at most once in:\n\(shown)")
        }
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
