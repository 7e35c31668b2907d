import TrawlIndex

/// Reads the dates found in document metadata into seconds since 1970 (UTC when no zone is given).
///
/// Parsing is done by hand on the UTF-8 bytes (no `DateFormatter`: it is slow to create and
/// depends on the locale) and dates are built with proleptic Gregorian day arithmetic.
enum DateParsing {
    /// The date written in `text`, or nil when it is not a date this parser knows.
    ///
    /// Known, with an optional time (`09:30`, `09:30:00`, `09:30:00.123`) and zone (`Z`, `+03:00`,
    /// `+0300`, `GMT`, `UT`, `UTC`, `EST`, `PDT`, … ; comments in parentheses are ignored):
    /// - ISO 8601: `2025-11-18`, `2025-11-18T09:30:00.123Z`, `2025-11-18 09:30:00+0300`, `2025-11`
    ///   (the first of the month), `2025/11/18`, `20251118`;
    /// - RFC 2822 (e-mail): `Tue, 18 Nov 2025 09:30:00 +0300`, also without weekday, with
    ///   two-digit years (`18 Nov 25`: below 50 is 20xx);
    /// - written dates: `18 Nov 2025`, `Nov 18, 2025`, `November 18, 2025`, `18 November 2025 14:05`,
    ///   Reuters' `26-FEB-1987 15:01:01.79`, asctime's `Tue Nov 18 09:30:00 2025`;
    /// - epoch numbers: 9 or 10 digits are seconds, 12 or 13 digits milliseconds since 1970.
    ///
    /// Numeric dates that do not start with the year (`18/11/2025`) are ambiguous and rejected.
    static func parse(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    /// `parse(_:)` on UTF-8 bytes.
    static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var tokens = DateTokenizer(bytes: bytes)
        guard let fields = tokens.fields() else { return nil }
        return fields.secondsSince1970()
    }

    /// The number of days in a month of the proleptic Gregorian calendar.
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The month (1...12) an English month name or its abbreviation names (`nov`, `november`,
    /// `sept`), lower-case ASCII; nil for anything else.
    static func englishMonth(_ word: some Collection<UInt8>) -> Int? {
        guard word.count >= 3 else { return nil }
        for (index, name) in englishMonthNames.enumerated() {
            if word.count == 3 || word.count == name.count || (index == 8 && word.count == 4) {
                if word.elementsEqual(name.utf8.prefix(word.count)) { return index + 1 }
            }
        }
        return nil
    }

    /// The weekday (0 is Sunday) an English weekday name or its three-letter abbreviation names,
    /// lower-case ASCII; nil for anything else.
    static func englishWeekday(_ word: some Collection<UInt8>) -> Int? {
        guard word.count >= 3 else { return nil }
        for (index, name) in englishWeekdayNames.enumerated()
        where word.count == 3 || word.count == name.count {
            if word.elementsEqual(name.utf8.prefix(word.count)) { return index }
        }
        return nil
    }

    static let englishMonthNames = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december",
    ]
    static let englishWeekdayNames = [
        "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    ]

    /// Offsets from UTC, in minutes, of the zone names RFC 2822 and common usage know.
    static func zoneOffsetMinutes(_ word: some Collection<UInt8>) -> Int? {
        switch String(decoding: word, as: UTF8.self) {
        case "z", "ut", "utc", "gmt": return 0
        case "edt": return -4 * 60
        case "est", "cdt": return -5 * 60
        case "cst", "mdt": return -6 * 60
        case "mst", "pdt": return -7 * 60
        case "pst": return -8 * 60
        case "bst", "cet": return 60
        case "cest", "eet": return 120
        case "eest", "msk": return 180
        default: return nil
        }
    }
}

/// The parts of a date found by `DateTokenizer`, before they are checked and combined.
private struct DateFields {
    var year: Int
    var month: Int
    var day: Int
    var hour = 0
    var minute = 0
    var second = 0.0
    var offsetMinutes = 0

    func secondsSince1970() -> Double? {
        guard (1...12).contains(month), (1...DateParsing.daysIn(month: month, year: year)).contains(day),
            (0...24).contains(hour), (0...59).contains(minute), second >= 0, second < 61,
            hour < 24 || (minute == 0 && second == 0)
        else { return nil }
        let days = CivilDate.daysSince1970(year: year, month: month, day: day)
        let minutes = (days * 24 + hour) * 60 + minute - offsetMinutes
        return Double(minutes * 60) + second
    }
}

/// Reads the words, numbers, times and zones of a date, then decides which number is which.
private struct DateTokenizer {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// A run of digits: its value and how many digits it had.
    private struct Number {
        var value: Int
        var digits: Int
    }

