import CSQLiteConfig
import Foundation
import GRDB
import GRDBSQLite

/// The SQLite file that holds the documents and their FTS5 index.
///
/// Open it with `IndexStore(path:access:)`; all reads and writes go through its methods, which
/// keep the stored text and the FTS5 index in step inside one transaction.
public final class IndexStore: Sendable {
    /// How the index is opened.
    public enum Access: Sendable {
        /// Create the file if needed, migrate the schema, allow writes. Refuses a file that is not
        /// a Trawl index (a 0-byte file included) and a read-only one.
        case readWrite
        /// Read an existing index; fails with `IndexError.missing` if there is none. An index of an
        /// older schema is upgraded first when the file can be written, else refused
        /// (`IndexError.olderSchema`).
        case readOnly
        /// Read an existing index and never write to it, not even to upgrade it (`trawl check`).
        case inspect
    }

    /// The index file's path.
    public let path: String
    let database: any DatabaseWriter
    /// Whether the file was opened with SQLite's `immutable=1` (see `openReader`): nothing may be
    /// written through any connection then, and a concurrent writer's changes are not seen.
    let isImmutable: Bool

    /// Opens (and with `.readWrite`, creates and migrates) the index at `path`.
    public init(path: String, access: Access = .readWrite) throws(IndexError) {
        self.path = path
        let fileManager = FileManager.default
        var configuration = Self.baseConfiguration()
        configuration.busyMode = .timeout(10)
        switch access {
        case .readOnly, .inspect:
            guard fileManager.fileExists(atPath: path) else { throw .missing(path: path) }
            configuration.readonly = true
            configuration.prepareDatabase { db in
                // Readers map the file rather than copy pages into a cache of their own: a
                // search's pages come straight from the system's page cache (no read(2) per
                // page), shared by every reader of `trawl serve`.
                try db.execute(sql: "PRAGMA mmap_size = \(Self.readerMapSize)")
            }
            var (reader, state, immutable) = try Self.openReader(path: path, configuration: configuration)
            if state == .needsMigration {
                // Written by an older Trawl: upgrade it once (a short write) when the file can be
                // written, then read it; never try on a read-only file or for `.inspect`.
                guard access == .readOnly, !immutable, Self.isWritable(path) else {
                    throw .olderSchema(path: path)
                }
                do {
                    _ = try IndexStore(path: path, access: .readWrite)
                } catch {
                    switch error {
                    case .busy, .diskFull, .damaged, .inputOutput: throw error
                    default: throw .olderSchema(path: path)
                    }
                }
                (reader, state, immutable) = try Self.openReader(path: path, configuration: configuration)
            }
            database = reader
            isImmutable = immutable
        case .readWrite:
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty && !fileManager.fileExists(atPath: folder) {
                do {
                    try fileManager.createDirectory(atPath: folder, withIntermediateDirectories: true)
                } catch {
                    throw .cannotOpen(path: path, reason: "cannot create the folder \(folder)")
                }
            }
            if fileManager.fileExists(atPath: path) {
                // A 0-byte file is a valid empty SQLite database, but Trawl never leaves one (new
                // indexes appear whole, below): it is a damaged or foreign file, not a fresh index.
                let size = (try? fileManager.attributesOfItem(atPath: path)[.size] as? NSNumber)??.int64Value
                if size == 0 { throw .notAnIndex(path: path, reason: "it is empty") }
                guard Self.isWritable(path) else { throw .readOnly(path: path) }
                // Check what the file is before the writer touches it (switching a file to WAL
                // rewrites its header): another database, a newer schema or damage found here
                // leaves the file as it was. One read-only open and one query, about 1 ms.
                var reader = configuration
                reader.readonly = true
                _ = try Self.verifyReadOnly(
                    try Self.wrap(path) { try DatabaseQueue(path: path, configuration: reader) }, path: path)
            } else {
                try Self.create(path)
            }
            configuration.prepareDatabase { db in
                // WAL keeps readers unblocked while we write; NORMAL sync is crash-safe in WAL.
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                // 8 MB of page cache for the writer: more bought no speed in a full index, and
                // peak memory must stay flat (issue 5). Readers (the change-detection scan) read
                // each page once, so 1 MB serves them.
                try db.execute(
                    sql: db.configuration.readonly ? "PRAGMA cache_size = -1000" : "PRAGMA cache_size = -8000"
                )
                // Checkpoint every 32 MB of WAL rather than 4 MB: a full index copies each page to
                // the main file far fewer times; the WAL is cut back to 8 MB after a checkpoint.
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 8192")
                try db.execute(sql: "PRAGMA journal_size_limit = 8388608")
            }
            database = try Self.wrap(path) { try DatabasePool(path: path, configuration: configuration) }
            isImmutable = false
            try Self.verify(database, path: path, migrate: true)
        }
    }

