import Testing
import TrawlIndex
import TrawlText

/// Issue 17: which documents form near-duplicate groups.
struct NearDuplicateGroupingTests {
    static let words = (0..<120).map { "w\($0)" }

    /// A text of `count` words of the shared stock starting at `start`, plus `extra` new words.
    static func text(_ start: Int, _ count: Int, extra: String = "") -> String {
        words[start..<(start + count)].joined(separator: " ") + " " + extra
    }

    static func signed(_ id: Int64, _ text: String, hours: Double = 0) throws
        -> (id: Int64, signature: ShingleSignature, date: Double)
    {
        (id, try #require(ShingleSignature(text: text)), 1_763_100_000 + hours * 3600)
    }

    @Test func anUpdateChainIsOneGroupNamedByItsSmallestID() throws {
        let flash = Self.text(0, 100)
        let update1 = flash + " alpha beta gamma delta epsilon"
        let update2 = update1 + " zeta eta theta iota kappa"
        let other = Self.text(10, 40, extra: (0..<60).map { "x\($0)" }.joined(separator: " "))
        let groups = NearDuplicateGrouping.groups([
            try Self.signed(7, flash), try Self.signed(3, update1, hours: 2),
            try Self.signed(9, update2, hours: 5),
            try Self.signed(4, other),
        ])
        #expect(groups == [7: 3, 3: 3, 9: 3])
    }

    @Test func theSameWordingDaysApartIsNotTheSameStory() throws {
        let report = Self.text(0, 100)
        let groups = NearDuplicateGrouping.groups([
            try Self.signed(1, report), try Self.signed(2, report, hours: 37),
            try Self.signed(3, report, hours: 35),
        ])
        // 1 and 3 are 35 hours apart, 3 and 2 two hours: a chain.
        #expect(groups == [1: 1, 2: 1, 3: 1])
        let apart = NearDuplicateGrouping.groups([
            try Self.signed(1, report), try Self.signed(2, report, hours: 40),
        ])
        #expect(apart.isEmpty)
    }
}
