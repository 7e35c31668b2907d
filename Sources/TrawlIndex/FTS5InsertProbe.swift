import Foundation
import GRDB
import TrawlText

/// A throwaway FTS5 table that measures how fast texts are inserted with a given tokenizer.
///
/// Used by `trawl-bench fts-insert` and `fts-size` to compare Trawl's tokenizer inside SQLite with SQLite's own.
/// The table is contentless (`content = ''`), so what is timed is tokenizing and building the
/// full-text index, not storing the rows (which costs the same with either tokenizer):
///
///     CREATE VIRTUAL TABLE probe USING fts5(body, title, meta, content = '', tokenize = 'trawl')
///     -- or tokenize = 'porter unicode61 remove_diacritics 2'
///     BEGIN; INSERT INTO probe(title, body, meta) VALUES (?, ?, ?); ...; COMMIT
///
/// ```swift
/// let probe = FTS5InsertProbe(path: "/tmp/probe.sqlite", tokenizer: .trawl)
/// let seconds = try probe.insert([FTS5InsertProbe.Text(title: "Oil", body: "Prices rose.")])
/// ```
@_spi(Benchmark) public struct FTS5InsertProbe: Sendable {
    /// Which tokenizer the probe table uses.
    public enum TokenizerChoice: String, Sendable, CaseIterable {
        /// Trawl's tokenizer, registered exactly as `IndexStore` registers it.
        case trawl
        /// SQLite's built-in `porter unicode61 remove_diacritics 2`, the yardstick's tokenizer.
        case builtin
        /// Trawl's tokenizer without its colocated terms (`tokenize = 'trawl plain'`), to measure
        /// what the joined forms and transliteration keys add to an index.
        case trawlPlain = "trawl-plain"
        /// Trawl's terms computed before the clock starts, as term streams (`TermStream`) that
        /// the `trawl_replay` tokenizer only replays: what FTS5 itself spends on Trawl's terms, the floor
        /// under any tokenizer producing them.
        case trawlReplay = "trawl-replay"
        /// The built-in tokenizer's terms, computed before the clock starts and replayed the same
        /// way by the `trawl_replay` tokenizer: what FTS5 itself spends on SQLite's terms.
        case builtinReplay = "builtin-replay"

        /// The yardstick's tokenizer, as a `tokenize` option.
        static let builtinOption = "porter unicode61 remove_diacritics 2"

        /// The `tokenize` option of the `CREATE VIRTUAL TABLE` statement.
        var tokenizeOption: String {
            switch self {
            case .trawl: return TrawlFTS5Tokenizer.name
            case .trawlReplay, .builtinReplay: return TermReplayTokenizer.name
            case .builtin: return Self.builtinOption
            case .trawlPlain: return "\(TrawlFTS5Tokenizer.name) \(TrawlFTS5Tokenizer.plainArgument)"
            }
        }
    }

    /// One document to insert: the first line as title, the rest as body (split into story and
    /// header lines as the index splits it, `IndexedFields`).
    public struct Text: Sendable {
        public var title: String
        public var body: String

        public init(title: String, body: String) {
            self.title = title
            self.body = body
        }
    }

    /// The database file the probe creates (any existing file there is replaced).
    public let path: String
    /// The tokenizer the probe table uses.
    public let tokenizer: TokenizerChoice

    /// A probe that will write to `path` with `tokenizer`; nothing is created until `insert(_:)`.
    public init(path: String, tokenizer: TokenizerChoice) {
        self.path = path
        self.tokenizer = tokenizer
    }

    /// Creates a fresh probe table at `path`, inserts `texts` in one transaction with one reused
    /// statement, and returns the seconds the inserts and the commit took (table creation excluded).
    ///
    /// The file and its journal are removed afterwards.
    public func insert(_ texts: [Text]) throws(IndexError) -> Double {
        try run(texts).seconds
    }

    /// Creates a fresh probe table at `path`, inserts `texts` in one transaction, merges the index
    /// into one segment and returns the size of the database file in bytes.
    ///
    ///     INSERT INTO probe(probe) VALUES ('optimize');
    ///     PRAGMA page_count; PRAGMA page_size
    ///
    /// The file and its journal are removed afterwards.
    public func indexSize(_ texts: [Text]) throws(IndexError) -> Int {
        try run(texts, measuresSize: true).bytes
    }

    private func run(_ texts: [Text], measuresSize: Bool = false) throws(IndexError) -> (
        seconds: Double, bytes: Int
    ) {
        removeFiles()
        defer { removeFiles() }
        return try IndexStore.wrap(path) {
            var configuration = IndexStore.plainConfiguration()
            configuration.prepareDatabase { db in
                try TrawlFTS5Tokenizer.register(with: FTS5.api(db))
                db.add(tokenizer: TermReplayTokenizer.self)
                // The same settings as a writable IndexStore, so the probe sees the same I/O costs.
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                try db.execute(sql: "PRAGMA cache_size = -16000")
            }
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                // The option is a fixed string from `TokenizerChoice`, never user text.
                try db.execute(
                    sql: """
                        CREATE VIRTUAL TABLE probe USING fts5(
                            \(FullTextColumns.declaration), content = '', tokenize = '\(tokenizer.tokenizeOption)'
                        )
                        """)
            }
            let values = try insertedValues(texts, in: queue)
            let clock = ContinuousClock()
            let started = clock.now
            try queue.inTransaction { db in
                let statement = try db.makeStatement(
                    sql: "INSERT INTO probe(title, body, meta) VALUES (?, ?, ?)")
                for (title, story, meta) in values {
                    try statement.execute(arguments: [title, story, meta])
                }
                return .commit
            }
            let elapsed = clock.now - started
            var bytes = 0
            if measuresSize {
                bytes = try queue.writeWithoutTransaction { db in
                    try db.execute(sql: "INSERT INTO probe(probe) VALUES ('optimize')")
                    let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
                    return pages * (try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0)
                }
            }
            try queue.close()
            return (
                Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18, bytes
            )
        }
    }

    /// The title, story and header-line values to insert, as the index's three columns: the
    /// texts, or for the replay choices their term streams, computed here before the clock starts
    /// (as is the split, which `IndexStore` makes while inserting).
    private func insertedValues(_ texts: [Text], in queue: DatabaseQueue) throws -> [(
        DatabaseValue, DatabaseValue, DatabaseValue
    )] {
        let split = texts.map { (title: $0.title, fields: IndexedFields(body: $0.body)) }
        switch tokenizer {
        case .trawl, .trawlPlain, .builtin:
            return split.map {
                ($0.title.databaseValue, $0.fields.story.databaseValue, $0.fields.meta.databaseValue)
            }
        case .trawlReplay:
            let tokenizer = Tokenizer()
            return split.map {
                (
                    TermStream.encoded($0.title, tokenizer: tokenizer),
                    TermStream.encoded($0.fields.story, tokenizer: tokenizer),
                    TermStream.encoded($0.fields.meta, tokenizer: tokenizer)
                )
            }
        case .builtinReplay:
            return try queue.read { db in
                let builtin = try db.makeTokenizer(
                    FTS5TokenizerDescriptor(
                        components: TokenizerChoice.builtinOption.split(separator: " ").map(String.init)))
                func stream(_ text: String) throws -> DatabaseValue {
                    TermStream.encoded(terms: try builtin.tokenize(document: text).map(\.token))
                }
                return try split.map {
                    (try stream($0.title), try stream($0.fields.story), try stream($0.fields.meta))
                }
            }
        }
    }

    private func removeFiles() {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            try? FileManager.default.removeItem(atPath: path + suffix)
        }
    }
}
