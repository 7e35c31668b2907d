import Foundation
import GRDB
import TrawlText

/// What a search shows of a document it collapsed into another: where it is, its title and date.
public struct DocumentHead: Sendable, Hashable {
    public var id: Int64
    /// `path`, or `path#record` for a record.
    public var location: String
    public var title: String
    /// Seconds since 1970; nil for an undated document.
    public var date: Double?

    public init(id: Int64, location: String, title: String, date: Double?) {
        self.id = id
        self.location = location
        self.title = title
        self.date = date
    }
}

/// How many documents of a match set belong to near-duplicate groups, and to how many groups.
public struct GroupedMatchCount: Sendable, Hashable {
    /// Matching documents that belong to a group.
    public var groupedDocuments: Int
    /// Groups with at least one matching document.
    public var groups: Int

    public init(groupedDocuments: Int, groups: Int) {
        self.groupedDocuments = groupedDocuments
        self.groups = groups
    }

    /// The count of matching documents whose groups are `groups` (one element per document).
    public init(groupsOfDocuments groups: some Collection<Int64>) {
        self.init(groupedDocuments: groups.count, groups: Set(groups).count)
    }
}

extension IndexStore {
    /// Writes a changed document's signature (or removes it: no signature, or the document
    /// removed), inside `apply`'s transaction (which marks the groups stale first, see
    /// `markNearDuplicatesStale`).
    ///
    ///     UPDATE document_signature SET signature = :signature, group_id = NULL WHERE id = :id
    ///     INSERT INTO document_signature(id, signature) VALUES (:id, :signature)  -- no row was there
    ///     DELETE FROM document_signature WHERE id = :id                          -- no signature
    ///
    /// Each statement touches one row by its id: a statement that may change several rows (an
    /// `INSERT OR REPLACE`, an `UPDATE … WHERE` on another column) opens a statement savepoint,
    /// and FTS5 answers every savepoint by flushing its pending terms to a new segment — one
    /// segment per document, measured at +70% of a full index's CPU time.
    static func storeSignature(_ db: Database, id: Int64, _ signature: ShingleSignature?) throws {
        guard let signature else {
            try db.cachedStatement(sql: "DELETE FROM document_signature WHERE id = ?").execute(arguments: [id]
            )
            return
        }
        let bytes = Data(signature.bytes)
        try db.cachedStatement(
            sql: "UPDATE document_signature SET signature = ?, group_id = NULL WHERE id = ?"
        )
        .execute(arguments: [bytes, id])
        if db.changesCount == 0 {
            try db.cachedStatement(sql: "INSERT INTO document_signature(id, signature) VALUES (?, ?)")
                .execute(arguments: [id, bytes])
        }
    }

    /// Marks the groups stale, once per `apply` and before any text is indexed (so the statement
    /// savepoint of this `UPDATE` finds no pending FTS5 terms to flush).
    ///
    ///     UPDATE near_duplicate_state SET stale = 1
    static func markNearDuplicatesStale(_ db: Database) throws {
        try db.execute(sql: "UPDATE near_duplicate_state SET stale = 1")
    }

    /// Recomputes the near-duplicate groups when documents changed since they were last computed
    /// (`trawl index` calls it at the end of every run); returns whether it did.
    ///
    ///     SELECT stale FROM near_duplicate_state   -- then, when 1: see regroupNearDuplicates(_:)
    @discardableResult
    public func regroupNearDuplicatesIfStale() throws(IndexError) -> Bool {
        try wrap {
            try database.write { db in
                guard try Bool.fetchOne(db, sql: "SELECT stale FROM near_duplicate_state") ?? false else {
                    return false
                }
                try Self.regroupNearDuplicates(db)
                return true
            }
        }
    }

