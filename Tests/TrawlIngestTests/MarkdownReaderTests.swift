import Foundation
import Testing
import TrawlIndex

@testable import TrawlIngest

struct MarkdownReaderTests {
    /// The package root, found from this file's path so that any worktree works.
    static func extract(fixture name: String) throws -> Extraction {
        try FixtureFiles.extract("markdown", name, with: MarkdownReader.extract)
    }

    static func extract(_ text: String) -> Extraction {
        MarkdownReader.extract(
            Array(text.utf8), context: ExtractionContext(path: "/reports/brief.md", modificationTime: 0))
    }

    static func iso(_ seconds: Double?) -> String? {
        seconds.map { ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: $0)) }
    }

    // MARK: Fixtures

    struct FixtureCase: Sendable, CustomTestStringConvertible {
        var file: String
        var title: String
        var date: String?
        var author = ""
        var source = ""
        var tags: [String] = []
        var language = ""
        var url = ""
        var bodyContains: [String] = []
        var bodyExcludes: [String] = []
        var warning: String?
        var testDescription: String { file }
    }

    static let fixtureCases: [FixtureCase] = [
        FixtureCase(
            file: "full-front-matter.md", title: "Horn of Africa: Drought and Displacement, November Update",
            date: "2025-11-14T00:00:00Z", author: "Amina Warsame, Jonas Keller",
            source: "Trawl Regional Desk",
            tags: ["drought", "displacement", "somalia", "ethiopia"], language: "en",
            url: "https://example.org/briefs/horn-drought-november",
            bodyContains: [
                "Bottom line: a fourth failed rainy season",
                "funding covers less than a\nthird of the need.",
                "\n\nKey developments\n\nWater trucking resumed in Gedo",
                "grazing_land disputes",
                "Displacement is no longer seasonal; families are not going back.",
                "See the agency dashboard for daily figures.",
            ],
            bodyExcludes: [
                "Horn of Africa", "**", "## ", "- Water", "> ", "https://example.org/dashboard", "_less",
            ]),
        FixtureCase(
            file: "datetime-and-comma-tags.md", title: "Baltic Cable Damage Prompts NATO Patrol Review",
            date: "2025-11-20T12:45:00Z", author: "Liisa Tamm", source: "Northern Security Monitor",
            tags: ["baltic", "undersea cables", "nato", "shipping"], language: "et",
            bodyContains: [
                "Officials in Tallinn said", "the third such incident this year.\n\nInvestigators",
            ]),
        FixtureCase(
            file: "invalid-yaml.md", title: "Sudan Ceasefire Talks Stall in Jeddah", date: nil,
            bodyContains: ["Negotiators for the two warring sides left Jeddah"],
            bodyExcludes: ["Mediation Watch", "2025-11-03", "---", "Sudan Ceasefire"],
            warning:
                "front matter is not valid YAML (line 5: found unexpected end of stream while scanning a quoted scalar that starts on line 2); indexed without it"
        ),
        FixtureCase(
            file: "unclosed-front-matter.md", title: "title: Moldova Gas Contract Renewal", date: nil,
            bodyContains: ["date: 2025-10-30\n\nMoldova's energy ministry said"],
            bodyExcludes: ["---"],
            warning:
                "the front matter opened by '---' on line 1 is never closed; the file is indexed as text"),
        FixtureCase(
            file: "setext-heavy-markup.md", title: "Caspian Pipeline Exports After the Storm", date: nil,
            bodyContains: [
                "Exports through the Caspian Pipeline Consortium terminal near Novorossiysk recovered to\n1.1 1.3 million",
                "according to port data and the operator's\nweekly note.",
                "A snake_case field name like loading_rate_bpd stays as is",
                "arithmetic such as 5 * 3 = 15. Escaped *asterisks* stay literal.",
                "\n\nMap of the Caspian Pipeline route\n\nTerminal status\n\n",
                "Berth Status Cargo\nSPM-1 open Kazakh crude\nSPM-2 closed —",
                "Storm damage to SPM-3 is still being assessed.\nInspections by the operator",
                "let loadingRate = 1_300_000 // barrels a day",
                "More at https://example.org/cpc-weekly and from the desk & its partners.",
            ],
            bodyExcludes: [
                "editor:", "<span", "**", "~~", "`", "[cpc]", "cpc-port-data", "images/", "|", "---", "===",
                "```",
                "swift", "1. Storm", "&amp;", "***", "Caspian Pipeline Exports",
            ]),
    ]

    @Test(arguments: fixtureCases)
    func fixtureYieldsTitleMetadataAndCleanBody(_ example: FixtureCase) throws {
        let extraction = try Self.extract(fixture: example.file)
        #expect(extraction.skipReason == nil)
        #expect(extraction.warnings == (example.warning.map { [$0] } ?? []))
        let document = try #require(extraction.documents.first)
        #expect(extraction.documents.count == 1)
        #expect(document.record == "")
        #expect(document.title == example.title)
        #expect(Self.iso(document.date) == example.date)
        #expect(document.metadata.dateSource == (example.date == nil ? DateSource.none : DateSource.metadata))
        #expect(document.metadata.author == example.author)
        #expect(document.metadata.source == example.source)
        #expect(document.metadata.tags == example.tags)
        #expect(document.metadata.language == example.language)
        #expect(document.metadata.url == example.url)
        for sentence in example.bodyContains {
            #expect(document.body.contains(sentence), "body lacks \(sentence.debugDescription)")
        }
        for markup in example.bodyExcludes {
            #expect(!document.body.contains(markup), "body still has \(markup.debugDescription)")
        }
        #expect(!document.body.contains("\n\n\n"))
        #expect(document.body == document.body.trimmingWhitespace())
    }

    /// Every Markdown report in `Fixtures/reports` reads without warnings, with no markup left.
    @Test func sampleReportsReadCleanly() throws {
        let reports = FixtureFiles.reports
        let files = try #require(FileManager.default.enumerator(atPath: reports.path)).compactMap {
            $0 as? String
        }
        .filter { $0.hasSuffix(".md") }
        #expect(files.count >= 3)
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: reports.appendingPathComponent(file)))
            let extraction = MarkdownReader.extract(
                bytes, context: ExtractionContext(path: file, modificationTime: 0))
            #expect(extraction.warnings.isEmpty, "\(file)")
            let document = try #require(extraction.documents.first)
            #expect(!document.title.isEmpty, "\(file)")
            #expect(!document.title.hasPrefix("#"), "\(file)")
            for markup in ["**", "](", "\n- ", "\n#"] {
                #expect(!document.body.contains(markup), "\(file) still has \(markup.debugDescription)")
            }
        }
    }

    // MARK: Markup

    struct MarkupCase: Sendable, CustomTestStringConvertible {
        var markdown: String
        var title: String
        var body: String
        var testDescription: String { markdown.debugDescription }

        init(_ markdown: String, _ title: String, _ body: String) {
            self.markdown = markdown
            self.title = title
            self.body = body
        }
    }

    @Test(arguments: [
        MarkupCase("# Title #\n\nBody.", "Title", "Body."),
        MarkupCase("Intro line\n\n### Third level ###\nMore", "Third level", "Intro line\n\nMore"),
        MarkupCase("#hashtag is not a heading\nNext", "#hashtag is not a heading", "Next"),
        MarkupCase("Title\n===\nBody", "Title", "Body"),
        MarkupCase("Lead\n\nSection\n-------\nText", "Section", "Lead\n\nText"),
        MarkupCase("# T\n- one\n---\nafter", "T", "one\n\nafter"),
        MarkupCase("# T\n*em* _em_ **strong** __strong__ ~~gone~~", "T", "em em strong strong gone"),
        MarkupCase("# T\nsnake_case_name and 5 * 3 and a*b*c", "T", "snake_case_name and 5 * 3 and abc"),
        MarkupCase("# T\n***both*** and **_mixed_**", "T", "both and mixed"),
        MarkupCase("# T\nUse `a_b * c` and ``x ` y``", "T", "Use a_b * c and x ` y"),
        MarkupCase(
            "# T\n[text](https://x.org/a_(b) \"Title\") and ![alt *text*](i.png)", "T", "text and alt text"),
        MarkupCase(
            "# T\n[ref link][r1] and [collapsed][]\n\n[r1]: https://x.org", "T", "ref link and collapsed"),
        MarkupCase("# T\nFootnote [^1] and [plain brackets]", "T", "Footnote [^1] and [plain brackets]"),
        MarkupCase("# T\n<https://x.org/a_b_c> and <news@x.org>", "T", "https://x.org/a_b_c and news@x.org"),
        MarkupCase("# T\na <b>bold</b> <br/> c < d > e", "T", "a bold  c < d > e"),
        MarkupCase("# T\n\\*not em\\* \\_ \\# \\[x\\]", "T", "*not em* _ # [x]"),
        MarkupCase("# T\n> quoted\n> > nested\n>\n> after", "T", "quoted\nnested\n\nafter"),
        MarkupCase("# T\n1. first\n2) second\n+ plus\n- [x] done", "T", "first\nsecond\nplus\ndone"),
        MarkupCase("# T\n| a | b |\n|---|:-:|\n| 1 | 2 \\| 3 |\n\nAfter", "T", "a b\n1 2 | 3\n\nAfter"),
        MarkupCase(
            "# T\n```\n# not a heading\n**kept**\n```\nafter", "T", "# not a heading\n**kept**\n\nafter"),
        MarkupCase("# T\n~~~python\ncode\n\n\n\nmore code\n~~~", "T", "code\n\nmore code"),
        MarkupCase("# T\nbefore <!-- a\nmulti-line\n\ncomment --> after\nend", "T", "before\nafter\nend"),
        MarkupCase("# T\n<script>\nvar x = 1;\n</script>\n<style>p {}</style>\nText", "T", "Text"),
        MarkupCase("# T\nAT&amp;T &#233;t&#xE9; &unknown; &", "T", "AT&T été &unknown; &"),
        MarkupCase("# T\n\n\n\nPara one\n\n\n\nPara two\n", "T", "Para one\n\nPara two"),
        MarkupCase("No heading\n\nrest of **it**", "No heading", "rest of it"),
        MarkupCase("**Bold first line**\nrest", "Bold first line", "rest"),
        MarkupCase("---\ntitle: FM\n---\n# Different heading\nBody", "FM", "Different heading\n\nBody"),
        MarkupCase("---\ntitle: Same Title\n---\n# Same title!\nBody", "Same Title", "Body"),
        MarkupCase("---\n---\nFirst\nrest", "First", "rest"),
        MarkupCase("---\ntitle: Dots\n...\nBody", "Dots", "Body"),
        MarkupCase("Line one\r\nLine two\r\n\r\nNext", "Line one", "Line two\n\nNext"),
    ])
    func markupIsStrippedToText(_ example: MarkupCase) throws {
        let extraction = Self.extract(example.markdown)
        let document = try #require(extraction.documents.first)
        #expect(document.title == example.title)
        #expect(document.body == example.body)
    }

    // MARK: Front matter

    struct FrontMatterCase: Sendable, CustomTestStringConvertible {
        var yaml: String
        var warning: String
        var testDescription: String { yaml.debugDescription }
    }

    @Test(arguments: [
        FrontMatterCase(
            yaml: "title: A\n  bad: indentation",
            warning:
                "front matter is not valid YAML (line 3: mapping values are not allowed in this context); indexed without it"
        ),
        FrontMatterCase(
            yaml: "- a list\n- of items",
            warning: "front matter is a list, not a mapping of keys to values; indexed without it"),
        FrontMatterCase(
            yaml: "just words",
            warning:
                "front matter is a single value, not a mapping of keys to values; indexed without it"),
        FrontMatterCase(
            yaml: "date: next Tuesday",
            warning: "front matter date \"next Tuesday\" is not a date Trawl reads; ignored"),
    ])
    func unusableFrontMatterIsReportedAndDropped(_ example: FrontMatterCase) throws {
        let extraction = Self.extract("---\n\(example.yaml)\n---\n# Heading\nBody text.")
        #expect(extraction.warnings == [example.warning])
        let document = try #require(extraction.documents.first)
        #expect(document.title == "Heading")
        #expect(document.body == "Body text.")
        #expect(document.date == nil)
    }

    @Test func frontMatterValuesOfEveryShapeAreRead() throws {
        let markdown = """
            ---
            Title: 2025
            Published: 2025-11-18 09:30:00+03:00
            author: {name: ignored}
            authors: [{name: Rana Haddad}, Omar Said]
            publisher: Levant Monitor
            tags: beirut, ports
            categories: [ports, shipping]
            Language: AR
            link: https://example.org/p
            ---
            Body.
            """
        let document = try #require(Self.extract(markdown).documents.first)
        #expect(document.title == "2025")
        #expect(Self.iso(document.date) == "2025-11-18T06:30:00Z")
        #expect(document.metadata.author == "")
        #expect(document.metadata.source == "Levant Monitor")
        #expect(document.metadata.tags == ["beirut", "ports", "shipping"])
        #expect(document.metadata.language == "ar")
        #expect(document.metadata.url == "https://example.org/p")
        #expect(document.body == "Body.")
    }

    // MARK: Hostile input

    @Test(arguments: [
        String(repeating: "[", count: 20_000) + String(repeating: "]", count: 3),
        String(repeating: "<a", count: 20_000),
        String(repeating: "`` ` ```", count: 5_000),
        String(repeating: "*_~", count: 20_000),
        String(repeating: "](", count: 20_000),
        "---\n" + String(repeating: "key: [", count: 5_000),
        "<!--" + String(repeating: "\n", count: 1_000),
        String(repeating: "> ", count: 10_000) + "deep",
        String(repeating: "&#", count: 10_000),
    ])
    func hostileInputEndsQuickly(_ text: String) {
        let clock = ContinuousClock()
        let elapsed = clock.measure { _ = Self.extract(text) }
        #expect(elapsed < .seconds(2))
    }

    @Test func invalidUTF8IsDecodedAndReported() throws {
        let extraction = MarkdownReader.extract(
            Array("# Caf".utf8) + [0xE9] + Array("\nBody".utf8),
            context: ExtractionContext(path: "x.md", modificationTime: 0))
        #expect(extraction.documents.first?.title == "Café")
        #expect(extraction.warnings == ["the file is not valid UTF-8; decoded as Windows-1252"])
    }

    @Test func emptyFileIsSkipped() {
        #expect(Self.extract("").skipReason == "the file has no text")
        #expect(Self.extract("---\ntitle:\n---\n\n").skipReason == "the file has no text")
    }
}

