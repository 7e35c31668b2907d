import Foundation
import GRDB
import GRDBSQLite
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
    /// `markNearDuplicatesStale`), and marks what the next regrouping must look at (`placed`, see
    /// ``regroupNearDuplicatesIfStale()``):
    ///
    ///     UPDATE document_signature SET signature = :signature, placed = 0 WHERE id = :id  -- not new
    ///     INSERT INTO document_signature(id, signature, placed) VALUES (:id, :signature, 0)  -- no row was there
    ///     INSERT INTO document_signature(id, signature, placed)
    ///         VALUES (:id, :signature, :id > :placedThrough)                                  -- new
    ///     -- no signature: another member of its group is marked, then the row goes
    ///     SELECT group_id FROM document_signature WHERE id = :id
    ///     SELECT id FROM document_signature WHERE group_id = :group AND id != :id LIMIT 1
    ///     UPDATE document_signature SET placed = 2 WHERE id = :member AND placed = 1
    ///     DELETE FROM document_signature WHERE id = :id
    ///
    /// Each statement touches one row by its id: a statement that may change several rows (an
    /// `INSERT OR REPLACE`, an `UPDATE … WHERE` on another column) opens a statement savepoint,
    /// and FTS5 answers every savepoint by flushing its pending terms to a new segment — one
    /// segment per document, measured at +70% of a full index's CPU time.
    ///
    /// A new document above `placedThrough` (``placedThrough(_:)``, read once per `apply`) is
    /// known to be unplaced by its id alone, so its row stays out of `document_signature_unplaced`
    /// and the regrouping has no mark to clear; its insert is stepped directly, the one statement
    /// of a first run that only grouping adds.
    static func storeSignature(
        _ db: Database, id: Int64, _ signature: ShingleSignature?, isNew: Bool = false,
        placedThrough: Int64 = .max
    ) throws {
        guard let signature else {
            // The group it leaves is recomputed: one remaining member stands for it.
            if let group = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT group_id FROM document_signature WHERE id = ?"),
                arguments: [id]),
                let member = try Int64.fetchOne(
                    db.cachedStatement(
                        sql: "SELECT id FROM document_signature WHERE group_id = ? AND id != ? LIMIT 1"),
                    arguments: [group, id])
            {
                try db.cachedStatement(
                    sql: "UPDATE document_signature SET placed = 2 WHERE id = ? AND placed = 1"
                )
                .execute(arguments: [member])
            }
            try db.cachedStatement(sql: "DELETE FROM document_signature WHERE id = ?").execute(arguments: [id]
            )
            return
        }
        if isNew {
            try insertSignature(db, id: id, signature, placed: id > placedThrough ? 1 : 0)
            return
        }
        let bytes = Data(signature.bytes)
        // The group it had stays until the regrouping, which recomputes that group too.
        try db.cachedStatement(sql: "UPDATE document_signature SET signature = ?, placed = 0 WHERE id = ?")
            .execute(arguments: [bytes, id])
        if db.changesCount == 0 { try insertSignature(db, id: id, signature, placed: 0) }
    }

    /// `INSERT INTO document_signature(id, signature, placed) VALUES (:id, :signature, :placed)`,
    /// bound and stepped through SQLite's own calls (`DirectStatement`): on a first run it is one
    /// of a few statements per document.
    private static func insertSignature(
        _ db: Database, id: Int64, _ signature: ShingleSignature, placed: Int64
    ) throws {
        var insert = try DirectStatement(
            db, sql: "INSERT INTO document_signature(id, signature, placed) VALUES (?, ?, ?)")
        insert.bind(id)
        #if _endian(little)
            // In memory as stored (`ShingleSignature.bytes`).
            signature.values.withUnsafeBytes { insert.bind(bytes: $0) }
        #else
            signature.bytes.withUnsafeBytes { insert.bind(bytes: $0) }
        #endif
        insert.bind(placed)
        try insert.execute()
    }

    /// The signature stored in column `index` of `row`, decoded where SQLite holds it; nil when
    /// there is none or it is not one.
    static func storedSignature(in row: Row, at index: Int) -> ShingleSignature? {
        try? row.withUnsafeData(atIndex: index) { data in
            data?.withUnsafeBytes(ShingleSignature.init(stored:))
        }
    }

    /// The largest id whose signature the groups were last computed with
    /// (`near_duplicate_state.placed_through`): a signature with a larger id is unplaced whatever
    /// its `placed`.
    ///
    ///     SELECT placed_through FROM near_duplicate_state
    static func placedThrough(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT placed_through FROM near_duplicate_state") ?? 0
    }

    /// Marks the groups stale, once per `apply` and before any text is indexed (so the statement
    /// savepoint of this `UPDATE` finds no pending FTS5 terms to flush).
    ///
    ///     UPDATE near_duplicate_state SET stale = 1
    static func markNearDuplicatesStale(_ db: Database) throws {
        try db.execute(sql: "UPDATE near_duplicate_state SET stale = 1")
    }

    /// Brings the near-duplicate groups in step with the documents changed since they were last
    /// computed (`trawl index` calls it at the end of every run); returns whether it did.
    ///
    /// Only what changed is looked at, so a run that changed a few documents of a million reads
    /// every signature once and holds only the changed documents and their groups in memory:
    /// - documents whose signature changed (`placed = 0`, or new: an id above `placed_through`)
    ///   and the members of the groups they were
    ///   in, or that lost a member (`placed = 2`, set on a remaining member), are regrouped among
    ///   themselves;
    /// - every other dated document sharing a band (`NearDuplicateGrouping`) with a changed one is
    ///   compared with it, and joins the regrouping, with its whole group, when it is a
    ///   near-duplicate.
    /// The result is what grouping every document from scratch gives: a group is a connected set
    /// of near-duplicate pairs, and a document outside the regrouped ones has no pair with any of
    /// them (it would be in their group, or was found by the comparison).
    ///
    ///     SELECT stale FROM near_duplicate_state   -- then, when 1:
    ///     SELECT g.id, g.signature, g.group_id, s.date, g.placed FROM document_signature g
    ///         JOIN document_store s ON s.id = g.id WHERE g.placed != 1        -- the changed,
    ///     UNION ALL SELECT … WHERE g.id > :placedThrough AND g.placed = 1     -- the new
    ///     SELECT … WHERE g.group_id = :group                                   -- their groups
    ///     SELECT g.id, g.signature, g.group_id, s.date FROM document_signature g
    ///         JOIN document_store s ON s.id = g.id                             -- the comparison
    ///     UPDATE document_signature SET group_id = :group, placed = 1 WHERE id = :id
    ///     -- then markAllPlaced
    ///     UPDATE near_duplicate_state SET stale = 0
    @discardableResult
    public func regroupNearDuplicatesIfStale() throws(IndexError) -> Bool {
        try regroupNearDuplicatesIfStale(everythingAbove: Self.regroupEverythingShare)
    }

    /// ``regroupNearDuplicatesIfStale()``, grouping every document afresh when more than
    /// `share` of them changed (tests pass 2 to always regroup only what changed).
    @discardableResult
    func regroupNearDuplicatesIfStale(everythingAbove share: Double) throws(IndexError) -> Bool {
        try wrap {
            try database.write { db in
                guard try Bool.fetchOne(db, sql: "SELECT stale FROM near_duplicate_state") ?? false else {
                    return false
                }
                try Self.regroupChangedNearDuplicates(db, everythingAbove: share)
                return true
            }
        }
    }

    /// One stored signature as regrouping reads it.
    private struct SignedDocument {
        var id: Int64
        var signature: ShingleSignature?
        var group: Int64?
        var date: Double?
        var placed: Int64

        init(_ row: Row) {
            id = row[0]
            signature = IndexStore.storedSignature(in: row, at: 1)
            group = row[2]
            date = row[3]
            placed = row.count > 4 ? row[4] : 1
        }
    }

    /// Above this share of changed documents (a first run, a rebuild), regrouping groups every
    /// document afresh: comparing each changed one with all the others would cost more.
    static let regroupEverythingShare = 0.125
    /// From this many signatures on, grouping afresh reads them band by band from the index
    /// rather than holding them all in memory (~90 bytes each: 9 MB at 100,000).
    static let bandByBandFrom = 100_000

    /// See ``regroupNearDuplicatesIfStale()``.
    static func regroupChangedNearDuplicates(_ db: Database, everythingAbove share: Double) throws {
        let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM document_signature") ?? 0
        let through = try placedThrough(db)
        let changed =
            try Int.fetchOne(
                db,
                sql: """
                    SELECT (SELECT count(*) FROM document_signature WHERE placed != 1)
                        + (SELECT count(*) FROM document_signature WHERE id > ? AND placed = 1)
                    """, arguments: [through]) ?? 0
        if changed > 0, Double(changed) > share * Double(total) {
            if total < bandByBandFrom {
                try regroupNearDuplicates(db)
            } else {
                try regroupNearDuplicatesBandByBand(db)
            }
            try markAllPlaced(db)
            return
        }
        /// The signed documents with `placed` as the last column.
        func select(placed: String) -> String {
            "SELECT g.id, g.signature, g.group_id, s.date, \(placed) FROM document_signature g"
                + " JOIN document_store s ON s.id = g.id"
        }
        let columns = select(placed: "g.placed")
        var regrouped: [Int64: SignedDocument] = [:]
        // Marked documents, and new ones above `through` (unplaced as if marked 0).
        let unplaced =
            columns + " WHERE g.placed != 1 UNION ALL " + select(placed: "0")
            + " WHERE g.id > ? AND g.placed = 1"
        for row in try Row.fetchAll(db, sql: unplaced, arguments: [through]) {
            let document = SignedDocument(row)
            regrouped[document.id] = document
        }
        if !regrouped.isEmpty {
            // The changed documents' bands, to find their near-duplicates among all the others.
            var bands: [NearDuplicateGrouping.BandKey: [Int64]] = [:]
            for document in regrouped.values where document.placed == 0 && document.date != nil {
                guard let signature = document.signature else { continue }
                for key in NearDuplicateGrouping.bandKeys(of: signature) {
                    bands[key, default: []].append(document.id)
                }
            }
            var groups = Set(regrouped.values.compactMap(\.group))
            if !bands.isEmpty {
                let rows = try Row.fetchCursor(db, sql: columns)
                while let row = try rows.next() {
                    let id: Int64 = row[0]
                    guard regrouped[id] == nil, let date = row[3] as Double? else { continue }
                    let other = SignedDocument(row)
                    guard let signature = other.signature else { continue }
                    var compared: Set<Int64> = []
                    for key in NearDuplicateGrouping.bandKeys(of: signature) {
                        for changed in bands[key] ?? [] where compared.insert(changed).inserted {
                            guard let mine = regrouped[changed], let myDate = mine.date,
                                let mySignature = mine.signature,
                                NearDuplicateGrouping.arePair(signature, date, mySignature, myDate)
                            else { continue }
                            regrouped[id] = other
                            if let group = other.group { groups.insert(group) }
                        }
                        if regrouped[id] != nil { break }
                    }
                }
            }
            // The whole of every group concerned.
            let members = try db.cachedStatement(sql: columns + " WHERE g.group_id = ?")
            for group in groups {
                for row in try Row.fetchAll(members, arguments: [group]) {
                    let document = SignedDocument(row)
                    if regrouped[document.id] == nil { regrouped[document.id] = document }
                }
            }
        }
        let dated = regrouped.values.compactMap { document in
            document.signature.flatMap { signature in
                document.date.map { (id: document.id, signature: signature, date: $0) }
            }
        }
        let grouped = NearDuplicateGrouping.groups(dated)
        let update = try db.makeStatement(
            sql: "UPDATE document_signature SET group_id = ?, placed = 1 WHERE id = ?")
        for document in regrouped.values.sorted(by: { $0.id < $1.id })
        where grouped[document.id] != document.group || document.placed != 1 {
            try update.execute(arguments: [grouped[document.id], document.id])
        }
        try markAllPlaced(db)
        try db.execute(sql: "UPDATE near_duplicate_state SET stale = 0")
    }

    /// Records that every signature is in its group: clears the marks and moves `placed_through`
    /// to the largest id.
    ///
    ///     UPDATE document_signature SET placed = 1 WHERE placed != 1
    ///     UPDATE near_duplicate_state SET placed_through = (SELECT coalesce(max(id), 0) FROM document_signature)
    private static func markAllPlaced(_ db: Database) throws {
        try db.execute(sql: "UPDATE document_signature SET placed = 1 WHERE placed != 1")
        try db.execute(
            sql:
                "UPDATE near_duplicate_state SET placed_through = (SELECT coalesce(max(id), 0) FROM document_signature)"
        )
    }

    /// Groups every dated document from scratch, as `NearDuplicateGrouping.groups` does, holding
    /// only ids, dates and one band's keys in memory (~60 bytes a document): each of the 16 bands
    /// is read in its turn and its equal keys found (`EqualKeyRuns`), and the signatures of
    /// documents equal on a band are read when they are compared.
    ///
    ///     SELECT g.id, s.date, g.group_id FROM document_signature g JOIN document_store s ON s.id = g.id
    ///         ORDER BY g.id
    ///     SELECT substr(g.signature, :offset, 8) FROM document_signature g
    ///         JOIN document_store s ON s.id = g.id WHERE s.date IS NOT NULL ORDER BY g.id   -- per band
    ///     SELECT signature FROM document_signature WHERE id = :id                          -- to compare
    ///     UPDATE document_signature SET group_id = :group WHERE id = :id                   -- per change
    ///     UPDATE near_duplicate_state SET stale = 0
    static func regroupNearDuplicatesBandByBand(_ db: Database) throws {
        var ids: [Int64] = []
        var dates: [Double] = []
        var stored: [Int64: Int64] = [:]
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT g.id, s.date, g.group_id FROM document_signature g JOIN document_store s ON s.id = g.id
                ORDER BY g.id
                """)
        while let row = try rows.next() {
            let id: Int64 = row[0]
            if let group = row[2] as Int64? { stored[id] = group }
            guard let date = row[1] as Double? else { continue }
            ids.append(id)
            dates.append(date)
        }
        var components = NearDuplicateGrouping.Components(count: ids.count)
        let signature = try db.makeStatement(sql: "SELECT signature FROM document_signature WHERE id = ?")
        var keys = [UInt64](repeating: 0, count: ids.count)
        var runs = EqualKeyRuns(count: ids.count)
        for band in 0..<NearDuplicateGrouping.bands {
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT substr(g.signature, ?, 4) FROM document_signature g
                    JOIN document_store s ON s.id = g.id WHERE s.date IS NOT NULL ORDER BY g.id
                    """, arguments: [band * 4 + 1])
            var position = 0
            while let row = try rows.next(), position < ids.count {
                let bytes = row[0] as Data? ?? Data()
                var key: UInt64 = 0
                if bytes.count == 4 {
                    // Two little-endian values, the first in the high half (`BandKey.values`).
                    for offset in [1, 0, 3, 2] {
                        key = key << 8 | UInt64(bytes[bytes.startIndex + offset])
                    }
                } else {
                    key = UInt64.max - UInt64(position)  // not a signature: alone in its band
                }
                keys[position] = key
                position += 1
            }
            try runs.forEachRun(of: keys) { members in
                // A document has one key per band, so it is in one run: its signature is read for
                // this run and dropped with it.
                var signatures: [Int: ShingleSignature] = [:]
                func signatureOf(_ index: Int) throws -> ShingleSignature? {
                    if let known = signatures[index] { return known }
                    let read = try Row.fetchOne(signature, arguments: [ids[index]])
                        .flatMap { storedSignature(in: $0, at: 0) }
                    signatures[index] = read
                    return read
                }
                for (place, member) in members.enumerated() {
                    for other in members[..<place] {
                        let (a, b) = (components.root(member), components.root(other))
                        guard a != b, let mine = try signatureOf(member),
                            let theirs = try signatureOf(other),
                            NearDuplicateGrouping.arePair(mine, dates[member], theirs, dates[other])
                        else { continue }
                        components.join(roots: a, b)
                    }
                }
            }
        }
        // A component's group is its smallest id: ids are in order, so its first member's.
        var size = [Int32](repeating: 0, count: ids.count)
        for index in ids.indices { size[components.root(index)] += 1 }
        var groups: [Int64: Int64] = [:]
        for index in ids.indices {
            let top = components.root(index)
            if size[top] > 1 { groups[ids[index]] = ids[top] }
        }
        try storeGroups(db, groups, datedIDs: ids, stored: stored)
    }

    /// Groups every dated document from scratch, all signatures in memory (a first run of fewer
    /// than ``bandByBandFrom``, and the migration that introduced signatures).
    ///
    ///     SELECT g.id, g.signature, g.group_id, s.date FROM document_signature g
    ///     JOIN document_store s ON s.id = g.id
    ///     -- then storeGroups
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
            if let group = row[2] as Int64? { stored[id] = group }
            guard let date = row[3] as Double?,
                let signature = storedSignature(in: row, at: 1)
            else { continue }
            documents.append((id, signature, date))
        }
        try storeGroups(
            db, NearDuplicateGrouping.groups(documents), datedIDs: documents.map(\.id).sorted(),
            stored: stored)
    }

    /// Writes the group of each dated document (`datedIDs`, ascending) where it is not the
    /// stored one, takes documents that were grouped but are no longer dated out of their groups,
    /// and marks the groups current.
    ///
    ///     UPDATE document_signature SET group_id = :group WHERE id = :id   -- per changed document
    ///     UPDATE near_duplicate_state SET stale = 0
    private static func storeGroups(
        _ db: Database, _ groups: [Int64: Int64], datedIDs: [Int64], stored: [Int64: Int64]
    ) throws {
        let update = try db.makeStatement(sql: "UPDATE document_signature SET group_id = ? WHERE id = ?")
        for id in datedIDs where groups[id] != stored[id] {
            try update.execute(arguments: [groups[id], id])
        }
        // A document that was grouped and is now undated leaves its group.
        for id in stored.keys {
            var (low, high) = (0, datedIDs.count)
            while low < high {
                let middle = (low + high) / 2
                if datedIDs[middle] < id { low = middle + 1 } else { high = middle }
            }
            if low == datedIDs.count || datedIDs[low] != id {
                try update.execute(arguments: [nil as Int64?, id])
            }
        }
        try db.execute(sql: "UPDATE near_duplicate_state SET stale = 0")
    }

    /// Whether any document belongs to a near-duplicate group.
    ///
    ///     SELECT EXISTS(SELECT 1 FROM document_signature WHERE group_id IS NOT NULL)
    public func hasNearDuplicates() throws(IndexError) -> Bool {
        try wrap {
            try reading { db in
                try Bool.fetchOne(
                    db.cachedStatement(
                        sql: "SELECT EXISTS(SELECT 1 FROM document_signature WHERE group_id IS NOT NULL)"))
                    ?? false
            }
        }
    }

    /// How many ids `nearDuplicateGroups` looks up one by one: preparing the `json_each`
    /// statement costs about 0.23 M instructions, a look-up by id a few thousand.
    static let idsLookedUpOneByOne = 32

    /// The group of each of `ids` that belongs to one (documents alone are left out). Up to
    /// `idsLookedUpOneByOne` ids are looked up one by one; more in one statement (the ids passed
    /// as a JSON array):
    ///
    ///     SELECT group_id FROM document_signature WHERE id = :id AND group_id IS NOT NULL
    ///     SELECT g.id, g.group_id FROM json_each(:ids) j
    ///     CROSS JOIN document_signature g INDEXED BY document_signature_member
    ///         ON g.id = j.value WHERE g.group_id IS NOT NULL
    public func nearDuplicateGroups(of ids: [Int64]) throws(IndexError) -> [Int64: Int64] {
        try wrap { try reading { db in try Self.nearDuplicateGroups(db, of: ids) } }
    }

    static func nearDuplicateGroups(_ db: Database, of ids: some Collection<Int64>) throws -> [Int64: Int64] {
        guard !ids.isEmpty else { return [:] }
        if ids.count <= idsLookedUpOneByOne {
            let sql = "SELECT group_id FROM document_signature WHERE id = ? AND group_id IS NOT NULL"
            let handle = try db.cachedStatement(sql: sql).sqliteStatement
            var groups: [Int64: Int64] = [:]
            for id in ids {
                sqlite3_bind_int64(handle, 1, id)
                defer { sqlite3_reset(handle) }
                switch sqlite3_step(handle) {
                case SQLITE_ROW: groups[id] = sqlite3_column_int64(handle, 0)
                case SQLITE_DONE: break
                default: throw stepError(db, sql: sql)
                }
            }
            return groups
        }
        var list = "["
        for id in ids {
            if list.utf8.count > 1 { list += "," }
            list += String(id)
        }
        list += "]"
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

    /// How many of `ids` (distinct; FTS5 hands out a MATCH's rows in ascending order, and any
    /// other order is sorted first) belong to near-duplicate groups, and to how many groups.
    ///
    /// The grouped documents in the ids' range are read in id order and merged with the ids,
    /// a step per grouped document instead of a primary-key probe per id (a probe each cost
    /// 77 M of `oil prices`' 709 M instructions at 200,000 files). The merge stops after four
    /// steps per id, so that few ids among many grouped documents cost no more than their
    /// probes; the ids it has not reached are then probed (`nearDuplicateGroups(_:of:)`).
    ///
    ///     SELECT id, group_id FROM document_signature INDEXED BY document_signature_member
    ///         WHERE group_id IS NOT NULL AND id BETWEEN :first AND :last ORDER BY id
    static func groupedMatchCount(_ db: Database, of ids: [Int64]) throws -> GroupedMatchCount {
        var ids = ids
        if ids.indices.dropFirst().contains(where: { ids[$0 - 1] >= ids[$0] }) { ids.sort() }
        guard let first = ids.first, let last = ids.last else {
            return GroupedMatchCount(groupedDocuments: 0, groups: 0)
        }
        var groupOfMatch: [Int64] = []
        // Stepped through SQLite's own calls: a GRDB row a grouped document cost more than the
        // step (25.9 M of `oil prices`' 409 M at 200,000 files).
        let sql = """
            SELECT id, group_id FROM document_signature INDEXED BY document_signature_member
                WHERE group_id IS NOT NULL AND id BETWEEN ? AND ? ORDER BY id
            """
        let statement = try db.cachedStatement(sql: sql)
        try statement.setArguments([first, last])
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        var next = 0
        var steps = 4 * ids.count
        var exhausted = false
        while next < ids.count {
            guard steps > 0 else { break }
            steps -= 1
            let code = sqlite3_step(handle)
            guard code == SQLITE_ROW else {
                guard code == SQLITE_DONE else { throw stepError(db, sql: sql) }
                exhausted = true
                break
            }
            let id = sqlite3_column_int64(handle, 0)
            while next < ids.count, ids[next] < id { next += 1 }
            if next < ids.count, ids[next] == id {
                groupOfMatch.append(sqlite3_column_int64(handle, 1))
                next += 1
            }
        }
        if !exhausted, next < ids.count {
            groupOfMatch += try nearDuplicateGroups(db, of: ids[next...]).values
        }
        return GroupedMatchCount(groupsOfDocuments: groupOfMatch)
    }

    /// The documents of each group, in id order.
    ///
    ///     SELECT id FROM document_signature WHERE group_id = :group ORDER BY id   -- per group
    public func nearDuplicateMembers(ofGroups groups: Set<Int64>) throws(IndexError) -> [Int64: [Int64]] {
        try wrap {
            try reading { db in
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
            try reading { db in
                let statement = try db.cachedStatement(
                    sql: "SELECT signature FROM document_signature WHERE id = ?")
                var signatures: [Int64: ShingleSignature] = [:]
                for id in ids {
                    if let signature = try Row.fetchOne(statement, arguments: [id]).flatMap({
                        Self.storedSignature(in: $0, at: 0)
                    }) {
                        signatures[id] = signature
                    }
                }
                return signatures
            }
        }
    }

    /// How many documents match `query` (its filter included), and how many of them belong to
    /// near-duplicate groups, and to how many groups — one evaluation of the MATCH, whose ids are
    /// then merged with the grouped documents (`groupedMatchCount(_:of:)`):
    ///
    ///     SELECT rowid FROM document_fts WHERE document_fts MATCH :match <filter>
    ///
    /// (A join with `document_signature`, one primary-key probe a match, cost 262 M of the 393 M
    /// instructions of `oil -opec` at 200,000 generated files.) The ids are read through SQLite's
    /// own calls: a GRDB row a match would cost more than the MATCH.
    public func matchCountWithGroups(_ query: BoundQuery) throws(IndexError) -> (
        total: Int, grouped: GroupedMatchCount
    ) {
        let filter = query.filter.sqlConditions(rowid: "document_fts.rowid")
        let sql = "SELECT rowid FROM document_fts WHERE document_fts MATCH ?\(filter.sql)"
        return try wrap {
            try reading { db in
                let statement = try db.cachedStatement(sql: sql)
                try statement.setArguments([query.match.text] + filter.arguments)
                let handle = statement.sqliteStatement
                defer { sqlite3_reset(handle) }
                var ids: [Int64] = []
                var code = sqlite3_step(handle)
                while code == SQLITE_ROW {
                    ids.append(sqlite3_column_int64(handle, 0))
                    code = sqlite3_step(handle)
                }
                guard code == SQLITE_DONE else { throw Self.stepError(db, sql: sql) }
                return (ids.count, try Self.groupedMatchCount(db, of: ids))
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
            try reading { db in
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
        try matchingIDs(query.match, filter: query.filter, among: ids)
    }

    /// Which of `ids` `match` finds (with `filter`, if any), each looked up on its own: for a few
    /// ids among a term's many documents (a champion list's, against an excluded word), cheaper
    /// than reading all of the term's documents.
    ///
    ///     SELECT rowid FROM document_fts WHERE document_fts MATCH :match AND rowid = :id <filter>   -- per id
    public func matchingIDs(_ match: FTS5Match, filter: DocumentFilter = DocumentFilter(), among ids: [Int64])
        throws(IndexError) -> Set<Int64>
    {
        let conditions = filter.sqlConditions(rowid: "document_fts.rowid")
        return try wrap {
            try reading { db in
                let statement = try db.cachedStatement(
                    sql: "SELECT rowid FROM document_fts WHERE document_fts MATCH ? AND rowid = ?"
                        + conditions.sql)
                var matching: Set<Int64> = []
                for id in ids {
                    let arguments: StatementArguments = [match.text, id] + conditions.arguments
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
            try reading { db in
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
