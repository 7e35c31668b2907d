import Foundation
import Testing
import TrawlIndex

@testable import TrawlIngest

struct PlainTextReaderTests {
    static func extract(_ text: String) -> Extraction {
        PlainTextReader.extract(
            Array(text.utf8), context: ExtractionContext(path: "/tmp/x.txt", modificationTime: 0))
    }

    static func extract(fixture name: String) throws -> Extraction {
        try FixtureFiles.extract("text", name, with: PlainTextReader.extract)
    }

    /// Texts without a header block: the reader splits them exactly as `DocumentFormat.plainText`.
    @Test(arguments: [
        "", " \n\t\n", "Title", "Title\n", "\n\n  Title  \n\nBody one.\nBody two.\n\n",
        "Title\r\n\r\nBody\r\n",
        "\u{A0}\u{2003}Tête\u{3000}\n\u{2028}Corps é\u{85}", "naïve café\nbody", "# not a heading\nbody",
        "Title\n\nNote:this has no space after the colon\n", "Title\n\nhttp://example.org is a link\n",
        "Title\n\nPlaces: usa\nTopics: grain\n\nText.", "Title\nBy: Jane Roe\nFrom: Beirut\n",
        "Note: not a known key at the top\n\nBody", "Title\n\n\n\nSource:\n",
    ])
    func titleAndBodyAreSplitLikeDocumentFormat(_ text: String) throws {
        let extraction = Self.extract(text)
        let document = try #require(extraction.documents.first)
        let old = TitleSplit.split(text)
        #expect(extraction.documents.count == 1)
        #expect(document.title == old.title)
        #expect(document.body == old.body)
        #expect(extraction.warnings.isEmpty)
        #expect(extraction.skipReason == nil)
    }

    @Test func headerBlockAfterTheTitleGivesMetadataAndStaysInTheBody() throws {
        let extraction = try Self.extract(fixture: "reuters-style-header.txt")
        let document = try #require(extraction.documents.first)
        #expect(document.title == "CASPIAN PIPELINE TARIFF REVIEW")
        #expect(document.date == DateParsing.parse("2025-11-18T14:05:00Z"))
        #expect(document.metadata.dateSource == .metadata)
        #expect(document.metadata.author == "Trawl Wire energy desk")
        #expect(document.metadata.source == "Trawl Wire")
        #expect(document.metadata.tags == ["oil", "pipelines", "Caspian"])
        #expect(document.metadata.language == "en")
        #expect(document.metadata.url == "https://example.org/wire/caspian-pipeline-tariff-review")
        #expect(document.body.hasPrefix("Date: 18-NOV-2025 14:05:00.00\nAuthor: Trawl Wire energy desk\n"))
        #expect(document.body.contains("Topics: oil; pipelines, Caspian;oil\nLanguage: en-GB\nURL: "))
        #expect(document.body.contains("\n\nASTANA, Nov 18 (Trawl Wire) - Kazakhstan asked the operator"))
        #expect(document.body.hasSuffix("keep their export slots."))
        #expect(extraction.warnings.isEmpty)
    }

