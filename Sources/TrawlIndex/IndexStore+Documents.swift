import Foundation
import GRDB
import TrawlText

extension IndexStore {
    /// The half-open range of paths strictly below the folder `root`: `root/` up to `root0`
    /// (`0` is the byte after `/`).
    static func pathRange(under root: String) -> (String, String) {
        let folder = root.hasSuffix("/") ? String(root.dropLast()) : root
        return (folder + "/", folder + "0")
    }

    /// Applies `changes` in one transaction, keeping the stored rows and `document_fts` in step.
    ///
    /// Rows are written to the tables `document_store` and `document_body` (bodies compressed, see
    /// `StoredText`); FTS5 indexes the plain text, the story and the header lines in their own
    /// columns (`IndexedFields`). With an external-content FTS5 table the old text must be handed
    /// back to delete it; the `document` view inflates it:
    ///
    ///     INSERT INTO document_store(path, record, size, …, title, date_source, author, source, tags,
    ///         language, url) VALUES (…)
    ///     INSERT INTO document_body(id, body) VALUES (:id, :compressedBody)
    ///     INSERT INTO document_fts(rowid, title, body, meta) VALUES (:id, :title, :story, :meta)
    ///     INSERT INTO document_meta_fts(rowid, author, source, tags) VALUES (…)  -- when any is set
    ///     SELECT title, body, author, source, tags FROM document WHERE id = ?  -- then:
    ///     INSERT INTO document_fts(document_fts, rowid, title, body, meta)
    ///         VALUES ('delete', :id, :title, :story, :meta)
    ///     INSERT INTO document_signature(id, signature, placed) VALUES (:id, :signature, …)
    ///     -- (see storeSignature; the groups are recomputed by regroupNearDuplicatesIfStale)
    ///     INSERT INTO document_meta_fts(document_meta_fts, rowid, author, source, tags) VALUES ('delete', …)
    ///     UPDATE document_store SET size = ?, mtime_ns = ?, inode = ? WHERE path = ?  -- settle
    ///
    /// With a `run` id, each add, replace, move and removal is also logged for that run in the
    /// same transaction (a stat refresh is not a change of the document):
    ///
    ///     INSERT INTO document_change(run_id, document_id, kind, location, title, from_location,
    ///         text_hash) VALUES (…)
    public func apply(_ changes: [DocumentChange], run: Int64? = nil) throws(IndexError) {
        guard !changes.isEmpty else { return }
        let now = Date().timeIntervalSince1970
        try wrap {
            try database.write { db in
                var deflater: TextDeflater?
                /// The stored body: prepared by the reader, or compressed here.
                func storedBody(_ record: DocumentRecord) -> DatabaseValue {
                    if let prepared = record.storedBody { return prepared.value }
                    let compressor = deflater ?? TextDeflater()
                    deflater = compressor
                    return compressor.encoded(record.body)
                }
                // Before any text is indexed: see markNearDuplicatesStale.
                var placedThrough = Int64.max
                if changes.contains(where: \.changesText) {
                    try Self.markNearDuplicatesStale(db)
                    placedThrough = try Self.placedThrough(db)
                }
                for change in changes {
                    switch change {
                    case .add(let record):
                        var insert = try DirectStatement(
                            db,
                            sql: """
                                INSERT INTO document_store(
                                    path, record, size, mtime_ns, inode, content_hash, date, indexed_at, title,
                                    date_source, author, source, tags, language, url)
                                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                                """)
                        Self.bindStored(record, indexedAt: now, to: &insert)
                        try insert.execute()
                        let id = db.lastInsertedRowID
                        var body = try DirectStatement(
                            db, sql: "INSERT INTO document_body(id, body) VALUES (?, ?)")
                        body.bind(id)
                        body.bind(storedBody(record))
                        try body.execute()
                        try Self.indexText(db, id: id, record)
                        if let run {
                            try Self.log(
                                db, run: run, id: id, .added, location: Self.documentsOwn,
                                title: Self.documentsOwn,
                                textHash: TextHash.of(title: record.title, body: record.body))
                        }
                        if record.signature != nil {
                            try Self.storeSignature(
                                db, id: id, record.signature, isNew: true, placedThrough: placedThrough)
                        }
                    case .replace(let id, let record):
                        try Self.keepLoggedLocation(db, id: id)
                        try Self.unindexText(db, id: id)
                        var update = try DirectStatement(
                            db,
                            sql: """
                                UPDATE document_store SET path = ?, record = ?, size = ?, mtime_ns = ?, inode = ?,
                                    content_hash = ?, date = ?, indexed_at = ?, title = ?, date_source = ?, author = ?,
                                    source = ?, tags = ?, language = ?, url = ? WHERE id = ?
                                """)
                        Self.bindStored(record, indexedAt: now, to: &update)
                        update.bind(id)
                        try update.execute()
                        try db.cachedStatement(sql: "UPDATE document_body SET body = ? WHERE id = ?")
                            .execute(arguments: [storedBody(record), id])
                        try Self.indexText(db, id: id, record)
                        if let run {
                            try Self.log(
                                db, run: run, id: id, .updated, location: Self.documentsOwn,
                                title: Self.documentsOwn,
                                textHash: TextHash.of(title: record.title, body: record.body))
                        }
                        try Self.storeSignature(db, id: id, record.signature)
                    case .refreshStat(let id, let size, let modificationTime, let inode):
                        try db.cachedStatement(
                            sql: "UPDATE document_store SET size = ?, mtime_ns = ?, inode = ? WHERE id = ?"
                        ).execute(arguments: [size, modificationTime, Int64(bitPattern: inode), id])
                    case .move(let id, let file):
                        let old = try Self.keepLoggedLocation(db, id: id)
                        if let run, let old {
                            try Self.log(
                                db, run: run, id: id, .moved, location: file.location, title: old.title,
                                from: old.location)
                        }
                        try db.cachedStatement(
                            sql:
                                "UPDATE document_store SET path = ?, record = ?, size = ?, mtime_ns = ?, inode = ? WHERE id = ?"
                        ).execute(arguments: [
                            file.path, file.record, file.size, file.modificationTime,
                            Int64(bitPattern: file.inode), id,
                        ])
                    case .settle(let path, let size, let modificationTime, let inode):
                        try db.cachedStatement(
                            sql: "UPDATE document_store SET size = ?, mtime_ns = ?, inode = ? WHERE path = ?"
                        ).execute(arguments: [size, modificationTime, Int64(bitPattern: inode), path])
                    case .remove(let id):
                        let old = try Self.keepLoggedLocation(db, id: id)
                        if let run, let old {
                            try Self.log(
                                db, run: run, id: id, .removed, location: old.location, title: old.title)
                        }
                        try Self.unindexText(db, id: id)
                        try db.cachedStatement(sql: "DELETE FROM document_store WHERE id = ?").execute(
                            arguments: [id])
                        try db.cachedStatement(sql: "DELETE FROM document_body WHERE id = ?").execute(
                            arguments: [id])
                        try Self.storeSignature(db, id: id, nil)
                    }
                }
            }
        }
    }

