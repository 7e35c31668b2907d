import Foundation
import TrawlIndex
import TrawlSearch

/// Dates and documents as `--format json` writes them.
///
/// Dates are formatted by hand: `ISO8601DateFormatter` loads ICU, which costs a search more
/// start-up time than the whole query.
public enum DocumentJSON {
    /// `2025-11-18T09:30:00Z`.
    public static func instant(_ seconds: Double) -> String {
        guard seconds.isFinite, abs(seconds) < 1e13 else { return "1970-01-01T00:00:00Z" }
        let whole = Int64(seconds.rounded(.down))
        let days = whole >= 0 ? whole / 86_400 : (whole - 86_399) / 86_400
        let second = whole - days * 86_400
        return day(days: days) + "T" + twoDigits(second / 3600) + ":" + twoDigits(second % 3600 / 60) + ":"
            + twoDigits(second % 60) + "Z"
    }

    /// `2025-11-18` (UTC).
    public static func day(_ seconds: Double) -> String { String(instant(seconds).prefix(10)) }

    /// `2025-11-18` (UTC), or `undated` for a document without a date: what text output shows.
    public static func shownDay(_ seconds: Double?) -> String { seconds.map(day) ?? "undated" }

    /// `2025-11-18` for a day counted from 1970-01-01.
    private static func day(days: Int64) -> String {
        let (year, month, dayOfMonth) = CivilDate.date(daysSince1970: Int(days))
        let yearText = String(year)
        let padded =
            year >= 0 && year < 1000 ? String(repeating: "0", count: 4 - yearText.count) + yearText : yearText
        return padded + "-" + twoDigits(Int64(month)) + "-" + twoDigits(Int64(dayOfMonth))
    }

    private static func twoDigits(_ value: Int64) -> String {
        value < 10 ? "0" + String(value) : String(value)
    }
}

/// The JSON contract of `trawl show --format json` (with `MetadataJSON`'s keys beside these).
public struct ShowJSON: Encodable, Sendable {
    public var path: String
    public var title: String
    /// The text after a header block (whose lines are metadata).
    public var body: String
    /// The header block's lines that no metadata key gives (`Places: usa`).
    public var headerLines: [String]
    /// Code-point ranges `[start, end)` of the query's words.
    public var titleHighlights: [[Int]]
    public var bodyHighlights: [[Int]]

    /// The document's fields and metadata, as one JSON object.
    public static func of(_ shown: ShownDocument) -> MetadataJSON.Flattened<ShowJSON> {
        let fields = ShowJSON(
            path: shown.location, title: shown.title, body: shown.body, headerLines: shown.headerLines,
            titleHighlights: shown.titleHighlights.map { [$0.lowerBound, $0.upperBound] },
            bodyHighlights: shown.bodyHighlights.map { [$0.lowerBound, $0.upperBound] })
        return MetadataJSON.Flattened(fields, date: shown.date, metadata: shown.metadata)
    }
}
