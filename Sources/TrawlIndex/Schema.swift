import Foundation
import GRDB
import TrawlText

/// The index schema, as GRDB migrations. Shipped migrations are never edited; changes are new
/// migrations appended at the end.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: documents, full-text index, runs, failures") { db in
            // One row per indexed file. `body` is the text FTS5 indexes (external content).
            try db.execute(
                sql: """
                    CREATE TABLE document(
                        id INTEGER PRIMARY KEY,
                        path TEXT NOT NULL UNIQUE,
                        title TEXT NOT NULL,
                        body TEXT NOT NULL,
                        size INTEGER NOT NULL,
                        mtime_ns INTEGER NOT NULL,
                        inode INTEGER NOT NULL,
                        content_hash INTEGER NOT NULL,
                        date REAL NOT NULL,
                        indexed_at REAL NOT NULL
                    );
                    CREATE INDEX document_content_hash ON document(content_hash);
                    CREATE VIRTUAL TABLE document_fts USING fts5(
                        title, body, content = 'document', content_rowid = 'id', tokenize = 'trawl'
                    );
                    CREATE TABLE index_run(
                        id INTEGER PRIMARY KEY,
                        started_at REAL NOT NULL,
                        duration REAL NOT NULL,
                        roots TEXT NOT NULL,
                        added INTEGER NOT NULL,
                        updated INTEGER NOT NULL,
                        moved INTEGER NOT NULL,
                        removed INTEGER NOT NULL,
                        unchanged INTEGER NOT NULL,
                        skipped INTEGER NOT NULL,
                        failed INTEGER NOT NULL
                    );
                    CREATE TABLE failure(
                        path TEXT PRIMARY KEY,
                        reason TEXT NOT NULL,
                        first_seen REAL NOT NULL,
                        last_seen REAL NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v2: covering index for change detection") { db in
            // `trawl index` compares every file's stat with these columns. They sit after `body` in
            // the row, so without this index a no-op run reads every document's text (overflow pages
            // included); with it, the comparison reads only this compact index.
            try db.execute(
                sql:
                    "CREATE INDEX document_change_detection ON document(path, size, mtime_ns, inode, content_hash)"
            )
        }
        migrator.registerMigration("v3: compressed bodies in their own table, `document` becomes a view") {
            db in
            // Bodies move to `document_body`, deflate-compressed (see `StoredText`); the other
            // columns to `document_store`, a compact table the no-op comparison reads through the
            // path index (so the path needs no third copy in a covering index). `document` becomes
            // a view with the same columns that inflates the bodies, so every reader and the FTS5
            // external content (`content = 'document'`) keep working. The text is unchanged, so the
            // FTS5 index is kept as it is. The body is a scalar subquery, not a join, so a query
            // that reads no body (change detection, counts, ghost checks) never touches
            // `document_body`.
            try db.execute(
                sql: """
                    CREATE TABLE document_store(
                        id INTEGER PRIMARY KEY,
                        path TEXT NOT NULL UNIQUE,
                        size INTEGER NOT NULL,
                        mtime_ns INTEGER NOT NULL,
                        inode INTEGER NOT NULL,
                        content_hash INTEGER NOT NULL,
                        date REAL NOT NULL,
                        indexed_at REAL NOT NULL,
                        title TEXT NOT NULL
                    );
                    CREATE TABLE document_body(id INTEGER PRIMARY KEY, body NOT NULL);
                    INSERT INTO document_store(id, path, size, mtime_ns, inode, content_hash, date, indexed_at, title)
                        SELECT id, path, size, mtime_ns, inode, content_hash, date, indexed_at, title
                        FROM document ORDER BY id;
                    INSERT INTO document_body(id, body) SELECT id, trawl_deflate(body) FROM document ORDER BY id;
                    DROP TABLE document;
                    CREATE INDEX document_content_hash ON document_store(content_hash);
                    CREATE VIEW document(id, path, title, body, size, mtime_ns, inode, content_hash, date, indexed_at) AS
                        SELECT s.id, s.path, s.title,
                            (SELECT trawl_inflate(b.body) FROM document_body b WHERE b.id = s.id),
                            s.size, s.mtime_ns, s.inode, s.content_hash, s.date, s.indexed_at
                        FROM document_store s;
                    """)
        }
        migrator.registerMigration("v4: champion lists for frequent terms") { db in
            // A search cache, filled lazily by searches (see IndexStore+ChampionLists.swift): for a
            // term in very many documents, the ids of its best documents under Trawl's ranking,
            // valid while `index_version` equals the FTS5 index's current version. Independent of
            // every other table; dropping its rows only makes the next search slower.
            try db.execute(
                sql: """
                    CREATE TABLE term_champion(
                        term TEXT PRIMARY KEY,
                        index_version INTEGER NOT NULL,
                        documents BLOB NOT NULL
                    ) WITHOUT ROWID
                    """)
        }
        migrator.registerMigration("v5: records inside files, document metadata") { db in
            // A JSON or JSON Lines file holds many documents: a document is now (path, record),
            // `record` empty for a whole-file document. The UNIQUE(path) constraint cannot be
            // dropped in place, so `document_store` is rebuilt with the same ids (FTS5 rowids) and
            // the metadata columns. `date_source` is 0 (file modification time), 1 (metadata) or
            // 2 (dateline); `tags` is one tag per line. Author, source and tags get their own
            // FTS5 table, so `author:`/`source:`/`tag:` filters are tokenized like the text while
            // `document_fts` (and so ranking) is unchanged. Empty metadata costs 1 byte per column.
            // The index on content hashes is not rebuilt: moves are found from the hashes of the
            // documents a run saw vanish, held in memory, so nothing looks documents up by hash
            // (it cost 1.2% of the file, 0.34 MB on Reuters-21578, and a B-tree update per write).
            try db.execute(
                sql: """
                    DROP VIEW document;
                    CREATE TABLE document_store_v5(
                        id INTEGER PRIMARY KEY,
                        path TEXT NOT NULL,
                        record TEXT NOT NULL DEFAULT '',
                        size INTEGER NOT NULL,
                        mtime_ns INTEGER NOT NULL,
                        inode INTEGER NOT NULL,
                        content_hash INTEGER NOT NULL,
                        date REAL NOT NULL,
                        indexed_at REAL NOT NULL,
                        title TEXT NOT NULL,
                        date_source INTEGER NOT NULL DEFAULT 0,
                        author TEXT NOT NULL DEFAULT '',
                        source TEXT NOT NULL DEFAULT '',
                        tags TEXT NOT NULL DEFAULT '',
                        language TEXT NOT NULL DEFAULT '',
                        url TEXT NOT NULL DEFAULT '',
                        UNIQUE(path, record)
                    );
                    INSERT INTO document_store_v5(id, path, size, mtime_ns, inode, content_hash, date, indexed_at, title)
                        SELECT id, path, size, mtime_ns, inode, content_hash, date, indexed_at, title
                        FROM document_store ORDER BY id;
                    DROP TABLE document_store;
                    ALTER TABLE document_store_v5 RENAME TO document_store;
                    CREATE VIEW document(
                        id, path, record, title, body, size, mtime_ns, inode, content_hash, date, indexed_at,
                        date_source, author, source, tags, language, url
                    ) AS
                        SELECT s.id, s.path, s.record, s.title,
                            (SELECT trawl_inflate(b.body) FROM document_body b WHERE b.id = s.id),
                            s.size, s.mtime_ns, s.inode, s.content_hash, s.date, s.indexed_at,
                            s.date_source, s.author, s.source, s.tags, s.language, s.url
                        FROM document_store s;
                    CREATE VIRTUAL TABLE document_meta_fts USING fts5(
                        author, source, tags, content = 'document', content_rowid = 'id', tokenize = 'trawl',
                        columnsize = 0
                    );
                    """)
        }
        migrator.registerMigration("v6: failure file states, root devices, held-back removals") { db in
            // A failure remembers the file's state (size, mtime, inode) and what kind of failure it
            // was, so an unchanged file that failed is not read or reported again; rows written
            // before have NULL states and are retried once. `index_root` keeps the device each
            // root was on, so a run that finds a root on another file system (a disk not mounted,
            // a different disk mounted) removes nothing. A run counts the failures it found
            // unchanged and the removals it held back, so `trawl status` shows what the summary did.
            try db.execute(
                sql: """
                    ALTER TABLE failure ADD COLUMN kind TEXT NOT NULL DEFAULT '';
                    ALTER TABLE failure ADD COLUMN size INTEGER;
                    ALTER TABLE failure ADD COLUMN mtime_ns INTEGER;
                    ALTER TABLE failure ADD COLUMN inode INTEGER;
                    ALTER TABLE index_run ADD COLUMN known_failures INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE index_run ADD COLUMN held_back INTEGER NOT NULL DEFAULT 0;
                    CREATE TABLE index_root(path TEXT PRIMARY KEY, device INTEGER NOT NULL) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v7: per-run change log, watches and what each has reported") { db in
            // `document_change` logs what each run did to each document, in the same transaction
            // as the change, so `trawl changes`, `--new` and `--indexed-since RUN` read it and a
            // watch knows which documents changed since it last looked (`seq` only grows: a watch
            // remembers the last `seq` it read, which stays right even when a killed run's id is
            // reused by the run that completes it). `kind`: 0 added, 1 updated, 2 moved, 3 removed.
            // `text_hash` is FNV-1a of title and body (added and updated only), so a watch reports
            // a document again only when its text changed. Path and title are copied so a removal
            // can still be listed.
            // `watch` holds saved searches: the query and its options as typed (read again on each
            // run, so `--since 7d` stays relative and a watch means what the same search means);
            // `checkpoint` is the last `seq` it has read (NULL: every document is a candidate);
            // `broken` the error last reported for a query that no longer parses.
            // `watch_report` is what each watch has reported, one row per document, with what a
            // feed entry shows; it goes with its watch.
            try db.execute(
                sql: """
                    CREATE TABLE document_change(
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        run_id INTEGER NOT NULL,
                        document_id INTEGER NOT NULL,
                        kind INTEGER NOT NULL,
                        location TEXT NOT NULL,
                        title TEXT NOT NULL,
                        from_location TEXT,
                        text_hash INTEGER
                    );
                    CREATE INDEX document_change_run ON document_change(run_id, kind);
                    CREATE INDEX document_change_document ON document_change(document_id);
                    CREATE TABLE watch(
                        id INTEGER PRIMARY KEY,
                        name TEXT NOT NULL UNIQUE,
                        query TEXT NOT NULL,
                        options TEXT NOT NULL,
                        token TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        checkpoint INTEGER,
                        broken TEXT
                    );
                    CREATE TABLE watch_report(
                        watch_id INTEGER NOT NULL REFERENCES watch(id) ON DELETE CASCADE,
                        document_id INTEGER NOT NULL,
                        text_hash INTEGER NOT NULL,
                        location TEXT NOT NULL,
                        title TEXT NOT NULL,
                        summary TEXT NOT NULL,
                        date REAL,
                        reported_at REAL NOT NULL,
                        PRIMARY KEY(watch_id, document_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX watch_report_time ON watch_report(watch_id, reported_at);
                    """)
        }
        migrator.registerMigration("v8: undated documents, date read again") { db in
            // A document without evidence of a date has none (`date` NULL, `date_source` 0),
            // instead of its file's modification time: NULL sorts last under `--sort date`, fails
            // every `--since`/`--until` comparison and gets no recency boost. SQLite cannot drop a
            // NOT NULL in place, so `document_store` is rebuilt with the same ids (FTS5 rowids)
            // from its own definition, whatever columns other migrations added, and the view and
            // indexes over it are made again as they were. Rows dated by modification time
            // (code 0) become undated; they and dateline-dated rows (code 2, whose year an older
            // rule took from a weekday) get a stat and hash no file has, so the next `trawl index`
            // reads them again (re-indexing only those documents) and dates them by today's rule.
            let table = try String.fetchOne(
                db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'document_store'")
            guard let table, table.contains("date REAL NOT NULL") else {
                throw DatabaseError(message: "document_store has no `date REAL NOT NULL` column to relax")
            }
            let dependents = try String.fetchAll(
                db,
                sql: """
                    SELECT sql FROM sqlite_master
                    WHERE tbl_name = 'document_store' AND type IN ('index', 'trigger') AND sql IS NOT NULL
                    """)
            let view = try String.fetchOne(
                db, sql: "SELECT sql FROM sqlite_master WHERE type = 'view' AND name = 'document'")
            let relaxed =
                table
                .replacingOccurrences(of: "date REAL NOT NULL", with: "date REAL")
                .replacingOccurrences(of: "\"document_store\"", with: "document_store_v8")
                .replacingOccurrences(of: "TABLE document_store(", with: "TABLE document_store_v8(")
            try db.execute(sql: "DROP VIEW IF EXISTS document")
            try db.execute(sql: relaxed)
            try db.execute(sql: "INSERT INTO document_store_v8 SELECT * FROM document_store ORDER BY id")
            try db.execute(sql: "DROP TABLE document_store")
            try db.execute(sql: "ALTER TABLE document_store_v8 RENAME TO document_store")
            for statement in dependents { try db.execute(sql: statement) }
            if let view { try db.execute(sql: view) }
            // Documents of other formats than plain text with an author, source or tags are read
            // again too: their text now starts with those as header lines, so they are searchable.
            try db.execute(
                sql: """
                    UPDATE document_store SET date = NULL WHERE date_source = 0;
                    UPDATE document_store SET mtime_ns = -1, content_hash = 0
                    WHERE date_source IN (0, 2)
                        OR ((author != '' OR source != '' OR tags != '')
                            AND path NOT LIKE '%.txt' AND path NOT LIKE '%.text');
                    """)
        }
        migrator.registerMigration("v9: files of types Trawl does not read") { db in
            // The walk remembers the files it saw but does not read (`.xlsx`, `.pptx`, a binary file
            // without an extension), so a run reports each one once, when it is new, and
            // `trawl status` lists them; rows under a walked root that are no longer seen go.
            try db.execute(
                sql: """
                    CREATE TABLE unread_file(
                        path TEXT PRIMARY KEY,
                        type TEXT NOT NULL,
                        first_seen REAL NOT NULL
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v10: near-duplicate signatures and groups") { db in
            // One row per document long enough to have a MinHash signature (`ShingleSignature`,
            // 32 little-endian UInt32 values). `group_id` is the smallest id of the document's
            // near-duplicate group, NULL for a document alone; the partial index serves searches,
            // which look up groups only. `near_duplicate_state.stale` is set by every change to
            // the signatures and cleared when the groups are recomputed (at the end of a run), so
            // a run killed between the two is finished by the next one. Documents indexed before
            // this migration get their signatures here, from their stored text.
            try db.execute(
                sql: """
                    CREATE TABLE document_signature(
                        id INTEGER PRIMARY KEY,
                        signature BLOB NOT NULL,
                        group_id INTEGER
                    );
                    CREATE INDEX document_signature_group ON document_signature(group_id, id)
                        WHERE group_id IS NOT NULL;
                    CREATE TABLE near_duplicate_state(stale INTEGER NOT NULL);
                    INSERT INTO near_duplicate_state(stale) VALUES (1);
                    """)
            let rows = try Row.fetchCursor(db, sql: "SELECT id, body FROM document")
            let insert = try db.makeStatement(
                sql: "INSERT INTO document_signature(id, signature) VALUES (?, ?)")
            while let row = try rows.next() {
                guard let signature = ShingleSignature(text: row[1]) else { continue }
                try insert.execute(arguments: [row[0] as Int64, Data(signature.bytes)])
            }
            try IndexStore.regroupNearDuplicates(db)
        }
        migrator.registerMigration("v11: header lines in their own full-text column") { db in
            // A body's `Key: value` header block (`HeaderBlock`: a plain-text report's own lines,
            // or the author, source and tags other formats are given) becomes its own column,
            // `meta`, which ranking weighs below the title and the story; `body` now holds the
            // story after the block, so a phrase cannot run from the last header line into the
            // story. The stored text is unchanged. FTS5 cannot add a column in place, so the
            // table is made again over a content view that splits each stored body
            // (`IndexedFields`, the SQL functions `trawl_story` and `trawl_meta`) and filled here
            // from the stored text, one inflate and one split per document. Champion lists were
            // ranked from two fields: they go (the index version changes anyway).
            try db.execute(
                sql: """
                    DROP TABLE document_fts;
                    CREATE VIEW document_text(id, title, body, meta) AS
                        SELECT id, title, trawl_story(body), trawl_meta(body) FROM document;
                    CREATE VIRTUAL TABLE document_fts USING fts5(
                        title, body, meta, content = 'document_text', content_rowid = 'id', tokenize = 'trawl'
                    );
                    DELETE FROM term_champion;
                    """)
            let rows = try Row.fetchCursor(db, sql: "SELECT id, title, body FROM document ORDER BY id")
            let insert = try db.makeStatement(
                sql: "INSERT INTO document_fts(rowid, title, body, meta) VALUES (?, ?, ?, ?)")
            while let row = try rows.next() {
                let fields = IndexedFields(body: row[2])
                try insert.execute(arguments: [row[0] as Int64, row[1] as String, fields.story, fields.meta])
            }
        }
        migrator.registerMigration("v12: near-duplicate groups of champion-list terms") { db in
            // Beside a frequent term's champion list, the documents holding the term that belong
            // to near-duplicate groups, with their groups (16 bytes each), so a collapsed search
            // for the term counts its groups without reading every match. NULL: not known (the
            // list was stored by an older Trawl, or while the groups were being recomputed).
            // `document_signature_member` holds the grouped documents alone, by id: a search
            // looks up its matches' groups in it, a few pages that stay in the cache, rather than
            // in the signatures' table (a page per 25 documents).
            try db.execute(
                sql: """
                    ALTER TABLE term_champion ADD COLUMN grouped BLOB;
                    CREATE INDEX document_signature_member ON document_signature(id, group_id)
                        WHERE group_id IS NOT NULL;
                    """)
        }
        migrator.registerMigration("v13: signatures waiting to be placed in groups") { db in
            // `placed`: 1 when the document's group is up to date; 0 when its signature changed
            // since the groups were computed (it is compared with every other document); 2 when
            // its group lost a member (the group is recomputed). Regrouping then looks at these
            // documents and their groups only, not at every document of the index. Groups left
            // stale by a run killed before they were recomputed are all recomputed.
            try db.execute(
                sql: """
                    ALTER TABLE document_signature ADD COLUMN placed INTEGER NOT NULL DEFAULT 1;
                    CREATE INDEX document_signature_unplaced ON document_signature(id) WHERE placed != 1;
                    UPDATE document_signature SET placed = 0 WHERE (SELECT stale FROM near_duplicate_state) = 1;
                    """)
        }
        migrator.registerMigration("v14: new signatures unplaced by their ids") { db in
            // `placed_through`: the largest signature id when the groups were last computed. A
            // document added since has a larger id and is unplaced by that alone, so a first run
            // marks no row in `document_signature_unplaced` and has no marks to clear (an id
            // reused after its document was removed is marked 0 as before).
            try db.execute(
                sql: """
                    ALTER TABLE near_duplicate_state ADD COLUMN placed_through INTEGER NOT NULL DEFAULT 0;
                    UPDATE near_duplicate_state
                        SET placed_through = (SELECT coalesce(max(id), 0) FROM document_signature);
                    """)
        }
        migrator.registerMigration("v15: change log rows that leave location and title to the document") {
            _ in
            // A change row of an added or updated document holds an empty location and title:
            // they are the document's own (`document_store`), read with the row, instead of a
            // second copy of every path and title (1.9 MB of a Reuters index). Before a document
            // is updated, moved or removed, its rows get the location and title it had, so each
            // row still says what the document was when it changed. Nothing to rewrite: rows
            // written before hold theirs. The version tells an older Trawl, which would not fill
            // the rows in, to leave the index alone.
        }
        migrator.registerMigration("v16: bodies compressed with a dictionary of the index's own") { db in
            // zstd dictionaries trained on the index's first bodies (`BodyDictionary`). Bodies
            // stored before keep their deflate format; new ones name the dictionary they were
            // compressed with. The version tells an older Trawl, which could not read them, to
            // leave the index alone.
            try db.execute(
                sql: """
                    CREATE TABLE stored_text_dictionary(
                        id INTEGER PRIMARY KEY, data BLOB NOT NULL, trained_at REAL NOT NULL
                    )
                    """)
        }
        migrator.registerMigration("v17: near-duplicate signatures of 16-bit values") { db in
            // `ShingleSignature` keeps the low 16 bits of each minimum (64 bytes a signature
            // instead of 128): each stored value is cut to its low half, which is what this
            // version computes from the same text, so the groups stay as they are.
            // A thousand at a time, in id order, so memory stays flat however many there are.
            let page = try db.makeStatement(
                sql: "SELECT id, signature FROM document_signature WHERE id > ? ORDER BY id LIMIT 1000")
            let update = try db.makeStatement(sql: "UPDATE document_signature SET signature = ? WHERE id = ?")
            var last = Int64.min
            while case let rows = try Row.fetchAll(page, arguments: [last]), let final = rows.last {
                for row in rows {
                    guard let narrowed = ShingleSignature.narrowed([UInt8](row[1] as Data? ?? Data())) else {
                        continue
                    }
                    try update.execute(arguments: [Data(narrowed), row[0] as Int64])
                }
                last = final[0]
            }
        }
        migrator.registerMigration("v18: the body first among the full-text columns") { db in
            // FTS5 writes a column number before the positions of every column but the first in
            // each term's entry for a document: with the body first, an entry of a word found only
            // in the body is two bytes shorter (`FullTextColumns`; Reuters' postings 13.0 →
            // 9.8 MB). FTS5 cannot reorder its columns in place, so the table is made again and
            // filled from its content view (FTS5's `rebuild`: one inflate and split a document).
            // The terms, positions and stored text are the same; cached lists and counts lapse
            // with the index version.
            try db.execute(
                sql: """
                    DROP TABLE document_fts;
                    CREATE VIRTUAL TABLE document_fts USING fts5(
                        \(FullTextColumns.declaration), content = 'document_text', content_rowid = 'id',
                        tokenize = 'trawl'
                    );
                    """)
            try applyFullTextSettings(db)
            try db.execute(sql: "INSERT INTO document_fts(document_fts) VALUES ('rebuild')")
        }
        return migrator
    }

    /// Document frequencies kept for the next search (`IndexStore.countedDocuments`): a cache
    /// any version may create, made by the first count kept rather than by a migration, so that
    /// an index with or without it opens read-only in this version and in older ones alike. A
    /// count holds for the index version it was made on (`IndexStore.indexVersion()`); a row
    /// is replaced when its text is counted again.
    static let termFrequencyTable = """
        CREATE TABLE IF NOT EXISTS term_frequency(
            match_text TEXT PRIMARY KEY, index_version INTEGER NOT NULL, documents INTEGER NOT NULL
        ) WITHOUT ROWID
        """

    /// FTS5's own settings for the full-text index (stored in `document_fts_config`), as this
    /// version writes it: kept in memory until a flush and merged in larger steps than FTS5's
    /// defaults (1 MB, 4 segments), so indexing rewrites each posting fewer times. Measured on
    /// Reuters (`valgrind --tool=callgrind trawl index`, 2026-12-07): 15.69 G instructions with
    /// FTS5's defaults, 14.44 G with these (−8%), for 2.6 MB more peak memory (52 → 55 MB);
    /// 32 MB and 8 gave 14.30 G for 24 MB more, 8 MB and 16 gave 14.36 G, with more segments for
    /// a search to read. The 20 benchmark searches read no more (2.29 G against 2.31 G).
    static let fullTextSettings: [(name: String, value: Int)] = [
        ("hashsize", 8 << 20),
        ("automerge", 8),
    ]

    /// Writes `fullTextSettings` into the full-text index where they differ (an index created
    /// before them, or by another version): a change of settings is a write to FTS5's structure,
    /// so settings already in place are left untouched, and the index version with them.
    ///
    ///     SELECT k, v FROM document_fts_config
    ///     INSERT INTO document_fts(document_fts, rank) VALUES (:name, :value)
    static func applyFullTextSettings(_ db: Database) throws {
        let current = Dictionary(
            try Row.fetchAll(db, sql: "SELECT k, v FROM document_fts_config").compactMap {
                row -> (String, Int)? in
                guard let name = row[0] as String?, let value = row[1] as Int? else { return nil }
                return (name, value)
            },
            uniquingKeysWith: { first, _ in first })
        for setting in fullTextSettings where current[setting.name] != setting.value {
            try db.execute(
                sql: "INSERT INTO document_fts(document_fts, rank) VALUES (?, ?)",
                arguments: [setting.name, setting.value])
        }
    }
}
