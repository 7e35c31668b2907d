import Foundation
import TrawlAPI
import TrawlSearch

/// `trawl search --format csv`: a header and one row per result (RFC 4180: comma-separated,
/// CRLF line ends, fields with a comma, quote or line break quoted and their quotes doubled).
enum SearchCSV {
    /// The columns, in order.
    static let header = ["rank", "path", "title", "date", "source", "author", "score"]

    /// The whole table for `hits`, header first.
    static func table(_ hits: [SearchHit]) -> String {
        var lines = [row(header)]
        for hit in hits {
            lines.append(
                row([
                    String(hit.rank), hit.path, hit.title, hit.date.map(DocumentJSON.day) ?? "",
                    hit.metadata.source,
                    hit.metadata.author, String(format: "%.4f", hit.score),
                ]))
        }
        return lines.map { $0 + "\r\n" }.joined()
    }

    /// One CSV line (without its line end).
    static func row(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",")
    }

    /// `text` as a CSV field; a leading `=`, `+`, `-` or `@` is kept (a title is data, and
    /// spreadsheets that worry about formulas ask on import).
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return text
        }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
