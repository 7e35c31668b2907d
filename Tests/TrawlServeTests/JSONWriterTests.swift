import Foundation
import Testing
import TrawlIndex

@testable import TrawlAPI
@testable import TrawlSearch

/// `JSONContract.encode` writes search responses with `JSONWriter` instead of `JSONEncoder`; the
/// bytes must stay exactly those `JSONEncoder` writes (the contract of `trawl search --format
/// json`, `/api/search` and the MCP `search` tool): for real responses, and for hostile text and
/// awkward numbers put into them.
struct JSONWriterTests {
    let folder: URL
    let store: IndexStore

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trawl-json-\(UUID().uuidString)")
        store = try IndexStore(path: folder.appendingPathComponent("index.sqlite").path)
        let hostile =
            "Quote \" backslash \\ slash / tab\t line\n DEL\u{7F} C1\u{85}\u{9F} NUL\u{0} é ✓ 🇺🇦 \u{2028}"
        let documents: [(String, String, String, Double?, DocumentMetadata)] = [
            (
                "oil.txt", "Oil prices rise", "Crude oil prices rose on Tuesday as OPEC met in Vienna.",
                1_000,
                DocumentMetadata(
                    dateSource: .metadata, author: "Ann Lee", source: "Reuters", tags: ["energy", "opec"],
                    language: "en", url: "https://example.com/a/b?c=1&d=</script>")
            ),
            (
                "hostile \u{1}.txt", "<script>alert(\"x\")</script> \(hostile)",
                "oil and \(hostile) again oil", nil,
                DocumentMetadata(author: hostile, source: "\u{9B}src", tags: [hostile, ""])
            ),
            (
                "grain.txt", "Wheat and corn", "Wheat exports and corn prices; oil barely moved.", 2_000,
                DocumentMetadata(dateSource: .dateline, source: "AP", tags: ["grain"], language: "en")
            ),
        ]
        try store.apply(
            documents.enumerated().map { index, document in
                .add(
                    DocumentRecord(
                        path: "/c/" + document.0, title: document.1, body: document.2, size: 1,
                        modificationTime: 1, inode: UInt64(index + 1), contentHash: UInt64(index + 1),
                        date: document.3.map { $0 * 86_400 }, metadata: document.4))
            })
    }

    func response(_ query: String, explains: Bool = false, facets: [DocumentFacet] = []) throws -> SearchJSON
    {
        var request = SearchRequest(query: query)
        request.facets = facets
        return try SearchJSON.search(request, with: Searcher(store: store), explains: explains).json
    }

    /// The writer's bytes, checked against `JSONEncoder`'s.
    func expectSameBytes(_ json: SearchJSON, _ comment: Comment? = nil) throws {
        let written = String(decoding: try JSONContract.encode(json), as: UTF8.self)
        let encoded = String(decoding: try JSONContract.encodeWithJSONEncoder(json), as: UTF8.self)
        #expect(written == encoded, comment)
    }

    @Test func searchResponsesAreWrittenAsJSONEncoderWritesThem() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        for query in [
            "oil", "oil prices", "\"crude oil\"", "oil -wheat", "wheat OR corn", "nothinghere", "oli",
        ] {
            try expectSameBytes(try response(query), "\(query)")
            try expectSameBytes(
                try response(query, explains: true, facets: DocumentFacet.allCases), "\(query)")
        }
        let hostile = try response("alert", explains: true, facets: DocumentFacet.allCases)
        #expect(hostile.results.count == 1)
        let written = String(decoding: try JSONContract.encode(hostile), as: UTF8.self)
        #expect(written.contains(#"Quote \" backslash \\ slash / tab\t line\n DEL\u007f C1\u0085\u009f NUL"#))
    }

    @Test func everyOptionalPartAndAwkwardNumbersAreWrittenAsJSONEncoderWritesThem() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        var json = try response("oil", explains: true, facets: [.source, .tag])
        try #require(json.results.count >= 2)
        json.groups = 7
        json.totalAllWords = nil
        json.suggestion = SearchJSON.Suggestion(
            QuerySuggestion(query: "~oil \u{7}", total: 12, kind: .spelling))
        json.notes = ["a note", "\u{1F}"]
        json.facets?["year"] = [FacetCount(value: "1987", count: 3)]
        json.results[0].fields.duplicates = [
            SearchJSON.Duplicate(path: "/c/copy.txt", title: "Copy", date: nil),
            SearchJSON.Duplicate(path: "/c/other\u{7F}.txt", title: "", date: "1987-03-01T00:00:00Z"),
        ]
        json.results[1].fields.duplicates = []
        json.results[1].fields.explain = nil
        let numbers: [Double] = [
            0, -0.0, 1, -1, 0.5, 1.0 / 3, 12.345678901234567, 1e-7, 1e-5, 0.0001, 1e15, 1e16, 1e21,
            123_456_789_012_345_678, 5e-324, .greatestFiniteMagnitude, -.leastNormalMagnitude,
        ]
        for number in numbers {
            json.results[0].fields.score = number
            json.results[0].fields.explain?.proximity = -number
            try expectSameBytes(json, "\(number)")
        }
    }

    @Test func randomTextIsEscapedAsJSONEncoderEscapesIt() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        var json = try response("oil")
        try #require(!json.results.isEmpty)
        // Every C0 and C1 control, DEL, ASCII, Latin-1, other scripts, surrogate-range
        // neighbours and astral code points, joined at random.
        let scalars: [UInt32] =
            Array(0...0xFF) + [
                0x2028, 0x2029, 0xD7FF, 0xE000, 0xFEFF, 0xFFFD, 0x1F600, 0x10FFFF, 0x0301, 0x05D0,
            ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            var text = ""
            for _ in 0..<Int.random(in: 0...40, using: &generator) {
                text.unicodeScalars.append(Unicode.Scalar(scalars.randomElement(using: &generator)!)!)
            }
            json.query = text
            json.results[0].fields.snippet = text
            json.results[0].metadata.tags = [text, text + "/"]
            try expectSameBytes(json, "\(Array(text.unicodeScalars.map(\.value)))")
        }
    }

    @Test func aScoreThatIsNotANumberIsRefusedLikeJSONEncoderRefusesIt() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        var json = try response("oil")
        try #require(!json.results.isEmpty)
        for number in [Double.nan, .infinity, -.infinity] {
            json.results[0].fields.score = number
            #expect(throws: EncodingError.self) { try JSONContract.encode(json) }
            #expect(throws: EncodingError.self) { try JSONContract.encodeWithJSONEncoder(json) }
        }
    }
}
