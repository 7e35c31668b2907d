import Foundation
import GRDB

/// A saved search, as stored in the index (`trawl watch add`).
public struct StoredWatch: Sendable, Hashable {
    public var id: Int64
    public var name: String
    /// The query as typed.
    public var query: String
    /// The search options as typed (`--since 7d`, `--sort date`), read again on every run.
    public var options: [String]
    /// A random token that makes the watch's feed and entry ids unique.
    public var token: String
    public var createdAt: Date
    /// The last logged change the watch has looked at (`IndexStore.lastChange()`); nil while
    /// every document is still to be looked at (`--include-existing`).
    public var checkpoint: Int64?
    /// The error last reported for a query that no longer runs; nil when it runs.
    public var broken: String?
}

/// A match a watch has reported: what its feed entry shows.
public struct WatchReport: Sendable, Hashable {
    public var documentID: Int64
    /// `TextHash` of the document's title and body when it was reported.
    public var textHash: UInt64
    public var location: String
    public var title: String
    /// The snippet shown.
    public var summary: String
    /// The document's date, seconds since 1970; nil when it is undated.
    public var date: Double?
    /// When it was first printed, seconds since 1970.
    public var reportedAt: Double

    public init(
        documentID: Int64, textHash: UInt64, location: String, title: String, summary: String, date: Double?,
        reportedAt: Double
    ) {
        self.documentID = documentID
        self.textHash = textHash
        self.location = location
        self.title = title
        self.summary = summary
        self.date = date
        self.reportedAt = reportedAt
    }
}

/// What one watch run decided for one watch, remembered all at once (`IndexStore.remember(_:)`).
public struct WatchOutcome: Sendable {
    public var watchID: Int64
    /// The checkpoint to keep: the last change looked at.
    public var checkpoint: Int64?
    /// The error to remember (nil: the query ran).
    public var broken: String?
    /// The matches reported.
    public var reports: [WatchReport]

    public init(watchID: Int64, checkpoint: Int64?, broken: String?, reports: [WatchReport]) {
        self.watchID = watchID
        self.checkpoint = checkpoint
        self.broken = broken
        self.reports = reports
    }
}

extension IndexStore {
    /// Saves a watch; false when one of that name exists. Without `includeExisting` its
    /// checkpoint is the last change logged, so only documents indexed from now on are new to it.
    ///
    ///     INSERT INTO watch(name, query, options, token, created_at, checkpoint)
    ///         VALUES (?, ?, ?, ?, ?, (SELECT coalesce(max(seq), 0) FROM document_change))
    public func addWatch(name: String, query: String, options: [String], includeExisting: Bool)
        throws(IndexError) -> Bool
    {
        let encoded = String(decoding: (try? JSONEncoder().encode(options)) ?? Data("[]".utf8), as: UTF8.self)
        return try wrap {
            try database.write { db in
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM watch WHERE name = ?", arguments: [name])
                    ?? false
                {
                    return false
                }
                try db.execute(
                    sql: """
                        INSERT INTO watch(name, query, options, token, created_at, checkpoint)
                        VALUES (?, ?, ?, ?, ?, CASE WHEN ? THEN NULL ELSE
                            (SELECT coalesce(max(seq), 0) FROM document_change) END)
                        """,
                    arguments: [
                        name, query, encoded, UUID().uuidString.lowercased(), Date().timeIntervalSince1970,
                        includeExisting,
                    ])
                return true
            }
        }
    }

    /// Every watch, by name.
    ///
    ///     SELECT id, name, query, options, token, created_at, checkpoint, broken FROM watch ORDER BY name
    public func watches() throws(IndexError) -> [StoredWatch] {
        try wrap {
            try reading { db in
                try Row.fetchAll(
                    db,
                    sql:
                        "SELECT id, name, query, options, token, created_at, checkpoint, broken FROM watch ORDER BY name"
                ).map { row in
                    let options =
                        (try? JSONDecoder().decode([String].self, from: Data((row[3] as String).utf8))) ?? []
                    return StoredWatch(
                        id: row[0], name: row[1], query: row[2], options: options, token: row[4],
                        createdAt: Date(timeIntervalSince1970: row[5]), checkpoint: row[6], broken: row[7])
                }
            }
        }
    }

    /// Removes a watch and everything it remembers; false when there is none of that name.
    ///
    ///     DELETE FROM watch_report WHERE watch_id = (SELECT id FROM watch WHERE name = ?)
    ///     DELETE FROM watch WHERE name = ?
    public func removeWatch(named name: String) throws(IndexError) -> Bool {
        try wrap {
            try database.write { db in
                try db.execute(
                    sql: "DELETE FROM watch_report WHERE watch_id = (SELECT id FROM watch WHERE name = ?)",
                    arguments: [name])
                try db.execute(sql: "DELETE FROM watch WHERE name = ?", arguments: [name])
                return db.changesCount > 0
            }
        }
    }

    /// The text hash each of `ids` had when the watch reported it (documents it never reported
    /// are absent).
    ///
    ///     SELECT text_hash FROM watch_report WHERE watch_id = ? AND document_id = ?
    public func reportedHashes(watch: Int64, of ids: [Int64]) throws(IndexError) -> [Int64: UInt64] {
        try wrap {
            try reading { db in
                let statement = try db.cachedStatement(
                    sql: "SELECT text_hash FROM watch_report WHERE watch_id = ? AND document_id = ?")
                var hashes: [Int64: UInt64] = [:]
                for id in ids {
                    if let hash = try Int64.fetchOne(statement, arguments: [watch, id]) {
                        hashes[id] = UInt64(bitPattern: hash)
                    }
                }
                return hashes
            }
        }
    }

    /// The watch's latest reports, newest first (a feed's entries).
    ///
    ///     SELECT … FROM watch_report WHERE watch_id = ? ORDER BY reported_at DESC, document_id LIMIT ?
    public func recentReports(watch: Int64, limit: Int) throws(IndexError) -> [WatchReport] {
        try wrap {
            try reading { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT document_id, text_hash, location, title, summary, date, reported_at FROM watch_report
                        WHERE watch_id = ? ORDER BY reported_at DESC, document_id LIMIT ?
                        """, arguments: [watch, limit]
                ).map { row in
                    WatchReport(
                        documentID: row[0], textHash: UInt64(bitPattern: row[1]), location: row[2],
                        title: row[3],
                        summary: row[4], date: row[5], reportedAt: row[6])
                }
            }
        }
    }

    /// Remembers what a watch run reported, for every watch at once, in one transaction: the
    /// reports (a document reported again replaces its row), the checkpoints and the errors.
    ///
    ///     INSERT OR REPLACE INTO watch_report(watch_id, document_id, …) VALUES (…)
    ///     UPDATE watch SET checkpoint = ?, broken = ? WHERE id = ?
    public func remember(_ outcomes: [WatchOutcome]) throws(IndexError) {
        try wrap {
            try database.write { db in
                let report = try db.cachedStatement(
                    sql: """
                        INSERT OR REPLACE INTO watch_report(watch_id, document_id, text_hash, location, title,
                            summary, date, reported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                for outcome in outcomes {
                    for entry in outcome.reports {
                        try report.execute(arguments: [
                            outcome.watchID, entry.documentID, Int64(bitPattern: entry.textHash),
                            entry.location,
                            entry.title, entry.summary, entry.date, entry.reportedAt,
                        ])
                    }
                    try db.execute(
                        sql: "UPDATE watch SET checkpoint = ?, broken = ? WHERE id = ?",
                        arguments: [outcome.checkpoint, outcome.broken, outcome.watchID])
                }
            }
        }
    }
}
