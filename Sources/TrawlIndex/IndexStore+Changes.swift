import Foundation
import GRDB

/// What a run did to one document.
public enum ChangeKind: Int, Sendable, Hashable, Codable, CaseIterable {
    case added = 0
    case updated = 1
    case moved = 2
    case removed = 3

    /// `added`, `updated`, `moved` or `removed`.
    public var name: String {
        switch self {
        case .added: "added"
        case .updated: "updated"
        case .moved: "moved"
        case .removed: "removed"
        }
    }
}

/// One logged change of a run, for `trawl changes`.
public struct DocumentChangeEntry: Sendable, Hashable {
    public var run: Int64
    public var kind: ChangeKind
    /// Where the document is (for a removal: where it was).
    public var location: String
    public var title: String
    /// Where a moved document was before.
    public var from: String?

    public init(run: Int64, kind: ChangeKind, location: String, title: String, from: String?) {
        self.run = run
        self.kind = kind
        self.location = location
        self.title = title
        self.from = from
    }
}

/// The hash that tells whether a document's text changed: FNV-1a of its title, a 0x1F
/// separator and its body. Metadata, path and modification time take no part.
public enum TextHash {
    public static func of(title: String, body: String) -> UInt64 {
        var hash = FNV1a()
        hash.combine(title.utf8)
        hash.combine(0x1F)
        hash.combine(body.utf8)
        return hash.value
    }
}

/// Which documents count as indexed recently (`--new`, `--indexed-since`, and a watch's
/// candidates).
public enum IndexedWindow: Hashable, Sendable {
    /// Added or updated by the run with this id or a later one.
    case run(Int64)
    /// Added or updated at or after this time (seconds since 1970).
    case date(Double)
    /// Added or updated by a change logged after this sequence number (a watch's checkpoint).
    case changeAfter(Int64)

    /// The test of the document whose id is `rowid`, and the values it binds:
    ///
    ///     +rowid IN (SELECT document_id FROM document_change WHERE run_id >= :run AND kind IN (0, 1))
    ///     (SELECT d.indexed_at FROM document_store d WHERE d.id = rowid) >= :date
    ///     +rowid IN (SELECT document_id FROM document_change WHERE seq > :seq AND kind IN (0, 1))
    ///
    /// The unary `+` keeps SQLite from handing `rowid IN (…)` to FTS5 as a rowid constraint:
    /// FTS5 would then evaluate the whole MATCH once per listed id (a prefix query over 216
    /// changed documents of Reuters took 5.4 s instead of 0.1 s); as a plain test, the list is
    /// built once and each match is looked up in it.
    func sql(rowid: String) -> (sql: String, arguments: StatementArguments) {
        switch self {
        case .run(let run):
            return (
                "+\(rowid) IN (SELECT c.document_id FROM document_change c WHERE c.run_id >= ? AND c.kind IN (0, 1))",
                [run]
            )
        case .date(let date):
            return ("(SELECT d.indexed_at FROM document_store d WHERE d.id = \(rowid)) >= ?", [date])
        case .changeAfter(let seq):
            return (
                "+\(rowid) IN (SELECT c.document_id FROM document_change c WHERE c.seq > ? AND c.kind IN (0, 1))",
                [seq]
            )
        }
    }
}

extension IndexStore {
    /// The id the next run of `trawl index` records its changes under: one more than the last
    /// recorded run. A run that was killed before it was recorded leaves its changes under the id
    /// the next run takes again, so that run's changes hold what the killed one did too.
    ///
    ///     SELECT coalesce(max(id), 0) + 1 FROM index_run
    public func nextRunID() throws(IndexError) -> Int64 {
        try wrap {
            try reading { db in
                try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) + 1 FROM index_run") ?? 1
            }
        }
    }

    /// The id of the last recorded run (nil when there is none).
    ///
    ///     SELECT max(id) FROM index_run
    public func lastRunID() throws(IndexError) -> Int64? {
        try wrap {
            try reading { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM index_run") }
        }
    }

    /// Whether a run with this id was recorded.
    ///
    ///     SELECT 1 FROM index_run WHERE id = :run
    public func hasRun(_ run: Int64) throws(IndexError) -> Bool {
        try wrap {
            try reading { db in
                try Bool.fetchOne(db, sql: "SELECT 1 FROM index_run WHERE id = ?", arguments: [run]) ?? false
            }
        }
    }

    /// What a run did, in the order it did it (several changes of one document all listed). A row
    /// that leaves its location and title to its document (schema v15) reads them from it.
    ///
    ///     SELECT c.run_id, c.kind, c.location, c.title, c.from_location, s.path, s.record, s.title
    ///     FROM document_change c LEFT JOIN document_store s ON c.location = '' AND s.id = c.document_id
    ///     WHERE c.run_id = :run ORDER BY c.seq
    public func changes(ofRun run: Int64) throws(IndexError) -> [DocumentChangeEntry] {
        try wrap {
            try reading { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT c.run_id, c.kind, c.location, c.title, c.from_location, s.path, s.record, s.title
                        FROM document_change c
                        LEFT JOIN document_store s ON c.location = ? AND s.id = c.document_id
                        WHERE c.run_id = ? ORDER BY c.seq
                        """, arguments: [Self.documentsOwn, run]
                ).map { row in
                    var entry = DocumentChangeEntry(
                        run: row[0], kind: ChangeKind(rawValue: row[1]) ?? .updated, location: row[2],
                        title: row[3], from: row[4])
                    if entry.location == Self.documentsOwn, let path = row[5] as String? {
                        entry.location = DocumentLocation.text(path: path, record: row[6])
                        entry.title = row[7]
                    }
                    return entry
                }
            }
        }
    }

    /// The last change logged so far (0 when none is).
    ///
    ///     SELECT coalesce(max(seq), 0) FROM document_change
    public func lastChange() throws(IndexError) -> Int64 {
        try wrap {
            try reading { db in
                try Int64.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) FROM document_change") ?? 0
            }
        }
    }

    /// The hash of each document's title and body (`TextHash`), for the documents among `ids`
    /// that still exist: from the last change that logged it, else computed from the stored text.
    ///
    ///     SELECT text_hash FROM document_change WHERE document_id = :id AND kind IN (0, 1)
    ///         ORDER BY seq DESC LIMIT 1
    ///     SELECT title, body FROM document WHERE id = :id   -- only when no change logged it
    public func textHashes(of ids: [Int64]) throws(IndexError) -> [Int64: UInt64] {
        try wrap {
            try reading { db in
                var hashes: [Int64: UInt64] = [:]
                let logged = try db.cachedStatement(
                    sql: """
                        SELECT text_hash FROM document_change WHERE document_id = ? AND kind IN (0, 1)
                        ORDER BY seq DESC LIMIT 1
                        """)
                let stored = try db.cachedStatement(sql: "SELECT title, body FROM document WHERE id = ?")
                for id in ids {
                    if let hash = try Int64.fetchOne(logged, arguments: [id]) {
                        hashes[id] = UInt64(bitPattern: hash)
                    } else if let row = try Row.fetchOne(stored, arguments: [id]) {
                        hashes[id] = TextHash.of(title: row[0], body: row[1])
                    }
                }
                return hashes
            }
        }
    }
}
