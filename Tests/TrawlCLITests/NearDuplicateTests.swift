import Foundation
import Testing

/// Issue 17, near-duplicates: a flash and its updates, or one story on two wires, show as one
/// hit (the newest version, the others listed with it), and reindexing keeps the groups in step.
@Suite(.serialized)
struct NearDuplicateTests {
    /// The JSON of `trawl search`, with the near-duplicate fields.
    struct Output: Decodable {
        struct Duplicate: Decodable, Equatable {
            var path: String
            var title: String
            var date: String
        }
        struct Result: Decodable {
            var path: String
            var title: String
            var score: Double
            var duplicates: [Duplicate]?
        }
        var total: Int
        var groups: Int?
        var results: [Result]
    }

    static let db: String = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trawl-near-duplicates-\(getpid())")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("fixtures.sqlite").path
        _ = try? TrawlBinary.run(["index", TrawlBinary.fixtures.path, "--db", path])
        return path
    }()

    static let root = TrawlBinary.fixtures.path + "/"

    func search(_ query: String, _ extra: [String] = [], db: String = Self.db) throws -> Output {
        let outcome = try TrawlBinary.run(["search", query, "--db", db, "--format", "json"] + extra)
        return try JSONDecoder().decode(Output.self, from: Data(outcome.stdout.utf8))
    }

    func relative(_ path: String) -> String { String(path.dropFirst(Self.root.count)) }

    @Test func anUpdateChainShowsOnceAsItsNewestVersion() throws {
        let output = try search("tanker Hormuz")
        #expect(output.total == 3)
        #expect(output.groups == 1)
        #expect(output.results.map { relative($0.path) } == ["gulf/hormuz-tanker-seizure-update-2.txt"])
        #expect(
            output.results.first?.duplicates?.map { relative($0.path) } == [
                "gulf/hormuz-tanker-seizure-update-1.txt", "gulf/hormuz-tanker-seizure.txt",
            ])
        #expect(output.results.first?.duplicates?.first?.date == "2025-11-14T13:05:00Z")
    }

    @Test func aRewiredCopyShowsOnceAndTheTextSaysSo() throws {
        let text = try TrawlBinary.run(["search", "bonds", "--db", Self.db, "--color", "never"])
        #expect(text.status == 0)
        #expect(
            text.stdout.contains("+1 earlier version: \(Self.root)markets/latam-bond-spreads"),
            "\(text.stdout)")
        #expect(text.stdout.contains("3 matching documents (2 once near-duplicates are shown together)"))
        let chain = try TrawlBinary.run(["search", "tanker Hormuz", "--db", Self.db, "--color", "never"])
        #expect(chain.stdout.contains("+2 earlier versions: "), "\(chain.stdout)")
    }

    @Test func noCollapseShowsEveryVersion() throws {
        let output = try search("tanker Hormuz", ["--no-collapse"])
        #expect(output.total == 3)
        #expect(output.groups == nil)
        #expect(
            Set(output.results.map { relative($0.path) }) == [
                "gulf/hormuz-tanker-seizure.txt", "gulf/hormuz-tanker-seizure-update-1.txt",
                "gulf/hormuz-tanker-seizure-update-2.txt",
            ])
        #expect(output.results.allSatisfy { $0.duplicates == nil })
    }

    @Test func groupCountsDoNotDependOnThePage() throws {
        let whole = try search("said", ["--limit", "100"])
        #expect(whole.total == 33)
        #expect(whole.groups == 30)
        #expect(whole.results.count == 30)
        var paged: [String] = []
        for offset in stride(from: 0, to: 30, by: 7) {
            let page = try search("said", ["--limit", "7", "--offset", "\(offset)"])
            #expect(page.total == 33)
            #expect(page.groups == 30)
            paged += page.results.map(\.path)
        }
        #expect(paged == whole.results.map(\.path))
    }

    /// A frequent word's groups are counted from its champion list (its documents in groups,
    /// stored with the list); a date-ordered search counts them over every match. Both must agree,
    /// with and without an exclusion, before and after the list is stored, on any page.
    @Test(.reutersArticles)
    func reutersGroupCountsAgreeWhicheverWayTheyAreCounted() throws {
        _ = try ReutersTests.ensureIndexed()
        for query in ["said", "U.S.", "said -oil", "oil -opec", "oil prices", "\"crude oil\""] {
            let counted = try search(query, ["--sort", "date"], db: ReutersTests.db)
            let groups = try #require(counted.groups, "\(query)")
            #expect(groups < counted.total, "\(query): some matches are in groups")
            var pages: [[String]] = []
            for _ in 0..<2 {
                let first = try search(query, ["--limit", "10"], db: ReutersTests.db)
                #expect(first.total == counted.total, "\(query)")
                #expect(first.groups == groups, "\(query)")
                let second = try search(query, ["--limit", "5", "--offset", "5"], db: ReutersTests.db)
                #expect(second.groups == groups, "\(query)")
                #expect(first.results.suffix(5).map(\.path) == second.results.map(\.path), "\(query)")
                pages.append(
                    first.results.map {
                        $0.path + " " + ($0.duplicates ?? []).map(\.path).joined(separator: ",")
                    })
            }
            #expect(pages[0] == pages[1], "\(query): the stored list changes nothing")
        }
    }

    @Test func aVersionTheQueryDoesNotMatchIsNotListed() throws {
        // Only the first flash names Hizballah.
        let output = try search("Hizballah")
        #expect(output.results.contains { relative($0.path) == "gulf/hormuz-tanker-seizure.txt" })
        #expect(output.results.allSatisfy { $0.duplicates == [] })
    }

    /// A long shared text, so the two versions below are near-duplicates.
    static let sharedBody = """
        BAGHDAD, Nov 20 (Trawl Wire) - Iraq resumed crude exports from Kirkuk through the northern pipeline \
        on Thursday after a three-week halt, the oil ministry said, with flows expected to \
        reach 185,000 barrels per day by the end of the month. Engineers repaired the damaged \
        section near the border crossing overnight, and tankers were loading at the terminal. The \
        ministry said payments would go through the federal budget account as agreed in October, \
        and officials in Erbil said the arrangement would be reviewed at the end of the year.
        """

    @Test func theBestScoringVersionStandsForTheGroupWhenTheNewestScoresFarLower() throws {
        let folder = try TrawlBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("index.sqlite").path
        try folder.write(
            "Pipeline repaired, pipeline flows resume, pipeline exports up\n\nDate: 2025-11-20T08:00:00Z\n\n"
                + Self.sharedBody, to: "reports/flash.txt")
        try folder.write(
            "UPDATE 1-Kirkuk exports resume\n\nDate: 2025-11-20T12:00:00Z\n\n" + Self.sharedBody,
            to: "reports/update-1.txt")
        #expect(
            try TrawlBinary.run(["index", folder.appendingPathComponent("reports").path, "--db", db]).status
                == 0)
        // `pipeline` weighs far more in the flash's title: the flash stands for the group.
        let titled = try search("pipeline", db: db)
        #expect(titled.results.map { URL(fileURLWithPath: $0.path).lastPathComponent } == ["flash.txt"])
        #expect(titled.results.first?.duplicates?.count == 1)
        // Under date order, and for words both say alike, the newest does.
        let dated = try search("pipeline", ["--sort", "date"], db: db)
        #expect(dated.results.map { URL(fileURLWithPath: $0.path).lastPathComponent } == ["update-1.txt"])
        let alike = try search("Erbil", db: db)
        #expect(alike.results.map { URL(fileURLWithPath: $0.path).lastPathComponent } == ["update-1.txt"])
    }

    @Test func reindexingMovesChangedAndDeletedDocumentsOutOfTheirGroup() throws {
        let folder = try TrawlBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("index.sqlite").path
        let reports = folder.appendingPathComponent("reports")
        let gulf = TrawlBinary.fixtures.appendingPathComponent("gulf")
        for name in [
            "hormuz-tanker-seizure", "hormuz-tanker-seizure-update-1", "hormuz-tanker-seizure-update-2",
        ] {
            try reports.write(
                try String(contentsOf: gulf.appendingPathComponent(name + ".txt"), encoding: .utf8),
                to: name + ".txt")
        }
        func names(_ output: Output) -> [[String]] {
            output.results.map { result in
                ([result.path] + (result.duplicates ?? []).map(\.path)).map {
                    URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent
                }
            }
        }
        #expect(try TrawlBinary.run(["index", reports.path, "--db", db]).status == 0)
        #expect(
            names(try search("tanker", db: db)) == [
                ["hormuz-tanker-seizure-update-2", "hormuz-tanker-seizure-update-1", "hormuz-tanker-seizure"]
            ])
        // UPDATE 2 rewritten as another story: it leaves the group.
        try reports.write(
            "Tanker insurance\n\nDate: 2025-11-15T09:00:00Z\n\nLONDON, Nov 15 (Trawl Wire) - Insurers raised "
                + "war-risk premiums for every tanker bound for Gulf ports on Saturday, brokers said, adding "
                + "that owners were asking crews to keep transponders on at all times near the strait.",
            to: "hormuz-tanker-seizure-update-2.txt")
        #expect(try TrawlBinary.run(["index", reports.path, "--db", db]).status == 0)
        let changed = try search("tanker", db: db)
        #expect(changed.groups == 2)
        #expect(
            Set(names(changed)) == [
                ["hormuz-tanker-seizure-update-2"],
                ["hormuz-tanker-seizure-update-1", "hormuz-tanker-seizure"],
            ])
        // UPDATE 1 deleted: the flash is alone again.
        try FileManager.default.removeItem(
            at: reports.appendingPathComponent("hormuz-tanker-seizure-update-1.txt"))
        #expect(try TrawlBinary.run(["index", reports.path, "--db", db]).status == 0)
        let deleted = try search("seized", db: db)
        #expect(names(deleted) == [["hormuz-tanker-seizure"]])
        #expect(deleted.groups == 1)
    }
}
