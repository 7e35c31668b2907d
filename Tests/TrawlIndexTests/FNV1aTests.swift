import Testing
import TrawlIndex

/// FNV-1a values are stored (content hashes, the index version), so they must never change.
@Suite struct FNV1aTests {
    @Test(arguments: [
        ("", 0xcbf2_9ce4_8422_2325 as UInt64),
        ("a", 0xaf63_dc4c_8601_ec8c),
        ("foobar", 0x8594_4171_f739_67e8),
    ])
    func publishedTestVectorsHash(_ text: String, _ expected: UInt64) {
        var hash = FNV1a()
        hash.combine(Array(text.utf8))
        #expect(hash.value == expected)
    }

    /// Contiguous bytes (an array, a native string's UTF-8) and bytes that have to be stepped
    /// through (a lazy sequence) hash alike, and alike after earlier bytes.
    @Test(arguments: ["", "a", "foobar", "Café – 東京 🇺🇦 report"])
    func contiguousAndSteppedBytesHashAlike(_ text: String) {
        var fromString = FNV1a()
        fromString.combine(0x1F)
        fromString.combine(text.utf8)
        var stepped = FNV1a()
        stepped.combine(0x1F)
        stepped.combine(text.utf8.lazy.map { $0 })
        var array = FNV1a()
        array.combine(0x1F)
        array.combine(Array(text.utf8))
        #expect(fromString.value == stepped.value)
        #expect(array.value == stepped.value)
    }

    @Test func bytesFedOneByOneHashLikeASequence() {
        var whole = FNV1a()
        whole.combine(Array("report".utf8))
        var single = FNV1a()
        for byte in "report".utf8 { single.combine(byte) }
        #expect(whole.value == single.value)
    }
}

@Suite struct CivilDateTests {
    @Test func daysRoundTripThroughTheCalendar() {
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            let date = CivilDate.date(daysSince1970: days)
            #expect(CivilDate.daysSince1970(year: date.year, month: date.month, day: date.day) == days)
        }
        #expect(CivilDate.date(daysSince1970: 20_410) == (2025, 11, 18))
        #expect(CivilDate.weekday(daysSince1970: 20_410) == 2)  // a Tuesday
    }
}
