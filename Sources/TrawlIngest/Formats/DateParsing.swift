import Foundation

/// Reads the dates found in document metadata into seconds since 1970 (UTC when no zone is given).
enum DateParsing {
    /// The date written in `text`, or nil when it is not a date this parser knows.
    ///
    /// Known: ISO 8601 dates and date-times (`2025-11-18`, `2025-11-18T09:30:00Z`,
    /// `2025-11-18 09:30:00+03:00`).
    static func parse(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = trimmed.split(maxSplits: 1, whereSeparator: { $0 == "T" || $0 == " " })
        guard let datePart = parts.first else { return nil }
        let numbers = datePart.split(separator: "-").map { Int($0) }
        guard numbers.count == 3, let year = numbers[0], let month = numbers[1], let day = numbers[2],
            (1...12).contains(month), (1...31).contains(day), datePart.count == 10
        else { return nil }
        var components = DateComponents(year: year, month: month, day: day)
        var zone = TimeZone(identifier: "UTC")!
        if parts.count == 2 {
            var time = Substring(parts[1])
            if time.hasSuffix("Z") {
                time = time.dropLast()
            } else if let sign = time.lastIndex(where: { $0 == "+" || $0 == "-" }) {
                let offset = time[time.index(after: sign)...].split(separator: ":").compactMap { Int($0) }
                guard let hours = offset.first else { return nil }
                let seconds = hours * 3600 + (offset.count > 1 ? offset[1] * 60 : 0)
                zone = TimeZone(secondsFromGMT: time[sign] == "-" ? -seconds : seconds) ?? zone
                time = time[..<sign]
            }
            let clock = time.split(separator: ":").map { Double($0) }
            guard (2...3).contains(clock.count), let hour = clock[0], let minute = clock[1] else {
                return nil
            }
            components.hour = Int(hour)
            components.minute = Int(minute)
            if clock.count == 3, let second = clock[2] { components.second = Int(second) }
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: components)?.timeIntervalSince1970
    }
}
