import Foundation
import Testing

/// `trawl search --facets`: counts over the whole result set, each equal to the total of the
/// search narrowed to that value.
@Suite(.serialized)
struct FacetTests {
    struct Output: Decodable {
        struct Count: Decodable, Equatable {
            var value: String
            var count: Int
        }
        var total: Int
        var results: [SearchOutput.Result]
        var facets: [String: [Count]]?
    }

    static let db: String = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-facets-\(getpid())")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let db = folder.appendingPathComponent("index.sqlite").path
        _ = try? TrawlBinary.run(["index", TrawlBinary.fixtures.path, "--db", db])
        return db
    }()

    func search(_ arguments: [String], db: String = Self.db) throws -> Output {
        let outcome = try TrawlBinary.run(["search"] + arguments + ["--db", db, "--format", "json"])
        return try JSONDecoder().decode(Output.self, from: Data(outcome.stdout.utf8))
    }

    @Test func countsCoverTheWholeResultSetNotThePage() throws {
        let page = try search(["said", "--limit", "1", "--facets", "year,folder,lang"])
        let bigPage = try search(["said", "--limit", "100", "--facets", "year,folder,lang"])
        #expect(page.results.count == 1)
        #expect(page.total > 10)
        #expect(page.facets == bigPage.facets)
        #expect(page.facets?["year"]?.map(\.count).reduce(0, +) == page.total)
        let folders = try #require(page.facets?["folder"])
        #expect(folders.count > 1)
        #expect(folders.map(\.count) == folders.map(\.count).sorted(by: >))
    }

    /// An undated document (no date in its text or metadata) counts under no year or month; the
    /// search answers instead of stopping on its missing date.
    @Test func anUndatedDocumentCountsUnderNoYear() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trawl-undated-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let reports = folder.appendingPathComponent("reports")
        try FileManager.default.createDirectory(at: reports, withIntermediateDirectories: true)
        try "Undated note\n\nThe pipeline carried oil, and nothing here says when.\n"
            .write(to: reports.appendingPathComponent("undated.txt"), atomically: true, encoding: .utf8)
        try "Date: 2025-11-18\nTitle: Dated note\n\nOil prices rose.\n"
            .write(to: reports.appendingPathComponent("dated.txt"), atomically: true, encoding: .utf8)
        let db = folder.appendingPathComponent("index.sqlite").path
        _ = try TrawlBinary.run(["index", reports.path, "--db", db])
        let outcome = try TrawlBinary.run(
            ["search", "oil", "--facets", "year,month,source", "--db", db, "--format", "json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let output = try JSONDecoder().decode(Output.self, from: Data(outcome.stdout.utf8))
        #expect(output.total == 2)
        #expect(output.facets?["year"] == [Output.Count(value: "2025", count: 1)])
        #expect(output.facets?["month"] == [Output.Count(value: "2025-11", count: 1)])
    }

    @Test(arguments: [("source", "source"), ("author", "author"), ("tag", "tag")])
    func eachValueCountsWhatItsFilterFinds(facet: String, field: String) throws {
        let faceted = try search(["oil OR sanctions OR energy", "--facets", facet])
        let values = try #require(faceted.facets?[facet])
        #expect(!values.isEmpty)
        for value in values {
            let narrowed = try search(["oil OR sanctions OR energy \(field):\"\(value.value)\""])
            #expect(narrowed.total == value.count, "\(facet) \(value.value)")
        }
    }

    @Test func folderCountsMatchPathFilters() throws {
        let faceted = try search(["said", "--facets", "folder"])
        for value in try #require(faceted.facets?["folder"]) {
            // path: takes the folder's own files and those below it; count only its own files.
            // Facets count documents, so every near-duplicate is listed too.
            let narrowed = try search(["said", "path:\"\(value.value)\"", "--limit", "1000", "--no-collapse"])
            let own = narrowed.results.filter {
                ($0.path as NSString).deletingLastPathComponent == value.value
            }
            #expect(own.count == value.count, "\(value.value)")
        }
    }

    @Test func textOutputListsTopValuesAfterTheResults() throws {
        let outcome = try TrawlBinary.run(["search", "oil", "--db", Self.db, "--facets", "source,tag,year"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("\nsource: Trawl Wire 1\n"))
        // Five stories give their year; two give only a day, dated to the latest such day before
        // the checkout, so their year depends on when the fixtures were checked out.
        #expect(outcome.stdout.contains("\nyear: 2025 5 · "))
        let bad = try TrawlBinary.run(["search", "oil", "--db", Self.db, "--facets", "colour"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--facets"))
    }

    @Test(.reutersArticles)
    func reutersOilCountsEqualDirectCounts() throws {
        _ = try ReutersTests.ensureIndexed()
        let faceted = try search(["oil", "--facets", "year,month"], db: ReutersTests.db)
        #expect(faceted.total > 500)
        #expect(faceted.facets?["year"]?.map(\.count).reduce(0, +) == faceted.total)
        let months = try #require(faceted.facets?["month"])
        #expect(months.count >= 2)
        for month in months {
            let direct = try search(
                ["oil", "--since", month.value, "--until", month.value], db: ReutersTests.db)
            #expect(direct.total == month.count, "\(month.value)")
        }
    }
}
