import TrawlIndex

/// Finds the date of a news story in its dateline: `BEIRUT, Nov 18 (Trawl Wire) - ...`.
///
/// A dateline is a place written without lower-case letters (`NEW YORK`, `SÃO PAULO`), optionally
/// more place names (`NAQOURA, Lebanon,`), then a day and month in English, French, German or
/// Spanish (`Nov 18`, `March 3`, `18 November 2025`, `12 nov.`, `7. Nov.`), an optional year,
/// optional parenthesised credits (`(Reuters)`), and a dash (`-`, `--`, `–`, `—`) before the text.
enum Dateline {
    /// The day a dateline at the start of `body` names, as midnight UTC in seconds since 1970, or
    /// nil when the body starts with no dated dateline, with no other evidence than `reference`
    /// (typically the file's modification time): the year written in the dateline, else the
    /// latest such day on or before `reference`'s day + 1 (a dateline written east of UTC may be
    /// a day ahead). The weekday the first sentence names is not used: wire stories name the
    /// weekday of the event, not of the dateline. `DocumentDate` weighs the other evidence.
    static func date(in body: String, reference: Double) -> Double? {
        guard let found = monthAndDay(in: body) else { return nil }
        if found.year != nil { return found.writtenDay.map { Double($0) * 86_400 } }
        return found.day(onOrBefore: reference).map { Double($0) * 86_400 }
    }

    /// What a dateline says: month and day, the year when written, and the weekday the first
    /// sentence names (0 is Sunday).
    struct Parts: Sendable, Hashable {
        var month: Int
        var day: Int
        var year: Int?
        var weekday: Int?

        /// The day (days since 1970) in `year`, nil when it has no such day (29 February).
        func day(in year: Int) -> Int? {
            guard day <= DateParsing.daysIn(month: month, year: year) else { return nil }
            return CivilDate.daysSince1970(year: year, month: month, day: day)
        }

        /// The day with the year written in the dateline, nil when none is written.
        var writtenDay: Int? { year.flatMap { day(in: $0) } }

        /// The latest such day on or before the day of `reference` (seconds since 1970) + 1;
        /// nil for a reference that cannot be a modification time (NaN, beyond ±3 million years).
        func day(onOrBefore reference: Double) -> Int? {
            guard reference.isFinite, abs(reference) < 1e14 else { return nil }
            let limit = Int((reference / 86_400).rounded(.down)) + 1
            let referenceYear = CivilDate.date(daysSince1970: limit).year
            // Eight years back always reach a 29 February.
            for year in stride(from: referenceYear, through: referenceYear - 8, by: -1) {
                if let candidate = day(in: year), candidate <= limit { return candidate }
            }
            return nil
        }

        /// The such day nearest to the days `anchor` covers (a written date, a path's day, month
        /// or year): a year before, during or after it. When two years are equally near, the
        /// one on which the day is the weekday named in the first sentence wins, else the later.
        func day(nearest anchor: ClosedRange<Int>) -> Int? {
            let first = CivilDate.date(daysSince1970: anchor.lowerBound).year - 1
            let last = CivilDate.date(daysSince1970: anchor.upperBound).year + 1
            guard first <= last else { return nil }
            var best: [Int] = []
            var bestDistance = Int.max
            for year in first...last {
                guard let candidate = day(in: year) else { continue }
                let distance =
                    candidate < anchor.lowerBound
                    ? anchor.lowerBound - candidate : max(0, candidate - anchor.upperBound)
                if distance < bestDistance {
                    best = [candidate]
                    bestDistance = distance
                } else if distance == bestDistance {
                    best.append(candidate)
                }
            }
            if best.count > 1, let weekday,
                let named = best.last(where: { CivilDate.weekday(daysSince1970: $0) == weekday })
            {
                return named
            }
            return best.last
        }
    }

