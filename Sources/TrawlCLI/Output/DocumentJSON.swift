import Foundation
import TrawlSearch

/// Dates and documents as `--format json` writes them.
enum DocumentJSON {
    /// `2025-11-18T09:30:00Z`.
    static func instant(_ seconds: Double) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: seconds.rounded(.down)))
    }

    /// `2025-11-18` (UTC).
    static func day(_ seconds: Double) -> String { String(instant(seconds).prefix(10)) }
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
