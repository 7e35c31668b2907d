import Foundation
import TrawlAPI
import TrawlIndex
import TrawlSearch

/// One watch's reports as an Atom 1.0 feed (RFC 4287).
///
/// The feed's id comes from the watch's token and each entry's from `Watcher.entryID`, so ids
/// never change; `updated` is when the entry was reported. Text that XML cannot hold (control
/// characters) is left out; `&`, `<`, `>` and `"` are escaped.
struct AtomFeed {
    var watch: StoredWatch
    /// Newest first.
    var entries: [WatchReport]
    var now: Date

    var xml: String {
        let updated = entries.map(\.reportedAt).max() ?? watch.createdAt.timeIntervalSince1970
        var lines = [
            #"<?xml version="1.0" encoding="utf-8"?>"#,
            #"<feed xmlns="http://www.w3.org/2005/Atom">"#,
            "  <id>tag:trawl,2026:watch/\(watch.token)</id>",
            "  <title>\(Self.escaped("trawl watch \(watch.name): \(watch.query)"))</title>",
            "  <updated>\(Self.timestamp(updated))</updated>",
            "  <author><name>trawl</name></author>",
            #"  <generator version="0.1.0">trawl</generator>"#,
        ]
        for entry in entries {
            lines += [
                "  <entry>",
                "    <id>\(Self.escaped(Watcher.entryID(token: watch.token, documentID: entry.documentID, textHash: entry.textHash)))</id>",
                "    <title>\(Self.escaped(entry.title.isEmpty ? entry.location : entry.title))</title>",
                "    <updated>\(Self.timestamp(entry.reportedAt))</updated>",
                "    <link rel=\"alternate\" href=\"\(Self.escaped(Self.fileURL(entry.location)))\"/>",
                "    <summary>\(Self.escaped(entry.summary.isEmpty ? entry.location : entry.summary))</summary>",
                "  </entry>",
            ]
        }
        lines.append("</feed>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// RFC 3339 in UTC, whole seconds: `2026-12-06T07:00:00Z`.
    static func timestamp(_ seconds: Double) -> String { DocumentJSON.instant(seconds) }

    /// A `file:` URL for a document location (`#` of a record escaped: it names the file).
    static func fileURL(_ location: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "#?;")
        return "file://" + (location.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
    }

    /// `text` as XML character data or attribute value.
    static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                // XML 1.0 allows no other C0 control, and no U+FFFE/U+FFFF.
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