    /// The month, day, optional year and first-sentence weekday of the dateline starting `body`.
    static func monthAndDay(in body: String) -> Parts? {
        // Only the first line matters (after a header block of `Key: value` lines such as a
        // plain-text reader leaves in the body), and only its first 200 bytes can hold the dateline.
        var line: [UInt8] = []
        line.reserveCapacity(256)
        var started = false
        var headerLinesSkipped = 0
        for byte in body.utf8 {
            if !started {
                if byte == 0x20 || (0x09...0x0D).contains(byte) { continue }
                started = true
            }
            if byte == 0x0A || line.count >= maximumLineBytes {
                guard byte == 0x0A, headerLinesSkipped < 30, isHeaderLine(line) else { break }
                headerLinesSkipped += 1
                line.removeAll(keepingCapacity: true)
                started = false
                continue
            }
            line.append(byte)
        }
        guard let dash = firstDash(in: line, before: 200) else { return nil }
        let head = withoutParentheses(line[..<dash.lowerBound])
        guard let comma = head.firstIndex(of: UInt8(ascii: ",")) else { return nil }
        let place = String(decoding: head[..<comma], as: UTF8.self)
        guard place.unicodeScalars.contains(where: { $0.properties.isAlphabetic }),
            !place.unicodeScalars.contains(where: { $0.properties.isLowercase })
        else { return nil }
        guard var parts = dateAtEnd(of: words(in: head[(comma + 1)...])) else { return nil }
        parts.weekday = weekdayInFirstSentence(line[dash.upperBound...])
        return parts
    }

    private static let maximumLineBytes = 1_000

    /// Whether `line` is `Key: value` with a one-word ASCII key of at most 30 bytes.
    private static func isHeaderLine(_ line: [UInt8]) -> Bool {
        guard let colon = line.prefix(31).firstIndex(of: UInt8(ascii: ":")), colon > 0,
            colon + 1 == line.count || line[colon + 1] == 0x20 || line[colon + 1] == 0x09
        else { return false }
        return line[..<colon].allSatisfy {
            ASCII.isLetter($0) || ASCII.isDigit($0) || $0 == 0x2D || $0 == 0x5F
        }
    }

    /// The first dash that follows a space and is followed by a space or the end: ` - `, ` -- `,
    /// ` – `, ` — `.
    private static func firstDash(in line: [UInt8], before limit: Int) -> Range<Int>? {
        var index = 1
        while index < min(line.count, limit) {
            defer { index += 1 }
            guard line[index - 1] == 0x20 else { continue }
            var end = index
            if line[index] == UInt8(ascii: "-") {
                end = index + 1
                if end < line.count, line[end] == UInt8(ascii: "-") { end += 1 }
            } else if index + 2 < line.count, line[index] == 0xE2, line[index + 1] == 0x80,
                line[index + 2] == 0x93 || line[index + 2] == 0x94
            {
                end = index + 3
            } else {
                continue
            }
            if end == line.count || line[end] == 0x20 { return index..<end }
        }
        return nil
    }

    private static func withoutParentheses(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var result: [UInt8] = []
        var depth = 0
        for byte in bytes {
            if byte == UInt8(ascii: "(") {
                depth += 1
            } else if byte == UInt8(ascii: ")") {
                depth = max(0, depth - 1)
            } else if depth == 0 {
                result.append(byte)
            }
        }
        return result
    }

    private enum Token: Hashable {
        case word(String)
        case number(value: Int, digits: Int)
    }

