import Foundation

/// A date as a person types it — a year, a month, a day or an instant — naming a period (`2025`
/// is the whole year), so a range's start takes its start and a range's end its end. Read the
/// same by `--since`/`--until` and by the HTTP API's `since`/`until`.
public struct DatePeriod: Sendable, Hashable {
    /// The first second of the period, seconds since 1970 (UTC).
    public var start: Double
    /// The first second after the period.
    public var end: Double

    /// Reads `2025`, `2025-11`, `2025-11-18` or `2025-11-18T09:30[:00][Z|+03:00]` (UTC unless a zone
    /// is given), or a date relative to `now` (`relative(_:now:)`); nil for anything else.
    public init?(_ argument: String, now: Double = Date().timeIntervalSince1970) {
        let text = argument.trimmingCharacters(in: .whitespaces)
        if let relative = Self.relative(text.lowercased(), now: now) {
            self = relative
            return
        }
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let parts = text.split(separator: "-", maxSplits: 2, omittingEmptySubsequences: false)
        if parts.count <= 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) }),
            let year = Int(parts[0]), parts[0].count == 4
        {
            let month = parts.count == 2 ? Int(parts[1]) : 1
            guard let month, (1...12).contains(month), parts.count == 1 || parts[1].count == 2,
                let start = utc.date(from: DateComponents(year: year, month: month, day: 1)),
                let end = utc.date(byAdding: parts.count == 2 ? .month : .year, value: 1, to: start)
            else { return nil }
            (self.start, self.end) = (start.timeIntervalSince1970, end.timeIntervalSince1970)
            return
        }
        let day = text.prefix(10)
        let dayParts = day.split(separator: "-")
        guard day.count == 10, dayParts.count == 3, let year = Int(dayParts[0]), let month = Int(dayParts[1]),
            let dayOfMonth = Int(dayParts[2]), (1...12).contains(month), (1...31).contains(dayOfMonth),
            let start = utc.date(from: DateComponents(year: year, month: month, day: dayOfMonth)),
            utc.component(.day, from: start) == dayOfMonth
        else { return nil }
        if text.count == 10 {
            self.start = start.timeIntervalSince1970
            self.end = start.timeIntervalSince1970 + 86_400
            return
        }
        let formatter = ISO8601DateFormatter()
        var instant = String(text)
        if instant.count == 16 { instant += ":00" }  // 2025-11-18T09:30
        if !instant.hasSuffix("Z"), !instant.dropFirst(19).contains(where: { $0 == "+" || $0 == "-" }) {
            instant += "Z"
        }
        guard let date = formatter.date(from: instant.replacingOccurrences(of: " ", with: "T")) else {
            return nil
        }
        self.start = date.timeIntervalSince1970
        self.end = date.timeIntervalSince1970 + 1
    }

    private init(start: Double, end: Double) {
        self.start = start
        self.end = end
    }

    /// `today` and `yesterday` (whole days in the time zone `TZ` names, UTC when it is unset),
    /// `now`, and `N` hours, days or weeks before now (`24h`, `7d`, `2w`), an instant.
    static func relative(_ text: String, now: Double) -> DatePeriod? {
        switch text {
        case "now": return DatePeriod(start: now, end: now)
        case "today", "yesterday":
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let today = calendar.startOfDay(for: Date(timeIntervalSince1970: now))
            let start = text == "today" ? today : calendar.date(byAdding: .day, value: -1, to: today)!
            let end = calendar.date(byAdding: .day, value: 1, to: start)!
            return DatePeriod(start: start.timeIntervalSince1970, end: end.timeIntervalSince1970)
        default:
            guard let unit = text.last, let seconds = ["h": 3_600.0, "d": 86_400.0, "w": 604_800.0][unit],
                text.count >= 2, text.dropLast().allSatisfy(\.isASCII),
                let count = Int(text.dropLast()), count >= 0, count <= 1_000_000
            else { return nil }
            let instant = now - Double(count) * seconds
            return DatePeriod(start: instant, end: instant)
        }
    }

    /// The time zone of `today` and `yesterday`: `TZ`'s when it names one, else UTC.
    static var zone: TimeZone {
        if let name = ProcessInfo.processInfo.environment["TZ"], !name.isEmpty {
            let identifier = name.hasPrefix(":") ? String(name.dropFirst()) : name
            if let zone = TimeZone(identifier: identifier) { return zone }
        }
        return TimeZone(identifier: "UTC")!
    }
}
