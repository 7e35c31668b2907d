import Foundation
import Testing
import TrawlIndex

@testable import TrawlIngest

/// `HTMLReader`: visible article text, title, `<meta>` data, charsets, entities and broken pages.
@Suite struct HTMLReaderTests {
    static let fixtures = FixtureFiles.formats("html")

    static func read(_ name: String) throws -> Extraction {
        try FixtureFiles.extract("html", name, with: HTMLReader.extract)
    }

    static func html(_ text: String) -> Extraction {
        HTMLReader.extract(
            Array(text.utf8), context: ExtractionContext(path: "/tmp/page.html", modificationTime: 0))
    }

    static func only(_ extraction: Extraction) throws -> ExtractedDocument {
        try #require(extraction.documents.count == 1)
        return extraction.documents[0]
    }

    struct FixtureCase: Sendable, CustomTestStringConvertible {
        var file: String
        var title: String
        var date: Double?
        var author: String
        var testDescription: String { file }
    }

    @Test(arguments: [
        FixtureCase(
            file: "news-article.html", title: "Red Sea Insurers Cut War-Risk Premiums as Attacks Ease",
            date: 1_763_626_500, author: "Amina Haddad"),
        FixtureCase(
            file: "title-and-paragraphs.html", title: "Qatar Starts Second Phase of North Field Expansion",
            date: nil, author: ""),
        FixtureCase(
            file: "entities.html", title: "Café Owners in Zürich Face Higher Rents", date: nil, author: ""),
        FixtureCase(
            file: "no-title-h1.html", title: "Somali Forces Retake Town From Al-Shabaab", date: nil,
            author: ""),
        FixtureCase(
            file: "french-page.html", title: "Côte d'Ivoire : l'accord sur le cacao prolongé",
            date: 1_762_732_800, author: "Service Afrique"),
        FixtureCase(
            file: "truncated.html", title: "Iraq Budget Talks Stall Over Oil Revenue Sharing",
            date: 1_762_992_000,
            author: ""),
        FixtureCase(
            file: "windows-1252.html", title: "Ankara and Washington Resume F-35 Talks", date: nil,
            author: "Zoë Müller"),
    ])
    func fixturesGiveTheirTitleDateAndAuthor(_ example: FixtureCase) throws {
        let document = try Self.only(try Self.read(example.file))
        #expect(document.title == example.title)
        #expect(document.date == example.date)
        #expect(document.metadata.dateSource == (example.date == nil ? DateSource.none : DateSource.metadata))
        #expect(document.metadata.author == example.author)
        #expect(!document.body.isEmpty)
        #expect(
            !document.body.contains("<p") && !document.body.contains("<br") && !document.body.contains("<a "))
    }

    @Test func newsArticleKeepsTheArticleAndDropsBoilerplate() throws {
        let extraction = try Self.read("news-article.html")
        #expect(extraction.warnings.isEmpty)
        let document = try Self.only(extraction)
        #expect(
            document.body.hasPrefix(
                "By Amina Haddad, Nov 19\n\nLONDON, Nov 20 (Trawl Wire) - Marine insurers"))
        #expect(document.body.contains("have lowered war-risk premiums for ships crossing"))
        #expect(document.body.contains("according to two brokers at Lloyd's of London."))
        #expect(document.body.contains("War-risk premiums, 2025."))
        #expect(document.body.hasSuffix("Reporting by Amina Haddad; editing by Tomas Berg."))
        for boilerplate in [
            "cookies", "Accept all", "Markets", "Home", "Share on X", "Related", "Houthis warn", "Sign up",
            "All rights reserved", "dataLayer", "font-family", "not text", "Red Sea Insurers Cut",
        ] {
            #expect(!document.body.contains(boilerplate), "body contains \(boilerplate)")
        }
        #expect(document.body.split(separator: "\n\n").count == 6)
    }

    @Test func newsArticleMetadataComesFromMetaAndLinkTags() throws {
        let document = try Self.only(try Self.read("news-article.html"))
        #expect(document.metadata.source == "Trawl Wire")
        #expect(document.metadata.tags == ["shipping", "Red Sea", "insurance", "Houthis", "Yemen"])
        #expect(document.metadata.language == "en")
        #expect(document.metadata.url == "https://wire.example.org/shipping/red-sea-premiums")
    }

    @Test func pageWithOnlyParagraphsKeepsThemApart() throws {
        let document = try Self.only(try Self.read("title-and-paragraphs.html"))
        #expect(
            document.body
                == "DOHA, Nov 17 (Trawl Wire) - Qatar began producing gas from the second phase of its North Field "
                + "expansion on Monday, the energy ministry said.\n\nThe new trains add about 8 million tonnes a "
                + "year of liquefied natural gas capacity, officials said.\n\nBuyers in Asia have signed most of "
                + "the new volumes under long-term contracts.")
        #expect(document.metadata == DocumentMetadata())
    }

    @Test func entitiesAndNumericReferencesAreDecodedAndBreaksKept() throws {
        let document = try Self.only(try Self.read("entities.html"))
        #expect(
            document.body.hasPrefix(
                "ZÜRICH, Nov 12 (Trawl Wire) – Landlords in the city’s old town have raised rents by 9 % this "
                    + "year—the steepest rise since 2008.\n\n"))
        #expect(
            document.body.contains(
                "“We can’t pass it all on,” said one café owner … prices are already at € 6 a coffee.\nAnother owner"
            ))
        #expect(
            document.body.contains(
                "\"manageable\".\n\nTax & fees are 3 < 4 > 2, &unknownentity; stays, &#xZZ; stays too."))
    }

    @Test func windows1252PageIsDecodedAsDeclared() throws {
        let extraction = try Self.read("windows-1252.html")
        #expect(extraction.warnings.isEmpty)
        let document = try Self.only(extraction)
        #expect(document.body.contains("(Trawl Wire) – Turkey"))
        #expect(document.body.contains("President Erdogan’s office"))
        #expect(
            document.body.contains(
                "as “constructive” and said the next round would be held in Zürich, at a cost of € 2 million."
            ))
    }

    @Test func undeclaredBadUTF8FallsBackWithAWarning() throws {
        var bytes = Array("<p>Caf".utf8)
        bytes += [0xE9]
        bytes += Array(" in Gen\u{E8}ve</p>".utf8)
        let extraction = HTMLReader.extract(
            bytes, context: ExtractionContext(path: "/x.html", modificationTime: 0))
        #expect(extraction.warnings == ["not valid UTF-8; decoded as Windows-1252"])
        #expect(try Self.only(extraction).title == "Café in GenÃ¨ve")
    }

    @Test func truncatedPageKeepsTheTextBeforeTheCut() throws {
        let extraction = try Self.read("truncated.html")
        #expect(extraction.warnings == ["the HTML ends in the middle of a tag; indexed the text before it"])
        let document = try Self.only(extraction)
        #expect(document.body.contains("before the\nend of the month.") == false)
        #expect(document.body.contains("a compromise was still possible before the end of the month."))
        #expect(document.body.hasSuffix("A finance committee member said the dispute"))
        #expect(document.metadata.language == "en")
    }

    @Test func headingRepeatingNoTitleBecomesTheTitleAndLeavesTheBody() throws {
        let document = try Self.only(try Self.read("no-title-h1.html"))
        #expect(document.body.hasPrefix("MOGADISHU, Nov 14 (Trawl Wire)"))
        #expect(document.body.hasSuffix("according to the UN."))
    }

    @Test func frenchPageDeclaresItsLanguageAndDublinCoreData() throws {
        let document = try Self.only(try Self.read("french-page.html"))
        #expect(document.metadata.language == "fr")
        #expect(document.metadata.source == "Trawl Afrique")
        #expect(document.body.contains("ont prolongé l'accord sur le prix du cacao\njusqu'à") == false)
        #expect(document.body.contains("ont prolongé l'accord sur le prix du cacao jusqu'à la fin"))
    }

    struct PageCase: Sendable, CustomTestStringConvertible {
        var html: String
        var title: String
        var body: String
        var testDescription: String { html }
    }

    @Test(arguments: [
        PageCase(html: "", title: "", body: ""),
        PageCase(html: "Just text\nand more", title: "Just text and more", body: ""),
        PageCase(
            html: "<p>First line<br>second</p><p>Third</p>", title: "First line", body: "second\n\nThird"),
        PageCase(
            html: "<title> Spaced \n Title </title><p>a <b>bold</b> word</p>", title: "Spaced Title",
            body: "a bold word"),
        PageCase(html: "<title>T</title><h1>T</h1><p>Body</p>", title: "T", body: "Body"),
        PageCase(html: "<title>T - Other Site</title><h1>T</h1><p>B</p>", title: "T - Other Site", body: "B"),
        PageCase(
            html: "<meta property='og:site_name' content=Site><title>Head | Site</title><p>B</p>",
            title: "Head", body: "B"),
        PageCase(
            html: "<meta property=og:title content='OG title'><p>Body</p>", title: "OG title", body: "Body"),
        PageCase(html: "<title>T</title><!-- <p>hidden</p> --><p>shown</p>", title: "T", body: "shown"),
        PageCase(html: "<title>T</title><p>a<![CDATA[<b>x</b>]]>b</p>", title: "T", body: "a<b>x</b>b"),
        PageCase(html: "<title>T</title><p>1 < 2 and 3 > 2</p>", title: "T", body: "1 < 2 and 3 > 2"),
        PageCase(
            html: "<title>T</title><pre>line 1\n  line 2</pre><p>after</p>", title: "T",
            body: "line 1\n  line 2\n\nafter"),
        PageCase(html: "<title>T</title><ul><li>one<li>two</ul>", title: "T", body: "one\n\ntwo"),
        PageCase(html: "<title>T</title><ul><li class=share>share<li>kept</ul>", title: "T", body: "kept"),
        PageCase(
            html: "<title>T</title><div class='headline shadow'>kept</div><div class=ad-slot>ad</div>",
            title: "T", body: "kept"),
        PageCase(
            html: "<title>T</title><table><tr><td>a<td>b<tr><td>c</table>", title: "T", body: "a b\n\nc"),
        PageCase(
            html: "<title>T</title><svg><title>icon</title><text>x</text></svg><p>text</p>", title: "T",
            body: "text"),
        PageCase(html: "<title>T</title><p hidden>secret</p><p>open</p>", title: "T", body: "open"),
        PageCase(
            html: "<title>T</title><div>unclosed <span>tags <p>still read", title: "T",
            body: "unclosed tags\n\nstill read"),
        PageCase(html: "<title>T</title><p>cut <scri", title: "T", body: "cut"),
        PageCase(html: "<title>T</title><p>x</p><script>never closed <p>", title: "T", body: "x"),
        PageCase(html: "<title>T</title><p>x</p><!-- never closed", title: "T", body: "x"),
        PageCase(html: "<title>T</title><p title=\"unclosed>x</p>", title: "T", body: ""),
        PageCase(
            html: "<title>T</title><main><p>main</p></main><article><p>art</p></article>", title: "T",
            body: "art"),
        PageCase(
            html: "<title>T</title><header>top</header><main><header>kept</header>m</main>", title: "T",
            body: "kept\n\nm"),
        PageCase(
            html: "<title>T</title><body class='has-sidebar'><p>all</p></body>", title: "T", body: "all"),
        PageCase(
            html: "<title>T</title><div class='sidebar-layout'><p>only text</p></div>", title: "T",
            body: "only text"),
        PageCase(
            html: "<title>T</title><p>a&nbsp;&nbsp;b&amp c &copy=1</p>", title: "T", body: "a b& c &copy=1"),
        PageCase(
            html: "<title>T</title><p>&#0;&#xD800;&#150;&#1114112;</p>", title: "T",
            body: "\u{FFFD}\u{FFFD}–\u{FFFD}"),
    ])
    func pagesGiveTheirTitleAndBody(_ example: PageCase) throws {
        let extraction = Self.html(example.html)
        if example.title.isEmpty && example.body.isEmpty {
            #expect(extraction.skipReason == "the HTML has no visible text")
            return
        }
        let document = try Self.only(extraction)
        #expect(document.title == example.title)
        #expect(document.body == example.body)
    }

    @Test(
        arguments: [
            ("<meta name='DC.date.issued' content='2025-11-13'>", 1_762_992_000.0),
            ("<meta name=\"sailthru.date\" content=\"2025-11-13T00:00:00Z\">", 1_762_992_000.0),
            ("<meta http-equiv=x name=pubdate content=2025-11-13>", 1_762_992_000.0),
            ("<article><time datetime='2025-11-13'>today</time></article>", 1_762_992_000.0),
            ("<p><time datetime='2025-11-13'>today</time></p>", 1_762_992_000.0),
            ("<article>x</article><aside><time datetime='2025-11-13'>y</time></aside>", nil),
            ("<meta name=date content='not a date'>", nil),
        ] as [(String, Double?)])
    func dateComesFromMetaOrTheArticlesTimeElement(html: String, date: Double?) throws {
        let document = try Self.only(Self.html("<title>T</title>" + html + "<p>Body</p>"))
        #expect(document.date == date)
    }

    @Test func metadataNamesMatchWithoutRegardToCase() throws {
        let page = """
            <HTML><HEAD><TITLE>T</TITLE>
            <META NAME="Author" CONTENT="A. Writer"><META name=author content="B. Writer">
            <meta property="Article:Author" content="https://social.example/writer">
            <meta name="KEYWORDS" content="Iran, IAEA,Iran"><meta name=dc.language content=de-CH>
            <meta property="og:url" content="https://example.org/a">
            <meta name="application-name" content="Desk App">
            </HEAD><BODY><P>Body</P></BODY></HTML>
            """
        let document = try Self.only(Self.html(page))
        #expect(document.metadata.author == "A. Writer, B. Writer")
        #expect(document.metadata.tags == ["Iran", "IAEA"])
        #expect(document.metadata.language == "de")
        #expect(document.metadata.url == "https://example.org/a")
        #expect(document.metadata.source == "Desk App")
    }

    @Test func missingClosingTagsAreReportedAsACutFile() {
        let extraction = Self.html("<html><body><p>text that stops")
        #expect(extraction.warnings.count == 1)
        #expect(extraction.documents.first?.title == "text that stops")
    }

    /// Hostile pages, each built at two sizes 16 times apart: reading the larger takes at most a
    /// linear share longer (`WorkGrowth`), and yields a document or a reason.
    @Test(arguments: [
        "<div><span class=x>", "</em>", "&&#x;&#;&", "<a href='", "<", "<!--", "<![CDATA[", "<script>",
    ])
    func hostileInputEndsInLinearTime(_ unit: String) {
        func page(_ count: Int) -> String { "<p>" + String(repeating: unit, count: count) }
        let small = page(2_500)
        let large = page(2_500 * WorkGrowth.factor)
        let ratio = WorkGrowth.ratio(small: small, large: large) { _ = Self.html($0) }
        #expect(
            ratio < WorkGrowth.linearBound, "\(unit): \(ratio)× the time for \(WorkGrowth.factor)× the input")
        let extraction = Self.html(large)
        #expect(!extraction.documents.isEmpty || extraction.skipReason != nil || !extraction.warnings.isEmpty)
    }
}
