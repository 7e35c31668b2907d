import Foundation
import Testing
import TrawlIndex

@testable import TrawlIngest

struct JSONRecordReaderTests {
    static func extract(fixture name: String) throws -> Extraction {
        try FixtureFiles.extract("json", name, with: JSONRecordReader.extract)
    }

    static func extract(_ text: String, path: String, fields: RecordFields = RecordFields()) -> Extraction {
        JSONRecordReader.extract(
            Array(text.utf8),
            context: ExtractionContext(path: path, modificationTime: 0, recordFields: fields))
    }

    static func iso(_ seconds: Double?) -> String? {
        seconds.map { ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: $0)) }
    }

    // MARK: Fixtures

    struct RecordCase: Sendable, CustomTestStringConvertible {
        var record: String
        var title: String
        var date: String?
        var author = ""
        var source = ""
        var tags: [String] = []
        var language = ""
        var url = ""
        var body: String
        var testDescription: String { record }
    }

    @Test func mixedFieldNamesInAFeedAreMapped() throws {
        let extraction = try Self.extract(fixture: "wire-feed.jsonl")
        #expect(extraction.warnings.isEmpty)
        #expect(extraction.skipReason == nil)
        let expected: [RecordCase] = [
            RecordCase(
                record: "wf-1001", title: "Ghana Cocoa Regulator Raises Farmgate Price",
                date: "2025-11-07T10:15:00Z",
                source: "Trawl Wire", tags: ["cocoa", "ghana", "commodities"],
                url: "https://example.org/wire/1001",
                body:
                    "Ghana's cocoa regulator raised the price paid to farmers by a fifth on Friday, citing smuggling to neighbouring countries."
            ),
            RecordCase(
                record: "wf-1002", title: "Chile Lithium Talks Enter Final Round",
                date: "2025-11-08T00:00:00Z",
                author: "Camila Rojas", tags: ["lithium", "chile", "mining"],
                url: "https://example.org/wire/1002",
                body:
                    "Chile's state copper company and a private miner began what officials called the final round of talks on a lithium joint venture.\n\nThe agreement would run until 2060."
            ),
            RecordCase(
                record: "wf-1003", title: "Philippine Coast Guard Reports Shoal Incident",
                date: "2025-11-10T10:40:00Z",
                tags: ["south-china-sea", "philippines"],
                body:
                    "The Philippine coast guard said one of its vessels was struck by a water cannon near a disputed shoal.\n\nManila summoned the ambassador & lodged a protest."
            ),
            RecordCase(
                record: "wf-1004", title: "Kenya Tea Auction Prices Slip", date: "2025-11-10T05:00:00Z",
                author: "Wanjiru Mwangi, Otieno Odhiambo", language: "en",
                body:
                    "Prices at the Mombasa tea auction slipped for a third week.\n\nBrokers blamed weaker demand from Pakistan."
            ),
            RecordCase(
                record: "wf-1005", title: "Indonesia Nickel Export Quota Under Review",
                date: "2025-11-11T12:00:00Z",
                tags: ["nickel", "indonesia"], url: "https://example.org/wire/1005",
                body:
                    "Indonesia's mining ministry is reviewing nickel ore quotas after smelters reported shortages."
            ),
            RecordCase(
                record: "wf-1006", title: "Peru Copper Mine Blockade Lifted", date: "2025-11-12T21:30:00Z",
                body:
                    "Community leaders lifted a blockade of the road to a large copper mine in southern Peru after a deal on water rights."
            ),
        ]
        #expect(extraction.documents.count == expected.count)
        for (document, example) in zip(extraction.documents, expected) {
            #expect(document.record == example.record)
            #expect(document.title == example.title)
            #expect(Self.iso(document.date) == example.date)
            #expect(document.metadata.dateSource == .metadata)
            #expect(document.metadata.author == example.author)
            #expect(document.metadata.source == example.source)
            #expect(document.metadata.tags == example.tags)
            #expect(document.metadata.language == example.language)
            #expect(document.metadata.url == example.url)
            #expect(document.body == example.body)
        }
    }

    @Test func badLinesAreReportedAndTheRestIsRead() throws {
        let extraction = try Self.extract(fixture: "feed-with-errors.jsonl")
        #expect(extraction.skipReason == nil)
        #expect(
            extraction.warnings == [
                "record 3 (line 3) is not valid JSON (Invalid value around character 36); skipped",
                "record 4 (line 5) has no title or text; skipped",
                "record 5 (line 6) is a list, not an object; skipped",
            ])
        #expect(extraction.documents.map(\.record) == ["1", "2", "7"])
        #expect(extraction.documents.last?.title == "Algeria Raises Gas Exports to Italy")
        #expect(
            extraction.documents.allSatisfy { $0.date == nil && $0.metadata.dateSource == DateSource.none })
    }

    @Test func exportWithArticlesArrayUsesMillisecondDatesAndAuthorLists() throws {
        let extraction = try Self.extract(fixture: "export-articles.json")
        #expect(extraction.warnings.isEmpty)
        #expect(extraction.documents.count == 2)
        let mekong = try #require(extraction.documents.first)
        #expect(mekong.record == "a-17-draft")
        #expect(mekong.title == "Mekong Dams and the Dry Season")
        #expect(Self.iso(mekong.date) == "2025-11-05T00:00:00Z")
        #expect(mekong.metadata.author == "Sokha Chan, Minh Tran")
        #expect(mekong.metadata.tags == ["mekong", "water", "cambodia"])
        #expect(
            mekong.body
                == "Water levels on the lower Mekong fell below the seasonal average in Cambodia.\n\nFisheries officials in Tonle Sap reported smaller catches."
        )
        let garment = extraction.documents[1]
        #expect(garment.record == "2")
        #expect(garment.metadata.author == "Farhana Islam")
        #expect(Self.iso(garment.date) == "2025-11-06T00:00:00Z")
    }

    @Test func singleObjectIsAWholeFileDocument() throws {
        let extraction = try Self.extract(fixture: "single-article.json")
        #expect(extraction.warnings.isEmpty)
        let document = try #require(extraction.documents.first)
        #expect(extraction.documents.count == 1)
        #expect(document.record == "")
        #expect(document.title == "Panama Canal Lifts Draft Restrictions")
        #expect(Self.iso(document.date) == "2025-11-15T12:00:00Z")
        #expect(document.metadata.author == "Trawl Maritime Desk")
        #expect(document.metadata.source == "Trawl Shipping")
        #expect(document.metadata.tags == ["panama", "shipping", "water"])
        #expect(document.metadata.language == "es")
        #expect(document.body.hasPrefix("The Panama Canal Authority said rainfall had refilled Gatun Lake"))
        #expect(document.body.hasSuffix("\nShipping lines welcomed the decision."))
    }

    @Test func duplicateIdsGetNumberedSuffixes() throws {
        let extraction = try Self.extract(fixture: "duplicate-ids.ndjson")
        #expect(extraction.warnings.isEmpty)
        // "brief-2" is another record's own id, so the second "brief" becomes "brief-3".
        #expect(extraction.documents.map(\.record) == ["brief", "brief-3", "brief-2", "brief-4", "5"])
        #expect(extraction.documents[1].title == "Morning Brief: Black Sea")
    }

    // MARK: Shapes and values

    @Test(arguments: [
        ("{\"feed\": {\"entries\": [{\"title\": \"A\"}, {\"title\": \"B\"}]}}", ["A", "B"]),
        ("{\"meta\": {\"count\": 1}, \"items\": [{\"title\": \"A\"}]}", ["A"]),
        ("{\"zeta\": [{\"title\": \"Z\"}], \"hits\": [{\"title\": \"H\"}]}", ["H"]),
        ("[{\"title\": \"A\"}, 3, {\"body\": \"First line\\nSecond\"}]", ["A", "First line"]),
    ])
    func recordArraysAreFoundInsideObjects(_ json: String, _ titles: [String]) {
        let extraction = Self.extract(json, path: "/data/Export.JSON")
        #expect(extraction.documents.map(\.title) == titles)
    }

    @Test func bodyTakenFromFirstLineWhenTitleIsMissing() throws {
        let extraction = Self.extract("{\"text\": \"\\n  Opening line  \\nMore text.\"}", path: "x.json")
        let document = try #require(extraction.documents.first)
        #expect(document.title == "Opening line")
        #expect(document.body == "More text.")
    }

    @Test func htmlBodiesBecomeText() throws {
        let body =
            "<div><h2>Heading</h2><p>First &amp; <b>bold</b>.</p><script>var x = '<p>';</script><p>Second&nbsp;line<br>next &#8211; end</p></div>"
        let json = "{\"title\": \"T\", \"body\": \"\(body.replacingOccurrences(of: "\"", with: "\\\""))\"}"
        let document = try #require(Self.extract(json, path: "x.json").documents.first)
        #expect(document.body == "Heading\n\nFirst & bold.\n\nSecond line\nnext – end")
    }

    @Test func keysAreCleanedAndFieldListsAreConfigurable() throws {
        var fields = RecordFields()
        fields.id = ["ref"]
        fields.title = ["label"]
        fields.body = ["paras"]
        let json = """
            {"ref": "a#b\\nc", "label": "Custom", "paras": ["one", "", "two"], "id": "ignored", "title": "ignored"}
            {"ref": 12345678901234567890, "LABEL": "Big id"}
            {"ref": "   ", "label": "Blank id"}
            """
        let extraction = Self.extract(json, path: "x.ndjson", fields: fields)
        #expect(extraction.documents.map(\.record) == ["a-b-c", "12345678901234567890", "3"])
        #expect(extraction.documents.map(\.title) == ["Custom", "Big id", "Blank id"])
        #expect(extraction.documents.first?.body == "one\n\ntwo")
    }

    @Test(arguments: [
        ("1762771200", "2025-11-10T10:40:00Z"),
        ("1762771200000", "2025-11-10T10:40:00Z"),
        ("\"1762771200\"", "2025-11-10T10:40:00Z"),
        ("\"2025-11-10\"", "2025-11-10T00:00:00Z"),
        ("true", nil),
        ("\"soon\"", nil),
        ("[2025]", nil),
    ])
    func datesAreReadFromStringsAndEpochNumbers(_ value: String, _ iso: String?) {
        let document = Self.extract("{\"title\": \"T\", \"date\": \(value)}", path: "x.json").documents.first
        #expect(Self.iso(document?.date) == iso)
    }

    @Test(arguments: [
        ("x.json", "{\"title\": ", "not valid JSON (Unexpected end of file during JSON parse)"),
        ("x.json", "\"just a string\"", "the file holds a single string, not records"),
        ("x.json", "[]", "no record has a title or text"),
        ("x.json", "{\"title\": \"\", \"tags\": [\"a\"]}", "no record has a title or text"),
        ("x.jsonl", "nope\n{broken", "no line is valid JSON"),
        ("x.jsonl", "\n\n", "no line is valid JSON"),
        ("x.jsonl", "{\"tags\": []}", "no record has a title or text"),
    ])
    func filesWithNothingToIndexAreSkipped(_ path: String, _ text: String, _ reason: String) {
        #expect(Self.extract(text, path: path).skipReason == reason)
    }

    @Test func deeplyNestedInputIsRefusedNotCrashed() {
        let nested = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(
            Self.extract(nested, path: "x.json").skipReason?.hasPrefix("not valid JSON (Too many nested")
                == true)
        let extraction = Self.extract(nested + "\n{\"title\": \"After\"}", path: "x.jsonl")
        #expect(extraction.documents.map(\.title) == ["After"])
        #expect(extraction.warnings.count == 1)
    }

    @Test func manyBadLinesGiveOneSummaryWarning() {
        let lines = (1...50).map { "bad line \($0)" } + ["{\"title\": \"Good\"}"]
        let extraction = Self.extract(lines.joined(separator: "\n"), path: "x.jsonl")
        #expect(extraction.documents.map(\.record) == ["51"])
        #expect(extraction.warnings.count == 21)
        #expect(extraction.warnings.last == "30 more records had problems and were skipped")
    }

    // MARK: Streaming (large JSON Lines files)

    /// Streams `text` from a file with tiny windows and returns every document and the warnings.
    static func stream(_ text: String, windowSize: Int, laterHolders: Int) throws -> (
        documents: [ExtractedDocument], warnings: [String], emptyReason: String?
    ) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("feed.jsonl").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let file = try FileSystem.openFile(path, limit: .max).get()
        var stream = JSONLinesStream(
            file: file, context: ExtractionContext(path: path, modificationTime: 0), windowSize: windowSize,
            laterHoldersPerWindow: laterHolders)
        var documents: [ExtractedDocument] = []
        while let window = stream.next() { documents += window }
        #expect(stream.failure == nil)
        return (documents, stream.warnings, stream.emptyReason)
    }

    /// Lines that exercise keys (ids repeated, an id that looks like a suffixed key, no id),
    /// bad and blank lines, a byte order mark, CRLF endings, a line longer than any window, and
    /// no final newline.
    static let awkwardFeed =
        "\u{FEFF}{\"id\": \"a\", \"title\": \"First a\"}\n"
        + "{\"id\": \"a\", \"title\": \"Second a\"}\n"
        + "\n   \n"
        + "{\"title\": \"No id\"}\r\n"
        + "not json\n"
        + "{\"id\": \"a-2\", \"title\": \"Own a-2\"}\n"
        + "{\"id\": \"a\", \"title\": \"Third a\"}\n"
        + "[1, 2]\n"
        + "{\"id\": \"b\", \"title\": \"Long\", \"body\": \"\(String(repeating: "word ", count: 400))\"}\n"
        + "{\"id\": \"b\", \"title\": \"Second b\"}\n"
        + "{\"title\": \"Last, unterminated\"}"

    @Test(arguments: [(16, 1), (100, 2), (1 << 20, 2_000)])
    func streamingGivesTheSameRecordsAndKeysAsReadingWhole(windowSize: Int, laterHolders: Int) throws {
        let whole = Self.extract(Self.awkwardFeed, path: "feed.jsonl")
        let streamed = try Self.stream(Self.awkwardFeed, windowSize: windowSize, laterHolders: laterHolders)
        func byKey(_ documents: [ExtractedDocument]) -> [String: String] {
            Dictionary(uniqueKeysWithValues: documents.map { ($0.record, $0.title + "|" + $0.body) })
        }
        #expect(streamed.documents.count == whole.documents.count)
        #expect(byKey(streamed.documents) == byKey(whole.documents))
        #expect(byKey(streamed.documents)["a-3"]?.hasPrefix("Second a|") == true)
        #expect(byKey(streamed.documents)["a-2"]?.hasPrefix("Own a-2|") == true)
        #expect(streamed.warnings == whole.warnings)
        #expect(streamed.emptyReason == nil)
    }

    @Test func streamingSaysWhyAFileGaveNothing() throws {
        #expect(try Self.stream("\n  \n\n", windowSize: 4, laterHolders: 1).emptyReason == "empty file")
        #expect(
            try Self.stream("nope\n{bad\n", windowSize: 4, laterHolders: 1).emptyReason
                == "no line is valid JSON")
        #expect(
            try Self.stream("{\"x\": 1}\n", windowSize: 4, laterHolders: 1).emptyReason
                == "no record has a title or text")
    }

    /// The records of a `.json` text read one by one (nil when it is read whole instead), or why
    /// it is not valid.
    static func streamRecords(_ text: String) -> (documents: [ExtractedDocument], warnings: [String])?? {
        switch JSONRecordsStream.open(
            Array(text.utf8), context: ExtractionContext(path: "x.json", modificationTime: 0))
        {
        case .invalid: return .some(nil)
        case .wholeFile: return nil
        case .records(var stream):
            var documents: [ExtractedDocument] = []
            while let window = stream.next() { documents += window }
            return (documents, stream.warnings)
        }
    }

    @Test(arguments: [
        #"[{"id": "a", "title": "A"}, {"id": "a", "title": "A again"}, 7, {"id": "a-2", "title": "Own"}, {"x": 1}]"#,
        #"{"meta": {"n": 2}, "articles": [{"title": "One"}, {"title": "Two", "body": "x\"]}"}]}"#,
        #"{"feed": {"title": "Feed", "entries": [{"title": "In"}, {"title": "Side"}]}}"#,
        #"\#u{FEFF} [ {"title": "[not a bracket]"} , {"title": "{neither}"} ] "#,
    ])
    func largeJSONFilesGiveTheSameRecordsOneByOne(_ text: String) throws {
        let whole = Self.extract(text, path: "x.json")
        let streamed = try #require(Self.streamRecords(text) ?? nil)
        #expect(streamed.documents.map(\.record).sorted() == whole.documents.map(\.record).sorted())
        #expect(
            Set(streamed.documents.map { $0.record + "|" + $0.title + "|" + $0.body })
                == Set(whole.documents.map { $0.record + "|" + $0.title + "|" + $0.body }))
        #expect(streamed.warnings == whole.warnings)
    }

    @Test func largeJSONFilesThatAreOneRecordOrBrokenAreNotStreamed() {
        // A record with an array inside is one document, read whole.
        #expect(Self.streamRecords(#"{"title": "T", "body": "B", "items": [{"a": 1}]}"#) == nil)
        #expect(Self.streamRecords(#""just a string""#) == nil)
        for broken in [#"[{"title": "A"}"#, #"[{"title": "A"]}"#, #"[{"title": "unclosed}]"#, #"[1] [2]"#] {
            #expect((Self.streamRecords(broken) ?? .some(([], []))) == nil, "\(broken)")
        }
    }
}
