import Testing
import TrawlSearch

/// The snippet cutter picks the window with the most matched terms and marks each match.
struct SnippetTests {
    func highlighted(_ snippet: Snippet) -> [String] {
        let scalars = Array(snippet.text.unicodeScalars)
        return snippet.highlights.map { range in
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars[range])
            return text
        }
    }

    @Test func shortTextIsShownWholeWithMatchesMarked() {
        let snippet = SnippetCutter().snippet(
            of: "The grain corridor reopened on Monday.",
            matching: TermMatcher(terms: ["corridor"], prefixes: []))
        #expect(snippet.text == "The grain corridor reopened on Monday.")
        #expect(highlighted(snippet) == ["corridor"])
    }

    @Test func longTextIsCutAroundTheDensestMatchesWithEllipses() {
        let filler = (1...60).map { "word\($0)" }.joined(separator: " ")
        let text = "\(filler) the oil sanctions bite hard \(filler)"
        let snippet = SnippetCutter(windowWords: 10).snippet(
            of: text, matching: TermMatcher(terms: ["oil", "sanction"], prefixes: []))
        #expect(snippet.text.hasPrefix("…"))
        #expect(snippet.text.hasSuffix("…"))
        #expect(snippet.text.contains("the oil sanctions"))
        #expect(highlighted(snippet) == ["oil", "sanctions"])
    }

    @Test func whitespaceIsCollapsedAndOffsetsCountCodePoints() {
        let snippet = SnippetCutter().snippet(
            of: "Réunion’s\n\n   cyclone   plans", matching: TermMatcher(terms: ["cyclon"], prefixes: []))
        #expect(snippet.text == "Réunion’s cyclone plans")
        #expect(snippet.highlights == [10..<17])
    }

    @Test func prefixesHighlightEveryWordThatStartsWithThem() {
        let snippet = SnippetCutter().snippet(
            of: "Negotiators negotiated a deal.", matching: TermMatcher(terms: [], prefixes: ["negoti"]))
        #expect(highlighted(snippet) == ["Negotiators", "negotiated"])
    }

    @Test func textWithoutMatchesShowsItsOpening() {
        let snippet = SnippetCutter(windowWords: 3).snippet(
            of: "One two three four five", matching: TermMatcher(terms: ["zebra"], prefixes: []))
        #expect(snippet.text == "One two three…")
        #expect(snippet.highlights.isEmpty)
    }
}

/// `ScalarPieces` cuts at code-point offsets, whatever the bytes per code point.
@Suite struct ScalarPiecesTests {
    @Test func piecesAreTheCodePointsBetweenOffsets() {
        var pieces = ScalarPieces("Zürich 東京 🙂 e\u{301}!")
        #expect(pieces.count == 15)
        #expect(pieces.piece(0..<1) == "Z")
        #expect(pieces.piece(1..<6) == "ürich")
        #expect(pieces.piece(7..<9) == "東京")
        #expect(pieces.piece(10..<11) == "🙂")
        #expect(pieces.piece(12..<13) == "e")
        #expect(pieces.piece(13..<14).unicodeScalars.map(\.value) == [0x301])
        #expect(pieces.piece(14..<15) == "!")
        #expect(pieces.piece(15..<15) == "")
    }
}