    /// Reads the signatures of dated documents, groups them (`NearDuplicateGrouping`) and writes
    /// the group of each document whose group changed. An undated document joins no group: with
    /// no date, nothing says two similar texts are versions of one story rather than, say, two
    /// abstracts of one paper.
    ///
    ///     SELECT g.id, g.signature, g.group_id, s.date FROM document_signature g
    ///     JOIN document_store s ON s.id = g.id
    ///     UPDATE document_signature SET group_id = :group WHERE id = :id   -- per changed document
    ///     UPDATE near_duplicate_state SET stale = 0
    static func regroupNearDuplicates(_ db: Database) throws {
        var documents: [(id: Int64, signature: ShingleSignature, date: Double)] = []
        var stored: [Int64: Int64] = [:]
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT g.id, g.signature, g.group_id, s.date FROM document_signature g
                JOIN document_store s ON s.id = g.id
                """)
        while let row = try rows.next() {
            let id: Int64 = row[0]
            let data: Data = row[1]
            if let group = row[2] as Int64? { stored[id] = group }
            guard let date = row[3] as Double?, let signature = ShingleSignature(bytes: [UInt8](data)) else {
                continue
            }
            documents.append((id, signature, date))
        }
        let groups = NearDuplicateGrouping.groups(documents)
        let update = try db.makeStatement(sql: "UPDATE document_signature SET group_id = ? WHERE id = ?")
        for document in documents where groups[document.id] != stored[document.id] {
            try update.execute(arguments: [groups[document.id], document.id])
        }
        // A document that was grouped and is now undated leaves its group.
        let dated = Set(documents.map(\.id))
        for (id, _) in stored where !dated.contains(id) {
            try update.execute(arguments: [nil as Int64?, id])
        }
        try db.execute(sql: "UPDATE near_duplicate_state SET stale = 0")
    }

    /// Whether any document belongs to a near-duplicate group.
    ///
    ///     SELECT EXISTS(SELECT 1 FROM document_signature WHERE group_id IS NOT NULL)
    public func hasNearDuplicates() throws(IndexError) -> Bool {
        try wrap {
            try database.read { db in
                try Bool.fetchOne(
                    db.cachedStatement(
                        sql: "SELECT EXISTS(SELECT 1 FROM document_signature WHERE group_id IS NOT NULL)"))
                    ?? false
            }
        }
    }

    /// The group of each of `ids` that belongs to one (documents alone are left out), in one
    /// statement (the ids passed as a JSON array):
    ///
    ///     SELECT g.id, g.group_id FROM json_each(:ids) j
    ///     CROSS JOIN document_signature g INDEXED BY document_signature_member
    ///         ON g.id = j.value WHERE g.group_id IS NOT NULL
    public func nearDuplicateGroups(of ids: [Int64]) throws(IndexError) -> [Int64: Int64] {
        guard !ids.isEmpty else { return [:] }
        let list = "[" + ids.map(String.init).joined(separator: ",") + "]"
        return try wrap {
            try database.read { db in
                let rows = try Row.fetchCursor(
                    db.cachedStatement(
                        sql: """
                            SELECT g.id, g.group_id FROM json_each(?) j
                            CROSS JOIN document_signature g INDEXED BY document_signature_member
                                ON g.id = j.value WHERE g.group_id IS NOT NULL
                            """),
                    arguments: [list])
                var groups: [Int64: Int64] = [:]
                while let row = try rows.next() { groups[row[0]] = row[1] }
                return groups
            }
        }
    }

    /// The documents of each group, in id order.
    ///
    ///     SELECT id FROM document_signature WHERE group_id = :group ORDER BY id   -- per group
    public func nearDuplicateMembers(ofGroups groups: Set<Int64>) throws(IndexError) -> [Int64: [Int64]] {
        try wrap {
            try database.read { db in
                let statement = try db.cachedStatement(
                    sql: "SELECT id FROM document_signature WHERE group_id = ? ORDER BY id")
                var members: [Int64: [Int64]] = [:]
                for group in groups { members[group] = try Int64.fetchAll(statement, arguments: [group]) }
                return members
            }
        }
    }

    /// The stored signature of each of `ids` that has one.
    ///
    ///     SELECT signature FROM document_signature WHERE id = :id   -- per id
    public func signatures(of ids: [Int64]) throws(IndexError) -> [Int64: ShingleSignature] {
        try wrap {
            try database.read { db in
                let statement = try db.cachedStatement(
                    sql: "SELECT signature FROM document_signature WHERE id = ?")
                var signatures: [Int64: ShingleSignature] = [:]
                for id in ids {
                    if let data = try Data.fetchOne(statement, arguments: [id]),
                        let signature = ShingleSignature(bytes: [UInt8](data))
                    {
                        signatures[id] = signature
                    }
                }
                return signatures
            }
        }
    }

    /// How many documents match `query` (its filter included), and how many of them belong to
    /// near-duplicate groups, and to how many groups — one evaluation of the MATCH:
    ///
    ///     SELECT count(*), count(g.group_id), count(DISTINCT g.group_id) FROM document_fts
    ///     LEFT JOIN document_signature g INDEXED BY document_signature_member
    ///         ON g.id = document_fts.rowid AND g.group_id IS NOT NULL
    ///     WHERE document_fts MATCH :match <filter>
    ///
    /// The join keeps the matches as the outer loop (one primary-key probe each): left to itself
    /// SQLite runs the MATCH once per grouped document instead, ~10 ms on Reuters even for a word
    /// in 10 documents.
    public func matchCountWithGroups(_ query: BoundQuery) throws(IndexError) -> (
        total: Int, grouped: GroupedMatchCount
    ) {
        let filter = query.filter.sqlConditions(rowid: "document_fts.rowid")
        return try wrap {
            try database.read { db in
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT count(*), count(g.group_id), count(DISTINCT g.group_id) FROM document_fts
                        LEFT JOIN document_signature g INDEXED BY document_signature_member
                            ON g.id = document_fts.rowid AND g.group_id IS NOT NULL
                        WHERE document_fts MATCH ?\(filter.sql)
                        """,
                    arguments: [query.match.text] + filter.arguments)
                return (
                    row?[0] ?? 0, GroupedMatchCount(groupedDocuments: row?[1] ?? 0, groups: row?[2] ?? 0)
                )
            }
        }
    }

    /// The group of every document that belongs to one, or nil while the groups are stale (a run
    /// changed documents and has not regrouped them yet), in one read.
    ///
    ///     SELECT stale FROM near_duplicate_state
    ///     SELECT id, group_id FROM document_signature WHERE group_id IS NOT NULL
    public func nearDuplicateGroupMap() throws(IndexError) -> [Int64: Int64]? {
        try wrap {
            try database.read { db in
                guard try Bool.fetchOne(db, sql: "SELECT stale FROM near_duplicate_state") == false else {
                    return nil
                }
                var groups: [Int64: Int64] = [:]
                let rows = try Row.fetchCursor(
                    db, sql: "SELECT id, group_id FROM document_signature WHERE group_id IS NOT NULL")
                while let row = try rows.next() { groups[row[0]] = row[1] }
                return groups
            }
        }
    }

    /// Which of `ids` match `query` (its filter included).
    ///
    ///     SELECT rowid FROM document_fts WHERE document_fts MATCH :match AND rowid = :id <filter>   -- per id
    public func matchingIDs(_ query: BoundQuery, among ids: [Int64]) throws(IndexError) -> Set<Int64> {
        let filter = query.filter.sqlConditions(rowid: "document_fts.rowid")
        return try wrap {
            try database.read { db in
                let statement = try db.cachedStatement(
                    sql: "SELECT rowid FROM document_fts WHERE document_fts MATCH ? AND rowid = ?"
                        + filter.sql)
                var matching: Set<Int64> = []
                for id in ids {
                    let arguments: StatementArguments = [query.match.text, id] + filter.arguments
                    if try Int64.fetchOne(statement, arguments: arguments) != nil { matching.insert(id) }
                }
                return matching
            }
        }
    }

    /// Location, title and date of each of `ids` (without reading the text).
    ///
    ///     SELECT path, record, title, date FROM document_store WHERE id = :id   -- per id
    public func documentHeads(of ids: [Int64]) throws(IndexError) -> [Int64: DocumentHead] {
        try wrap {
            try database.read { db in
                let statement = try db.cachedStatement(
                    sql: "SELECT path, record, title, date FROM document_store WHERE id = ?")
                var heads: [Int64: DocumentHead] = [:]
                for id in ids {
                    guard let row = try Row.fetchOne(statement, arguments: [id]) else { continue }
                    heads[id] = DocumentHead(
                        id: id, location: DocumentLocation.text(path: row[0], record: row[1]), title: row[2],
                        date: row[3])
                }
                return heads
            }
        }
    }
}
