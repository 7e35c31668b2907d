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

    /// Issue 15: wire stories name the weekday of the event, not of the dateline, so a weekday
    /// alone never moves a story a year back.
    @Test func aWeekdayAloneDoesNotPickTheYear() {
        let body = "BEIRUT, Nov 18 (Trawl Wire) - Delegations resumed talks on Tuesday, officials said."
        let november2026 = Self.day("2026-11-25T12:00:00Z")
        #expect(Dateline.date(in: body, reference: november2026) == Self.day("2026-11-18"))
    }

    /// The year nearest to other evidence; a weekday breaks a tie between two equally near years.
    @Test(arguments: [
        ("BEIRUT, Nov 18 - Talks.", "2025-11-01", "2025-11-30", "2025-11-18"),
        ("BEIRUT, Dec 31 - Talks.", "2026-01-01", "2026-01-31", "2025-12-31"),
        ("BEIRUT, Jan 2 - Talks.", "2025-12-01", "2025-12-31", "2026-01-02"),
        ("BEIRUT, Jun 15 - Talks.", "2025-01-01", "2025-12-31", "2025-06-15"),
        // 2023-07-02 (a Sunday) and 2024-07-02 (a Tuesday) are both 183 days from 2024-01-01:
        // the weekday named decides, else the later year.
        ("CAIRO, Jul 2 - Talks resumed on Sunday.", "2024-01-01", "2024-01-01", "2023-07-02"),
        ("CAIRO, Jul 2 - Talks resumed on Tuesday.", "2024-01-01", "2024-01-01", "2024-07-02"),
        ("CAIRO, Jul 2 - Talks resumed.", "2024-01-01", "2024-01-01", "2024-07-02"),
    ])
    func datelineYearIsTheOneNearestOtherEvidence(
        _ body: String, _ from: String, _ through: String, _ expected: String
    ) throws {
        let parts = try #require(Dateline.monthAndDay(in: body))
        let anchor = Int(Self.day(from) / 86_400)...Int(Self.day(through) / 86_400)
        #expect(parts.day(nearest: anchor).map { Double($0) * 86_400 } == Self.day(expected))
    }

    /// Synthetic datelines with a reference of 2026-03-01.
    @Test(arguments: [
        ("NAQOURA, Lebanon, Nov 20 (Trawl Wire) - Patrols expanded.", "2025-11-20"),
        ("NEW YORK, March 2 - Bonds rallied.", "2026-03-02"),  // within reference + 1 day
        ("NEW YORK, March 3 - Bonds rallied.", "2025-03-03"),
        ("LONDON, 18 November 2025 (Reuters) - Shares fell.", "2025-11-18"),
        ("PARIS, Nov. 18, 2025 – Talks opened.", "2025-11-18"),
        ("PARIS, Nov. 18, 2019 — Talks opened.", "2019-11-18"),
        ("CAIRO, Feb 29 - A leap day story.", "2024-02-29"),
        ("KYIV, Jan 5 -- Strikes hit the grid on Monday.", "2026-01-05"),
        // A weekday alone does not move the story to a year it fits (2025-01-05 was a Sunday).
        ("KYIV, Jan 5 (Trawl Wire) - Strikes hit the grid on Sunday.", "2026-01-05"),
        ("ROME, Jan 5 - The U.S. envoy arrived on Sunday.", "2026-01-05"),
        ("MADRID, 5 ene (Trawl Wire) - El Gobierno aprobó el plan.", "2026-01-05"),
        ("  \n SÃO PAULO, Nov 13 (Trawl Wire) - Exports rose.", "2025-11-13"),
    ])
    func syntheticDatelinesGiveTheirDay(_ body: String, _ expected: String) {
        #expect(Dateline.date(in: body, reference: Self.march2026) == Self.day(expected))
    }

    @Test func headerLinesLeftInTheBodyAreSkipped() {
        let body = "Date: soon\nPlaces: usa\nTopics: cocoa\n\nSALVADOR, Feb 26 - Showers continued on Monday."
        #expect(Dateline.date(in: body, reference: Self.march2026) == Self.day("2026-02-26"))
    }

    @Test func impossibleReferencesGiveNil() {
        let body = "BEIRUT, Nov 18 - Talks resumed."
        #expect(Dateline.date(in: body, reference: .nan) == nil)
        #expect(Dateline.date(in: body, reference: .infinity) == nil)
        // A written year needs no reference.
        #expect(Dateline.date(in: "BEIRUT, Nov 18, 2025 - Talks.", reference: .nan) == Self.day("2025-11-18"))
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
