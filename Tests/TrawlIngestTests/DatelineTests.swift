import Foundation
import Testing

@testable import TrawlIngest

struct DatelineTests {
    /// 2026-03-01T00:00Z: a reference (file modification time) after every fixture's 2025 date.
    static let march2026 = 1_772_323_200.0

    static func day(_ iso: String) -> Double { DateParsing.parse(iso)! }

    /// The dateline paragraph of each `.txt` report under Fixtures/reports, and the day it names
    /// (checked against the text: every report is dated 2025, and the weekday it names falls on
    /// that day in 2025).
    @Test(arguments: [
        ("levant/beirut-border-talks-resume.txt", "2025-11-18"),
        ("levant/beirut-port-hazardous-cargo-audit.txt", "2025-11-04"),
        ("levant/israel-northern-front-quiet.txt", "2025-11-21"),
        ("levant/lebanon-wheat-imports.txt", "2025-11-12"),
        ("levant/unifil-patrols-south-lebanon.txt", "2025-11-20"),
        ("gulf/hormuz-tanker-seizure.txt", "2025-11-14"),
        ("gulf/iaea-report-access-iran.txt", "2025-11-12"),
        ("gulf/qatar-north-field-startup.txt", "2025-11-17"),
        ("gulf/qods-force-commander-baghdad.txt", "2025-11-09"),
        ("markets/black-sea-grain-corridor.txt", "2025-11-10"),
        ("markets/brazil-soy-exports-record.txt", "2025-11-13"),
        ("markets/latam-bond-spreads.txt", "2025-11-18"),
        ("markets/swiss-franc-safe-haven.txt", "2025-11-07"),
        ("markets/us-oil-sanctions-shadow-fleet.txt", "2025-11-14"),
        ("markets/yuan-crude-settlement.txt", "2025-11-19"),
        ("opec-plus-output-pause.txt", "2025-11-11"),
        ("iraq-budget-sudani-arabic.txt", "2025-11-05"),
        ("iraq-drone-strike-soudani.txt", "2025-11-16"),
        ("japan-lng-winter-stocks.txt", "2025-11-10"),
        ("reunion-cyclone-preparations.txt", "2025-11-24"),
        ("somalia-offensive-shabaab.txt", "2025-11-06"),
        ("turkey-f35-talks.txt", "2025-11-13"),
        ("ukraine-power-cuts-social-media.txt", "2025-11-22"),
        ("un-colombia-mission-renewal.txt", "2025-10-31"),
        ("yemen-red-sea-shipping.txt", "2025-11-19"),
        ("colombia-cese-al-fuego-bogota.txt", "2025-11-14"),  // "14 nov", Spanish weekday not read
        ("cote-divoire-accord-cacao.txt", "2025-11-12"),  // "12 nov."
        ("schweiz-banken-zuerich.txt", "2025-11-07"),  // "7. Nov."
    ])
    func fixtureReportsAreDatedByTheirDateline(_ path: String, _ expected: String) throws {
        let text = try String(contentsOf: FixtureFiles.reports.appending(path: path), encoding: .utf8)
        let body = try #require(text.split(separator: "\n", maxSplits: 1).last)
        #expect(Dateline.date(in: String(body), reference: Self.march2026) == Self.day(expected))
    }

    @Test func weekdayFindsTheYearEvenWhenTheReferenceIsAYearLater() {
        let body = "BEIRUT, Nov 18 (Trawl Wire) - Delegations resumed talks on Tuesday, officials said."
        let november2026 = Self.day("2026-11-25T12:00:00Z")
        #expect(Dateline.date(in: body, reference: november2026) == Self.day("2025-11-18"))
    }

    /// Synthetic datelines with a reference of 2026-03-01.
    @Test(arguments: [
        ("NAQOURA, Lebanon, Nov 20 (Trawl Wire) - Patrols expanded.", "2025-11-20"),
        ("NEW YORK, March 3 - Bonds rallied.", "2026-03-03"),  // within reference + 2 days
        ("NEW YORK, March 4 - Bonds rallied.", "2025-03-04"),
        ("LONDON, 18 November 2025 (Reuters) - Shares fell.", "2025-11-18"),
        ("PARIS, Nov. 18, 2025 – Talks opened.", "2025-11-18"),
        ("PARIS, Nov. 18, 2019 — Talks opened.", "2019-11-18"),
        ("CAIRO, Feb 29 - A leap day story.", "2024-02-29"),
        ("KYIV, Jan 5 -- Strikes hit the grid on Monday.", "2026-01-05"),
        ("KYIV, Jan 5 (Trawl Wire) - Strikes hit the grid on Sunday.", "2025-01-05"),
        // The weekday must be in the first sentence.
        ("ROME, Jan 5 - Talks ended. Officials meet again on Sunday.", "2026-01-05"),
        ("ROME, Jan 5 - The U.S. envoy arrived on Sunday.", "2025-01-05"),
        ("MADRID, 5 ene (Trawl Wire) - El Gobierno aprobó el plan.", "2026-01-05"),
        ("  \n SÃO PAULO, Nov 13 (Trawl Wire) - Exports rose.", "2025-11-13"),
    ])
    func syntheticDatelinesGiveTheirDay(_ body: String, _ expected: String) {
        #expect(Dateline.date(in: body, reference: Self.march2026) == Self.day(expected))
    }

    @Test func headerLinesLeftInTheBodyAreSkipped() {
        let body = "Date: soon\nPlaces: usa\nTopics: cocoa\n\nSALVADOR, Feb 26 - Showers continued on Monday."
        #expect(Dateline.date(in: body, reference: Self.march2026) == Self.day("2024-02-26"))
    }

    @Test func impossibleReferencesGiveNil() {
        let body = "BEIRUT, Nov 18 - Talks resumed."
        #expect(Dateline.date(in: body, reference: .nan) == nil)
        #expect(Dateline.date(in: body, reference: .infinity) == nil)
        #expect(Dateline.date(in: "BEIRUT, Nov 18, 2025 - Talks resumed.", reference: -1e300) == nil)
    }

    @Test(arguments: [
        "WASHINGTON (AP) — The Senate voted on Tuesday.",
        "WASHINGTON - The Senate voted on Tuesday.",
        "Officials said, Nov 18 - was the day.",
        "BEIRUT, Lebanon - Talks resumed.",
        "BEIRUT, Nov 31 - No such day.",
        "BEIRUT, Nov 18 talks resumed without a dash",
        "BEIRUT, Nov 18 2025 extra words - nope",
        "",
        String(repeating: "A", count: 300) + ", Nov 18 - too far",
    ])
    func bodiesWithoutADatedDatelineGiveNil(_ body: String) {
        #expect(Dateline.date(in: body, reference: Self.march2026) == nil)
    }
}
