import Foundation
import Testing

/// Issue 15, "Dates a user can trust": the table in `Fixtures/dates/README.md`, checked row by row
/// through the binary, and what an undated document does in searches.
struct DateFixtureTests {
    let folder: URL
    let db: String
    let dates: URL

    /// One row of the README table.
    struct Row {
        var file: String
        /// An ISO instant, or `now`.
        var mtime: String
        /// `YYYY-MM-DD`, `undated`, or `latest Nov 18`.
        var date: String
        var dateSource: String
    }

    static let table = TrawlBinary.packageRoot.appendingPathComponent("Fixtures/dates/README.md")

    static func rows() throws -> [Row] {
        let text = try String(contentsOf: table, encoding: .utf8)
        return text.split(separator: "\n").filter { $0.hasPrefix("| `") }.map { line in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            return Row(
                file: cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`")), mtime: cells[1],
                date: cells[2], dateSource: cells[3])
        }
    }

    init() throws {
        folder = try TrawlBinary.temporaryFolder()
        db = folder.appendingPathComponent("index.sqlite").path
        dates = folder.appendingPathComponent("dates")
        try FileManager.default.copyItem(
            at: TrawlBinary.packageRoot.appendingPathComponent("Fixtures/dates"), to: dates)
        let now = Date()
        let formatter = ISO8601DateFormatter()
        for row in try Self.rows() {
            let mtime = row.mtime == "now" ? now : try #require(formatter.date(from: row.mtime))
            try FileManager.default.setAttributes(
                [.modificationDate: mtime], ofItemAtPath: dates.appendingPathComponent(row.file).path)
        }
        let outcome = try TrawlBinary.run(["index", dates.path, "--db", db])
        #expect(outcome.status == 0, "\(outcome.stderr)")
    }

    struct Shown: Decodable {
        var date: String?
        var dateSource: String
    }

    /// The latest 18 November on or before today (UTC) + 1 day.
    static func latestNovember18() -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let limit = Date().addingTimeInterval(86_400)
        var year = calendar.component(.year, from: limit)
        let november18 = { (year: Int) in calendar.date(from: DateComponents(year: year, month: 11, day: 18))!
        }
        if november18(year) > limit { year -= 1 }
        return String(format: "%04d-11-18", year)
    }

    @Test func everyFixtureGetsTheDateItsTableRowSays() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let rows = try Self.rows()
        #expect(rows.count >= 15)
        for row in rows {
            let outcome = try TrawlBinary.run(
                ["show", dates.appendingPathComponent(row.file).path, "--db", db, "--format", "json"])
            #expect(outcome.status == 0, "\(row.file): \(outcome.stderr)")
            let shown = try JSONDecoder().decode(Shown.self, from: Data(outcome.stdout.utf8))
            let expected: String? =
                switch row.date {
                case "undated": nil
                case "latest Nov 18": Self.latestNovember18()
                default: row.date
                }
            #expect(shown.date.map { String($0.prefix(10)) } == expected, "\(row.file)")
            #expect(shown.dateSource == row.dateSource, "\(row.file)")
        }
    }

    @Test func undatedDocumentsSortLastAndAreLeftOutOfDateRanges() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let query = "crude OR shipping OR talks OR inspectors"
        let sorted = try TrawlBinary.run(["search", query, "--sort", "date", "--db", db, "--format", "json"])
        let results = try JSONDecoder().decode(DatedResults.self, from: Data(sorted.stdout.utf8)).results
        let undated = results.filter { $0.date == nil }.map {
            URL(fileURLWithPath: $0.path).lastPathComponent
        }
        #expect(Set(undated) == ["undated-note.txt", "undated-note-copy.txt", "weekday-only.txt"])
        // Newest first, every undated document after every dated one.
        let firstUndated = try #require(results.firstIndex { $0.date == nil })
        #expect(results[firstUndated...].allSatisfy { $0.date == nil && $0.dateSource == "none" })
        let dated = results[..<firstUndated].map { $0.date ?? "" }
        #expect(!dated.isEmpty && dated == dated.sorted(by: >))

        let since = try TrawlBinary.run(["search", query, "--since", "1970", "--db", db, "-l"])
        #expect(since.status == 0)
        #expect(!since.stdout.contains("undated-note") && !since.stdout.contains("weekday-only"))
        #expect(since.stdout.split(separator: "\n").count == firstUndated)
        let until = try TrawlBinary.run(["search", "crude", "--until", "2100", "--db", db, "-l"])
        #expect(until.status == 1, "the only document with ‘crude’ is undated")

        let text = try TrawlBinary.run(["search", "tanker", "--db", db, "--color", "never"])
        #expect(text.stdout.contains("undated-note.txt · undated"))
        let show = try TrawlBinary.run(
            ["show", dates.appendingPathComponent("notes/undated-note.txt").path, "--db", db])
        #expect(show.stdout.contains("Date:     undated (no date in its metadata, text or path)"))
        let json = try TrawlBinary.run(["search", "tanker", "--db", db, "--format", "json"])
        #expect(json.stdout.contains("\"date\":null"))

        let help = try TrawlBinary.run(["search", "--help"])
        let words = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("--since <date> Only documents dated on or after this"))
        #expect(words.contains("days in UTC unless TZ is set); undated documents are left out."))
        #expect(words.contains("or day includes all of it; today, 7d…); undated documents are left out."))
    }

    @Test func undatedDocumentsGetNoRecencyBoost() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try TrawlBinary.run(
            ["search", "shipping", "--recent", "--explain", "--db", db, "--format", "json"])
        struct Explained: Decodable {
            struct Result: Decodable {
                struct Explain: Decodable { var recency: Double }
                var path: String
                var date: String?
                var explain: Explain
            }
            var results: [Result]
        }
        let results = try JSONDecoder().decode(Explained.self, from: Data(outcome.stdout.utf8)).results
        #expect(results.contains { $0.date == nil })
        #expect(results.contains { $0.date != nil })
        for result in results where result.date == nil {
            #expect(result.explain.recency == 0, "\(result.path)")
        }
    }

    struct DatedResults: Decodable {
        struct Result: Decodable {
            var path: String
            var date: String?
            var dateSource: String
        }
        var results: [Result]
    }
}
