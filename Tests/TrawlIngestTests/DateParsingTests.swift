import Testing
import TrawlIndex

@testable import TrawlIngest

struct DateParsingTests {
    /// Expected values computed independently (Python's `datetime(...).timestamp()`).
    @Test(arguments: [
        ("2025-11-18", 1_763_424_000.0),
        ("  2025-11-18\n", 1_763_424_000),
        ("2025-11-18T09:30:00Z", 1_763_458_200),
        ("2025-11-18T09:30:00.123Z", 1_763_458_200.123),
        ("2025-11-18 09:30:00+03:00", 1_763_447_400),
        ("2025-11-18T09:30:00+0300", 1_763_447_400),
        ("2025-11-18T09:30-05:00", 1_763_476_200),
        ("Tue, 18 Nov 2025 09:30:00 +0300", 1_763_447_400),
        ("18 Nov 2025 09:30:00 -0800", 1_763_487_000),
        ("Tue, 18 Nov 2025 09:30:00 +0000 (UTC)", 1_763_458_200),
        ("Tue, 18 Nov 2025 09:30:00 GMT", 1_763_458_200),
        ("18 Nov 2025 09:30 UT", 1_763_458_200),
        ("Tue, 18 Nov 2025 09:30:00 EST", 1_763_476_200),
        ("Tue, 18 Nov 2025 09:30:00 PDT", 1_763_483_400),
        ("Tue, 18 Nov 25 09:30:00 +0300", 1_763_447_400),
        ("Thu, 26 Feb 87 15:01:01 GMT", 541_350_061),
        ("26-FEB-1987 15:01:01.79", 541_350_061.79),
        ("18 Nov 2025", 1_763_424_000),
        ("Nov 18, 2025", 1_763_424_000),
        ("November 18, 2025", 1_763_424_000),
        ("18 November 2025 14:05", 1_763_474_700),
        ("Nov 18, 2025 at 2:05 pm", 1_763_474_700),
        ("Sept 3, 1999", 936_316_800),
        ("2025/11/18", 1_763_424_000),
        ("20251118", 1_763_424_000),
        ("Tue Nov 18 09:30:00 2025", 1_763_458_200),
        ("2025-11", 1_761_955_200),
        ("2024-02-29", 1_709_164_800),
        ("1731920000", 1_731_920_000),
        ("1731920000123", 1_731_920_000.123),
    ])
    func knownFormatsGiveExactSeconds(_ text: String, _ expected: Double) throws {
        let seconds = try #require(DateParsing.parse(text))
        #expect(abs(seconds - expected) < 0.0005, "\(text) → \(seconds), expected \(expected)")
    }

    @Test(arguments: [
        "", "   ", "hello", "2025-13-45", "2025-02-30", "2025-11-18T25:00", "2025-11-18T09:61",
        "18/11/2025", "Nov 2025 banana", "31-MAR-1987 605:12:19.12", "2025-11-18 09:30 +0300 +0100",
        "Febtember 3, 2025", "2025-11-18T09:30+2500", "2025-11-18T09:30+03:75", "12345",
        "2025-11-18T09:30:00Zulu", "(unclosed 2025-11-18",
    ])
    func nonsenseIsRejected(_ text: String) {
        #expect(DateParsing.parse(text) == nil)
    }

    @Test func dayArithmeticRoundTripsAcrossCenturies() {
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            let civil = CivilDate.date(daysSince1970: days)
            #expect(CivilDate.daysSince1970(year: civil.year, month: civil.month, day: civil.day) == days)
        }
        #expect(CivilDate.weekday(daysSince1970: 0) == 4)  // 1970-01-01 was a Thursday
        #expect(CivilDate.weekday(daysSince1970: 20_410) == 2)  // 2025-11-18 was a Tuesday
    }
}
