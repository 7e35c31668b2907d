import Foundation
import GRDB

/// One run of `trawl index`, as kept in the index for `trawl status` and `trawl stats`.
public struct IndexRun: Sendable, Hashable, Codable {
    /// The run's number (`trawl changes --run N`); nil until it is recorded, or when the
    /// recording gives it the next free one.
    public var id: Int64?
    public var startedAt: Date
    /// Seconds.
    public var duration: Double
    public var roots: [String]
    public var added = 0
    public var updated = 0
    public var moved = 0
    public var removed = 0
    public var unchanged = 0
    public var skipped = 0
    public var failed = 0
    /// Files that failed before and failed again unchanged: not reported again (`trawl status`
    /// lists them).
    public var knownFailures = 0
    /// Documents whose files were not found but which were kept, because the run could not be
    /// sure they were deleted (a root empty, on another file system, or missing too much).
    public var heldBack = 0

    public init(startedAt: Date, duration: Double = 0, roots: [String]) {
        self.startedAt = startedAt
        self.duration = duration
        self.roots = roots
    }
}

/// Size and contents of an index, for `trawl stats`.
public struct IndexStatistics: Sendable, Hashable, Codable {
    public var documents: Int
    public var distinctTerms: Int
    /// Bytes of the indexed files as read from disk.
    public var textBytes: Int64
    /// Bytes of the index file with its write-ahead log.
    public var indexFileBytes: Int64
    public var lastRun: IndexRun?
}

extension IndexStore {
    /// Records a finished run.
    ///
    ///     INSERT INTO index_run(id, started_at, duration, roots, added, …) VALUES (?, ?, ?, ?, ?, …)
    public func record(_ run: IndexRun) throws(IndexError) {
        try wrap {
            try database.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO index_run(id, started_at, duration, roots, added, updated, moved, removed,
                            unchanged, skipped, failed, known_failures, held_back)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        run.id, run.startedAt.timeIntervalSince1970, run.duration,
                        run.roots.joined(separator: "\n"),
                        run.added, run.updated, run.moved, run.removed, run.unchanged, run.skipped,
                        run.failed, run.knownFailures, run.heldBack,
                    ])
            }
        }
    }

    /// The most recent runs, newest first.
    ///
    ///     SELECT … FROM index_run ORDER BY id DESC LIMIT :limit
    public func recentRuns(limit: Int) throws(IndexError) -> [IndexRun] {
        try wrap {
            try reading { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT started_at, duration, roots, added, updated, moved, removed, unchanged, skipped, failed,
                            known_failures, held_back, id
                        FROM index_run ORDER BY id DESC LIMIT ?
                        """, arguments: [limit]
                ).map { row in
                    var run = IndexRun(
                        startedAt: Date(timeIntervalSince1970: row[0]), duration: row[1],
                        roots: (row[2] as String).split(separator: "\n").map(String.init))
                    run.added = row[3]
                    run.updated = row[4]
                    run.moved = row[5]
                    run.removed = row[6]
                    run.unchanged = row[7]
                    run.skipped = row[8]
                    run.failed = row[9]
                    run.knownFailures = row[10]
                    run.heldBack = row[11]
                    run.id = row[12]
                    return run
                }
            }
        }
    }

    /// The device (`st_dev`) each root was on when it was last indexed, by canonical path.
    ///
    ///     SELECT path, device FROM index_root
    public func rootDevices() throws(IndexError) -> [String: UInt64] {
        try wrap {
            try reading { db in
                var devices: [String: UInt64] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT path, device FROM index_root") {
                    devices[row[0]] = UInt64(bitPattern: row[1])
                }
                return devices
            }
        }
    }

    /// Remembers the device each root is on now.
    ///
    ///     INSERT OR REPLACE INTO index_root(path, device) VALUES (?, ?)
    public func recordRootDevices(_ devices: [String: UInt64]) throws(IndexError) {
        guard !devices.isEmpty else { return }
        try wrap {
            try database.write { db in
                let statement = try db.cachedStatement(
                    sql: "INSERT OR REPLACE INTO index_root(path, device) VALUES (?, ?)")
                for (path, device) in devices.sorted(by: { $0.key < $1.key }) {
                    try statement.execute(arguments: [path, Int64(bitPattern: device)])
                }
            }
        }
    }

    /// Counts of documents, terms and bytes.
    ///
    ///     SELECT count(*), total(size) FROM document
    ///     SELECT count(*) FROM temp.trawl_rows  -- fts5vocab(main, document_fts, 'row')
    public func statistics() throws(IndexError) -> IndexStatistics {
        let counts: (Int, Int64, Int) = try wrap {
            try database.writeWithoutTransaction { db in
                let row = try Row.fetchOne(
                    db, sql: "SELECT count(*), CAST(total(size) AS INTEGER) FROM document")!
                try VocabularyTable.rows.ensure(in: db)
                let terms = try Int.fetchOne(db, sql: "SELECT count(*) FROM temp.trawl_rows") ?? 0
                return (row[0], row[1], terms)
            }
        }
        return IndexStatistics(
            documents: counts.0, distinctTerms: counts.2, textBytes: counts.1, indexFileBytes: fileBytes,
            lastRun: try recentRuns(limit: 1).first)
    }
}
