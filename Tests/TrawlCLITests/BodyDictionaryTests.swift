import Foundation
import GRDB
import Testing

/// Bodies compressed with a dictionary trained on the index's own files: trained once there is
/// enough text, read back exactly beside older deflate bodies, and replaced and removed cleanly.
@Suite struct BodyDictionaryTests {
    let folder: URL
    let docs: URL

    init() throws {
        folder = try TrawlBinary.temporaryFolder()
        docs = folder.appendingPathComponent("docs")
    }

    /// Report `number`: a shared header and sign-off around sentences drawn from a small
    /// vocabulary, about 3 KB (64 of them are 190 KB, above what training needs).
    static func report(_ number: Int, extra: String = "") -> String {
        let words = [
            "grain", "exports", "ministry", "harvest", "tonnes", "shipments", "port", "prices", "wheat",
            "barley", "traders", "forecast", "quarter", "growth", "officials", "said", "rose", "fell",
            "season", "contracts", "buyers", "Odesa", "Basra", "Rotterdam", "record", "weekly",
        ]
        var seed = UInt64(number) &* 0x9E37_79B9_7F4A_7C15 | 1
        var sentences: [String] = []
        for _ in 0..<40 {
            var sentence: [String] = []
            for _ in 0..<9 {
                seed ^= seed << 13
                seed ^= seed >> 7
                seed ^= seed << 17
                sentence.append(words[Int(seed % UInt64(words.count))])
            }
            sentences.append(sentence.joined(separator: " ").capitalized + ".")
        }
        return """
            Market report \(number)
            Source: Trawl Fixture Desk
            Topics: grain, shipping

            \(sentences.joined(separator: " ")) \(extra)
            Reporting by the fixture desk; editing by the night editor.
            """
    }

    func writeReports(_ numbers: Range<Int>) throws {
        for number in numbers { try docs.write(Self.report(number), to: "report-\(number).txt") }
    }

    /// How many bodies are stored in each format (the first byte of a BLOB; 0 for TEXT).
    static func formats(in db: String) throws -> [Int: Int] {
        let queue = try DatabaseQueue(path: db)
        return try queue.read { db in
            Dictionary(
                uniqueKeysWithValues: try Row.fetchAll(
                    db,
                    sql: """
                        SELECT CASE typeof(body) WHEN 'blob' THEN unicode(CAST(substr(body, 1, 1) AS TEXT)) ELSE 0 END AS f,
                            count(*) FROM document_body GROUP BY f
                        """
                ).map { ($0[0] as Int, $0[1] as Int) })
        }
    }

