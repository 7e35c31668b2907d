import Foundation
import Testing

/// Searches over the bundled sample reports (Fixtures/reports), checked against the facts listed
/// in Fixtures/README.md: which documents each query must find, and in which order.
@Suite(.serialized) struct FixtureSearchTests {
    static let db: String = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trawl-fixtures-\(getpid())")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("fixtures.sqlite").path
        _ = try? TrawlBinary.run(["index", TrawlBinary.fixtures.path, "--db", path])
        return path
    }()

    /// The same search writes the same bytes in every process. Scores are summed in a fixed
    /// order, not in a dictionary's, which follows a per-process hash seed: the proximity part of
    /// `bank interest rates cut` used to differ in its last digit from one run to the next.
    @Test func theSameSearchWritesTheSameBytesInEveryProcess() throws {
        var outputs: Set<String> = []
        for _ in 0..<10 {
            let outcome = try TrawlBinary.run([
                "search", "bank interest rates cut", "--match", "any", "--explain", "--limit", "50",
                "--db", Self.db, "--format", "json",
            ])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            outputs.insert(outcome.stdout)
        }
        #expect(outputs.count == 1)
    }

    /// The fixture-relative paths of every document matching `query`, and the total. Every
    /// version of an update chain is listed (`--no-collapse`): these tests are about which
    /// documents match; NearDuplicateTests about how near-duplicates are shown.
    func found(_ query: String) throws -> (paths: [String], total: Int) {
        let outcome = try TrawlBinary.run([
            "search", query, "--db", Self.db, "--format", "json", "--limit", "100", "--no-collapse",
        ])
        #expect([0, 1].contains(outcome.status), "\(query): \(outcome.stderr)")
        let output = try SearchOutput(json: outcome.stdout)
        let root = TrawlBinary.fixtures.path + "/"
        return (output.results.map { String($0.path.dropFirst(root.count)) }, output.total)
    }

    @Test(arguments: [
        (
            "Hezbollah",
            [
                "levant/beirut-border-talks-resume.txt", "gulf/qods-force-commander-baghdad.txt",
                "iraq-drone-strike-soudani.txt", "hezbollah-finance-networks.md",
            ]
        ),
        ("Hizballah", ["levant/unifil-patrols-south-lebanon.txt", "gulf/hormuz-tanker-seizure.txt"]),
        ("Quds", ["yemen-red-sea-shipping.txt", "hezbollah-finance-networks.md"]),
        ("Soudani", ["iraq-drone-strike-soudani.txt"]),
        ("ammonium", ["levant/beirut-port-hazardous-cargo-audit.txt"]),
        ("desalination", ["gulf/saudi-solar-water-plants.md"]),
        (
            "\"U.S.-brokered\"",
            ["levant/beirut-border-talks-resume.txt", "levant/israel-northern-front-quiet.txt"]
        ),
        (
            "IRGC-QF",
            [
                "gulf/qods-force-commander-baghdad.txt", "yemen-red-sea-shipping.txt",
                "hezbollah-finance-networks.md",
            ]
        ),
        (
            "\"Kata'ib Hezbollah\"",
            ["gulf/qods-force-commander-baghdad.txt", "iraq-drone-strike-soudani.txt"]
        ),
        ("\"oil sanctions\"", ["markets/us-oil-sanctions-shadow-fleet.txt"]),
        ("\"grain corridor\"", ["markets/black-sea-grain-corridor.txt"]),
        ("IAEA", ["gulf/iaea-report-access-iran.txt", "iran-two-track-diplomacy.md"]),
        ("Ivoire", ["cote-divoire-accord-cacao.txt", "al-qaeda-sahel-outlook.md"]),
        ("2025-11-11", ["markets/weekly-energy-digest.md", "opec-plus-output-pause.txt"]),
        ("F-35", ["levant/israel-northern-front-quiet.txt", "turkey-f35-talks.txt"]),
        ("150,000", ["levant/unifil-patrols-south-lebanon.txt", "somalia-offensive-shabaab.txt"]),
        ("\"$3.5 billion\"", ["gulf/saudi-solar-water-plants.md", "iraq-budget-sudani-arabic.txt"]),
        ("能源", ["markets/yuan-crude-settlement.txt"]),
        ("政府", ["japan-lng-winter-stocks.txt"]),
        ("blackout", ["ukraine-power-cuts-social-media.txt"]),
    ])
    func exactSearchesFindExactlyTheDocumentsThatSayIt(query: String, expected: [String]) throws {
        #expect(Set(try found(query).paths) == Set(expected), "\(query)")
    }

    @Test(arguments: [
        ("~Hezbollah", 8), ("~Quds", 4), ("~Qaeda", 4), ("~Mohammed", 6), ("~Sudani", 3),
    ])
    func variantSearchesFindEverySpelling(query: String, count: Int) throws {
        let exact = try found(String(query.dropFirst()))
        let variants = try found(query)
        #expect(variants.total == count, "\(query): \(variants.paths)")
        #expect(Set(exact.paths).isSubset(of: Set(variants.paths)))
    }

    @Test(arguments: ["cease-fire", "ceasefire"])
    func hyphenatedAndJoinedSpellingsFindEachOther(query: String) throws {
        #expect(
            Set(try found(query).paths).isSuperset(of: [
                "levant/beirut-border-talks-resume.txt", "levant/israel-northern-front-quiet.txt",
                "levant/unifil-patrols-south-lebanon.txt", "un-colombia-mission-renewal.txt",
            ]), "\(query)")
    }

    @Test(arguments: [
        ("Zurich", "Zürich"), ("Sao Paulo", "São Paulo"), ("Erdogan", "Erdoğan"), ("Reunion", "Réunion"),
    ])
    func diacriticsAreIgnored(plain: String, accented: String) throws {
        let plainPaths = try found(plain).paths
        #expect(!plainPaths.isEmpty)
        #expect(Set(plainPaths) == Set(try found(accented).paths))
    }

    @Test(arguments: [("Tehran's", "Tehran’s"), ("U.N.", "UN"), ("U.S.", "US"), ("Iran's", "Iran’s")])
    func spellingsOfTheSameWordFindTheSameDocuments(first: String, second: String) throws {
        let firstPaths = try found(first).paths
        #expect(!firstPaths.isEmpty)
        #expect(Set(firstPaths) == Set(try found(second).paths))
    }

    @Test func tehransFindsEveryPossessiveWhateverTheApostrophe() throws {
        #expect(
            Set(try found("Tehran’s").paths).isSuperset(of: [
                "gulf/hormuz-tanker-seizure.txt", "markets/us-oil-sanctions-shadow-fleet.txt",
                "gulf/iaea-report-access-iran.txt", "iran-two-track-diplomacy.md",
            ]))
    }

    @Test func adjacentWordsInTheTitleRankAboveScatteredOnes() throws {
        #expect(
            try found("oil sanctions").paths.prefix(2) == [
                "markets/us-oil-sanctions-shadow-fleet.txt", "opec-plus-output-pause.txt",
            ])
        #expect(
            try found("grain corridor").paths.prefix(2) == [
                "markets/black-sea-grain-corridor.txt", "levant/lebanon-wheat-imports.txt",
            ])
    }

    @Test func theCommonWordSaidIsInThirtyThreeDocuments() throws {
        #expect(try found("said").total == 33)
    }

    @Test func exclusionDropsDocuments() throws {
        let withoutHyphenated = try found("Hezbollah -\"Kata'ib Hezbollah\"").paths
        #expect(
            Set(withoutHyphenated) == [
                "levant/beirut-border-talks-resume.txt", "hezbollah-finance-networks.md",
            ])
    }

    @Test func arabicHebrewAndPersianFoldTheirVariants() throws {
        #expect(try found("محمد").paths == ["iraq-budget-sudani-arabic.txt"])
        #expect(try found("مُحَمَّد").paths == ["iraq-budget-sudani-arabic.txt"])
        #expect(try found("הפסקת").paths == ["levant/israel-northern-front-quiet.txt"])
        #expect(try found("امريكا").paths == ["gulf/iaea-report-access-iran.txt"])
    }

    @Test func fewHitsSuggestSearchingEverySpelling() throws {
        let text = try TrawlBinary.run(["search", "Hizballah", "--db", Self.db, "--color", "never"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("Other spellings find more: trawl search '~Hizballah' (8 documents)."))
        // A misspelling: the closest frequent spelling, widened to its variants since they find more.
        let misspelt = try TrawlBinary.run(["search", "Hizbolah", "--db", Self.db])
        #expect(misspelt.status == 1)
        #expect(misspelt.stderr.contains("Did you mean: ~Hezbollah (8 documents)? trawl search '~Hezbollah'"))
        struct Suggested: Decodable {
            struct Suggestion: Decodable { var query: String; var total: Int }
            var suggestion: Suggestion?
        }
        let json = try TrawlBinary.run(["search", "Soudani", "--db", Self.db, "--format", "json"]).stdout
        let suggestion = try JSONDecoder().decode(Suggested.self, from: Data(json.utf8)).suggestion
        #expect(suggestion?.query == "~Soudani")
        #expect(suggestion?.total == 3)
    }

    @Test func commonWordsGetNoSuggestion() throws {
        let text = try TrawlBinary.run(["search", "said", "--db", Self.db, "--color", "never"])
        #expect(!text.stdout.contains("Other spellings"))
    }
}