    /// Logs one change of a run (see `apply(_:run:)`).
    private static func log(
        _ db: Database, run: Int64, id: Int64, _ kind: ChangeKind, location: String, title: String,
        from: String? = nil, textHash: UInt64? = nil
    ) throws {
        var insert = try DirectStatement(
            db,
            sql: """
                INSERT INTO document_change(run_id, document_id, kind, location, title, from_location, text_hash)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
        insert.bind(run)
        insert.bind(id)
        insert.bind(kind.rawValue)
        insert.bind(location)
        insert.bind(title)
        insert.bind(from)
        insert.bind(textHash.map { Int64(bitPattern: $0) })
        try insert.execute()
    }

    /// The location and title a change row leaves to its document (`document_store`): an added
    /// or updated document's, until the document changes again (schema v15).
    static let documentsOwn = ""

    /// Writes a document's location and title into its change rows that leave them to it, before
    /// an update, move or removal changes them, and returns them (nil for no such document). The
    /// rows are found first and updated one by one by `seq`: an `UPDATE … WHERE document_id = ?`
    /// may change several rows, so SQLite would open a statement savepoint for it, and FTS5
    /// flushes its pending terms to a new segment at every savepoint (see `unindexText`).
    ///
    ///     SELECT path, record, title FROM document_store WHERE id = :id
    ///     SELECT seq FROM document_change WHERE document_id = :id AND location = ''
    ///     UPDATE document_change SET location = :location, title = :title WHERE seq = :seq
    @discardableResult
    private static func keepLoggedLocation(_ db: Database, id: Int64) throws -> (
        location: String, title: String
    )? {
        guard let stored = try storedLocation(db, id: id) else { return nil }
        let rows = try Int64.fetchAll(
            db.cachedStatement(sql: "SELECT seq FROM document_change WHERE document_id = ? AND location = ?"),
            arguments: [id, documentsOwn])
        for seq in rows {
            try db.cachedStatement(sql: "UPDATE document_change SET location = ?, title = ? WHERE seq = ?")
                .execute(arguments: [stored.location, stored.title, seq])
        }
        return stored
    }

    /// The location and title of a stored document, before a move or removal changes them.
    private static func storedLocation(_ db: Database, id: Int64) throws -> (location: String, title: String)?
    {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT path, record, title FROM document_store WHERE id = ?"),
                arguments: [id])
        else { return nil }
        return (DocumentLocation.text(path: row[0], record: row[1]), row[2])
    }

    /// Binds the stored columns of `record`, in `document_store`'s insert and update order (path,
    /// record, size, mtime_ns, inode, content_hash, date, indexed_at, title, date_source, author,
    /// source, tags, language, url).
    private static func bindStored(
        _ record: DocumentRecord, indexedAt: Double, to statement: inout DirectStatement
    ) {
        let metadata = record.metadata
        statement.bind(record.path)
        statement.bind(record.record)
        statement.bind(record.size)
        statement.bind(record.modificationTime)
        statement.bind(Int64(bitPattern: record.inode))
        statement.bind(Int64(bitPattern: record.contentHash))
        statement.bind(record.date)
        statement.bind(indexedAt)
        statement.bind(record.title)
        statement.bind(StoredMetadata.code(of: metadata.dateSource))
        statement.bind(metadata.author)
        statement.bind(metadata.source)
        statement.bind(StoredMetadata.tagsText(metadata.tags))
        statement.bind(metadata.language)
        statement.bind(metadata.url)
    }

    private static func indexText(_ db: Database, id: Int64, _ record: DocumentRecord) throws {
        let fields = IndexedFields(body: record.body)
        var insert = try DirectStatement(
            db, sql: "INSERT INTO document_fts(rowid, title, body, meta) VALUES (?, ?, ?, ?)")
        insert.bind(id)
        insert.bind(record.title)
        insert.bind(fields.story)
        insert.bind(fields.meta)
        try insert.execute()
        let metadata = record.metadata
        let tags = StoredMetadata.tagsText(metadata.tags)
        guard !(metadata.author.isEmpty && metadata.source.isEmpty && tags.isEmpty) else { return }
        var meta = try DirectStatement(
            db, sql: "INSERT INTO document_meta_fts(rowid, author, source, tags) VALUES (?, ?, ?, ?)")
        meta.bind(id)
        meta.bind(metadata.author)
        meta.bind(metadata.source)
        meta.bind(tags)
        try meta.execute()
    }

    /// Removes a document's old text from the FTS5 index.
    ///
    /// The old values are read first and passed as a one-row `VALUES`: an `INSERT … SELECT`
    /// may write several rows, so SQLite opens a statement savepoint for it, and FTS5 answers
    /// every savepoint by flushing its pending terms to a new segment — one segment per changed
    /// document (measured: 1.4 G of 1.9 G instructions of a 1% + 1% reindex of Reuters).
    private static func unindexText(_ db: Database, id: Int64) throws {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: "SELECT title, body, author, source, tags FROM document WHERE id = ?"),
                arguments: [id])
        else { return }
        let fields = IndexedFields(body: row[1])
        try db.cachedStatement(
            sql:
                "INSERT INTO document_fts(document_fts, rowid, title, body, meta) VALUES ('delete', ?, ?, ?, ?)"
        ).execute(arguments: [id, row[0] as String, fields.story, fields.meta])
        let (author, source, tags): (String, String, String) = (row[2], row[3], row[4])
        guard !(author.isEmpty && source.isEmpty && tags.isEmpty) else { return }
        try db.cachedStatement(
            sql:
                "INSERT INTO document_meta_fts(document_meta_fts, rowid, author, source, tags) VALUES ('delete', ?, ?, ?, ?)"
        ).execute(arguments: [id, author, source, tags])
    }
}

extension IndexStore {
    /// The dictionary new bodies are compressed with: the newest trained for this index, or nil
    /// while it has none.
    public func bodyDictionary() throws(IndexError) -> BodyDictionary? {
        try wrap { try database.read { db in try Self.newestBodyDictionary(db) } }
    }

    /// Keeps `bytes` (from `BodyDictionary.trained(from:)`) as the dictionary for new bodies, in
    /// a transaction of its own, before any body compressed with it is written.
    public func keepBodyDictionary(_ bytes: [UInt8]) throws(IndexError) -> BodyDictionary {
        try wrap { try database.write { db in try Self.keepBodyDictionary(db, bytes) } }
    }

    /// `SELECT id, data FROM stored_text_dictionary ORDER BY id DESC LIMIT 1`.
    static func newestBodyDictionary(_ db: Database) throws -> BodyDictionary? {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT id, data FROM stored_text_dictionary ORDER BY id DESC LIMIT 1")
        else { return nil }
        return BodyDictionary(id: row[0], bytes: [UInt8](row[1] as Data))
    }

    /// `INSERT INTO stored_text_dictionary(data, trained_at) VALUES (?, ?)`.
    static func keepBodyDictionary(_ db: Database, _ bytes: [UInt8]) throws -> BodyDictionary {
        try db.execute(
            sql: "INSERT INTO stored_text_dictionary(data, trained_at) VALUES (?, ?)",
            arguments: [Data(bytes), Date().timeIntervalSince1970])
        return BodyDictionary(id: db.lastInsertedRowID, bytes: bytes)
    }
}
