import Foundation
import TrawlSearch

/// Text made safe to place in HTML: every byte of document text, titles, paths and queries goes
/// through here before it reaches a page.
enum HTML {
    /// `text` with `&`, `<`, `>`, `"` and `'` written as character references, safe in element
    /// content and in quoted attribute values.
    static func escape(_ text: some StringProtocol) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\u{0}": result += "\u{FFFD}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// `text` escaped, with the code-point ranges `marks` wrapped in `<mark>` (ranges that
    /// overlap or fall outside the text are skipped). With `numbered`, each mark gets the id
    /// `m1`, `m2`… (the document page's "next match").
    static func marking(_ text: String, _ marks: [Range<Int>], numbered: Bool = false) -> String {
        var number = 0
        return ScalarPieces.pieces(of: text, marking: marks).map { piece in
            guard piece.isMarked else { return escape(piece.text) }
            number += 1
            return (numbered ? "<mark id=\"m\(number)\">" : "<mark>") + escape(piece.text) + "</mark>"
        }.joined()
    }

    /// A query string from `parameters` (name, value), each value percent-encoded; empty values
    /// are left out.
    static func query(_ parameters: [(String, String)]) -> String {
        parameters.filter { !$0.1.isEmpty }.map { $0.0 + "=" + percentEncoded($0.1) }.joined(separator: "&")
    }

    /// `text` percent-encoded for a URL query value (everything but unreserved characters).
    static func percentEncoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return result
    }

    /// The parameters of a URL query string (`a=1&b=x+y`): `+` read as a space, percent escapes
    /// decoded (invalid ones kept as typed); a repeated name keeps its first value.
    static func parameters(_ query: String?) -> [String: String] {
        var values: [String: String] = [:]
        for pair in (query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decoded(parts[0])
            let value = parts.count > 1 ? decoded(parts[1]) : ""
            if values[name] == nil { values[name] = value }
        }
        return values
    }

    private static func decoded(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
