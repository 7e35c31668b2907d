import Foundation
import Testing

/// Issue 15, "Files Trawl does not read today", through the real binary: Word, OpenDocument and
/// RTF files are read with their properties, damaged ones are recorded failures of their own,
/// files without an extension and `--as-text` files are read as text, and files of types Trawl
/// does not read are counted once per new file and listed by `trawl status`.
@Suite struct OfficeFormatsTests {
    let folder: URL
    let db: String
    static let formats = TrawlBinary.packageRoot.appendingPathComponent("Fixtures/formats")
    static let office = formats.appendingPathComponent("office")

    init() throws {
        folder = try TrawlBinary.temporaryFolder()
        db = folder.appendingPathComponent("index.sqlite").path
    }

    struct Results: Decodable {
        struct Result: Decodable {
            var path: String
            var title: String
            var date: String?
            var dateSource: String
            var author: String
            var tags: [String]
            var language: String
        }
        var total: Int
        var results: [Result]
    }

    func search(_ query: String) throws -> Results {
        let outcome = try TrawlBinary.run(["search", query, "--db", db, "--format", "json"])
        return try JSONDecoder().decode(Results.self, from: Data(outcome.stdout.utf8))
    }

    func show(_ path: String) throws -> String {
        try TrawlBinary.run(["show", path, "--db", db]).stdout
    }

    /// Copies fixtures into a folder of the test's own.
    func copy(_ names: [String], from source: URL, into name: String) throws -> URL {
        let target = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        for file in names {
            try FileManager.default.copyItem(
                at: source.appendingPathComponent(file), to: target.appendingPathComponent(file))
        }
        return target
    }

