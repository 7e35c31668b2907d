import TrawlIndex

/// Finds a full date written in plain text: `12 November 2025`, `Nov 17, 2025`, `2025-11-17`,
/// `17/11/2025` (only when unambiguous).
///
/// Month names are read in English, French, German and Spanish (as in datelines); numeric dates
/// are read year first (`2025-11-17`, `2025/11/17`), or day and month in either order when only
/// one order makes a date (`17/11/2025`, `11/17/2025`, `05.05.2025`; `05/11/2025` is refused).
/// Years from 1800 to 2199 only, so a number that merely looks like a year is not taken for one.
enum WrittenDate {
    /// The first full date in `text`, as days since 1970, or nil.
    static func firstDay(in text: Substring.UTF8View) -> Int? {
        let tokens = tokens(in: text)
        for start in tokens.indices {
            if let day = date(at: start, in: tokens) { return day }
        }
        return nil
    }

    /// The first full date in `text`, as days since 1970, or nil.
    static func firstDay(in text: String) -> Int? { firstDay(in: text[...].utf8) }

    private enum Kind: Hashable {
        case number(value: Int, digits: Int)
        case word(String)
        case mark(UInt8)
    }

    private struct Token: Hashable {
        var kind: Kind
        /// Whether blank space stands right before the token.
        var spaced: Bool
    }

