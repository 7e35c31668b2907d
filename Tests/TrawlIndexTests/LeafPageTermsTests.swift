import Foundation
import Testing
import TrawlText

@testable import TrawlIndex

/// Spelling suggestions list the index's terms from FTS5's leaf pages instead of `fts5vocab`
/// (which reads every posting): the list must hold every term `fts5vocab` lists, whatever the
/// segments, page breaks and removals, and nothing else that still has documents.
struct LeafPageTermsTests {
    @Test func theLeafPagesListEveryTermFTS5VocabListsAfterAdditionsAndRemovals() throws {
        let scratch = ScratchIndex("leaf-terms")
        defer { scratch.remove() }
        let store = try IndexStore(path: scratch.path)
        var random = IncrementalRegroupingTests.Generator(state: 7)
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        // 3,000 made-up words; a few in most documents, so their postings span many pages.
        let words = (0..<3_000).map { _ in
            String((0..<(3 + random.next(9))).map { _ in letters[random.next(26)] })
        }
        func record() -> DocumentRecord {
            let body = (0..<120).map { _ in
                words[random.next(3) == 0 ? random.next(20) : random.next(words.count)]
            }
            return scratch.record(body.joined(separator: " "), title: "T")
        }
        for run in 1...12 {
            var changes: [DocumentChange] = (0..<150).map { _ in .add(record()) }
            if run > 6 {
                let files = try store.storedFiles(under: "/r", after: nil, limit: 100_000)
                changes += files.filter { _ in random.next(4) == 0 }.map { .remove(id: $0.id) }
            }
            try store.apply(changes, run: Int64(run))
        }
        var listed = 0
        for letter in letters.map(String.init) + ["ab", "zz"] {
            let fromPages = Set(try store.terms(startingWith: letter, lengths: 1...64))
            let fromVocabulary = Set(try store.vocabularyTerms(startingWith: letter, lengths: 1...64))
            #expect(
                fromVocabulary.isSubset(of: fromPages), "\(letter): \(fromVocabulary.subtracting(fromPages))")
            let extra = fromPages.subtracting(fromVocabulary)
            #expect(
                try store.documentFrequencies(of: extra).isEmpty, "\(letter): terms with documents left out")
            #expect(fromPages.allSatisfy { $0.hasPrefix(letter) })
            listed += fromVocabulary.count
        }
        #expect(listed > 2_000, "the test lists most of its words")
        // Lengths are counted in characters.
        let short = try store.terms(startingWith: "a", lengths: 3...4)
        #expect(!short.isEmpty && short.allSatisfy { (3...4).contains($0.count) })
    }
}
