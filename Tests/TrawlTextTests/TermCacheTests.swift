import Foundation
import Testing

@testable import TrawlText

/// All tokens of `text` tokenized through `cache`.
private func tokens(in text: String, cache: inout TermCache) -> [Token] {
    var result: [Token] = []
    var copy = text
    copy.withUTF8 { bytes in
        Tokenizer().tokenize(utf8: bytes, cache: &cache) { term, start, end, colocated in
            result.append(
                Token(
                    term: String(decoding: term, as: UTF8.self), start: start, end: end, colocated: colocated)
            )
            return true
        }
    }
    return result
}

@Suite struct TermCacheTests {
    static let texts = [
        "The company said talks with Hezbollah, Hizballah and Hizbullah resumed.",
        "Tehran’s al-Sudani met U.S.-brokered negotiators; the cease-fire held.",
        "Generously, generously, GENEROUSLY: international relations, nationalization.",
        "Mohammed and Muhammad visited Makkah; Qassem and Qasem left on 2025-11-11.",
        "Straße, Rosalía and réunion; F-35 and 150,000 dlrs at 3.5 pct; l'issue don't.",
        "extraordinarily internationalization counterrevolutionaries Abcdefghijklmnopq",
        "Said Company Companies Markets Exchange Billion Reuters Officials Quarterly",
    ]

    @Test(arguments: texts)
    func cachedTokensEqualUncachedTokens(_ text: String) {
        var cache = TermCache()
        let expected = Tokenizer().tokens(in: text)
        #expect(tokens(in: text, cache: &cache) == expected)
        // The second pass finds every word in the cache.
        #expect(tokens(in: text, cache: &cache) == expected)
    }

    @Test func oneCacheServesDifferentTexts() {
        var cache = TermCache()
        for text in Self.texts + Self.texts.reversed() {
            #expect(tokens(in: text, cache: &cache) == Tokenizer().tokens(in: text))
        }
    }

    @Test(.enabled(if: Corpora.isAvailable, "needs ../shared/corpora (not found)"))
    func cachedTokensEqualUncachedTokensOnReuters() throws {
        let files = try FileManager.default.contentsOfDirectory(
            at: Corpora.reutersArticles, includingPropertiesForKeys: nil
        ).sorted { $0.path < $1.path }.prefix(400)
        var cache = TermCache()
        var mismatches = 0
        for file in files {
            let text = String(decoding: try Data(contentsOf: file), as: UTF8.self)
            if tokens(in: text, cache: &cache) != Tokenizer().tokens(in: text) { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }
}
