import Foundation
import GRDB

/// A file the walk saw but Trawl does not read (its type is not one Trawl knows), remembered so
/// that a run reports it once, when it is new, and `trawl status` can list it.
public struct UnreadFile: Sendable, Hashable, Codable {
    public var path: String
    /// The lower-cased extension with its dot (`.xlsx`), or `no extension` for a file without
    /// one that is not text.
    public var type: String
    /// When a run first saw it.
    public var firstSeen: Date

    /// The `type` of a file without an extension that is not text.
    public static let noExtension = "no extension"

    public init(path: String, type: String, firstSeen: Date = Date()) {
        self.path = path
        self.type = type
        self.firstSeen = firstSeen
    }
}

extension IndexStore {
    /// Every file remembered as not read, by type, then path.
    ///
    ///     SELECT path, type, first_seen FROM unread_file ORDER BY type, path
    public func unreadFiles() throws(IndexError) -> [UnreadFile] {
        try wrap {
            try reading { db in
                try Row.fetchAll(
                    db, sql: "SELECT path, type, first_seen FROM unread_file ORDER BY type, path"
                )
                .map { row in
                    UnreadFile(path: row[0], type: row[1], firstSeen: Date(timeIntervalSince1970: row[2]))
                }
            }
        }
    }

    /// The paths of the files remembered as not read at or below `roots`.
    ///
    ///     SELECT path FROM unread_file WHERE path = ? OR (path >= ? AND path < ?)   -- per root
    public func unreadFilePaths(under roots: [String]) throws(IndexError) -> Set<String> {
        try wrap {
            try reading { db in
                var paths: Set<String> = []
                let select = try db.cachedStatement(
                    sql: "SELECT path FROM unread_file WHERE path = ? OR (path >= ? AND path < ?)")
                for root in roots {
                    let range = Self.pathRange(under: root)
                    paths.formUnion(try String.fetchAll(select, arguments: [root, range.0, range.1]))
                }
                return paths
            }
        }
    }

    /// Makes the files remembered as not read at or below `roots` exactly `current`, in one
    /// transaction, writing only the difference: files no longer seen are forgotten, new ones
    /// are added with `time` as their first sighting, known ones keep theirs.
    ///
    ///     DELETE FROM unread_file WHERE path = ?                                   -- each gone
    ///     INSERT INTO unread_file(path, type, first_seen) VALUES (?, ?, ?)
    ///         ON CONFLICT(path) DO UPDATE SET type = excluded.type                 -- each new
    /// Returns the files of `current` that were not remembered before.
    @discardableResult
    public func replaceUnreadFiles(under roots: [String], with current: [UnreadFile], at time: Date)
        throws(IndexError) -> [UnreadFile]
    {
        let known = try unreadFilePaths(under: roots)
        let paths = Set(current.map(\.path))
        let gone = known.subtracting(paths)
        let new = current.filter { !known.contains($0.path) }
        guard !gone.isEmpty || !new.isEmpty else { return [] }
        try wrap {
            try database.write { db in
                let delete = try db.cachedStatement(sql: "DELETE FROM unread_file WHERE path = ?")
                for path in gone.sorted() { try delete.execute(arguments: [path]) }
                let insert = try db.cachedStatement(
                    sql: """
                        INSERT INTO unread_file(path, type, first_seen) VALUES (?, ?, ?)
                        ON CONFLICT(path) DO UPDATE SET type = excluded.type
                        """)
                for file in new.sorted(by: { $0.path < $1.path }) {
                    try insert.execute(arguments: [file.path, file.type, time.timeIntervalSince1970])
                }
            }
        }
        return new
    }
}
