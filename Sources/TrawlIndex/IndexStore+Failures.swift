import Foundation
import GRDB

/// What went wrong with a file, which decides when it is tried again.
public enum FailureKind: String, Sendable, Hashable, Codable {
    /// Its content cannot be indexed (empty, binary, no text): read again only once it changes.
    case content
    /// Larger than the size limit: read again once it changes or the limit lets it in.
    case tooLarge
    /// It could not be read (permissions, I/O): tried again every run, reported only when the
    /// outcome or the file changes.
    case unreadable
    /// `trawl index` stopped (crashed or was killed) while reading it: skipped until it changes.
    case interrupted
    /// A folder that could not be read or a name that is not UTF-8: looked at every run, reported
    /// only when the reason changes.
    case other
}

/// A file's size, modification time and inode, as recorded with its failure.
public struct FailedFileState: Sendable, Hashable, Codable {
    public var size: Int64
    /// Nanoseconds since 1970.
    public var modificationTime: Int64
    public var inode: UInt64

    public init(size: Int64, modificationTime: Int64, inode: UInt64) {
        self.size = size
        self.modificationTime = modificationTime
        self.inode = inode
    }
}

/// A file that could not be indexed, as remembered in the index until it succeeds.
public struct FileFailure: Sendable, Hashable, Codable {
    public var path: String
    public var reason: String
    /// When the file first failed in a row of runs.
    public var firstSeen: Date
    /// When it last failed.
    public var lastSeen: Date
    public var kind: FailureKind
    /// The file's state when it failed; nil for folders, names, and failures recorded by an
    /// older Trawl.
    public var state: FailedFileState?

    public init(
        path: String, reason: String, firstSeen: Date, lastSeen: Date, kind: FailureKind = .other,
        state: FailedFileState? = nil
    ) {
        self.path = path
        self.reason = reason
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.kind = kind
        self.state = state
    }
}

extension IndexStore {
    /// The files that currently fail, by path.
    ///
    ///     SELECT path, reason, first_seen, last_seen, kind, size, mtime_ns, inode FROM failure ORDER BY path
    public func failures() throws(IndexError) -> [FileFailure] {
        try wrap {
            try reading { db in
                try Row.fetchAll(
                    db,
                    sql:
                        "SELECT path, reason, first_seen, last_seen, kind, size, mtime_ns, inode FROM failure ORDER BY path"
                ).map { row in
                    var state: FailedFileState?
                    if let size = row[5] as Int64?, let time = row[6] as Int64?, let inode = row[7] as Int64?
                    {
                        state = FailedFileState(
                            size: size, modificationTime: time, inode: UInt64(bitPattern: inode))
                    }
                    return FileFailure(
                        path: row[0], reason: row[1], firstSeen: Date(timeIntervalSince1970: row[2]),
                        lastSeen: Date(timeIntervalSince1970: row[3]),
                        kind: FailureKind(rawValue: row[4]) ?? .other, state: state)
                }
            }
        }
    }

    /// Replaces the failures recorded at or below `roots` with `current`, in one transaction:
    /// files that failed again keep their `first_seen`, files that no longer fail are forgotten,
    /// failures elsewhere are left alone. `firstSeen` and `lastSeen` of `current` are ignored.
    ///
    ///     DELETE FROM failure WHERE path = ?                       -- each one that now succeeds
    ///     INSERT INTO failure(path, reason, first_seen, last_seen, kind, size, mtime_ns, inode)
    ///         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ///         ON CONFLICT(path) DO UPDATE SET reason = excluded.reason, last_seen = excluded.last_seen, …
    public func replaceFailures(under roots: [String], with current: [FileFailure], at time: Date = Date())
        throws(IndexError)
    {
        let paths = Set(current.map(\.path))
        try wrap {
            try database.write { db in
                let select = try db.cachedStatement(
                    sql: "SELECT path FROM failure WHERE path = ? OR (path >= ? AND path < ?)")
                var stale: [String] = []
                for root in roots {
                    let range = Self.pathRange(under: root)
                    for path in try String.fetchAll(select, arguments: [root, range.0, range.1])
                    where !paths.contains(path) {
                        stale.append(path)
                    }
                }
                let delete = try db.cachedStatement(sql: "DELETE FROM failure WHERE path = ?")
                for path in stale { try delete.execute(arguments: [path]) }
                try Self.upsert(current, at: time, in: db)
            }
        }
    }

    /// Records `failures` (new ones, or new states of known ones) and leaves every other alone.
    ///
    ///     INSERT INTO failure(…) VALUES (…) ON CONFLICT(path) DO UPDATE SET …
    public func recordFailures(_ failures: [FileFailure], at time: Date = Date()) throws(IndexError) {
        guard !failures.isEmpty else { return }
        try wrap { try database.write { db in try Self.upsert(failures, at: time, in: db) } }
    }

    private static func upsert(_ failures: [FileFailure], at time: Date, in db: Database) throws {
        let upsert = try db.cachedStatement(
            sql: """
                INSERT INTO failure(path, reason, first_seen, last_seen, kind, size, mtime_ns, inode)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(path) DO UPDATE SET reason = excluded.reason, last_seen = excluded.last_seen,
                    kind = excluded.kind, size = excluded.size, mtime_ns = excluded.mtime_ns,
                    inode = excluded.inode
                """)
        let seconds = time.timeIntervalSince1970
        for failure in failures.sorted(by: { $0.path < $1.path }) {
            let state = failure.state
            try upsert.execute(arguments: [
                failure.path, failure.reason, seconds, seconds, failure.kind.rawValue, state?.size,
                state?.modificationTime, state.map { Int64(bitPattern: $0.inode) },
            ])
        }
    }
}
