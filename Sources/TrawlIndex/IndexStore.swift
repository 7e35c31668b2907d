import Foundation
import GRDB

/// The SQLite file that holds the documents and their FTS5 index.
///
/// Open it with `IndexStore(path:access:)`; all reads and writes go through its methods, which
/// keep the stored text and the FTS5 index in step inside one transaction.
public final class IndexStore: Sendable {
    /// How the index is opened.
    public enum Access: Sendable {
        /// Create the file if needed, migrate the schema, allow writes.
        case readWrite
        /// Read an existing index; fails with `IndexError.missing` if there is none.
        case readOnly
    }

    /// The index file's path.
    public let path: String
    let database: any DatabaseWriter

    /// Opens (and with `.readWrite`, creates and migrates) the index at `path`.
    public init(path: String, access: Access = .readWrite) throws(IndexError) {
        self.path = path
        let fileManager = FileManager.default
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            db.add(tokenizer: TrawlFTS5Tokenizer.self)
            StoredText.register(in: db)
        }
        switch access {
        case .readOnly:
            guard fileManager.fileExists(atPath: path) else { throw .missing(path: path) }
            configuration.readonly = true
            var reader = try Self.wrap(path) { try DatabaseQueue(path: path, configuration: configuration) }
            if try Self.verifyReadOnly(reader, path: path) == .needsMigration {
                // Written by an older Trawl: upgrade it once (a short write), then read it.
                do {
                    _ = try IndexStore(path: path, access: .readWrite)
                } catch {
                    throw .olderSchema(path: path, reason: error.description)
                }
                reader = try Self.wrap(path) { try DatabaseQueue(path: path, configuration: configuration) }
            }
            database = reader
        case .readWrite:
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty && !fileManager.fileExists(atPath: folder) {
                do {
                    try fileManager.createDirectory(atPath: folder, withIntermediateDirectories: true)
                } catch {
                    throw .cannotOpen(path: path, reason: "cannot create the folder \(folder)")
                }
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
            try Self.verify(database, path: path, migrate: true)
        }
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
            try wrap(path) { try migrator.migrate(database) }
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
            try database.read { db in try? String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
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
            switch error.resultCode {
            case .SQLITE_NOTADB, .SQLITE_CORRUPT:
                throw .notAnIndex(path: path, reason: error.message ?? "damaged file")
            case .SQLITE_FULL:
                throw .diskFull(path: path)
            case .SQLITE_BUSY, .SQLITE_LOCKED:
                throw .busy(path: path)
            case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_AUTH:
                throw .cannotOpen(path: path, reason: error.message ?? "permission denied")
            default:
                throw .database(path: path, message: error.message ?? "\(error.resultCode)")
            }
        } catch {
            throw .database(path: path, message: "\(error)")
        }
    }

    func wrap<T>(_ body: () throws -> T) throws(IndexError) -> T {
        try Self.wrap(path, body)
    }
}
