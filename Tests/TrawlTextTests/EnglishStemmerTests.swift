import Foundation
import Testing
import TrawlText

/// The Snowball English test vocabulary in `../shared/corpora/snowball` (see its PROVENANCE.md).
private enum SnowballVocabulary {
    /// `<package root>/../shared/corpora/snowball`, found from this file so any worktree works.
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // TrawlTextTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .deletingLastPathComponent()
        .appendingPathComponent("shared/corpora/snowball")
    static let wordsFile = folder.appendingPathComponent("english-voc.txt")
    static let stemsFile = folder.appendingPathComponent("english-output.txt")

    static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: wordsFile.path)
            && FileManager.default.fileExists(atPath: stemsFile.path)
    }

    /// The lines of `file` as bytes; blank lines are kept so the two files stay aligned.
    static func lines(of file: URL) throws -> [[UInt8]] {
        var lines = try Data(contentsOf: file).split(
            separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false
        )
        .map { Array($0) }
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }
}

@Suite struct EnglishStemmerTests {
    let stemmer = EnglishStemmer()

    @Test(.enabled(if: SnowballVocabulary.isAvailable, "needs ../shared/corpora/snowball (not found)"))
    func stemsTheWholeSnowballVocabularyExactly() throws {
        let words = try SnowballVocabulary.lines(of: SnowballVocabulary.wordsFile)
        let stems = try SnowballVocabulary.lines(of: SnowballVocabulary.stemsFile)
        try #require(words.count == stems.count, "english-voc.txt and english-output.txt differ in length")
        try #require(words.count > 40_000, "vocabulary unexpectedly short: \(words.count) lines")

        var mismatches: [String] = []
        var mismatchCount = 0
        var word: [UInt8] = []
        for (input, expected) in zip(words, stems) {
            word.removeAll(keepingCapacity: true)
            word.append(contentsOf: input)
            stemmer.stem(&word)
            if word != expected {
                mismatchCount += 1
                if mismatches.count < 20 {
                    let text = { (bytes: [UInt8]) in String(decoding: bytes, as: UTF8.self) }
                    mismatches.append("\(text(input)) → expected \(text(expected)), got \(text(word))")
                }
            }
        }
        #expect(
            mismatchCount == 0,
            """
            \(mismatchCount) of \(words.count) words stem wrongly; first \(mismatches.count):
            \(mismatches.joined(separator: "\n"))
            """)
    }

    /// What `WantedTerms` relies on to skip stemming words that cannot become a wanted term:
    /// a stem keeps the word's first letter and is never longer than the word.
    @Test(.enabled(if: SnowballVocabulary.isAvailable, "needs ../shared/corpora/snowball (not found)"))
    func everyStemKeepsTheFirstLetterAndIsNoLongerThanItsWord() throws {
        let words = try SnowballVocabulary.lines(of: SnowballVocabulary.wordsFile)
        try #require(words.count > 40_000, "vocabulary unexpectedly short: \(words.count) lines")
        var exceptions: [String] = []
        for input in words where input.count > 2 && input.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) {
            var word = input
            stemmer.stem(&word)
            if word.first != input.first || word.count > input.count {
                exceptions.append(
                    "\(String(decoding: input, as: UTF8.self)) → \(String(decoding: word, as: UTF8.self))")
            }
        }
        #expect(exceptions.isEmpty, "\(exceptions.count) stems break the rule: \(exceptions.prefix(20))")
    }

    /// Expected stems copied from the Snowball vocabulary (english-output.txt).
    @Test(arguments: [
        ("consign", "consign"), ("consigned", "consign"), ("generously", "generous"), ("knightly", "knight"),
        ("running", "run"), ("cease", "ceas"), ("negotiations", "negoti"), ("agreement", "agreement"),
        ("hopping", "hop"), ("hoping", "hope"), ("added", "add"), ("eggs", "egg"), ("happy", "happi"),
        ("flying", "fli"), ("sayings", "say"), ("yelling", "yell"), ("fluently", "fluentli"),
        ("generate", "generat"), ("communism", "communism"), ("arsenal", "arsenal"), ("pasted", "paste"),
        ("universal", "universal"), ("international", "internat"), ("geologist", "geolog"),
    ])
    func stemsOrdinaryWords(word: String, expected: String) {
        #expect(stemmer.stem(word) == expected)
    }

    @Test(arguments: [
        ("skies", "sky"), ("skis", "ski"), ("sky", "sky"), ("dying", "die"), ("vying", "vie"),
        ("idly", "idl"),
        ("gently", "gentl"), ("ugly", "ugli"), ("early", "earli"), ("only", "onli"), ("singly", "singl"),
        ("news", "news"), ("howe", "howe"), ("atlas", "atlas"), ("cosmos", "cosmos"), ("bias", "bias"),
        ("andes", "andes"), ("inning", "inning"), ("innings", "inning"), ("outing", "outing"),
        ("canning", "canning"), ("herring", "herring"), ("earring", "earring"), ("evening", "evening"),
        ("proceed", "proceed"), ("proceeding", "proceed"), ("exceeded", "exceed"), ("succeeding", "succeed"),
    ])
    func exceptionWordsGetTheirFixedStems(word: String, expected: String) {
        #expect(stemmer.stem(word) == expected)
    }

    @Test(arguments: [
        ("there's", "there"), ("'s'", "s"), ("'a'", "a"), ("'s", "'s"), ("a''", "a'"), ("'''", "'"),
    ])
    func apostrophesFollowTheAlgorithm(word: String, expected: String) {
        #expect(stemmer.stem(word) == expected)
    }

    @Test(arguments: ["a", "is", "as", "by", "", "é"])
    func wordsShorterThanThreeLettersStayUnchanged(word: String) {
        #expect(stemmer.stem(word) == word)
    }

    @Test func nonASCIILettersCountAsNonVowels() {
        #expect(stemmer.stem("cafés") == "café")
        #expect(stemmer.stem("naïve") == "naïv")
    }

    @Test func stemmingInPlaceKeepsTheArrayStorage() {
        var word = Array("negotiations".utf8)
        let before = word.withUnsafeBufferPointer { $0.baseAddress }
        stemmer.stem(&word)
        #expect(word == Array("negoti".utf8))
        #expect(word.withUnsafeBufferPointer { $0.baseAddress } == before)
    }
}