    /// Words (lower-cased, any script) and numbers; commas, dots and spaces only separate them.
    private static func words(in bytes: ArraySlice<UInt8>) -> [Token] {
        var tokens: [Token] = []
        var word = ""
        var number: (value: Int, digits: Int)?
        func flush() {
            if !word.isEmpty { tokens.append(.word(word.lowercased())) }
            if let current = number { tokens.append(.number(value: current.value, digits: current.digits)) }
            word = ""
            number = nil
        }
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            if ("0"..."9").contains(scalar) {
                if !word.isEmpty { flush() }
                let digit = Int(scalar.value - 0x30)
                number = number.map { ($0.value * 10 + digit, $0.digits + 1) } ?? (digit, 1)
            } else if scalar.properties.isAlphabetic {
                if number != nil { flush() }
                word.unicodeScalars.append(scalar)
            } else {
                flush()
            }
        }
        flush()
        return tokens
    }

    /// The date at the end of the tokens after the place: `nov 18`, `18 november 2025`,
    /// `nov 18 2025`, `7 nov`; anything after it means this is not a dateline.
    private static func dateAtEnd(of tokens: [Token]) -> Parts? {
        var tokens = tokens[...]
        var year: Int?
        if case .number(let value, 4)? = tokens.last {
            year = value
            tokens = tokens.dropLast()
        }
        guard tokens.count >= 2 else { return nil }
        let last = tokens[tokens.endIndex - 1]
        let beforeLast = tokens[tokens.endIndex - 2]
        switch (beforeLast, last) {
        case (.word(let name), .number(let day, let digits)) where digits <= 2:
            guard let month = monthNames[name] else { return nil }
            return valid(Parts(month: month, day: day, year: year))
        case (.number(let day, let digits), .word(let name)) where digits <= 2:
            guard let month = monthNames[name] else { return nil }
            return valid(Parts(month: month, day: day, year: year))
        default:
            return nil
        }
    }

    private static func valid(_ parts: Parts) -> Parts? {
        (1...31).contains(parts.day) && parts.day <= DateParsing.daysIn(month: parts.month, year: 2024)
            ? parts : nil
    }

    /// The weekday an English weekday name in the first sentence names, if any.
    private static func weekdayInFirstSentence(_ text: ArraySlice<UInt8>) -> Int? {
        var index = text.startIndex
        while index < text.endIndex {
            while index < text.endIndex, !ASCII.isLetter(text[index]) { index += 1 }
            let start = index
            while index < text.endIndex,
                ASCII.isLetter(text[index]) || text[index] >= 0x80 || text[index] == 0x2E
            {
                index += 1
            }
            let word = text[start..<index]
            let letters = word.prefix(while: ASCII.isLetter).map { $0 | 0x20 }
            if letters.count >= 6, let weekday = DateParsing.englishWeekday(letters) {
                return weekday
            }
            // A word of three or more letters with a lower-case one, ending in a full stop, ends
            // the sentence ("said." but not "U.S." or "Mr.").
            if word.last == 0x2E, letters.count >= 3, letters.count == word.count - 1,
                word.contains(where: { $0 >= 0x61 && $0 <= 0x7A })
            {
                return nil
            }
            if index == start { index += 1 }
        }
        return nil
    }

    /// Month names and abbreviations in English, French, German and Spanish, lower-case.
    static let monthNames: [String: Int] = {
        var names: [String: Int] = [:]
        let lists: [[String]] = [
            ["january", "jan", "janvier", "janv", "januar", "jänner", "enero", "ene"],
            ["february", "feb", "février", "févr", "fév", "fevrier", "februar", "febrero"],
            ["march", "mar", "mars", "märz", "mär", "marzo"],
            ["april", "apr", "avril", "avr", "abril", "abr"],
            ["may", "mai", "mayo"],
            ["june", "jun", "juin", "juni", "junio"],
            ["july", "jul", "juillet", "juil", "juli", "julio"],
            ["august", "aug", "août", "aout", "agosto", "ago"],
            ["september", "sep", "sept", "septembre", "septiembre", "setiembre"],
            ["october", "oct", "octobre", "oktober", "okt", "octubre"],
            ["november", "nov", "novembre", "noviembre"],
            ["december", "dec", "décembre", "déc", "dezember", "dez", "diciembre", "dic"],
        ]
        for (index, list) in lists.enumerated() {
            for name in list { names[name] = index + 1 }
        }
        return names
    }()
}
