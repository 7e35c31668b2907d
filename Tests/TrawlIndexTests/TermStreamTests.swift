import Foundation
import GRDB
import Testing
import TrawlText

@_spi(Benchmark) @testable import TrawlIndex

/// A term stream replayed by the `trawl_replay` tokenizer indexes exactly what the text it came
/// from does, so the tokenizer benchmark's replay measures FTS5's work on the same terms; the
/// production `trawl` tokenizer does not replay streams.
struct TermStreamTests {
    static let texts = [
        "Al-Sudani’s U.S.-brokered cease-fire held on 2025-11-11; $3.5 billion, 150,000 troops.",
        "Hizballah and Hezbollah; Tehran's F-35 talks. l'issue, don't.",
        "رئيس الوزراء محمد شياع السوداني 東京都の会議 Réunion ß İstanbul",
        "",
    ]

    /// Every (term, column, position) that FTS5 holds for the one row of `table`.
    func instances(of table: String, in db: Database) throws -> [String] {
        try db.execute(
            sql: "CREATE VIRTUAL TABLE temp.\(table)_v USING fts5vocab(main, \(table), 'instance')")
        return try Row.fetchAll(
            db, sql: "SELECT term, col, offset FROM temp.\(table)_v ORDER BY col, offset, term"
        )
        .map { "\($0[0] as String) \($0[1] as String) \($0[2] as Int)" }
    }

    @Test(arguments: texts)
    func aReplayedStreamIndexesTheSameTermsAtTheSamePositions(text: String) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try TrawlFTS5Tokenizer.register(with: FTS5.api(db))
            db.add(tokenizer: TermReplayTokenizer.self)
        }
        let queue = try DatabaseQueue(configuration: configuration)
        let (fromText, fromStream) = try queue.write { db in
            try db.execute(sql: "CREATE VIRTUAL TABLE from_text USING fts5(title, body, tokenize = 'trawl')")
            try db.execute(
                sql: "CREATE VIRTUAL TABLE from_stream USING fts5(title, body, tokenize = 'trawl_replay')")
            try db.execute(
                sql: "INSERT INTO from_text(title, body) VALUES (?, ?)", arguments: ["Report", text])
            let tokenizer = Tokenizer()
            try db.execute(
                sql: "INSERT INTO from_stream(title, body) VALUES (?, ?)",
                arguments: [
                    TermStream.encoded("Report", tokenizer: tokenizer),
                    TermStream.encoded(text, tokenizer: tokenizer),
                ])
            return (try instances(of: "from_text", in: db), try instances(of: "from_stream", in: db))
        }
        #expect(fromStream == fromText)
        #expect(fromText.contains("report title 0"))
        if text.hasPrefix("Al-Sudani") {
            #expect(fromText.contains("alsudani body 0"))
            #expect(fromText.contains("150000 body 11"))
        }
    }

    /// The terms a stream stands for, as `trawl` would index them if it replayed the stream.
    @Test func theProductionTokenizerTokenizesAStreamInsteadOfReplayingIt() throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in try TrawlFTS5Tokenizer.register(with: FTS5.api(db)) }
        let queue = try DatabaseQueue(configuration: configuration)
        let terms = try queue.write { db in
            try db.execute(sql: "CREATE VIRTUAL TABLE doc USING fts5(body, tokenize = 'trawl')")
            // Terms no tokenizer run would produce: a replay would index them as they are.
            try db.execute(
                sql: "INSERT INTO doc(body) VALUES (?)",
                arguments: [TermStream.encoded(terms: ["Running", "RAW"])])
            return try instances(of: "doc", in: db)
        }
        #expect(!terms.contains { $0.hasPrefix("Running ") || $0.hasPrefix("RAW ") }, "\(terms)")
        #expect(terms.contains { $0.hasPrefix("run ") }, "\(terms)")
    }

    /// `trawl-bench terms` (the shard prototype's input): a colocated term shares the position of
    /// the term before it, so an index outside Trawl gets the same phrases and alternatives.
    @Test func positionedTermsGiveColocatedTermsThePositionBefore() {
        let terms = TermStream.positionedTerms(of: "Al-Sudani met U.S. envoys", tokenizer: Tokenizer())
        let positions = Dictionary(grouping: terms, by: \.position).mapValues { Set($0.map(\.term)) }
        #expect(positions[0] == ["al", "alsudani"])
        #expect(positions[1]?.contains("sudani") == true)
        #expect(positions[2] == ["met"])
        #expect(positions[3] == ["us"])
        #expect(positions[4] == ["envoy"])
        #expect(positions.count == 5)
    }
}
