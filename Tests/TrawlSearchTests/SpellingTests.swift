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

/// Issue 20: the quick test a spelling suggestion makes on the terms of a large index, reusing
/// the edit table's rows from one sorted term to the next, keeps exactly the terms within the
/// edits `editDistance` counts.
struct SortedTermEditsTests {
    /// Every string of up to five letters over `a`–`c`, sorted as FTS5 sorts terms (by bytes).
    static let sortedTerms: [[UInt8]] = {
        var terms: [[UInt8]] = [[]]
        var all: [[UInt8]] = []
        for _ in 1...5 {
            terms = terms.flatMap { term in [UInt8]("abc".utf8).map { term + [$0] } }
            all += terms
        }
        return all.sorted { $0.lexicographicallyPrecedes($1) }
    }()

    /// Each of `sortedTerms` with how many of its first bytes it shares with the one before.
    static let sortedTermsSharing: [(term: [UInt8], shared: Int)] = zip([[]] + sortedTerms, sortedTerms).map {
        previous, term in (term, zip(previous, term).prefix { $0 == $1 }.count)
    }

    /// The edits between `word` and the ASCII bytes `term`, as spelling suggestions count them.
    static func edits(_ word: String, _ term: [UInt8], limit: Int) -> Int {
        Searcher.editDistance(Array(word), term.map { Character(UnicodeScalar($0)) }, limit: limit)
    }

    @Test(arguments: ["abca", "cabb", "bacab", "aaaa"], [1, 2])
    func keepsExactlyTheTermsWithinTheEdits(word: String, limit: Int) {
        let test = SortedTermEdits(Array(word.utf8), limit: limit)
        var kept = 0
        for (term, shared) in Self.sortedTermsSharing {
            let close = term.withUnsafeBufferPointer { test.mayBeClose($0, sharing: shared) }
            #expect(
                close == (Self.edits(word, term, limit: limit) <= limit),
                "\(String(decoding: term, as: UTF8.self))")
            if close { kept += 1 }
        }
        #expect(kept > 0)
    }

    @Test(arguments: ["abca", "cabb", "bacab"], [1, 2])
    func startsRefusedHoldNoCloseTerm(word: String, limit: Int) {
        let test = SortedTermEdits(Array(word.utf8), limit: limit)
        var refused = 0
        for (start, shared) in Self.sortedTermsSharing
        where !start.withUnsafeBufferPointer({ test.mayStart(with: $0, sharing: shared) }) {
            refused += 1
            let close = Self.sortedTerms.filter { term in
                term.starts(with: start) && Self.edits(word, term, limit: limit) <= limit
            }
            #expect(close.isEmpty, "\(String(decoding: start, as: UTF8.self))")
        }
        #expect(refused > 0)
    }

    @Test func termsOutsideASCIIAreLeftToTheirCharacters() {
        let test = SortedTermEdits(Array("cafe".utf8), limit: 1)
        let accented = Array("café".utf8)
        #expect(accented.withUnsafeBufferPointer { test.mayBeClose($0, sharing: 0) })
        let far = Array("zzzz".utf8)
        #expect(!far.withUnsafeBufferPointer { test.mayBeClose($0, sharing: 0) })
    }
}