    static func dictionaryCount(in db: String) throws -> Int {
        try DatabaseQueue(path: db).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM stored_text_dictionary") ?? -1
        }
    }

    func index(_ db: String) throws {
        let outcome = try TrawlBinary.run(["index", docs.path, "--db", db, "--quiet"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
    }

    func shownBodies(_ db: String) throws -> [String: String] {
        var bodies: [String: String] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: docs.path) {
            let outcome = try TrawlBinary.run(["show", docs.appendingPathComponent(file).path, "--db", db])
            #expect(outcome.status == 0, "\(file): \(outcome.stderr)")
            bodies[file] = outcome.stdout
        }
        return bodies
    }

    @Test func aFirstRunWithEnoughTextTrainsOneDictionaryAndReadsEveryBodyBackExactly() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try writeReports(0..<64)
        let trained = folder.appendingPathComponent("trained.sqlite").path
        try index(trained)
        #expect(try Self.dictionaryCount(in: trained) == 1)
        #expect(try Self.formats(in: trained) == [3: 64], "every report compressed with the dictionary")

        // The same reports indexed where the first run had too little text to train on: its
        // bodies are deflated, the second run's (enough text) use a dictionary.
        let mixed = folder.appendingPathComponent("mixed.sqlite").path
        let all = try FileManager.default.contentsOfDirectory(atPath: docs.path)
        let later = folder.appendingPathComponent("later")
        try FileManager.default.createDirectory(at: later, withIntermediateDirectories: true)
        for file in all where !["report-1.txt", "report-2.txt", "report-3.txt"].contains(file) {
            try FileManager.default.moveItem(
                at: docs.appendingPathComponent(file), to: later.appendingPathComponent(file))
        }
        try index(mixed)
        #expect(try Self.dictionaryCount(in: mixed) == 0, "three reports are too little to train on")
        for file in all where !["report-1.txt", "report-2.txt", "report-3.txt"].contains(file) {
            try FileManager.default.moveItem(
                at: later.appendingPathComponent(file), to: docs.appendingPathComponent(file))
        }
        try index(mixed)
        #expect(try Self.dictionaryCount(in: mixed) == 1)
        #expect(try Self.formats(in: mixed) == [2: 3, 3: 61])

        // What `trawl show` prints of each document is the same from both indexes.
        let fromTrained = try shownBodies(trained)
        #expect(fromTrained.count == 64)
        #expect(try shownBodies(mixed) == fromTrained)
        #expect(fromTrained["report-7.txt"]?.contains("Reporting by the fixture desk") == true)
    }

    @Test func bodiesWithTheDictionaryAreReplacedAndRemovedCleanly() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try writeReports(0..<64)
        let db = folder.appendingPathComponent("index.sqlite").path
        try index(db)
        #expect(try Self.formats(in: db) == [3: 64])
        // FTS5 takes a changed or removed document's old terms from its stored body: a body the
        // index could not read back would leave them behind.
        try docs.write(Self.report(5, extra: "Zanzibar cloves arrived."), to: "report-5.txt")
        try FileManager.default.removeItem(at: docs.appendingPathComponent("report-6.txt"))
        try index(db)
        #expect(try Self.dictionaryCount(in: db) == 1, "later runs keep the index's dictionary")
        let cloves = try TrawlBinary.run(["search", "Zanzibar cloves", "--db", db, "--format", "json"])
        #expect(try SearchOutput(json: cloves.stdout).results.map(\.path) == [docs.path + "/report-5.txt"])
        let removed = try TrawlBinary.run(["search", "\"Market report 6\"", "--db", db, "--format", "json"])
        #expect(try SearchOutput(json: removed.stdout).results.isEmpty)
        let check = try TrawlBinary.run(["check", "--db", db])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let shown = try TrawlBinary.run(["show", docs.path + "/report-5.txt", "--db", db])
        #expect(shown.stdout.contains("Zanzibar cloves arrived."))
    }

    @Test func optimizeTrainsADictionaryForAnIndexThatNeverReadEnoughAtOnceAndRecompressesItsBodies() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("index.sqlite").path
        // Two runs of 32 reports (about 95 KB each): neither reads enough text to train on.
        try writeReports(0..<32)
        try index(db)
        try writeReports(32..<64)
        try index(db)
        #expect(try Self.dictionaryCount(in: db) == 0)
        #expect(try Self.formats(in: db) == [2: 64])
        let before = try shownBodies(db)

        let optimized = try TrawlBinary.run(["optimize", "--db", db])
        #expect(optimized.status == 0, "\(optimized.stderr)")
        #expect(
            optimized.stdout.contains("(64 bodies compressed again with the index's dictionary)"),
            "\(optimized.stdout)")
        #expect(try Self.dictionaryCount(in: db) == 1)
        #expect(try Self.formats(in: db) == [3: 64])
        #expect(try shownBodies(db) == before)
        #expect(try TrawlBinary.run(["check", "--db", db]).status == 0)

        // Later runs compress with it; a second optimize has nothing left to compress.
        try docs.write(Self.report(64), to: "report-64.txt")
        try index(db)
        #expect(try Self.formats(in: db) == [3: 65])
        let again = try TrawlBinary.run(["optimize", "--db", db])
        #expect(again.status == 0 && !again.stdout.contains("compressed again"), "\(again.stdout)")
    }
}