    @Test func headerBlockAtTheTopLeavesTheTitleToTheFirstLineAfterIt() throws {
        let extraction = try Self.extract(fixture: "header-at-top.txt")
        let document = try #require(extraction.documents.first)
        #expect(document.title == "EU Gas Storage Stays Above Target as Heating Season Starts")
        #expect(document.date == 1_762_240_500)  // Tue, 4 Nov 2025 08:15:00 +0100
        #expect(document.metadata.author == "Trawl Wire Brussels bureau")
        #expect(document.metadata.tags == ["EU", "gas storage"])
        #expect(
            document.body.hasPrefix(
                "Date: Tue, 4 Nov 2025 08:15:00 +0100\nAuthor: Trawl Wire Brussels bureau\nKeywords: EU, gas storage\n\nBRUSSELS, Nov 4"
            ))
        #expect(!document.body.contains("EU Gas Storage Stays"))
    }

    @Test func titleHeaderAtTheTopGivesTheTitle() throws {
        let extraction = Self.extract("Title: Grid Talks\nLang: FR\n\nPARIS, Nov 4 - Texte.\n")
        let document = try #require(extraction.documents.first)
        #expect(document.title == "Grid Talks")
        #expect(document.metadata.language == "fr")
        #expect(document.body == "Title: Grid Talks\nLang: FR\n\nPARIS, Nov 4 - Texte.")
    }

    @Test func unreadableDateHeaderIsAWarningAndNoDate() throws {
        let extraction = Self.extract("Title\n\nDate: 31-MAR-1987 605:12:19.12\nTopics: grain\n\nText.")
        let document = try #require(extraction.documents.first)
        #expect(document.date == nil)
        #expect(document.metadata.dateSource == DateSource.none)
        #expect(document.metadata.tags == ["grain"])
        #expect(
            extraction.warnings == [
                "the header line “Date: 31-MAR-1987 605:12:19.12” holds no date Trawl can read; ignored"
            ])
    }

    @Test func headersAreOnlyLookedForInTheFirstThirtyLines() throws {
        let text = "Title" + String(repeating: "\n", count: 40) + "Date: 2025-11-18\n\nText."
        let document = try #require(Self.extract(text).documents.first)
        #expect(document.date == nil)
    }

    /// Fixtures without a header: title, body and the day their dateline gives (reference 2026-03-01).
    @Test(arguments: [
        (
            "legacy-windows-1252.txt", "Café Owners in Tunis Face Higher Sugar Prices",
            "the capital’s cafés said on Thursday that sugar now costs € 1.20 a kilo at wholesale, and a union leader called the rise “unbearable for small businesses”.",
            "2025-11-06"
        ),
        (
            "utf16-le-bom.txt", "Moldova Signs Power Deal With Romania",
            "CHIȘINĂU, Nov 8 (Trawl Wire) - Moldova signed a two-year agreement with Romania on Saturday",
            "2025-11-08"
        ),
        (
            "utf16-be-bom.txt", "Georgia Opens Black Sea Port Tender",
            "TBILISI, Nov 9 (Trawl Wire) - Georgia opened a tender on Sunday", "2025-11-09"
        ),
        (
            "dateline-no-weekday.txt", "Cyprus Offers Grid Link Stake to Gulf Investors",
            "as the project looks for new money after a year of delays.\n\nOfficials expect a decision",
            "2025-11-03"
        ),
    ])
    func fixturesDecodeAndGiveTitleBodyAndDatelineDay(
        _ name: String, _ title: String, _ bodyPart: String, _ day: String
    ) throws {
        let extraction = try Self.extract(fixture: name)
        let document = try #require(extraction.documents.first)
        #expect(document.title == title)
        #expect(document.body.contains(bodyPart))
        #expect(!document.body.contains(title))
        #expect(document.date == nil)
        #expect(
            Dateline.date(in: document.body, reference: DatelineTests.march2026) == DateParsing.parse(day))
        if name == "legacy-windows-1252.txt" {
            #expect(extraction.warnings == ["not valid UTF-8; decoded as Windows-1252"])
        } else {
            #expect(extraction.warnings.isEmpty)
        }
    }

    @Test func datelineWithoutWeekdayTakesTheLatestDayNotAfterTheReference() throws {
        let document = try #require(try Self.extract(fixture: "dateline-no-weekday.txt").documents.first)
        let november2026 = 1_795_608_000.0  // 2026-11-25T12:00Z
        #expect(Dateline.date(in: document.body, reference: november2026) == DateParsing.parse("2026-11-03"))
    }
}

struct HostileTextTests {
    /// A deterministic xorshift generator, so failures reproduce.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
    }

    @Test(arguments: [
        [UInt8](), [0xFF, 0xFE, 0x41], [0xFE, 0xFF, 0x00], [0xEF, 0xBB, 0xBF, 0xC3],
        [0xC3, 0x28, 0x0A, 0xFF],
        Array("Title\nDate:\nTags: ;;,, ;\nLang: -\n\n".utf8),
        Array(String(repeating: "Key: ", count: 10_000).utf8),
        Array(("T\n" + String(repeating: "A: b\n", count: 100)).utf8), Array("\r\r\r:\n:\n".utf8),
    ])
    func brokenFilesStillGiveOneDocument(_ bytes: [UInt8]) {
        let extraction = PlainTextReader.extract(
            bytes, context: ExtractionContext(path: "", modificationTime: 0))
        #expect(extraction.documents.count == 1)
        #expect(extraction.skipReason == nil)
    }

    @Test func randomTextNeverCrashesAnyReader() {
        let pieces = [
            "Nov", "18", "2025", ",", " ", "-", "–", ":", ".", "+", "(", ")", "BEIRUT", "Tuesday", "T", "Z",
            "GMT",
            "\n", "Date: ", "é", "ی", "ک", "日本", "に", "\u{0}", "99999999999999999999", "pm", "Feb", "29",
        ]
        var generator = Generator(state: 0x9E37_79B9_7F4A_7C15)
        for _ in 0..<2_000 {
            let text = (0..<Int.random(in: 1...12, using: &generator)).map { _ in
                pieces.randomElement(using: &generator)!
            }.joined()
            _ = DateParsing.parse(text)
            _ = Dateline.date(in: text, reference: 1_772_323_200)
            _ = LanguageGuess.language(of: text)
            let extraction = PlainTextReader.extract(
                Array(text.utf8), context: ExtractionContext(path: "", modificationTime: 0))
            #expect(extraction.documents.count == 1)
        }
    }
}
