import TrawlIndex

/// A date written in a file's or its folders' names: `2025-11-18-baghdad.txt`, `20251118.txt`,
/// `wire/2025/11/18/story.txt`, `2025/11/`, `2025-11/`.
///
/// Only whole folder names count as parts of a date (`2025/11/18/`, `2025/11/`, `2025/`,
/// `2025-11/`, `2025-11-18/`), so a folder called `report-2019` says nothing; a file name may
/// hold a full day anywhere (`baghdad-2025-11-18.txt`, `brief_20251118.md`), bounded by
/// characters that are not digits. Years from 1970 to 2199.
enum PathDate: Hashable, Sendable {
    /// A whole day, as days since 1970.
    case day(Int)
    /// A month of a year.
    case month(year: Int, month: Int)
    /// A year.
    case year(Int)

    /// The first and last day (days since 1970) the evidence covers.
    var days: ClosedRange<Int> {
        switch self {
        case .day(let day):
            return day...day
        case .month(let year, let month):
            let first = CivilDate.daysSince1970(year: year, month: month, day: 1)
            return first...(first + DateParsing.daysIn(month: month, year: year) - 1)
        case .year(let year):
            return CivilDate.daysSince1970(
                year: year, month: 1, day: 1)...CivilDate.daysSince1970(
                    year: year, month: 12, day: 31)
        }
    }

    /// The most precise date `path` names: a day in the file name, else the deepest folders that
    /// spell a year (and its month and day), else a month in the file name; nil when none.
    static func evidence(in path: String) -> PathDate? {
        let components = path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true)
        guard let name = components.last else { return nil }
        let stem = name.lastIndex(of: UInt8(ascii: ".")).map { name[..<$0] } ?? name[...]
        if let day = dayInName(stem) { return .day(day) }
        let folders = components.dropLast()
        for index in folders.indices.reversed() {
            guard let found = wholeDate(folders[index]) else { continue }
            guard case .year(let year) = found else { return found }
            // `2025/11/18/`, `2025/11/`: the folders below the year add the month and day.
            guard index + 1 < folders.endIndex, let month = number(folders[index + 1], digits: 1...2),
                (1...12).contains(month)
            else { return found }
            if index + 2 < folders.endIndex, let day = number(folders[index + 2], digits: 1...2),
                (1...DateParsing.daysIn(month: month, year: year)).contains(day)
            {
                return .day(CivilDate.daysSince1970(year: year, month: month, day: day))
            }
            return .month(year: year, month: month)
        }
        if case .month? = wholeDate(stem) { return wholeDate(stem) }
        return nil
    }

    /// A name that is a date and nothing else: `2025`, `2025-11`, `2025-11-18`, `2025_11`, `20251118`.
    private static func wholeDate(_ name: Substring.UTF8View.SubSequence) -> PathDate? {
        guard name.allSatisfy(isDatePart) else { return nil }
        if name.count == 8, let day = day(Array(name), year: 0, month: 4, day: 6) { return .day(day) }
        let parts = name.split(whereSeparator: { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") })
        guard (1...3).contains(parts.count), let year = number(parts[0], digits: 4...4),
            (1970...2199).contains(year)
        else { return nil }
        if parts.count == 1 { return .year(year) }
        guard let month = number(parts[1], digits: 1...2), (1...12).contains(month) else { return nil }
        if parts.count == 2 { return .month(year: year, month: month) }
        guard let day = number(parts[2], digits: 1...2),
            (1...DateParsing.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        return .day(CivilDate.daysSince1970(year: year, month: month, day: day))
    }

    private static func isDatePart(_ byte: UInt8) -> Bool {
        ASCII.isDigit(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }

    /// A day anywhere in a file name: `YYYY-MM-DD`, `YYYY_MM_DD`, `YYYY.MM.DD` or `YYYYMMDD`,
    /// with no digit right before or after it.
    private static func dayInName(_ name: Substring.UTF8View.SubSequence) -> Int? {
        let bytes = Array(name)
        var index = 0
        while index < bytes.count {
            guard ASCII.isDigit(bytes[index]), index == 0 || !ASCII.isDigit(bytes[index - 1]) else {
                index += 1
                continue
            }
            var end = index
            while end < bytes.count, ASCII.isDigit(bytes[end]) { end += 1 }
            let run = end - index
            if run == 8, let day = day(bytes, year: index, month: index + 4, day: index + 6) {
                return day
            }
            if run == 4, end + 6 <= bytes.count {
                let separator = bytes[end]
                if separator == 0x2D || separator == 0x5F || separator == 0x2E, bytes[end + 3] == separator,
                    end + 6 == bytes.count || !ASCII.isDigit(bytes[end + 6]),
                    let day = day(bytes, year: index, month: end + 1, day: end + 4)
                {
                    return day
                }
            }
            index = end
        }
        return nil
    }

    /// The day spelled by four year digits at `year` and two digits each at `month` and `day`.
    private static func day(_ bytes: [UInt8], year: Int, month: Int, day: Int) -> Int? {
        func value(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= bytes.count else { return nil }
            var result = 0
            for byte in bytes[start..<(start + count)] {
                guard ASCII.isDigit(byte) else { return nil }
                result = result * 10 + Int(byte - 0x30)
            }
            return result
        }
        guard let y = value(year, 4), let m = value(month, 2), let d = value(day, 2),
            (1970...2199).contains(y), (1...12).contains(m),
            (1...DateParsing.daysIn(month: m, year: y)).contains(d)
        else { return nil }
        return CivilDate.daysSince1970(year: y, month: m, day: d)
    }

    /// The value of a name made only of `digits` digits.
    private static func number(_ name: some Collection<UInt8>, digits: ClosedRange<Int>) -> Int? {
        guard digits.contains(name.count), name.allSatisfy(ASCII.isDigit) else { return nil }
        return name.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }
}