    @Test func wordOpenDocumentAndRTFAreReadWithTheirProperties() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let docs = try copy(
            ["ceasefire-brief.docx", "port-inspection-notes.odt", "grain-shipment-memo.rtf"],
            from: Self.office,
            into: "docs")
        let outcome = try TrawlBinary.run(["index", docs.path, "--db", db])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.hasPrefix("3 added, 0 updated, 0 moved, 0 removed, 0 unchanged, 0 skipped"))
        let cases:
            [(
                query: String, file: String, title: String, date: String, author: String, tags: [String],
                lang: String
            )] =
                [
                    (
                        "quartermaster", "ceasefire-brief.docx", "Ceasefire Monitoring Brief",
                        "2025-11-12T09:00:00Z",
                        "Layla Nasser", ["ceasefire", "monitoring"], "en"
                    ),
                    (
                        "bollard", "port-inspection-notes.odt", "Port Inspection Notes",
                        "2025-11-14T07:45:00Z",
                        "Tomas Reyes", ["ports", "inspections"], "es"
                    ),
                    (
                        "зерно", "grain-shipment-memo.rtf", "Grain Shipment Memo", "2025-11-17T09:30:00Z",
                        "Olena Kovalenko", ["grain", "Odesa"], "en"
                    ),
                ]
        for item in cases {
            let found = try search(item.query)
            #expect(
                found.results.map { ($0.path as NSString).lastPathComponent } == [item.file], "\(item.query)")
            let hit = try #require(found.results.first)
            #expect(hit.title == item.title)
            #expect(hit.date == item.date)
            #expect(hit.dateSource == "metadata")
            #expect(hit.author == item.author)
            #expect(hit.tags == item.tags)
            #expect(hit.language == item.lang)
        }
        // Deleted text, field codes, comments, bookmarks, pictures and fallbacks are not text.
        for word in [
            "retractedword", "fieldcodeword", "reviewerword", "obsoleteword", "hiddenbookmarkword",
            "pictureword",
        ] {
            #expect(try search(word).total == 0, "\(word) should not be indexed")
        }
        // Headings, runs split mid-word, tables (cells joined with " | "), a text box once, footnotes.
        let word = try show(docs.appendingPathComponent("ceasefire-brief.docx").path)
        #expect(word.contains("\nKey findings\n"))
        #expect(word.contains("Observers counted fourteen violations north of the Litani & two near Naqoura"))
        #expect(word.contains("\nSector | Incidents\n\nMarjayoun | 14\n"))
        #expect(word.components(separatedBy: "Sandbag positions were photographed.").count == 2)
        #expect(word.hasSuffix("Counts from the quartermaster logs of two battalions.\n"))
        let odt = try show(docs.appendingPathComponent("port-inspection-notes.odt").path)
        #expect(odt.contains("Inspectors boarded the vessel at dawn and found the manifest in order."))
        #expect(odt.contains("Quay 4 | Dredging"))
        #expect(odt.contains("Containers sealed: 212"))
        #expect(odt.hasSuffix("The harbour master keeps the bollard register.\n"))
        // RTF: \'hh in Windows-1252 and (through \fcharset204) 1251, \u with its fallback skipped,
        // a surrogate pair, a table, a footnote at the end.
        let rtf = try show(docs.appendingPathComponent("grain-shipment-memo.rtf").path)
        #expect(
            rtf.contains(
                "The café owners in Odésa quay heard that freight now costs € 42 a tonne – up from € 35."))
        #expect(rtf.contains("зерно is the Ukrainian-Russian word on the dockside signs 😀"))
        #expect(rtf.contains("\nBerth | Tonnes\n\nPier 7 | 18000\n"))
        #expect(rtf.hasSuffix("Tonnages from the harbour elevator ledger.\n"))
        #expect(!rtf.contains("?"))
    }

    @Test func damagedAndProtectedDocumentsAreRecordedFailuresOfTheirOwn() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let docs = try copy(
            ["ceasefire-brief.docx", "truncated-brief.docx", "password-protected.docx", "zip-bomb.docx"],
            from: Self.office, into: "docs")
        let first = try TrawlBinary.run(["index", docs.path, "--db", db])
        #expect(first.status == 1)
        #expect(first.stdout.hasPrefix("1 added, 0 updated, 0 moved, 0 removed, 0 unchanged, 3 skipped"))
        let reasons = [
            "password-protected.docx: password-protected (encrypted Word document); not read",
            "truncated-brief.docx: cannot read it: not a complete ZIP archive (no central directory: truncated?)",
            "zip-bomb.docx: cannot read it: word/document.xml inflates to more than 64 MiB (a zip bomb?)",
        ]
        for reason in reasons { #expect(first.stderr.contains(reason), "stderr lacks: \(reason)") }
        #expect(try search("quartermaster").total == 1)
        let status = try TrawlBinary.run(["status", "--db", db])
        for reason in reasons { #expect(status.stdout.contains(reason), "status lacks: \(reason)") }
        // Unchanged, they are not read or reported again.
        let second = try TrawlBinary.run(["index", docs.path, "--db", db])
        #expect(second.status == 0)
        #expect(second.stderr.isEmpty)
        #expect(second.stdout.contains("3 known failures unchanged"))
    }

    @Test func filesWithoutAnExtensionAreReadAsTextWhenTheirOpeningIsText() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let plain = Self.formats.appendingPathComponent("plain")
        let docs = try copy(["WIRE0001", "WIRE0002", "SENSORDUMP"], from: plain, into: "wire")
        // Text with a control byte in it is not text either.
        try Data("Bell\u{07}ringing\n".utf8).write(to: docs.appendingPathComponent("CONTROLS"))
        let outcome = try TrawlBinary.run(["index", docs.path, "--db", db])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.hasPrefix("2 added, 0 updated, 0 moved, 0 removed, 0 unchanged, 0 skipped"))
        #expect(
            outcome.stdout.contains(
                "\n2 files of types Trawl does not read: no extension 2 — see trawl status\n"))
        #expect(outcome.stderr.contains("WIRE0002: warning: not valid UTF-8; decoded as Windows-1252"))
        let basra = try search("basra")
        #expect(basra.results.map(\.title) == ["Tanker Convoy Leaves Basra"])
        let mosul = try search("café")
        #expect(mosul.results.map(\.title) == ["Mosul Bridge Reopens"])
        // A binary file over the size limit is still a file Trawl does not read, not "too large".
        var large = Data([0x7F, 0x45, 0x4C, 0x46, 0, 1])
        large.append(Data(count: 2 * 1024 * 1024))
        try large.write(to: docs.appendingPathComponent("COREDUMP"))
        let limited = try TrawlBinary.run(["index", docs.path, "--db", db, "--max-file-size", "1"])
        #expect(limited.status == 0, "\(limited.stderr)")
        #expect(
            limited.stdout.contains(
                "\n1 file of types Trawl does not read: no extension 1 — see trawl status\n"))
        // One file named on the command line is read the same way.
        let single = try TrawlBinary.run(["index", docs.appendingPathComponent("WIRE0001").path, "--db", db])
        #expect(single.status == 0)
    }

    @Test func asTextReadsMatchingFilesAsPlainText() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let docs = folder.appendingPathComponent("logs")
        try docs.write(
            "Dispatch Log Kirkuk\n\n09:10 relay station reports generator fault.\n", to: "dispatch.log")
        try docs.write("place,count\nTikrit,12\n", to: "tables/checkpoints.csv")
        let without = try TrawlBinary.run(["index", docs.path, "--db", db, "--dry-run"])
        #expect(
            without.stdout.contains("2 files of types Trawl does not read: .csv 1, .log 1 — see trawl status")
        )
        let with = try TrawlBinary.run([
            "index", docs.path, "--db", db, "--as-text", "*.log", "--as-text", "tables/*.csv",
        ])
        #expect(with.status == 0)
        #expect(with.stdout.hasPrefix("2 added, 0 updated"))
        #expect(!with.stdout.contains("Trawl does not read"))
        #expect(try search("generator").results.map(\.title) == ["Dispatch Log Kirkuk"])
        #expect(try search("tikrit").total == 1)
    }

    @Test func filesOfTypesTrawlDoesNotReadAreCountedOncePerNewFileAndListedByStatus() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let docs = try copy(
            ["budget-2025.xlsx", "casualty-figures.xlsx", "briefing-slides.pptx"],
            from: Self.formats.appendingPathComponent("unread"), into: "mixed")
        try docs.write("Weekly Report\n\nNothing to add.\n", to: "report.txt")
        let first = try TrawlBinary.run(["index", docs.path, "--db", db])
        #expect(first.status == 0)
        #expect(
            first.stdout.contains(
                "\n3 files of types Trawl does not read: .xlsx 2, .pptx 1 — see trawl status\n"))
        let second = try TrawlBinary.run(["index", docs.path, "--db", db])
        #expect(!second.stdout.contains("Trawl does not read"))
        try docs.write("not really slides", to: "archive/old-deck.pptx")
        // A dry run tells, and remembers nothing.
        let dry = try TrawlBinary.run(["index", docs.path, "--db", db, "--dry-run"])
        #expect(dry.stdout.contains("1 file of types Trawl does not read: .pptx 1 — see trawl status"))
        let third = try TrawlBinary.run(["index", docs.path, "--db", db])
        #expect(third.stdout.contains("\n1 file of types Trawl does not read: .pptx 1 — see trawl status\n"))
        try FileManager.default.removeItem(at: docs.appendingPathComponent("budget-2025.xlsx"))
        try TrawlBinary.run(["index", docs.path, "--db", db])
        let status = try TrawlBinary.run(["status", "--db", db])
        #expect(status.stdout.contains("files of types Trawl does not read (3: .pptx 2, .xlsx 1):\n"))
        let listed = status.stdout.split(separator: "\n").filter { $0.hasPrefix("  .") }.map {
            String($0.split(separator: " ", omittingEmptySubsequences: true).first!) + " "
                + ($0.split(separator: "/").last.map(String.init) ?? "")
        }
        #expect(
            listed == [".pptx old-deck.pptx", ".pptx briefing-slides.pptx", ".xlsx casualty-figures.xlsx"])

        struct Status: Decodable {
            struct Unread: Decodable {
                var path: String
                var type: String
            }
            var unread: [Unread]
        }
        let json = try TrawlBinary.run(["status", "--db", db, "--format", "json"])
        let decoded = try JSONDecoder().decode(Status.self, from: Data(json.stdout.utf8))
        #expect(decoded.unread.map(\.type) == [".pptx", ".pptx", ".xlsx"])
    }
}