/// Issue #13: front matter is bounded before Yams builds anything from it.
@Suite struct FrontMatterBudgetTests {
    @Test func aliasBombFrontMatterIsDroppedAndTheBodyKept() throws {
        let extraction = try FixtureFiles.extract("../hostile", "alias-bomb.md", with: MarkdownReader.extract)
        #expect(extraction.documents.first?.body.contains("laughter") == true)
        #expect(
            extraction.warnings.contains {
                $0.contains("front matter would expand to more than 10000 values")
            })
    }

    @Test func aliasesWithinBudgetStillWork() {
        let extraction = MarkdownReaderTests.extract(
            "---\nwho: &who Amira Hass\nauthor: *who\ntitle: Aliases\n---\n\nBody.\n")
        #expect(extraction.documents.first?.metadata.author == "Amira Hass")
        #expect(extraction.warnings.isEmpty)
    }

    @Test func deepNestingAndHugeFrontMatterAreDropped() {
        let deep =
            "---\nx: " + String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
            + "\n---\n\nBody.\n"
        #expect(MarkdownReaderTests.extract(deep).warnings.contains { $0.contains("more than 64 deep") })
        let long = "---\nnote: \"" + String(repeating: "x", count: 70_000) + "\"\n---\n\nBody.\n"
        #expect(MarkdownReaderTests.extract(long).warnings.contains { $0.contains("bytes long") })
    }

    @Test func budgetCountsExpandedAliases() {
        let budget = FrontMatterBudget()
        #expect(budget.excess(of: "a: &a [1, 2]\nb: [*a, *a]\n") == nil)
        var bomb = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...4 {
            bomb +=
                "l\(level): &l\(level) ["
                + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        #expect(budget.excess(of: bomb) != nil)
    }
}