    /// Numbers, words (letters of any script, lower-cased) and the marks `-`, `/`, `.`, `,`; any
    /// other byte separates like a space.
    private static func tokens(in text: Substring.UTF8View) -> [Token] {
        var tokens: [Token] = []
        var spaced = true
        var number: (value: Int, digits: Int)?
        var word: [UInt8] = []
        func flush() {
            if let current = number {
                tokens.append(
                    Token(kind: .number(value: current.value, digits: current.digits), spaced: spaced))
                spaced = false
            }
            if !word.isEmpty {
                tokens.append(
                    Token(kind: .word(String(decoding: word, as: UTF8.self).lowercased()), spaced: spaced))
                spaced = false
            }
            number = nil
            word.removeAll(keepingCapacity: true)
        }
        for byte in text {
            if ASCII.isDigit(byte) {
                if !word.isEmpty { flush() }
                let digit = Int(byte - 0x30)
                number = number.map { ($0.value &* 10 &+ digit, $0.digits + 1) } ?? (digit, 1)
            } else if ASCII.isLetter(byte) || byte >= 0x80 {
                if number != nil { flush() }
                word.append(byte)
            } else {
                flush()
                if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ".")
                    || byte == UInt8(ascii: ",")
                {
                    tokens.append(Token(kind: .mark(byte), spaced: spaced))
                    spaced = false
                } else {
                    spaced = true
                }
            }
        }
        flush()
        return tokens
    }

    private static func date(at start: Int, in tokens: [Token]) -> Int? {
        guard case .number(let first, let firstDigits) = tokens[start].kind else {
            if case .word(let name) = tokens[start].kind, let month = Dateline.monthNames[name] {
                return monthFirst(month: month, after: start, in: tokens)
            }
            return nil
        }
        // A number glued to a number or word before it is part of something else (`A-2025-11-17`).
        if start > 0, !tokens[start].spaced, !isMark(tokens[start - 1], ",") { return nil }
        if firstDigits == 4 { return yearFirst(year: first, after: start, in: tokens) }
        guard firstDigits <= 2 else { return nil }
        if let day = numeric(first, after: start, in: tokens) { return day }
        return dayFirst(day: first, after: start, in: tokens)
    }

    /// `2025-11-17`, `2025/11/17`, `2025.11.17`.
    private static func yearFirst(year: Int, after start: Int, in tokens: [Token]) -> Int? {
        guard start + 4 < tokens.count,
            case .mark(let separator) = tokens[start + 1].kind, separator != UInt8(ascii: ","),
            case .number(let month, let monthDigits) = tokens[start + 2].kind, monthDigits <= 2,
            isMark(tokens[start + 3], separator),
            case .number(let day, let dayDigits) = tokens[start + 4].kind, dayDigits <= 2,
            !(start + 1...start + 4).contains(where: { tokens[$0].spaced }),
            !continuesNumber(after: start + 4, in: tokens)
        else { return nil }
        return valid(year: year, month: month, day: day)
    }

    /// `17/11/2025`, `11/17/2025`, `17.11.2025`, `17-11-2025`: whichever order is the only one
    /// that makes a date.
    private static func numeric(_ first: Int, after start: Int, in tokens: [Token]) -> Int? {
        guard start + 4 < tokens.count,
            case .mark(let separator) = tokens[start + 1].kind, separator != UInt8(ascii: ","),
            case .number(let second, let secondDigits) = tokens[start + 2].kind, secondDigits <= 2,
            isMark(tokens[start + 3], separator),
            case .number(let year, 4) = tokens[start + 4].kind,
            !(start + 1...start + 4).contains(where: { tokens[$0].spaced }),
            !continuesNumber(after: start + 4, in: tokens)
        else { return nil }
        if first == second { return valid(year: year, month: first, day: first) }
        if first > 12, second <= 12 { return valid(year: year, month: second, day: first) }
        if second > 12, first <= 12 { return valid(year: year, month: first, day: second) }
        return nil
    }

    /// `12 November 2025`, `7. Nov. 2025`, `18 nov, 2025`.
    private static func dayFirst(day: Int, after start: Int, in tokens: [Token]) -> Int? {
        var index = start + 1
        if index < tokens.count, isMark(tokens[index], ".") { index += 1 }
        guard index < tokens.count, case .word(let name) = tokens[index].kind,
            let month = Dateline.monthNames[name]
        else { return nil }
        index += 1
        while index < tokens.count, isMark(tokens[index], ".") || isMark(tokens[index], ",") { index += 1 }
        guard index < tokens.count, case .number(let year, 4) = tokens[index].kind,
            !continuesNumber(after: index, in: tokens)
        else { return nil }
        return valid(year: year, month: month, day: day)
    }

    /// `Nov 17, 2025`, `November 17 2025`, `Nov. 17th, 2025`.
    private static func monthFirst(month: Int, after start: Int, in tokens: [Token]) -> Int? {
        var index = start + 1
        if index < tokens.count, isMark(tokens[index], ".") { index += 1 }
        guard index < tokens.count, case .number(let day, let digits) = tokens[index].kind, digits <= 2
        else { return nil }
        index += 1
        if index < tokens.count, case .word(let suffix) = tokens[index].kind, !tokens[index].spaced,
            ["st", "nd", "rd", "th"].contains(suffix)
        {
            index += 1
        }
        if index < tokens.count, isMark(tokens[index], ",") { index += 1 }
        guard index < tokens.count, case .number(let year, 4) = tokens[index].kind,
            !continuesNumber(after: index, in: tokens)
        else { return nil }
        return valid(year: year, month: month, day: day)
    }

    private static func isMark(_ token: Token, _ mark: Character) -> Bool {
        token.kind == .mark(mark.asciiValue!)
    }

    private static func isMark(_ token: Token, _ mark: UInt8) -> Bool { token.kind == .mark(mark) }

    /// Whether the number at `index` goes on as a longer number (`2025-11-17-3`, `17/11/2025/4`,
    /// `2025.5`): then it was not a date.
    private static func continuesNumber(after index: Int, in tokens: [Token]) -> Bool {
        guard index + 2 < tokens.count, case .mark(let mark) = tokens[index + 1].kind,
            mark != UInt8(ascii: ","),
            !tokens[index + 1].spaced, !tokens[index + 2].spaced,
            case .number = tokens[index + 2].kind
        else { return false }
        return true
    }

    private static func valid(year: Int, month: Int, day: Int) -> Int? {
        guard (1800...2199).contains(year), (1...12).contains(month),
            (1...DateParsing.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        return CivilDate.daysSince1970(year: year, month: month, day: day)
    }
}
