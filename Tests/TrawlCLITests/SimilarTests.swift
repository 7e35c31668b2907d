import Foundation
import Testing

/// Issue 17, `trawl similar`: the documents most like one, by its distinctive terms, leaving out
/// its own near-duplicates; also for a file that is not in the index.
@Suite(.serialized)
struct SimilarTests {
    struct Output: Decodable {
        struct Result: Decodable {
            var rank: Int
            var path: String
            var title: String
            var score: Double
        }
        var source: String?
        var terms: [String]
        var results: [Result]
    }

    static let db: String = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trawl-similar-\(getpid())")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("fixtures.sqlite").path
        _ = try? TrawlBinary.run(["index", TrawlBinary.fixtures.path, "--db", path])
        return path
    }()

    static let chain = [
        "gulf/hormuz-tanker-seizure.txt", "gulf/hormuz-tanker-seizure-update-1.txt",
        "gulf/hormuz-tanker-seizure-update-2.txt",
    ]

    func similar(_ arguments: [String]) throws -> (TrawlBinary.Outcome, Output?) {
        let outcome = try TrawlBinary.run(["similar"] + arguments + ["--db", Self.db, "--format", "json"])
        return (outcome, try? JSONDecoder().decode(Output.self, from: Data(outcome.stdout.utf8)))
    }

    func relative(_ path: String) -> String { String(path.dropFirst(TrawlBinary.fixtures.path.count + 1)) }

    @Test func similarLeavesOutTheDocumentsOwnGroupAndRanksByDistinctiveTerms() throws {
        let path = TrawlBinary.fixtures.appendingPathComponent(Self.chain[0]).path
        let (outcome, output) = try similar([path, "--limit", "5"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let found = (output?.results ?? []).map { relative($0.path) }
        #expect(found.count == 5)
        #expect(Set(found).isDisjoint(with: Self.chain), "\(found)")
        #expect(output?.source == path)
        // The other stories of tankers and Iranian pressure at sea come first.
        #expect(
            found.first.map {
                ["yemen-red-sea-shipping.txt", "markets/us-oil-sanctions-shadow-fleet.txt"].contains($0)
            }
                == true, "\(found)")
        #expect(output.map { $0.results.map(\.score) == $0.results.map(\.score).sorted(by: >) } == true)
        #expect(output?.terms.contains("hormuz") == true, "\(output?.terms ?? [])")
        #expect(output?.terms.contains("seizure") == true, "\(output?.terms ?? [])")
    }

    /// `--file` reads a file as `trawl index` would: a `.txt` report, or the same report under a
    /// name without an extension (a wire file such as `WIRE0001`).
    @Test(arguments: ["report.txt", "WIRE0001"])
    func aFileOutsideTheIndexFindsTheSameDocumentsLeavingOutItsCopies(name: String) throws {
        let folder = try TrawlBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = folder.appendingPathComponent(name)
        try FileManager.default.copyItem(
            at: TrawlBinary.fixtures.appendingPathComponent(Self.chain[2]), to: copy)
        let (outcome, output) = try similar(["--file", copy.path, "--limit", "5"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let found = (output?.results ?? []).map { relative($0.path) }
        #expect(found.count == 5)
        #expect(Set(found).isDisjoint(with: Self.chain), "\(found)")
        #expect(output?.source == nil)
    }

    @Test func aRewiredCopyIsNotSimilarToItsOriginalButToOtherStories() throws {
        let path = TrawlBinary.fixtures.appendingPathComponent("markets/latam-bond-spreads.txt").path
        let (_, output) = try similar([path])
        let found = (output?.results ?? []).map { relative($0.path) }
        #expect(!found.isEmpty)
        #expect(!found.contains("markets/latam-bond-spreads-andes-wire.txt"))
    }

    @Test func unknownDocumentsAndUnreadableFilesSaySo() throws {
        let missing = try TrawlBinary.run(["similar", "/nowhere/report.txt", "--db", Self.db])
        #expect(missing.status == 1)
        #expect(
            missing.stderr.contains("No document ‘/nowhere/report.txt’ in the index"), "\(missing.stderr)")
        let unreadable = try TrawlBinary.run(["similar", "--file", "/nowhere/report.txt", "--db", Self.db])
        #expect(unreadable.status == 2)
        #expect(
            unreadable.stderr.contains("Cannot read /nowhere/report.txt: no such file."),
            "\(unreadable.stderr)")
        let spreadsheet = try TrawlBinary.run(["similar", "--file", "/nowhere/figures.xlsx", "--db", Self.db])
        #expect(spreadsheet.status == 2)
        #expect(spreadsheet.stderr.contains("not a format Trawl reads (.txt, .md,"), "\(spreadsheet.stderr)")
        let both = try TrawlBinary.run(["similar", "a.txt", "--file", "b.txt", "--db", Self.db])
        #expect(both.status == 2)
        #expect(both.stderr.contains("Give either an indexed document or --file FILE"))
    }
}