    mutating func fields() -> DateFields? {
        var numbers: [Number] = []
        var numberSeparators: [UInt8] = []  // the byte before each number (0 at the start)
        var month: Int?
        var time: (hour: Int, minute: Int, second: Double)?
        var offset: Int?
        var previous: UInt8 = 0
        var sawAnything = false
        while index < bytes.count {
            let byte = bytes[index]
            if ASCII.isDigit(byte) {
                let start = index
                let number = readNumber()
                sawAnything = true
                if time != nil, offset == nil, start > 0,
                    bytes[start - 1] == UInt8(ascii: "+") || bytes[start - 1] == UInt8(ascii: "-")
                {
                    // A numeric zone after the time: +0300, -05:00, +03.
                    guard let minutes = readOffset(first: number) else { return nil }
                    offset = bytes[start - 1] == UInt8(ascii: "-") ? -minutes : minutes
                } else if index < bytes.count, bytes[index] == UInt8(ascii: ":"), number.digits <= 2 {
                    guard time == nil, let clock = readClock(hour: number.value) else { return nil }
                    time = clock
                } else {
                    if number.digits > 4, numbers.isEmpty, index == bytes.count || isSpace(bytes[index]) {
                        return epochOrCompact(number, restIsBlank: restIsBlank())
                    }
                    numbers.append(number)
                    numberSeparators.append(previous)
                }
                previous = bytes[index - 1]
                continue
            }
            if ASCII.isLetter(byte) {
                let start = index
                while index < bytes.count, ASCII.isLetter(bytes[index]) { index += 1 }
                let word = bytes[start..<index].map { $0 | 0x20 }
                sawAnything = true
                if let named = DateParsing.englishMonth(word) {
                    guard month == nil else { return nil }
                    month = named
                } else if DateParsing.englishWeekday(word) != nil {
                    // A weekday adds nothing to the date.
                } else if word == [UInt8(ascii: "t")] || word == Array("at".utf8) {
                    // ISO's date/time separator, "at" in "Nov 18, 2025 at 09:30".
                } else if word == Array("am".utf8) || word == Array("pm".utf8) {
                    guard var clock = time, (1...12).contains(clock.hour) else { return nil }
                    clock.hour = clock.hour % 12 + (word[0] == UInt8(ascii: "p") ? 12 : 0)
                    time = clock
                } else if let minutes = DateParsing.zoneOffsetMinutes(word) {
                    guard offset == nil else { return nil }
                    offset = minutes
                } else {
                    return nil
                }
                previous = bytes[index - 1]
                continue
            }
            if byte == UInt8(ascii: "(") {
                // RFC 2822 comment, e.g. "(UTC)" or "(Pacific Standard Time)".
                guard let close = bytes[index...].firstIndex(of: UInt8(ascii: ")")) else { return nil }
                index = close + 1
                continue
            }
            guard isSpace(byte) || separators.contains(byte) else { return nil }
            previous = byte
            index += 1
        }
        guard sawAnything else { return nil }
        return combine(numbers, separators: numberSeparators, month: month, time: time, offset: offset)
    }

    private func combine(
        _ numbers: [Number], separators: [UInt8], month: Int?,
        time: (hour: Int, minute: Int, second: Double)?, offset: Int?
    ) -> DateFields? {
        var fields: DateFields
        if let month {
            // Written month: one four-digit number is the year, the other the day; with two short
            // numbers (RFC 2822 "18 Nov 25") the first is the day and the second the year.
            guard numbers.count == 2 || (numbers.count == 1 && numbers[0].digits == 4) else { return nil }
            if numbers.count == 1 {
                fields = DateFields(year: numbers[0].value, month: month, day: 1)
            } else if numbers[1].digits == 4, numbers[0].digits <= 2 {
                fields = DateFields(year: numbers[1].value, month: month, day: numbers[0].value)
            } else if numbers[0].digits == 4, numbers[1].digits <= 2 {
                fields = DateFields(year: numbers[0].value, month: month, day: numbers[1].value)
            } else if numbers[0].digits <= 2, numbers[1].digits == 2 {
                let shortYear = numbers[1].value
                fields = DateFields(
                    year: shortYear < 50 ? 2000 + shortYear : 1900 + shortYear, month: month,
                    day: numbers[0].value)
            } else {
                return nil
            }
        } else {
            // All numbers: year first (2025-11-18, 2025/11/18, 2025-11).
            guard (2...3).contains(numbers.count), numbers[0].digits == 4,
                numbers.dropFirst().allSatisfy({
                    $0.digits <= 2
                }),
                separators.dropFirst().allSatisfy({
                    $0 == separators[1] && ($0 == 0x2D || $0 == 0x2F || $0 == 0x2E)
                })
            else { return nil }
            fields = DateFields(
                year: numbers[0].value, month: numbers[1].value,
                day: numbers.count == 3 ? numbers[2].value : 1)
            if numbers.count == 2, time != nil { return nil }
        }
        if let time {
            fields.hour = time.hour
            fields.minute = time.minute
            fields.second = time.second
        }
        fields.offsetMinutes = offset ?? 0
        return fields
    }