    /// Creates a new index at `path` whole: the schema is written to `<path>.creating-<pid>`,
    /// which is then renamed into place, so a run killed while creating it leaves no file (and
    /// never a 0-byte one) at `path`.
    private static func create(_ path: String) throws(IndexError) {
        // A symbolic link to where the index should be: create it there, keeping the link.
        var path = path
        for _ in 0..<40 {
            guard let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: path) else {
                break
            }
            path =
                destination.hasPrefix("/")
                ? destination
                : ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(
                    destination)
        }
        let temporary = "\(path).creating-\(ProcessInfo.processInfo.processIdentifier)"
        for suffix in ["", "-journal"] { try? FileManager.default.removeItem(atPath: temporary + suffix) }
        let configuration = baseConfiguration()
        try wrap(path) {
            let queue = try DatabaseQueue(path: temporary, configuration: configuration)
            // Before any table: lets a run give back the pages FTS5's merges free
            // (`releaseFreePages`).
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
            }
            try Schema.migrator.migrate(queue)
            try queue.close()
        }
        guard rename(temporary, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw .cannotOpen(
                path: path, reason: "cannot create the file (\(String(cString: strerror(errno))))")
        }
    }

    /// Moves the index at `path` (with its `-wal` and `-shm` files) aside to
    /// `<path>.damaged-<UTC time>` so a new one can be built in its place, and returns where it
    /// went. A symbolic link is followed: the file it points to is moved, the link stays.
    public static func moveAside(_ path: String, at date: Date = Date()) throws(IndexError) -> String {
        let file = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let count = strftime(&buffer, buffer.count, "%Y%m%dT%H%M%SZ", &parts)
        let stamp = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var target = "\(file).damaged-\(stamp)"
        var attempt = 1
        while FileManager.default.fileExists(atPath: target) {
            attempt += 1
            target = "\(file).damaged-\(stamp)-\(attempt)"
        }
        // The main file last: until it moves, the index stays whole where it was.
        for suffix in ["-wal", "-shm", ""] where FileManager.default.fileExists(atPath: file + suffix) {
            guard rename(file + suffix, target + suffix) == 0 else {
                throw .cannotOpen(
                    path: path,
                    reason: "cannot move \(file + suffix) aside (\(String(cString: strerror(errno))))")
            }
        }
        return target
    }

    /// Whether this process may write the file at `path` and create files beside it (SQLite's
    /// `-wal` and `-shm`): `access(2)`, which also answers no on a read-only mount.
    static func isWritable(_ path: String) -> Bool {
        let folder = (path as NSString).deletingLastPathComponent
        return access(path, W_OK) == 0 && access(folder.isEmpty ? "." : folder, W_OK) == 0
    }

    /// Opens the index for reading, the usual way when possible, else with `immutable=1`.
    ///
    /// SQLite reads a WAL-mode file through its `-shm` (and `-wal`) files, creating them when
    /// absent. When they are absent and cannot be created (a read-only folder or mount, a folder
    /// owned by someone else) the usual open fails; if no `-wal` holds changes, the main file is
    /// the whole index, and the URI parameter `immutable=1` reads it without `-shm` or locks.
    /// The caveat: an immutable reader does not see a concurrent writer's changes (and could
    /// read a page a checkpoint is rewriting), which is why it is the fallback only. With
    /// changes waiting in a `-wal` that cannot be read, the open is refused rather than showing
    /// stale results.
    private static func openReader(path: String, configuration: Configuration) throws(IndexError)
        -> (DatabaseQueue, SchemaState, immutable: Bool)
    {
        do {
            let reader = try wrap(path) { try DatabaseQueue(path: path, configuration: configuration) }
            return (reader, try verifyReadOnly(reader, path: path), false)
        } catch {
            switch error {
            case .cannotOpen, .readOnly: break
            default: throw error
            }
            guard bytes(ofFileAt: path + "-wal") == 0 else {
                throw .cannotOpen(
                    path: path,
                    reason: "its write-ahead log (\(path)-wal) holds changes that can only be read with "
                        + "write access to the folder; run `trawl index` once with write access to it")
            }
            let reader = try wrap(path) {
                try DatabaseQueue(path: uri(path, parameters: "immutable=1"), configuration: configuration)
            }
            return (reader, try verifyReadOnly(reader, path: path), true)
        }
    }

    /// `file:` URI of `path` with `parameters` (SQLite's URI filenames: `%`, `?` and `#` escaped).
    private static func uri(_ path: String, parameters: String) -> String {
        var escaped = ""
        for character in path.unicodeScalars {
            switch character {
            case "%": escaped += "%25"
            case "?": escaped += "%3f"
            case "#": escaped += "%23"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return "file:\(escaped)?\(parameters)"
    }

    /// Checks that the file is a Trawl index of a schema this version knows, migrating if asked.
    private static func verify(_ database: any DatabaseWriter, path: String, migrate: Bool) throws(IndexError)
    {
        let migrator = Schema.migrator
        let state: (isTrawl: Bool, isEmpty: Bool, superseded: Bool) = try wrap(path) {
            try database.read { db in
                let tables = try String.fetchAll(
                    db, sql: "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
                let isTrawl = tables.contains("grdb_migrations") && tables.contains("document")
                let superseded = isTrawl ? try migrator.hasBeenSuperseded(db) : false
                return (isTrawl, tables.isEmpty, superseded)
            }
        }
        if !state.isTrawl && !state.isEmpty {
            throw .notAnIndex(path: path, reason: "it holds other tables")
        }
        if state.superseded { throw .newerSchema(path: path) }
        if !state.isTrawl && !migrate { throw .notAnIndex(path: path, reason: "it is empty") }
        if migrate {
            try wrap(path) {
                try migrator.migrate(database)
                try database.write(Schema.applyFullTextSettings)
            }
        }
    }

    /// Checks, in one query on the common path, that a file opened read-only is a Trawl index
    /// whose schema this version knows, and whether it needs migrating first.
    ///
    ///     SELECT identifier FROM grdb_migrations   -- then, only if that fails, sqlite_master
    private static func verifyReadOnly(_ database: any DatabaseWriter, path: String) throws(IndexError)
        -> SchemaState
    {
        let applied: [String]? = try wrap(path) {
            try database.read { db in
                do {
                    return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
                } catch let error as DatabaseError where error.resultCode == .SQLITE_ERROR {
                    return nil  // no such table
                }
            }
        }
        guard let applied, !applied.isEmpty else {
            // No migration table: an empty file, or someone else's database.
            try verify(database, path: path, migrate: false)
            throw .notAnIndex(path: path, reason: "it is empty")
        }
        let known = Schema.migrator.migrations
        if applied.contains(where: { !known.contains($0) }) { throw .newerSchema(path: path) }
        guard applied.contains(known[0]) else {
            throw .notAnIndex(path: path, reason: "it holds other tables")
        }
        return applied.count < known.count ? .needsMigration : .current
    }

    /// Whether an index opened for reading has every migration this version knows.
    private enum SchemaState {
        case current
        case needsMigration
    }

    /// Runs `body`, turning SQLite failures into `IndexError`s written for users.
    static func wrap<T>(_ path: String, _ body: () throws -> T) throws(IndexError) -> T {
        do {
            return try body()
        } catch let error as IndexError {
            throw error
        } catch let error as DatabaseError {
            throw mapped(error.extendedResultCode, path: path)
        } catch {
            throw .database(path: path, code: -1)
        }
    }

    /// The `IndexError` for an SQLite result code (primary or extended).
    static func mapped(_ code: ResultCode, path: String) -> IndexError {
        switch code.primaryResultCode {
        case .SQLITE_NOTADB: return .notAnIndex(path: path, reason: "it is not an SQLite database")
        case .SQLITE_CORRUPT: return .damaged(path: path)
        case .SQLITE_FULL: return .diskFull(path: path)
        case .SQLITE_BUSY, .SQLITE_LOCKED: return .busy(path: path)
        case .SQLITE_READONLY: return .readOnly(path: path)
        case .SQLITE_IOERR: return .inputOutput(path: path)
        case .SQLITE_INTERRUPT: return .interrupted(path: path)
        case .SQLITE_CANTOPEN:
            return .cannotOpen(
                path: path, reason: "the file or a file beside it cannot be opened (no permission?)")
        case .SQLITE_PERM, .SQLITE_AUTH: return .cannotOpen(path: path, reason: "permission denied")
        default: return .database(path: path, code: code.rawValue)
        }
    }

    func wrap<T>(_ body: () throws -> T) throws(IndexError) -> T {
        try Self.wrap(path, body)
    }

    /// The read transaction `readingOneSnapshot(_:)` holds on a store, while its body runs.
    final class Snapshot: @unchecked Sendable {
        let store: ObjectIdentifier
        /// Used only inside the transaction's own `read` block, on its thread.
        unowned(unsafe) let db: Database
        /// The writer of the caches written in this snapshot (`writeToCache`), if any: it empties
        /// the write-ahead log when the snapshot ends.
        var cacheWriter: DatabaseQueue?

        init(store: ObjectIdentifier, db: Database) {
            self.store = store
            self.db = db
        }
    }

    @TaskLocal static var snapshot: Snapshot?

    /// Runs `body` with every read of this store in one read transaction: the counts, pages and
    /// documents of one search all see the index as it was when the search began, whatever a
    /// concurrent `trawl index` commits meanwhile, and the search opens one transaction instead of
    /// a dozen. Only for a read-only store (a read-write store's reads already each take their own
    /// snapshot from a pool); `body` runs as it is when the transaction cannot begin.
    public func readingOneSnapshot<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        guard database.configuration.readonly, snapshotDatabase == nil, let queue = database as? DatabaseQueue
        else { return try body() }
        var result: Result<T, E>?
        var snapshot: Snapshot?
        do {
            try queue.read { db in
                snapshot = Snapshot(store: ObjectIdentifier(self), db: db)
                Self.$snapshot.withValue(snapshot) {
                    do throws(E) {
                        result = .success(try body())
                    } catch {
                        result = .failure(error)
                    }
                }
            }
        } catch {
            if result == nil { return try body() }
        }
        // The snapshot has ended: the log its cache writes left can be emptied now.
        if let writer = snapshot?.cacheWriter { Self.emptyWriteAheadLog(through: writer) }
        return try result!.get()
    }

    /// The snapshot `readingOneSnapshot(_:)` holds on this store, while it runs.
    var ownSnapshot: Snapshot? {
        guard let snapshot = Self.snapshot, snapshot.store == ObjectIdentifier(self) else { return nil }
        return snapshot
    }

    /// The connection of the snapshot `readingOneSnapshot(_:)` holds on this store, while it runs.
    private var snapshotDatabase: Database? { ownSnapshot?.db }

    /// Runs `body` in the snapshot this store's `readingOneSnapshot(_:)` holds, or else in a read
    /// transaction of its own.
    func reading<T>(_ body: (Database) throws -> T) throws -> T {
        if let db = snapshotDatabase { return try body(db) }
        return try database.read(body)
    }

    /// `reading(_:)` for reads through the `fts5vocab` tables, which are created in the
    /// connection's TEMP schema on first use: a write, made outside a snapshot through
    /// `writeWithoutTransaction` (a read-only connection may write TEMP) and inside one in its
    /// transaction.
    func readingWithTemporaryTables<T>(_ body: (Database) throws -> T) throws -> T {
        if let db = snapshotDatabase { return try body(db) }
        return try database.writeWithoutTransaction(body)
    }

    /// Stops the statement this store is running, from any thread (`sqlite3_interrupt`): it
    /// throws `IndexError.interrupted`. Does nothing when no statement runs. `trawl serve` uses it
    /// to bound a search's time.
    public func interrupt() {
        database.interrupt()
    }
}

extension IndexStore {
    /// How much of the index file a reader maps into memory (address space, not memory: pages
    /// are the system's page cache).
    static let readerMapSize = 1 << 30

    /// What every connection to an index needs, whatever else it sets: Trawl's FTS5 tokenizer,
    /// the auxiliary functions of stored positions (`FTS5Occurrences`) and of scoring passes
    /// (`FTS5Scoring`) and the functions of compressed bodies (`StoredText`) and of the indexed fields
    /// (`IndexedFields`).
    static func baseConfiguration() -> Configuration {
        var configuration = plainConfiguration()
        configuration.prepareDatabase { db in
            // One look-up of FTS5's API (a statement of its own) for the three.
            let api = FTS5.api(db)
            try TrawlFTS5Tokenizer.register(with: api)
            try FTS5Occurrences.register(with: api)
            try FTS5Scoring.register(with: api)
            StoredText.register(in: db)
            IndexedFields.register(in: db)
        }
        return configuration
    }

    /// A configuration with nothing set, which every connection Trawl opens starts from: making
    /// one first makes SQLite's process-wide settings, once, before the first connection opens
    /// (SQLite refuses them later).
    static func plainConfiguration() -> Configuration {
        _ = sqliteLibrarySettings
        return Configuration()
    }

    /// SQLite's process-wide settings, made on first use. Memory statistics are off: they take one
    /// process-wide mutex around every allocation SQLite makes, on which two searches running side
    /// by side in `trawl serve` waited about 40 times a request (SQLite's documentation advises
    /// turning them off for speed). Trawl reads no SQLite memory figure.
    private static let sqliteLibrarySettings: Void = {
        _ = trawl_sqlite3_disable_memory_statistics()
    }()

    /// How many documents the index holds.
    ///
    ///     SELECT count(*) FROM document_store
    public func documentCount() throws(IndexError) -> Int {
        try wrap {
            try reading { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM document_store") ?? 0 }
        }
    }
}

// Statements stepped through SQLite's own calls, where GRDB's binding and rows cost more than the
// statement (a signature insert per document, thousands of leaf pages for one spelling).
extension IndexStore {
    /// SQLite's `SQLITE_TRANSIENT`: SQLite copies a value bound with it.
    static let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// The error of a statement `sql` whose step failed on `db`.
    static func stepError(_ db: Database, sql: String) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: sqlite3_extended_errcode(db.sqliteConnection)),
            message: db.lastErrorMessage, sql: sql)
    }
}
