import Foundation
import Testing

/// Indexes the Reuters-21578 articles (../shared/corpora, ~19,000 files) and checks searches a
/// reader of wire stories would make. Skipped, with a reason, where ../shared is absent.
@Suite(
    .serialized,
    .enabled(
        if: TrawlBinary.corporaAvailable,
        "needs ../shared/corpora/reuters21578/articles beside the checkout (not found)"))
struct ReutersTests {
    static let articles = TrawlBinary.corpora.appendingPathComponent("reuters21578/articles")
    static let db: String = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trawl-reuters-\(getpid())")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("reuters.sqlite").path
    }()

    /// Indexes once per test process; later calls find the index complete and skip everything.
    static func ensureIndexed() throws -> TrawlBinary.Outcome {
        // Suites run in parallel and several share this index: a second caller waits for the first.
        try TrawlBinary.run(["index", articles.path, "--db", db, "--wait", "900"])
    }

    func search(_ query: String, limit: Int = 10) throws -> SearchOutput {
        try SearchOutput(
            json: TrawlBinary.run([
                "search", query, "--db", Self.db, "--format", "json", "--limit", "\(limit)",
            ]).stdout)
    }

    @Test func indexesEveryArticleThenFindsNothingNewOnASecondRun() throws {
        let first = try Self.ensureIndexed()
        #expect(first.status == 0, "\(first.stderr)")
        let second = try Self.ensureIndexed()
        #expect(
            second.stdout.hasPrefix("0 added, 0 updated, 0 moved, 0 removed, 19043 unchanged"),
            "\(second.stdout)")
    }

    @Test func cocoaStoriesRankFirstWithTheWordHighlighted() throws {
        _ = try Self.ensureIndexed()
        let output = try search("cocoa")
        #expect(output.total > 50)
        for result in output.results.prefix(5) {
            #expect(result.title.uppercased().contains("COCOA"), "\(result.title)")
            #expect(result.highlightedText.contains { $0.lowercased() == "cocoa" })
        }
    }

    @Test func phraseSearchFindsOnlyTheExactPhrase() throws {
        _ = try Self.ensureIndexed()
        let phrase = try search("\"trade deficit\"", limit: 50)
        let words = try search("trade deficit", limit: 50)
        #expect(phrase.total > 10)
        #expect(phrase.total < words.total)
        for result in phrase.results {
            let shown = (result.title + " " + result.snippet).lowercased()
            #expect(shown.contains("trade deficit"), "\(result.title): \(result.snippet)")
        }
    }

    @Test func dottedAcronymFindsTheSameDocumentsAsPlainAcronym() throws {
        _ = try Self.ensureIndexed()
        let dotted = try search("U.S. wheat")
        let plain = try search("US wheat")
        #expect(dotted.total > 100)
        #expect(dotted.total == plain.total)
    }

    @Test func exclusionRemovesDocuments() throws {
        _ = try Self.ensureIndexed()
        let all = try search("coffee")
        let withoutBrazil = try search("coffee -brazil")
        #expect(withoutBrazil.total > 0)
        #expect(withoutBrazil.total < all.total)
        for result in withoutBrazil.results {
            #expect(!result.snippet.lowercased().contains("brazil"))
        }
    }
}
