import ArgumentParser
import TrawlAPI

/// `trawl search --format text|json|csv|paths`: how search results are printed.
enum SearchFormat: String, CaseIterable, Sendable, ExpressibleByArgument {
    /// Ranked results with highlighted snippets, for people.
    case text
    /// The stable JSON contract (`SearchJSON`).
    case json
    /// One row per result (`SearchCSV`), for spreadsheets.
    case csv
    /// One path per line (`SearchPaths`), like `rg -l`, for other commands.
    case paths
}
