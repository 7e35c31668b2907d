import Foundation

/// When to colour output: `--color auto|always|never`.
enum ColorChoice: String, CaseIterable, Sendable {
    case auto, always, never

    /// Whether to emit ANSI styles on standard output. `auto` colours only a terminal, and never
    /// when `NO_COLOR` is set (https://no-color.org) or `TERM=dumb`.
    func enabled(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .auto:
            if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
            if environment["TERM"] == "dumb" { return false }
            return isatty(STDOUT_FILENO) == 1
        }
    }
}

/// ANSI styling, or none.
struct Style: Sendable {
    var enabled: Bool

    func bold(_ text: String) -> String { enabled ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    func dim(_ text: String) -> String { enabled ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
    func highlight(_ text: String) -> String { enabled ? "\u{1B}[1;33m\(text)\u{1B}[0m" : text }

    /// `text` with the given code-point ranges highlighted; without colour, wrapped in `[…]`
    /// only when `bracketsWithoutColor` is set.
    func marking(_ text: String, _ ranges: [Range<Int>], bracketsWithoutColor: Bool = false) -> String {
        guard !ranges.isEmpty else { return text }
        let scalars = Array(text.unicodeScalars)
        var result = ""
        var position = 0
        for range in ranges where range.lowerBound >= position && range.upperBound <= scalars.count {
            result.unicodeScalars.append(contentsOf: scalars[position..<range.lowerBound])
            var marked = ""
            marked.unicodeScalars.append(contentsOf: scalars[range])
            if enabled {
                result += highlight(marked)
            } else if bracketsWithoutColor {
                result += "[" + marked + "]"
            } else {
                result += marked
            }
            position = range.upperBound
        }
        result.unicodeScalars.append(contentsOf: scalars[position...])
        return result
    }
}

/// Writes a line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
