/// Calendar arithmetic on days counted from 1970-01-01 in the proleptic Gregorian calendar
/// (Howard Hinnant's `days_from_civil` and `civil_from_days`).
///
/// A document's date is stored as seconds since 1970; reading dates (TrawlIngest) and writing them
/// (`--format json`) both need the calendar without Foundation's, which loads ICU.
public enum CivilDate {
    /// Days from 1970-01-01 to the given date (negative before it).
    public static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The year, month (1...12) and day of a day counted from 1970-01-01.
    public static func date(daysSince1970 days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The weekday of a day counted from 1970-01-01: 0 is Sunday, 6 Saturday.
    public static func weekday(daysSince1970 days: Int) -> Int {
        ((days + 4) % 7 + 7) % 7
    }
}
