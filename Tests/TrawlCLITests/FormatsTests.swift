import Foundation
import Testing

/// Issue 6 through the real binary: every format in Fixtures/formats is indexed with its metadata,
/// broken files are reported without stopping the run, and searches filter by the metadata.
@Suite struct FormatsTests {
    let folder: URL
    let db: String
    static let formats = TrawlBinary.packageRoot.appendingPathComponent("Fixtures/formats")

    init() throws {
        folder = try TrawlBinary.temporaryFolder()
        db = folder.appendingPathComponent("index.sqlite").path
    }

    /// The decoded results of `trawl search --format json` with the metadata keys.
    struct Results: Decodable {
        struct Result: Decodable {
            var path: String
            var title: String
            /// Nil (`null`) for an undated document.
            var date: String?
            var dateSource: String
            var author: String
            var source: String
            var tags: [String]
            var language: String
            var url: String
        }
        var total: Int
        var results: [Result]
    }

    func search(_ arguments: [String]) throws -> Results {
        let outcome = try TrawlBinary.run(
            ["search"] + arguments + ["--db", db, "--format", "json", "--limit", "50"])
        return try JSONDecoder().decode(Results.self, from: Data(outcome.stdout.utf8))
    }

    func relative(_ path: String) -> String {
        String(path.dropFirst(Self.formats.path.count + 1))
    }

