import Foundation
import TrawlSearch

/// Dates and documents as `--format json` writes them.
///
/// Dates are formatted by hand: `ISO8601DateFormatter` loads ICU, which costs a search more
/// start-up time than the whole query.
enum DocumentJSON {
    /// `2025-11-18T09:30:00Z`.
    static func instant(_ seconds: Double) -> String {
        guard seconds.isFinite, abs(seconds) < 1e13 else { return "1970-01-01T00:00:00Z" }
        let whole = Int64(seconds.rounded(.down))
        let days = whole >= 0 ? whole / 86_400 : (whole - 86_399) / 86_400
        let second = whole - days * 86_400
        return day(days: days) + "T" + twoDigits(second / 3600) + ":" + twoDigits(second % 3600 / 60) + ":"
            + twoDigits(second % 60) + "Z"
    }

    /// `2025-11-18` (UTC).
    static func day(_ seconds: Double) -> String { String(instant(seconds).prefix(10)) }

    /// The civil date of a day counted from 1970-01-01 (Howard Hinnant's `civil_from_days`).
    private static func day(days: Int64) -> String {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let dayOfMonth = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let yearText = String(year)
        let padded =
            year >= 0 && year < 1000 ? String(repeating: "0", count: 4 - yearText.count) + yearText : yearText
        return padded + "-" + twoDigits(month) + "-" + twoDigits(dayOfMonth)
    }

    private static func twoDigits(_ value: Int64) -> String {
        value < 10 ? "0" + String(value) : String(value)
    }
}

/// The JSON contract of `trawl show --format json`.
struct ShowJSON: Encodable {
    var path: String
    var title: String
    var body: String
    /// ISO 8601, UTC.
    var date: String
    var dateSource: String
    var author: String
    var source: String
    var tags: [String]
    var language: String
    var url: String
    /// Code-point ranges `[start, end)` of the query's words.
    var titleHighlights: [[Int]]
    var bodyHighlights: [[Int]]

    init(_ shown: ShownDocument) {
        path = shown.location
        title = shown.title
        body = shown.body
        date = DocumentJSON.instant(shown.date)
        dateSource = shown.metadata.dateSource.rawValue
        author = shown.metadata.author
        source = shown.metadata.source
        tags = shown.metadata.tags
        language = shown.metadata.language
        url = shown.metadata.url
        titleHighlights = shown.titleHighlights.map { [$0.lowerBound, $0.upperBound] }
        bodyHighlights = shown.bodyHighlights.map { [$0.lowerBound, $0.upperBound] }
    }
}