    /// Eight digits are `YYYYMMDD`; 9–10 digits epoch seconds, 12–13 epoch milliseconds.
    private func epochOrCompact(_ number: Number, restIsBlank: Bool) -> DateFields? {
        guard restIsBlank else { return nil }
        switch number.digits {
        case 8:
            return DateFields(
                year: number.value / 10_000, month: number.value / 100 % 100, day: number.value % 100)
        case 9, 10, 12, 13:
            let seconds = number.digits >= 12 ? Double(number.value) / 1000 : Double(number.value)
            // Express as a day plus seconds so DateFields can check and rebuild it.
            let days = Int((seconds / 86_400).rounded(.down))
            let civil = CivilDate.date(daysSince1970: days)
            var fields = DateFields(year: civil.year, month: civil.month, day: civil.day)
            let inDay = seconds - Double(days) * 86_400
            fields.hour = Int(inDay / 3600)
            fields.minute = Int(inDay.truncatingRemainder(dividingBy: 3600) / 60)
            fields.second = inDay.truncatingRemainder(dividingBy: 60)
            return fields
        default:
            return nil
        }
    }

    private func restIsBlank() -> Bool {
        bytes[index...].allSatisfy(isSpace)
    }

    private mutating func readNumber() -> Number {
        var value = 0
        var digits = 0
        while index < bytes.count, ASCII.isDigit(bytes[index]) {
            if digits < 18 { value = value * 10 + Int(bytes[index] - 0x30) }
            digits += 1
            index += 1
        }
        return Number(value: value, digits: digits)
    }

    /// Reads `:mm`, `:mm:ss` or `:mm:ss.fff` after the hour (index is at the first colon).
    private mutating func readClock(hour: Int) -> (hour: Int, minute: Int, second: Double)? {
        index += 1
        guard index < bytes.count, ASCII.isDigit(bytes[index]) else { return nil }
        let minute = readNumber()
        guard minute.digits == 2 else { return nil }
        var second = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
            index += 1
            guard index < bytes.count, ASCII.isDigit(bytes[index]) else { return nil }
            let whole = readNumber()
            guard whole.digits == 2 else { return nil }
            second = Double(whole.value)
            if index + 1 < bytes.count,
                bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ","),
                ASCII.isDigit(bytes[index + 1])
            {
                index += 1
                var scale = 0.1
                while index < bytes.count, ASCII.isDigit(bytes[index]) {
                    second += Double(bytes[index] - 0x30) * scale
                    scale /= 10
                    index += 1
                }
            }
        }
        return (hour, minute.value, second)
    }

    /// Reads the rest of a numeric zone whose first digits are `first` (`0300`, `03:00`, `03`) and
    /// returns its minutes; nil when it is no real offset (over 18 hours, 60 minutes or more).
    private mutating func readOffset(first: Number) -> Int? {
        var hours = first.value
        var minutes = 0
        switch first.digits {
        case 4:
            hours = first.value / 100
            minutes = first.value % 100
        case 2:
            if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
                index += 1
                let second = readNumber()
                guard second.digits == 2 else { return nil }
                minutes = second.value
            }
        default:
            return nil
        }
        guard hours <= 18, minutes < 60 else { return nil }
        return hours * 60 + minutes
    }

    /// Bytes that only separate the parts (`+` only counts before a zone offset).
    private let separators: [UInt8] = Array(",-/.+".utf8)

    private func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
}
