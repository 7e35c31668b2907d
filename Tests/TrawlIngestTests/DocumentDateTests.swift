import Testing
import TrawlIndex

@testable import TrawlIngest

/// Issue 15: a document's date comes from the strongest evidence, and without evidence there is
/// no date.
struct DocumentDateTests {
    static func day(_ iso: String) -> Int { Int(DateParsing.parse(iso)! / 86_400) }

    @Test(arguments: [
        ("Prepared for the Iraq desk, 12 November 2025.", "2025-11-12"),
        ("Analyst brief, Nov 17, 2025.", "2025-11-17"),
        ("Analyst brief, November 17th, 2025, for the desk.", "2025-11-17"),
        ("Status as of 2025-11-17: calm.", "2025-11-17"),
        ("Filed 2025/11/17.", "2025-11-17"),
        ("Seen on 17/11/2025 at the border.", "2025-11-17"),
        ("Seen on 11/17/2025 at the border.", "2025-11-17"),
        ("Am 7. Nov. 2025 in Zürich.", "2025-11-07"),
        ("Le 12 novembre 2025, à Abidjan.", "2025-11-12"),
        ("Tuesday, 18 November 2025 09:30", "2025-11-18"),
        ("Sent 05.05.2025.", "2025-05-05"),
    ])
    func writtenFullDatesAreRead(_ text: String, _ expected: String) {
        #expect(WrittenDate.firstDay(in: text) == Self.day(expected))
    }

    @Test(arguments: [
        "Seen on 05/11/2025 at the border.",  // 5 November or May 11: ambiguous
        "BEIRUT, Nov 18 (Trawl Wire) - Talks resumed.",  // no year
        "Flight 2025-11-17-3 was delayed.",  // part of a longer number
        "Serial A-2025-11-17 was logged.",
        "In November 2025 prices rose.",  // no day
        "He scored 12 of 30 in 2025.",
        "Room 31/12/99.",
        "On 31 February 2025 nothing happened.",
        "A 1066 battle on 14 October 1066.",  // out of range
    ])
    func textWithoutAFullUnambiguousDateGivesNone(_ text: String) {
        #expect(WrittenDate.firstDay(in: text) == nil)
    }

    @Test(arguments: [
        ("/r/wire/2025-11-18-baghdad.txt", PathDate.day(day("2025-11-18"))),
        ("/r/wire/baghdad_20251118.txt", .day(day("2025-11-18"))),
        ("/r/wire/2025/11/18/story.txt", .day(day("2025-11-18"))),
        ("/r/wire/2025/11/story.txt", .month(year: 2025, month: 11)),
        ("/r/wire/2025-11/story.txt", .month(year: 2025, month: 11)),
        ("/r/2019/wire/story.txt", .year(2019)),
        ("/r/2019/2025-11-18/story.txt", .day(day("2025-11-18"))),
    ])
    func pathsGiveTheirDate(_ path: String, _ expected: PathDate) {
        #expect(PathDate.evidence(in: path) == expected)
    }

    @Test(arguments: [
        "/r/report-2019/story.txt", "/r/wire/story-123456789.txt", "/r/1234/story.txt",
        "/r/wire/2025-13-01.txt", "/r/wire/story.txt",
    ])
    func pathsWithoutADateGiveNone(_ path: String) {
        #expect(PathDate.evidence(in: path) == nil)
    }

    /// 2026-12-06T12:00Z: a fresh modification time, a year after the stories.
    static let fresh = 1_796_558_400.0

    @Test(arguments: [
        // A dateline without a year takes it from a written date near the top …
        (
            "/r/a.txt", "Talks\n", "BEIRUT, Nov 18 - Talks resumed on Monday. Agreed on 17 November 2025.",
            "2025-11-18", DateSource.dateline
        ),
        // … else from the path …
        ("/r/2025/11/a.txt", "Talks\n", "BEIRUT, Nov 18 - Talks resumed on Monday.", "2025-11-18", .dateline),
        ("/r/2025-11-19-a.txt", "Talks\n", "BEIRUT, Nov 18 - Talks resumed.", "2025-11-18", .dateline),
        // … else the latest such day on or before the modification time, whatever the weekday.
        ("/r/a.txt", "Talks\n", "BEIRUT, Nov 18 - Talks resumed on Tuesday.", "2026-11-18", .dateline),
        ("/r/a.txt", "Brief\n", "Prepared for the Iraq desk, 12 November 2025.", "2025-11-12", .text),
        ("/r/2025-11-18-a.txt", "Brief\n", "No date in here.", "2025-11-18", .path),
    ])
    func evidenceIsWeighedStrongestFirst(
        _ path: String, _ title: String, _ body: String, _ expected: String, _ source: DateSource
    ) {
        let document = ExtractedDocument(title: title, body: body)
        let date = DocumentDate.Evidence.strongest(for: document, path: path, modified: Self.fresh).date
        #expect(date.seconds == Double(Self.day(expected)) * 86_400)
        #expect(date.source == source)
    }

    @Test func metadataWinsAndNothingMeansUndated() {
        var dated = ExtractedDocument(title: "T", body: "BEIRUT, Nov 18 - Talks. 12 November 2024.")
        dated.date = 1_763_424_000
        let metadata = DocumentDate.Evidence.strongest(
            for: dated, path: "/r/2019/a.txt", modified: Self.fresh)
        #expect(metadata.date.seconds == 1_763_424_000)
        #expect(metadata.date.source == .metadata)

        let undated = ExtractedDocument(title: "Note", body: "Oil exports rose on Tuesday.")
        let none = DocumentDate.Evidence.strongest(
            for: undated, path: "/r/2019/note.txt", modified: Self.fresh)
        #expect(none == .none)
        #expect(none.date.seconds == nil)
        #expect(none.date.source == DateSource.none)
    }
}
