import Foundation
import TrawlSearch

/// When to colour output: `--color auto|always|never`.
enum ColorChoice: String, CaseIterable, Sendable {
    case auto, always, never

    /// Whether to emit ANSI styles on standard output. `auto` colours only a terminal, and never
    /// when `NO_COLOR` is set (https://no-color.org) or `TERM=dumb`; `environment` defaults to the
    /// process's, read only for a terminal.
    func enabled(environment: [String: String]? = nil) -> Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .auto:
            guard isatty(STDOUT_FILENO) == 1 else { return false }
            let environment = environment ?? ProcessInfo.processInfo.environment
            if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
            return environment["TERM"] != "dumb"
        }
    }
}

/// Text made safe to show on a terminal: every control character is written visibly, so a
/// document's title or body, or a file name, cannot move the cursor, clear the screen, retitle
/// the window, write the clipboard (OSC 52) or start a line of output that Trawl did not write.
///
/// C0 controls (but tab, and newline where `keepingNewlines` is set: a body shown by `show`) and
/// DEL become `\x1b`-style escapes, C1 controls `\u009b`-style ones. Every dynamic text printed
/// as text goes through here (`Style.marking` does it for marked text, `printError` for
/// standard error); JSON output escapes the same characters (`JSONOutput`).
enum TerminalText {
    static func visible(_ text: String, keepingNewlines: Bool = false) -> String {
        // Fast path: most text has no control character at all.
        var needsEscaping = false
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if (byte < 0x20 && byte != 0x09 && !(byte == 0x0A && keepingNewlines)) || byte == 0x7F
                || (previous == 0xC2 && (0x80...0x9F).contains(byte))
            {
                needsEscaping = true
                break
            }
            previous = byte
        }
        guard needsEscaping else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            let value = scalar.value
            switch value {
            case 0x09: result.unicodeScalars.append(scalar)
            case 0x0A where keepingNewlines: result.unicodeScalars.append(scalar)
            case 0x00..<0x20, 0x7F: result += "\\x" + hex(value, digits: 2)
            case 0x80...0x9F: result += "\\u" + hex(value, digits: 4)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}

/// ANSI styling, or none.
struct Style: Sendable {
    var enabled: Bool

    func bold(_ text: String) -> String { enabled ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    func dim(_ text: String) -> String { enabled ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
    func highlight(_ text: String) -> String { enabled ? "\u{1B}[1;33m\(text)\u{1B}[0m" : text }

    /// `text` made visible (`TerminalText`) with the given code-point ranges highlighted;
    /// without colour, wrapped in `[…]` only when `bracketsWithoutColor` is set.
    func marking(
        _ text: String, _ ranges: [Range<Int>], bracketsWithoutColor: Bool = false,
        keepingNewlines: Bool = false
    ) -> String {
        ScalarPieces.pieces(of: text, marking: ranges).map { piece in
            let visible = TerminalText.visible(piece.text, keepingNewlines: keepingNewlines)
            guard piece.isMarked else { return visible }
            if enabled { return highlight(visible) }
            return bracketsWithoutColor ? "[" + visible + "]" : visible
        }.joined()
    }
}

/// Writes a line to standard error, its control characters made visible (`TerminalText`): a
/// file name cannot add a line of its own.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((TerminalText.visible(message) + "\n").utf8))
}
