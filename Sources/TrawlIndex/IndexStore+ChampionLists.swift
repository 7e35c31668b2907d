import Foundation
import GRDB

// Champion lists: for a term in very many documents, the ids of its best documents under Trawl's
// ranking, so a search for it re-scores those instead of scoring every posting. FTS5's
// `ORDER BY bm25() LIMIT n` reads and scores every match (≈ 1 µs per document, 17 ms for "said"
// on Reuters); a champion list costs one row. Lists are computed by the first search that needs
// them and stored in `term_champion` (schema v4) with the index version they were computed on;
// any write to the FTS5 index changes the version, and a stale list is recomputed on next use.

/// How often one term occurs in each field of one document, and the document's field lengths.
public struct TermPosting: Sendable, Hashable {
    /// The document's id.
    public var documentID: Int64
    /// Occurrences (positions) of the term in the title.
    public var titleFrequency: Int
    /// Occurrences (positions) of the term in the body.
    public var bodyFrequency: Int
    /// Token positions in the title.
    public var titleLength: Int
    /// Token positions in the body.
    public var bodyLength: Int
    /// Occurrences (positions) of the term in the header lines (`IndexedFields.meta`).
    public var metaFrequency: Int
    /// Token positions in the header lines.
    public var metaLength: Int

    /// Creates a posting from its parts.
    public init(
        documentID: Int64, titleFrequency: Int, bodyFrequency: Int, titleLength: Int, bodyLength: Int,
        metaFrequency: Int = 0, metaLength: Int = 0
    ) {
        self.documentID = documentID
        self.titleFrequency = titleFrequency
        self.bodyFrequency = bodyFrequency
        self.titleLength = titleLength
        self.bodyLength = bodyLength
        self.metaFrequency = metaFrequency
        self.metaLength = metaLength
    }
}

/// A term's champion list: its best documents, best first, how many documents hold it, and which
/// of them belong to near-duplicate groups.
public struct ChampionList: Sendable, Hashable {
    /// Documents containing the term (all of them, not only the listed ones).
    public var documentFrequency: Int
    /// The best documents' postings, best first.
    public var postings: [TermPosting]
    /// How many of the term's documents belong to near-duplicate groups, and to how many groups
    /// (so a collapsed search counts groups without reading the matches); nil when not known.
    public var grouped: GroupedMatchCount?
    /// Every document containing the term that belongs to a group, with its group: given when the
    /// list is built, read only on demand (``IndexStore/championGroupedDocuments(of:indexVersion:)``).
    public var groupedDocuments: [Int64: Int64]?

    /// Creates a list from its parts.
    public init(documentFrequency: Int, postings: [TermPosting], groupedDocuments: [Int64: Int64]? = nil) {
        self.documentFrequency = documentFrequency
        self.postings = postings
        self.groupedDocuments = groupedDocuments
        grouped = groupedDocuments.map { GroupedMatchCount(groupsOfDocuments: $0.values) }
    }
}

extension IndexStore {
    /// A number that changes whenever the FTS5 index changes: a hash of FTS5's structure record
    /// (its segments and write counter) and averages record (row count and token totals).
    ///
    ///     SELECT id, block FROM document_fts_data WHERE id IN (1, 10)
    public func indexVersion() throws(IndexError) -> Int64 {
        try wrap { try reading(Self.indexVersion) }
    }

    /// `indexVersion()` as `db` sees the index.
    static func indexVersion(_ db: Database) throws -> Int64 {
        var hash = FNV1a()
        let rows = try Row.fetchCursor(
            db, sql: "SELECT id, block FROM document_fts_data WHERE id IN (1, 10) ORDER BY id")
        while let row = try rows.next() {
            let block: Data = row[1] ?? Data()
            hash.combine(block)
            hash.combine(0xff)
        }
        return Int64(bitPattern: hash.value)
    }

    /// Every document containing the index term `term`, with the term's frequency per field and
    /// the field lengths, from the FTS5 index (no text is read). Costs a pass over the term's
    /// whole posting list: meant for building champion lists, not for every search.
    public func postings(of term: String) throws(IndexError) -> [TermPosting] {
        try postings(matching: FTS5QueryCompiler.quoted([term]))
    }

    /// Every document holding an index term that starts with `prefix`, with how many token
    /// positions of each field hold such a term (a position counts once, however many of its
    /// colocated terms match) and the field lengths: the frequencies a prefix query term is
    /// scored by. Costs a pass over the matches' positions (FTS5's merged prefix lists): meant
    /// for building champion lists, not for every search.
    public func postings(ofPrefix prefix: String) throws(IndexError) -> [TermPosting] {
        try postings(matching: FTS5QueryCompiler.quoted([prefix]) + " *")
    }

