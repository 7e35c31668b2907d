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

/// Tokenizing while looking for some terms finds each of them exactly where a full tokenization
/// does; other words may stay unstemmed.
@Suite struct WantedTermsTests {
    static let cases: [(text: String, terms: [String], prefixes: [String])] = [
        (
            "Oil prices rose as traders priced in supply cuts; the price of crude oil fell.",
            ["oil", "price"], []
        ),
        (
            "Interest rates: the bank raised its interest rate; rates rose, interestingly.",
            ["interest", "rate"], []
        ),
        (
            "Hoping, hoped and hopes: dying, lying and tying; happy, happier, happily.",
            ["hope", "die", "happi"], []
        ),
        ("Producers produced products; profits and programs, provisionally.", [], ["pro"]),
        (
            "Hizballah said Hezbollah’s leaders met; U.S. trade talks on 2025-11-11.",
            ["~hazbala", "us", "trade"], []
        ),
        ("Said Company Companies Markets Exchange Billion Reuters Officials", ["compani", "market"], []),
    ]

    @Test(arguments: cases.indices)
    func wantedTermsAreFoundAtTheSamePositions(index: Int) {
        let (text, terms, prefixes) = Self.cases[index]
        func positions(_ wanted: WantedTerms?) -> [String] {
            var found: [String] = []
            var position = -1
            var copy = text
            copy.withUTF8 { bytes in
                let body: (UnsafeBufferPointer<UInt8>, Int, Int, Bool) -> Bool = {
                    term, start, end, colocated in
                    if !colocated || position < 0 { position += 1 }
                    let term = String(decoding: term, as: UTF8.self)
                    if terms.contains(term) || prefixes.contains(where: term.hasPrefix) {
                        found.append("\(term)@\(position) \(start)-\(end)")
                    }
                    return true
                }
                if let wanted {
                    Tokenizer().tokenize(utf8: bytes, lookingFor: wanted, body)
                } else {
                    Tokenizer().tokenize(utf8: bytes, body)
                }
            }
            return found
        }
        let everything = positions(nil)
        #expect(!everything.isEmpty)
        #expect(positions(WantedTerms(terms: terms, prefixes: prefixes)) == everything)
    }

    @Test func wordsThatCannotBecomeAWantedTermStayUnstemmed() {
        var terms: [String] = []
        var copy = "traders priced oil"
        copy.withUTF8 { bytes in
            Tokenizer().tokenize(utf8: bytes, lookingFor: WantedTerms(terms: ["oil"])) { term, _, _, _ in
                terms.append(String(decoding: term, as: UTF8.self))
                return true
            }
        }
        #expect(terms == ["traders", "priced", "oil"])
    }

    @Test func keysAreMadeOnlyWhenAKeyIsWanted() {
        func terms(_ wanted: WantedTerms) -> [String] {
            var terms: [String] = []
            var copy = "Hizballah leaders"
            copy.withUTF8 { bytes in
                Tokenizer().tokenize(utf8: bytes, lookingFor: wanted) { term, _, _, _ in
                    terms.append(String(decoding: term, as: UTF8.self))
                    return true
                }
            }
            return terms
        }
        #expect(terms(WantedTerms(terms: ["leader"])) == ["hizballah", "leader"])
        #expect(terms(WantedTerms(terms: ["~hazbala", "leader"])) == ["hizballah", "~hazbala", "leader"])
    }
}
