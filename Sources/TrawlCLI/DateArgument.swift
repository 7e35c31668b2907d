import ArgumentParser
import Foundation
import TrawlAPI

/// A date typed on the command line: a year, a month, a day or an instant, each naming a period
/// (`2025` is the whole year), so `--since` takes its start and `--until` its end.
struct DateArgument: ExpressibleByArgument, Sendable {
    /// The first second of the period, seconds since 1970 (UTC).
    var start: Double
    /// The first second after the period.
    var end: Double

    /// Reads a period as `DatePeriod` does, relative dates (`7d`, `yesterday`) counted back from
    /// now; nil for anything else.
    init?(argument: String) {
        guard let period = DatePeriod(argument) else { return nil }
        (start, end) = (period.start, period.end)
    }

    static var defaultCompletionKind: CompletionKind { .default }

}

/// `--since` and `--until`, shared by the commands that list documents.
struct DateRangeOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Only documents dated on or after this (2025, 2025-11, 2025-11-18, 2025-11-18T09:30Z, or 7d, 24h, "
                + "2w, yesterday, today: relative to now, days in UTC unless TZ is set); undated documents "
                + "are left out.",
            valueName: "date"))
    var since: DateArgument?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Only documents dated on or before this (a year, month or day includes all of it; today, 7d…); undated documents are left out.",
            valueName: "date"))
    var until: DateArgument?

    func validate() throws {
        if let since, let until, since.start >= until.end {
            throw ValidationError("--since must be earlier than --until.")
        }
    }
}