    @Test func everyFormatIsIndexedAndBrokenFilesAreReportedWithoutStoppingTheRun() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try TrawlBinary.run(["index", Self.formats.path, "--db", db])
        // Six files yield nothing (exit 1: some files could not be indexed); the rest are in.
        #expect(outcome.status == 1)
        #expect(outcome.stdout.hasPrefix("48 added, 0 updated, 0 moved, 0 removed, 0 unchanged, 6 skipped"))
        for expected in [
            "email/only-attachment.eml: no text part (only attachments)",
            "pdf/scanned-page-no-text.pdf: no text (a scanned PDF? Trawl does not do OCR)",
            "pdf/truncated-report.pdf: pdftotext could not read it (exit 1:",
            "json/feed-with-errors.jsonl: warning: record 3 (line 3) is not valid JSON",
            "markdown/invalid-yaml.md: warning: front matter is not valid YAML (line 5:",
            "html/truncated.html: warning: the HTML ends in the middle of a tag",
            "text/legacy-windows-1252.txt: warning: not valid UTF-8; decoded as Windows-1252",
        ] {
            #expect(outcome.stderr.contains(expected), "stderr lacks: \(expected)")
        }
        // Each format's document is found by its own words, with the title and date it states.
        let cases: [(query: String, path: String, title: String, date: String, author: String)] = [
            (
                "war-risk premiums", "html/news-article.html",
                "Red Sea Insurers Cut War-Risk Premiums as Attacks Ease", "2025-11-20T08:15:00Z",
                "Amina Haddad"
            ),
            (
                "farmgate", "json/wire-feed.jsonl#wf-1001", "Ghana Cocoa Regulator Raises Farmgate Price",
                "2025-11-07T10:15:00Z", ""
            ),
            (
                "mekong", "json/export-articles.json#a-17-draft", "Mekong Dams and the Dry Season",
                "2025-11-05T00:00:00Z", "Sokha Chan, Minh Tran"
            ),
            (
                "panama draft", "json/single-article.json", "Panama Canal Lifts Draft Restrictions",
                "2025-11-15T12:00:00Z", "Trawl Maritime Desk"
            ),
            (
                "rerouting insurance", "pdf/red-sea-shipping-brief.pdf",
                "Red Sea Shipping: Insurance and Rerouting",
                "2025-11-18T09:30:00Z", "Maritime Risk Desk"
            ),
        ]
        for item in cases {
            let found = try search([item.query])
            let hit = try #require(found.results.first { relative($0.path) == item.path }, "\(item.query)")
            #expect(hit.title == item.title)
            #expect(hit.date == item.date)
            #expect(hit.dateSource == "metadata")
            #expect(hit.author == item.author)
        }
        let html = try #require(try search(["war-risk premiums"]).results.first)
        #expect(html.source == "Trawl Wire")
        #expect(html.tags.contains("shipping"))
        #expect(html.language == "en")
        // Boilerplate and scripts are not indexed.
        #expect(
            try search(["newsletter subscribe"]).results.allSatisfy {
                relative($0.path) != "html/news-article.html"
            })
    }

    @Test func metadataFiltersAndDatesNarrowTheResults() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try TrawlBinary.run(["index", Self.formats.path, "--db", db])
        let tagged = try search(["tag:cocoa"])
        #expect(tagged.results.map { relative($0.path) }.contains("json/wire-feed.jsonl#wf-1001"))
        #expect(tagged.results.allSatisfy { $0.tags.contains { $0.lowercased().contains("cocoa") } })
        let byAuthor = try search(["author:haddad"])
        #expect(byAuthor.results.map { relative($0.path) } == ["html/news-article.html"])
        // --since and --until take whole days: 2025-11-18 up to the end of 2025-11-20.
        let window = try search(["", "--since", "2025-11-18", "--until", "2025-11-20"])
        #expect(window.total > 0)
        #expect(
            window.results.allSatisfy { ($0.date ?? "") >= "2025-11-18" && ($0.date ?? "") < "2025-11-21" })
        #expect(window.results.map { relative($0.path) }.contains("html/news-article.html"))
        // Newest first when only filters are given.
        #expect(window.results.map { $0.date ?? "" } == window.results.map { $0.date ?? "" }.sorted(by: >))
        let none = try TrawlBinary.run(["search", "shipping author:nobody", "--db", db])
        #expect(none.status == 1)
        let mixed = try TrawlBinary.run(["search", "oil OR tag:cocoa", "--db", db])
        #expect(mixed.status == 2)
        #expect(mixed.stderr.contains("‘tag:’ narrows the results and cannot be OR-ed"))
        let backwards = try TrawlBinary.run([
            "search", "oil", "--since", "2025-12", "--until", "2025-11", "--db", db,
        ])
        #expect(backwards.status == 2)
        #expect(backwards.stderr.contains("--since must be earlier than --until"))
        let badDate = try TrawlBinary.run(["search", "oil", "--since", "last tuesday", "--db", db])
        #expect(badDate.status == 2)
    }

    @Test func showPrintsMetadataAndTheWholeTextWithTheQueryMarked() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try TrawlBinary.run(["index", Self.formats.path, "--db", db])
        let record = Self.formats.appendingPathComponent("json/wire-feed.jsonl").path + "#wf-1002"
        let text = try TrawlBinary.run(["show", record, "--query", "lithium", "--db", db])
        #expect(text.status == 0)
        let lines = text.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "Chile Lithium Talks Enter Final Round")
        #expect(lines[1] == record)
        #expect(lines.contains("Date:     2025-11-08 (from the document's metadata)"))
        #expect(lines.contains("Author:   Camila Rojas"))
        #expect(lines.contains("Tags:     lithium, chile, mining"))
        #expect(
            text.stdout.contains(
                "began what officials called the final round of talks on a [lithium] joint venture."))
        #expect(text.stdout.contains("The agreement would run until 2060."))

        struct Shown: Decodable {
            var path: String
            var body: String
            var bodyHighlights: [[Int]]
        }
        let json = try TrawlBinary.run(["show", record, "--query", "lithium", "--db", db, "--format", "json"])
        let shown = try JSONDecoder().decode(Shown.self, from: Data(json.stdout.utf8))
        #expect(shown.path == record)
        let scalars = Array(shown.body.unicodeScalars)
        let marked = shown.bodyHighlights.map { String(String.UnicodeScalarView(scalars[$0[0]..<$0[1]])) }
        #expect(marked == ["lithium"])

        let missing = try TrawlBinary.run(["show", record + "-nope", "--db", db])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("No document ‘\(record)-nope’ in the index"))
    }

    @Test func editingOneRecordUpdatesOnlyItAndRemovedRecordsLeaveTheIndex() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let docs = folder.appendingPathComponent("docs")
        let feed = """
            {"id": "r1", "title": "Port strike in Antwerp", "body": "Dockers walked out."}
            {"id": "r2", "title": "Copper output rises", "body": "Mines in Zambia produced more."}
            {"id": "r3", "title": "Tea auction prices", "body": "Mombasa tea fetched more."}

            """
        try docs.write(feed, to: "feed.jsonl")
        let first = try TrawlBinary.run(["index", docs.path, "--db", db])
        #expect(first.stdout.hasPrefix("3 added, 0 updated, 0 moved, 0 removed, 0 unchanged"))
        let edited = feed.replacingOccurrences(of: "Mines in Zambia", with: "Mines in Chile")
            .replacingOccurrences(
                of:
                    "{\"id\": \"r3\", \"title\": \"Tea auction prices\", \"body\": \"Mombasa tea fetched more.\"}\n",
                with: "")
        try docs.write(edited, to: "feed.jsonl")
        let second = try TrawlBinary.run(["index", docs.path, "--db", db])
        #expect(second.stdout.hasPrefix("0 added, 1 updated, 0 moved, 1 removed, 1 unchanged"))
        #expect(try search(["chile"]).results.map { $0.path.hasSuffix("feed.jsonl#r2") } == [true])
        #expect(try search(["zambia"]).total == 0)
        #expect(try search(["mombasa"]).total == 0)
        // Moving the file moves its records without re-reading them.
        try FileManager.default.moveItem(
            at: docs.appendingPathComponent("feed.jsonl"), to: docs.appendingPathComponent("renamed.jsonl"))
        let third = try TrawlBinary.run(["index", docs.path, "--db", db])
        #expect(third.stdout.hasPrefix("0 added, 0 updated, 2 moved, 0 removed"))
        #expect(try search(["antwerp"]).results.map { $0.path.hasSuffix("renamed.jsonl#r1") } == [true])
        #expect(try TrawlBinary.run(["check", "--db", db]).status == 0)
    }

    @Test func withoutPdftotextPDFsAreLeftAloneWithOneNotice() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let pdfs = folder.appendingPathComponent("pdfs")
        try FileManager.default.createDirectory(at: pdfs, withIntermediateDirectories: true)
        let names = [
            "red-sea-shipping-brief.pdf", "no-info-bulletin.pdf", "scanned-page-no-text.pdf",
            "truncated-report.pdf",
        ]
        for name in names {
            try FileManager.default.copyItem(
                at: Self.formats.appendingPathComponent("pdf/\(name)"), to: pdfs.appendingPathComponent(name))
        }
        let outcome = try TrawlBinary.run(
            ["index", pdfs.path, "--db", db], environment: ["PATH": "/nonexistent"])
        #expect(outcome.stdout.hasPrefix("0 added, 0 updated, 0 moved, 0 removed, 0 unchanged, 4 skipped"))
        let notices = outcome.stderr.split(separator: "\n").filter {
            $0.contains("pdftotext is not installed")
        }
        #expect(notices.count == 1)
        #expect(
            notices.first?.contains(
                "4 PDF files were not read: pdftotext is not installed (apt-get install poppler-utils)")
                == true)
    }
}