    /// The postings of the one phrase `match` (a term or a prefix): per matching document, the
    /// positions per field it holds and the field lengths, as `trawl_occurrences` gives them.
    /// Measured on Reuters ("said", 15,345 documents): 300 M instructions through `fts5vocab`'s
    /// instances joined with the sizes and grouped by document; 129 M this way.
    ///
    ///     SELECT rowid, trawl_occurrences(document_fts) FROM document_fts WHERE document_fts MATCH :match
    private func postings(matching match: String) throws(IndexError) -> [TermPosting] {
        try wrap {
            try reading { db in
                let rows = try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT rowid, \(FTS5Occurrences.functionName)(document_fts) FROM document_fts
                        WHERE document_fts MATCH ?
                        """, arguments: [match])
                var postings: [TermPosting] = []
                while let row = try rows.next() {
                    let posting = try row.withUnsafeData(atIndex: 1) { data in
                        data?.withUnsafeBytes(FTS5Occurrences.fieldFrequencies(in:))
                    }
                    guard let (lengths, frequencies) = posting ?? nil else { continue }
                    postings.append(
                        TermPosting(
                            documentID: row[0], titleFrequency: frequencies.0, bodyFrequency: frequencies.1,
                            titleLength: lengths.0, bodyLength: lengths.1, metaFrequency: frequencies.2,
                            metaLength: lengths.2))
                }
                return postings
            }
        }
    }

    /// The key a prefix's champion list is stored under: the prefix and `*`, which no index term
    /// holds (the tokenizer splits words at `*`).
    public static func championKey(ofPrefix prefix: String) -> String { prefix + "*" }

    /// The stored champion list of `term`, best first, if one was stored for `indexVersion`
    /// (nil when none, when it is stale, or when the index predates schema v11).
    ///
    ///     SELECT documents, substr(grouped, 1, 16) FROM term_champion WHERE term = :term AND index_version = :version
    public func championList(of term: String, indexVersion: Int64) -> ChampionList? {
        // A missing table or column (an index not yet migrated) reads as "no list".
        let row = try? reading { db in
            try Row.fetchOne(
                db,
                sql:
                    "SELECT documents, substr(grouped, 1, 16) FROM term_champion WHERE term = ? AND index_version = ?",
                arguments: [term, indexVersion])
        }
        guard let row = row ?? nil, let blob = row[0] as Data?,
            var list = Self.championList(decoding: blob)
        else { return nil }
        // The grouped documents' counts head their list; the list itself is read on demand.
        if let head = row[1] as Data?, head.count == 16 {
            let values = head.withUnsafeBytes { buffer in
                (0..<2).map {
                    Int64(littleEndian: buffer.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self))
                }
            }
            list.grouped = GroupedMatchCount(groupedDocuments: Int(values[0]), groups: Int(values[1]))
        }
        return list
    }

    /// The grouped documents stored with `term`'s champion list for `indexVersion`, with their
    /// groups (nil when none are stored).
    ///
    ///     SELECT grouped FROM term_champion WHERE term = :term AND index_version = :version
    public func championGroupedDocuments(of term: String, indexVersion: Int64) -> [Int64: Int64]? {
        let blob = try? reading { db in
            try Data.fetchOne(
                db, sql: "SELECT grouped FROM term_champion WHERE term = ? AND index_version = ?",
                arguments: [term, indexVersion])
        }
        return (blob ?? nil).flatMap(Self.groupedDocuments(decoding:))
    }

    /// Stores `list` as the champion list of `term` for `indexVersion`, if the file can be
    /// written right now; returns whether it was stored. A cache write: it never waits for a
    /// lock and never fails the search (a read-only store opens a short-lived writer for it, and
    /// skips the write without trying when the file, its folder or its disk is read-only, or the
    /// index was opened `immutable`).
    ///
    ///     INSERT OR REPLACE INTO term_champion(term, index_version, documents, grouped) VALUES (?, ?, ?, ?)
    @discardableResult
    public func storeChampionList(_ list: ChampionList, of term: String, indexVersion: Int64) -> Bool {
        writeToCache(
            "INSERT OR REPLACE INTO term_champion(term, index_version, documents, grouped) VALUES (?, ?, ?, ?)",
            arguments: [
                term, indexVersion, Self.encoding(list),
                list.groupedDocuments.map(Self.encoding(groupedDocuments:)),
            ])
    }

    /// Runs the writes `sql` of a cache kept in the index (champion lists, document frequencies),
    /// if the file can be written right now; returns whether it did. It never waits for a lock
    /// and never fails the search: a read-only store opens a short-lived writer for it, and
    /// skips the write without trying when the file, its folder or its disk is read-only, or the
    /// index was opened `immutable`.
    ///
    /// A read-only store's writer empties the write-ahead log after it (`emptyWriteAheadLog`):
    /// at once, or when the snapshot of `readingOneSnapshot` it wrote in ends, keeping the one
    /// writer for all of that snapshot's writes.
    @discardableResult
    func writeToCache(_ sql: String, arguments: StatementArguments = []) -> Bool {
        do {
            if database.configuration.readonly {
                guard !isImmutable, Self.isWritable(path) else { return false }
                let snapshot = ownSnapshot
                let writer = try snapshot?.cacheWriter ?? Self.cacheWriter(path: path)
                try writer.write { db in try db.execute(sql: sql, arguments: arguments) }
                if let snapshot {
                    snapshot.cacheWriter = writer
                } else {
                    Self.emptyWriteAheadLog(through: writer)
                }
            } else {
                try database.write { db in try db.execute(sql: sql, arguments: arguments) }
            }
            return true
        } catch {
            return false
        }
    }

    /// A connection that writes a read-only store's caches, never waiting for a lock.
    static func cacheWriter(path: String) throws -> DatabaseQueue {
        var configuration = plainConfiguration()
        configuration.busyMode = .immediateError
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    /// Copies the write-ahead log into the index file and empties it, when no other connection
    /// reads from it right now (it never waits) and it is no longer than
    /// `largestLogEmptiedByASearch`. A search process keeps its read-only store open until it
    /// exits, so the log its cache writes leave would otherwise stay: and the first connection of
    /// every later process reads all of it again to rebuild the log's index in shared memory (a
    /// 9 MB log made `palladium` on Reuters 1.76× slower).
    ///
    ///     PRAGMA wal_checkpoint(TRUNCATE)
    static func emptyWriteAheadLog(through writer: DatabaseQueue) {
        guard bytes(ofFileAt: writer.path + "-wal") <= largestLogEmptiedByASearch else { return }
        _ = try? writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }

    /// The longest log a search empties: a search's own cache writes are tens of kilobytes. A
    /// longer log is a running `trawl index`'s (it checkpoints every 32 MB and removes the log
    /// when it ends); copying it would cost the search that much I/O.
    static let largestLogEmptiedByASearch: Int64 = 4 << 20

    /// The format of a stored list, its first 8 bytes; a list of another format reads as none
    /// (format 2: three fields, schema v11).
    static let championListFormat: Int64 = 0x5452_4157_4c43_0002

    /// A list as little-endian 64-bit integers: the format number, the document frequency, then
    /// seven per posting (id, title and body frequency, title and body length, meta frequency and
    /// length).
    static func encoding(_ list: ChampionList) -> Data {
        var data = Data(capacity: 16 + list.postings.count * 56)
        for value in [championListFormat, Int64(list.documentFrequency)] {
            withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
        }
        for posting in list.postings {
            for value in [
                posting.documentID, Int64(posting.titleFrequency), Int64(posting.bodyFrequency),
                Int64(posting.titleLength), Int64(posting.bodyLength), Int64(posting.metaFrequency),
                Int64(posting.metaLength),
            ] {
                withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
            }
        }
        return data
    }

    /// The inverse of ``encoding(_:)``; nil for a list of another format.
    static func championList(decoding data: Data) -> ChampionList? {
        let bytes = [UInt8](data)
        func integer(at start: Int) -> Int64 {
            var value: UInt64 = 0
            for offset in (0..<8).reversed() { value = value << 8 | UInt64(bytes[start + offset]) }
            return Int64(bitPattern: value)
        }
        guard bytes.count >= 16, (bytes.count - 16) % 56 == 0, integer(at: 0) == championListFormat else {
            return nil
        }
        let postings = stride(from: 16, to: bytes.count - 55, by: 56).map { start in
            TermPosting(
                documentID: integer(at: start), titleFrequency: Int(integer(at: start + 8)),
                bodyFrequency: Int(integer(at: start + 16)), titleLength: Int(integer(at: start + 24)),
                bodyLength: Int(integer(at: start + 32)), metaFrequency: Int(integer(at: start + 40)),
                metaLength: Int(integer(at: start + 48)))
        }
        return ChampionList(documentFrequency: Int(integer(at: 8)), postings: postings)
    }

    /// A list's grouped documents as little-endian 64-bit integers: how many documents and how
    /// many groups, then two per document (id, group), in id order.
    static func encoding(groupedDocuments: [Int64: Int64]) -> Data {
        var data = Data(capacity: 16 + groupedDocuments.count * 16)
        let count = GroupedMatchCount(groupsOfDocuments: groupedDocuments.values)
        var values = [Int64(count.groupedDocuments), Int64(count.groups)]
        for (id, group) in groupedDocuments.sorted(by: { $0.key < $1.key }) { values += [id, group] }
        for value in values { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    /// The inverse of ``encoding(groupedDocuments:)``; nil for bytes of another length.
    static func groupedDocuments(decoding data: Data) -> [Int64: Int64]? {
        guard data.count >= 16, data.count % 16 == 0 else { return nil }
        var groups: [Int64: Int64] = [:]
        data.withUnsafeBytes { buffer in
            for start in stride(from: 16, to: buffer.count, by: 16) {
                let id = Int64(littleEndian: buffer.loadUnaligned(fromByteOffset: start, as: Int64.self))
                groups[id] = Int64(
                    littleEndian: buffer.loadUnaligned(fromByteOffset: start + 8, as: Int64.self))
            }
        }
        return groups
    }
}
