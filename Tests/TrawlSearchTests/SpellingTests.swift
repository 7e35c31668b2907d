import Testing

@testable import TrawlSearch

/// Issue 17: the edit distance behind did-you-mean counts a swap of neighbours as one edit.
struct SpellingTests {
    @Test(arguments: [
        ("hezbolah", "hezbollah", 1), ("tehrna", "tehran", 1), ("qattar", "qatar", 1),
        ("kuwiat", "kuwait", 1),
        ("sudanni", "sudani", 1), ("hizbolah", "hezbollah", 2), ("abc", "abc", 0), ("bring", "boieng", 2),
        ("somalia", "mali", 3),
    ])
    func editDistanceCountsDropsDoublesAndSwaps(typed: String, word: String, edits: Int) {
        #expect(Searcher.editDistance(Array(typed), Array(word), limit: 2) == min(edits, 3))
    }
}
