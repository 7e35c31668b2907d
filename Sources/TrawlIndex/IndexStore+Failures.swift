import Foundation
import GRDB

/// A file that could not be indexed, as remembered in the index until it succeeds.
public struct FileFailure: Sendable, Hashable, Codable {
    public var path: String
    public var reason: String
    /// When the file first failed in a row of runs.
    public var firstSeen: Date
    /// When it last failed.
    public var lastSeen: Date

    public init(path: String, reason: String, firstSeen: Date, lastSeen: Date) {
        self.path = path
        self.reason = reason
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }
}

extension IndexStore {
    /// The files that currently fail, by path.
    ///
    ///     SELECT path, reason, first_seen, last_seen FROM failure ORDER BY path
    public func failures() throws(IndexError) -> [FileFailure] {
        try wrap {
            try database.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT path, reason, first_seen, last_seen FROM failure ORDER BY path"
                ).map {
                    row in
                    FileFailure(
                        path: row[0], reason: row[1], firstSeen: Date(timeIntervalSince1970: row[2]),
                        lastSeen: Date(timeIntervalSince1970: row[3]))
                }
            }
        }
    }

    /// Replaces the failures recorded at or below `roots` with `current` (path → reason), in one
    /// transaction: files that failed again keep their `first_seen`, files that no longer fail
    /// are forgotten, failures elsewhere are left alone.
    ///
    ///     DELETE FROM failure WHERE path = ?                       -- each one that now succeeds
    ///     INSERT INTO failure(path, reason, first_seen, last_seen) VALUES (?, ?, ?, ?)
    ///         ON CONFLICT(path) DO UPDATE SET reason = excluded.reason, last_seen = excluded.last_seen
    public func replaceFailures(under roots: [String], with current: [String: String], at time: Date = Date())
        throws(IndexError)
    {
        try wrap {
            try database.write { db in
                let select = try db.cachedStatement(
                    sql: "SELECT path FROM failure WHERE path = ? OR (path >= ? AND path < ?)")
                var stale: [String] = []
                for root in roots {
                    let range = Self.pathRange(under: root)
                    for path in try String.fetchAll(select, arguments: [root, range.0, range.1])
                    where current[path] == nil {
                        stale.append(path)
                    }
                }
                let delete = try db.cachedStatement(sql: "DELETE FROM failure WHERE path = ?")
                for path in stale { try delete.execute(arguments: [path]) }
                let upsert = try db.cachedStatement(
                    sql: """
                        INSERT INTO failure(path, reason, first_seen, last_seen) VALUES (?, ?, ?, ?)
                        ON CONFLICT(path) DO UPDATE SET reason = excluded.reason, last_seen = excluded.last_seen
                        """)
                let seconds = time.timeIntervalSince1970
                for (path, reason) in current.sorted(by: { $0.key < $1.key }) {
                    try upsert.execute(arguments: [path, reason, seconds, seconds])
                }
            }
        }
    }
}
