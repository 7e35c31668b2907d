import Foundation
import GRDB
import GRDBSQLite

/// Collection-wide numbers BM25 needs: how many documents there are and their average field lengths.
public struct CollectionStatistics: Sendable, Hashable {
    /// Documents in the index.
    public var documentCount: Int
    /// Mean number of token positions in a title.
    public var averageTitleLength: Double
    /// Mean number of token positions in a body (the story after a header block).
    public var averageBodyLength: Double
    /// Mean number of token positions in a header block's lines (`IndexedFields.meta`).
    public var averageMetaLength: Double

    /// The statistics of an index with no document.
    public static let empty = CollectionStatistics(
        documentCount: 0, averageTitleLength: 0, averageBodyLength: 0)

    /// Creates statistics from their parts.
    public init(
        documentCount: Int, averageTitleLength: Double, averageBodyLength: Double,
        averageMetaLength: Double = 0
    ) {
        self.documentCount = documentCount
        self.averageTitleLength = averageTitleLength
        self.averageBodyLength = averageBodyLength
        self.averageMetaLength = averageMetaLength
    }
}

extension IndexStore {
    /// The document count and average field lengths, read from FTS5's own averages record.
    ///
    /// FTS5 keeps, in row 1 of its `_data` table, a blob of SQLite varints: the row count, then
    /// the total token count of each column (body, title, meta: `FullTextColumns`). Reading it
    /// costs one row, however large the index.
    ///
    ///     SELECT block FROM document_fts_data WHERE id = 1
    public func collectionStatistics() throws(IndexError) -> CollectionStatistics {
        try wrap {
            try reading { db in
                let block = try Data.fetchOne(db, sql: "SELECT block FROM document_fts_data WHERE id = 1")
                let numbers = block.map { SQLiteVarint.values(in: $0, count: 4) } ?? []
                guard numbers.count == 4, numbers[0] > 0 else { return .empty }
                let count = Double(numbers[0])
                let average = { (field: Int) in Double(numbers[1 + FullTextColumns.swapped(field)]) / count }
                return CollectionStatistics(
                    documentCount: Int(numbers[0]), averageTitleLength: average(0),
                    averageBodyLength: average(1), averageMetaLength: average(2))
            }
        }
    }

    /// How many documents contain at least one of `terms`, or a term starting with one of
    /// `prefixes` (index terms, in title, body or meta).
    ///
    ///     SELECT count(*) FROM document_fts WHERE document_fts MATCH '"t1" OR "t2" OR "p" *'
    public func documentFrequency(ofAnyOf terms: [String], prefixes: [String] = []) throws(IndexError) -> Int
    {
        let match = Self.anyOfMatchText(terms, prefixes: prefixes)
        guard !match.isEmpty else { return 0 }
        return try countedDocuments([match])[0]
    }

    /// How many documents `match` finds (no filter): kept like a document frequency
    /// (`countedDocuments`).
    public func documentCount(matching match: FTS5Match) throws(IndexError) -> Int {
        try countedDocuments([match.text])[0]
    }

    /// How many documents each MATCH text of `matches` finds: read from `term_frequency` when
    /// counted on this index version, else counted, and a count of at least
    /// `keptFrequencyMinimum` kept there for the next search (a cache write, see
    /// `writeToCache`). Counting walks every document of the terms, about 400 instructions each
    /// (`oil prices` on 200,000 generated files: 80 M of 409 M); a kept count is one row.
    ///
    ///     SELECT documents FROM term_frequency WHERE match_text = :match AND index_version = :version
    ///     SELECT count(*) FROM document_fts WHERE document_fts MATCH :match   -- when not kept
    ///     INSERT OR REPLACE INTO term_frequency(match_text, index_version, documents) VALUES (…), …
    func countedDocuments(_ matches: [String]) throws(IndexError) -> [Int] {
        // The version and the counts are read in one snapshot, so a count is never kept under
        // a version it was not made on.
        let (version, counts, counted) = try wrap {
            try reading { db in
                let version = try Self.indexVersion(db)
                // The table is made by the first count kept: a missing one reads as "not kept".
                let kept = try? db.cachedStatement(
                    sql: "SELECT documents FROM term_frequency WHERE match_text = ? AND index_version = ?")
                var counts: [Int] = []
                var counted: [(match: String, documents: Int)] = []
                for match in matches {
                    if let kept, let documents = try Int.fetchOne(kept, arguments: [match, version]) {
                        counts.append(documents)
                        continue
                    }
                    let documents = try Self.matchCount(match, in: db)
                    counts.append(documents)
                    if documents >= Self.keptFrequencyMinimum { counted.append((match, documents)) }
                }
                return (version, counts, counted)
            }
        }
        if !counted.isEmpty {
            var arguments: StatementArguments = []
            for count in counted { arguments += [count.match, version, count.documents] }
            let rows = Array(repeating: "(?, ?, ?)", count: counted.count).joined(separator: ", ")
            writeToCache(
                Schema.termFrequencyTable
                    + "; INSERT OR REPLACE INTO term_frequency(match_text, index_version, documents) VALUES \(rows)",
                arguments: arguments)
        }
        return counts
    }

    /// The smallest document frequency kept in `term_frequency`: below it, counting costs less
    /// than the write (a writer opened for it, by a read-only search).
    static let keptFrequencyMinimum = 4_096

    /// How many documents `match` (a MATCH text) finds; FTS5 walks the document lists and skips
    /// the positions.
    ///
    ///     SELECT count(*) FROM document_fts WHERE document_fts MATCH :match
    private static func matchCount(_ match: String, in db: Database) throws -> Int {
        try Int.fetchOne(
            db.cachedStatement(sql: "SELECT count(*) FROM document_fts WHERE document_fts MATCH ?"),
            arguments: [match]) ?? 0
    }

    /// The MATCH text `documentFrequency(ofAnyOf:prefixes:)` counts (empty when there is nothing
    /// to match).
    static func anyOfMatchText(_ terms: [String], prefixes: [String] = []) -> String {
        let alternatives =
            terms.map { FTS5QueryCompiler.quoted([$0]) }
            + prefixes.map { FTS5QueryCompiler.quoted([$0]) + " *" }
        return alternatives.joined(separator: " OR ")
    }
}

/// Where index terms occur in some documents, and those documents' field lengths, as FTS5 stores them.
public struct TermOccurrences: Sendable {
    /// One occurrence of a term: the document, the field (0 title, 1 body, 2 meta) and the token
    /// position.
    public struct Occurrence: Sendable, Hashable {
        public var documentID: Int64
        public var field: Int
        public var position: Int
        public var term: String
    }

    /// Every occurrence of the asked terms in the asked documents, in no particular order.
    public var occurrences: [Occurrence]
    /// Token positions of (title, body, meta) by document.
    public var fieldLengths: [Int64: (title: Int, body: Int, meta: Int)]
}

extension IndexStore {
    /// Reads term positions and field lengths from the FTS5 index instead of re-tokenizing text.
    ///
    /// One MATCH of the terms, each a phrase of its own, limited to the documents asked for; the
    /// auxiliary function `trawl_occurrences` (`FTS5Occurrences`) gives each row's column lengths
    /// and its phrase instances. The cost follows the number of documents, not the terms' posting
    /// lists. Documents holding none of the terms get their lengths from `_docsize`.
    ///
    ///     SELECT rowid, trawl_occurrences(document_fts) FROM document_fts
    ///     WHERE document_fts MATCH '"t1" OR "t2" …' AND +rowid IN (:ids)   -- filtered after FTS5
    ///     SELECT sz FROM document_fts_docsize WHERE id = :id;        -- per document left
    public func termOccurrences(of terms: [String], inDocuments ids: Set<Int64>) throws(IndexError)
        -> TermOccurrences
    {
        let phrases = Array(Set(terms.filter { !$0.isEmpty })).sorted()
        return try wrap {
            try reading { db in
                var occurrences: [TermOccurrences.Occurrence] = []
                var lengths: [Int64: (title: Int, body: Int, meta: Int)] = [:]
                if !phrases.isEmpty && !ids.isEmpty {
                    let match = phrases.map { FTS5QueryCompiler.quoted([$0]) }.joined(separator: " OR ")
                    let list = ids.sorted().map(String.init).joined(separator: ",")
                    let rows = try Row.fetchCursor(
                        db,
                        sql: """
                            SELECT rowid, \(FTS5Occurrences.functionName)(document_fts) FROM document_fts
                            WHERE document_fts MATCH ? AND +rowid IN (\(list))
                            """, arguments: [match])
                    while let row = try rows.next() {
                        let id: Int64 = row[0]
                        let (columns, instances) = FTS5Occurrences.decode(row[1] as Data? ?? Data())
                        guard columns.count == 3 else { continue }
                        lengths[id] = (columns[0], columns[1], columns[2])
                        for instance in instances where phrases.indices.contains(instance.phrase) {
                            occurrences.append(
                                TermOccurrences.Occurrence(
                                    documentID: id, field: min(instance.column, 2), position: instance.offset,
                                    term: phrases[instance.phrase]))
                        }
                    }
                }
                let sizes = try db.cachedStatement(sql: "SELECT sz FROM document_fts_docsize WHERE id = ?")
                for id in ids where lengths[id] == nil {
                    guard let blob = try Data.fetchOne(sizes, arguments: [id]) else { continue }
                    // In column order (`FullTextColumns`).
                    let numbers = SQLiteVarint.values(in: blob, count: 3).map(Int.init)
                    if numbers.count == 3 {
                        let length = { (field: Int) in numbers[FullTextColumns.swapped(field)] }
                        lengths[id] = (length(0), length(1), length(2))
                    }
                }
                return TermOccurrences(occurrences: occurrences, fieldLengths: lengths)
            }
        }
    }

    /// The stored documents with these ids, in the same order (ids no longer stored are skipped);
    /// `score` is 0.
    ///
    ///     SELECT s.id, s.path, s.record, s.title, trawl_inflate(b.body), s.date, …, s.url
    ///     FROM document_store s LEFT JOIN document_body b ON b.id = s.id WHERE s.id = :id   -- per id
    public func documents(withIDs ids: [Int64]) throws(IndexError) -> [MatchedDocument] {
        try wrap {
            try reading { db in
                let statement = try db.cachedStatement(
                    sql: "SELECT \(MatchedDocument.columns) FROM \(MatchedDocument.tables) WHERE s.id = ?")
                return try ids.compactMap { id in
                    try Row.fetchOne(statement, arguments: [id]).map { MatchedDocument(row: $0, score: 0) }
                }
            }
        }
    }

    /// The stored document at `path` (and `record` inside it), or nil.
    ///
    ///     SELECT s.id, s.path, s.record, s.title, trawl_inflate(b.body), … FROM document_store s
    ///     LEFT JOIN document_body b ON b.id = s.id WHERE s.path = :path AND s.record = :record
    public func document(atPath path: String, record: String = "") throws(IndexError) -> MatchedDocument? {
        try wrap {
            try reading { db in
                try Row.fetchOne(
                    db,
                    sql: """
                        SELECT \(MatchedDocument.columns) FROM \(MatchedDocument.tables)
                        WHERE s.path = ? AND s.record = ?
                        """,
                    arguments: [path, record]
                ).map { MatchedDocument(row: $0, score: 0) }
            }
        }
    }
}

extension IndexStore {
    /// How many documents contain each of `terms` (terms in no document are left out).
    ///
    /// What `documentFrequency(ofAnyOf:)` counts, one term at a time (`countedDocuments`). (An
    /// `fts5vocab` table of kind `row` also read every position, to count occurrences, after
    /// creating itself in TEMP: 3.2 M instructions for the two terms of `oil prices` on Reuters,
    /// against 2.2 M this way.)
    ///
    ///     SELECT count(*) FROM document_fts WHERE document_fts MATCH '"term"'   -- per term
    public func documentFrequencies(of terms: Set<String>) throws(IndexError) -> [String: Int] {
        let listed = terms.filter { !$0.isEmpty }.sorted()
        guard !listed.isEmpty else { return [:] }
        let counts = try countedDocuments(listed.map { Self.anyOfMatchText([$0]) })
        var frequencies: [String: Int] = [:]
        for index in listed.indices where counts[index] > 0 { frequencies[listed[index]] = counts[index] }
        return frequencies
    }
}

extension IndexStore {
    /// How many postings the index terms starting with `prefix` have in all (a term in ten
    /// documents counts ten): what evaluating `prefix*` reads. One range scan of FTS5's
    /// vocabulary, which counts by reading the terms' postings (their positions skipped). (The range ends at `prefix` followed by U+10FFFF, the
    /// largest code point, so it holds every term starting with `prefix`.)
    ///
    ///     SELECT sum(doc) FROM temp.trawl_rows WHERE term >= :prefix AND term <= :prefix || U+10FFFF
    public func postingCount(ofPrefix prefix: String) throws(IndexError) -> Int {
        try wrap {
            try readingWithTemporaryTables { db in
                try VocabularyTable.rows.ensure(in: db)
                return try Int.fetchOne(
                    db,
                    sql: "SELECT coalesce(sum(doc), 0) FROM temp.trawl_rows WHERE term >= ? AND term <= ?",
                    arguments: [prefix, prefix + "\u{10FFFF}"]) ?? 0
            }
        }
    }
}

extension IndexStore {
    /// The index terms starting with `prefix` whose length in characters is in `lengths`: the
    /// candidates a spelling suggestion chooses from. A term whose documents were all removed may
    /// still be listed until FTS5 merges its segments: `documentFrequencies(of:)` tells.
    ///
    /// Read from the leaf pages of FTS5's segments that hold terms in the range (`FTS5LeafPage`),
    /// a cost that does not grow with how many documents hold the terms; `fts5vocab`, which reads
    /// every posting of every term it lists, took 0.85 s for one first letter at 1,000,000
    /// documents. Falls back to it if a page is not laid out as expected.
    ///
    ///     SELECT segid FROM document_fts_idx WHERE segid > :previous ORDER BY segid LIMIT 1
    ///     SELECT term, pgno FROM document_fts_idx WHERE segid = :segment AND term <= :low
    ///       ORDER BY term DESC LIMIT 1                 -- the page the range starts on, then
    ///     SELECT term, pgno FROM document_fts_idx WHERE segid = :segment AND term > :low
    ///       AND term <= :high ORDER BY term
    ///     SELECT block FROM document_fts_data WHERE id = :segment << 37 | :page
    ///
    /// `isWanted`, when given, sees each term's UTF-8 bytes before it becomes a string, in
    /// order, with how many of its first bytes it shares with the term it saw before (0 for the
    /// first), and drops the ones it returns false for (a spelling suggestion's quick test of the
    /// edits, which can start from the shared bytes): most terms of a range never become strings.
    /// `mayStart`, when given, sees the bytes every term on a leaf page starts with (as far as
    /// FTS5's page index tells: the common start of the page's key and the next page's), in the
    /// same way, and the page is not read when it returns false.
    public func terms(
        startingWith prefix: String, lengths: ClosedRange<Int>,
        where isWanted: ((UnsafeBufferPointer<UInt8>, Int) -> Bool)? = nil,
        pagesStartingWith mayStart: ((UnsafeBufferPointer<UInt8>, Int) -> Bool)? = nil
    ) throws(IndexError) -> [String] {
        let found = try wrap {
            try reading { db in
                try Self.leafPageTerms(
                    startingWith: prefix, lengths: lengths, where: isWanted, pagesStartingWith: mayStart,
                    in: db)
            }
        }
        guard let found else {
            let terms = try vocabularyTerms(startingWith: prefix, lengths: lengths)
            guard let isWanted else { return terms }
            return terms.filter { term in Array(term.utf8).withUnsafeBufferPointer({ isWanted($0, 0) }) }
        }
        return Array(found)
    }

    /// The distinct terms starting with `prefix` whose length in characters is in `lengths`, on
    /// the leaf pages of every segment, or nil when a page cannot be read as `FTS5LeafPage`
    /// describes. Only terms whose byte length can hold such a length become strings (a
    /// character is one to four bytes, one when all are ASCII): most terms of a range do not.
    private static func leafPageTerms(
        startingWith prefix: String, lengths: ClosedRange<Int>,
        where isWanted: ((UnsafeBufferPointer<UInt8>, Int) -> Bool)?,
        pagesStartingWith mayStart: ((UnsafeBufferPointer<UInt8>, Int) -> Bool)?, in db: Database
    ) throws -> Set<String>? {
        let low = [FTS5LeafPage.mainIndexMarker] + Array(prefix.utf8)
        let high = low + [0xFF]  // above every UTF-8 continuation of `low`
        let nextSegment = try db.cachedStatement(
            sql: "SELECT segid FROM document_fts_idx WHERE segid > ? ORDER BY segid LIMIT 1")
        let startPage = try db.cachedStatement(
            sql:
                "SELECT term, pgno FROM document_fts_idx WHERE segid = ? AND term <= ? ORDER BY term DESC LIMIT 1"
        )
        let laterSQL =
            "SELECT term, pgno FROM document_fts_idx WHERE segid = ? AND term > ? AND term <= ? ORDER BY term"
        let laterPages = try db.cachedStatement(sql: laterSQL).sqliteStatement
        // Stepped through SQLite's own calls, the page read in place: thousands of pages are read
        // for one letter of a large index, and a GRDB row cost more than the read.
        let pageSQL = "SELECT block FROM document_fts_data WHERE id = ?"
        let pageBlock = try db.cachedStatement(sql: pageSQL).sqliteStatement
        let lowBlob = Data(low)
        var found = Set<String>()
        // The bytes the term `isWanted` is shown shares with the one it saw before: the least of
        // the prefixes shared from term to term since, in sorted order (0 across pages).
        var sharedSinceWanted = 0
        // The start `mayStart` saw last.
        var lastStart: [UInt8] = []
        var segment: Int64 = -1
        while let next = try Int64.fetchOne(nextSegment, arguments: [segment]) {
            segment = next
            // Each page's key (FTS5's shortest prefix of its first term) and `pgno`, in order.
            var pages = try Row.fetchAll(startPage, arguments: [segment, lowBlob]).map { row in
                (key: [UInt8](row[0] as Data? ?? Data()), idxValue: row[1] as Int64? ?? 0)
            }
            sqlite3_reset(laterPages)
            sqlite3_bind_int64(laterPages, 1, segment)
            _ = low.withUnsafeBytes {
                sqlite3_bind_blob(laterPages, 2, $0.baseAddress, Int32($0.count), sqliteTransient)
            }
            _ = high.withUnsafeBytes {
                sqlite3_bind_blob(laterPages, 3, $0.baseAddress, Int32($0.count), sqliteTransient)
            }
            var code = sqlite3_step(laterPages)
            while code == SQLITE_ROW {
                let key = UnsafeRawBufferPointer(
                    start: sqlite3_column_blob(laterPages, 0), count: Int(sqlite3_column_bytes(laterPages, 0))
                )
                pages.append(
                    (key: mayStart == nil ? [] : [UInt8](key), idxValue: sqlite3_column_int64(laterPages, 1)))
                code = sqlite3_step(laterPages)
            }
            sqlite3_reset(laterPages)
            guard code == SQLITE_DONE else { throw stepError(db, sql: laterSQL) }
            for (index, page) in pages.enumerated() {
                if let mayStart {
                    // Every term on the page is at least its key and below the next page's.
                    let next = index + 1 < pages.count ? pages[index + 1].key : high
                    let common = zip(page.key, next).prefix { $0 == $1 }.count
                    if common > 1 {
                        let start = page.key[1..<common]  // after the marker
                        let shared = zip(lastStart, start).prefix { $0 == $1 }.count
                        lastStart = Array(start)
                        if !lastStart.withUnsafeBufferPointer({ mayStart($0, shared) }) { continue }
                    }
                }
                let id = FTS5LeafPage.rowID(
                    segment: segment, page: FTS5LeafPage.page(idxValue: page.idxValue))
                sqlite3_reset(pageBlock)
                sqlite3_bind_int64(pageBlock, 1, id)
                let code = sqlite3_step(pageBlock)
                defer { sqlite3_reset(pageBlock) }
                guard code == SQLITE_ROW else {
                    if code == SQLITE_DONE { continue }
                    throw stepError(db, sql: pageSQL)
                }
                let bytes = UnsafeRawBufferPointer(
                    start: sqlite3_column_blob(pageBlock, 0), count: Int(sqlite3_column_bytes(pageBlock, 0)))
                sharedSinceWanted = 0
                let laidOut = FTS5LeafPage.forEachTerm(in: bytes) { term, shared in
                    sharedSinceWanted = min(sharedSinceWanted, max(0, shared - 1))  // after the marker
                    let byteLength = term.count - 1
                    guard byteLength >= lengths.lowerBound, byteLength <= 4 * lengths.upperBound,
                        term.lexicographicallyPrecedes(high), !term.lexicographicallyPrecedes(low),
                        byteLength <= lengths.upperBound || !term.dropFirst().allSatisfy({ $0 < 0x80 }),
                        isWanted.map({ isWanted in
                            defer { sharedSinceWanted = .max }
                            return isWanted(
                                UnsafeBufferPointer(rebasing: term.dropFirst()), sharedSinceWanted)
                        }) ?? true,
                        let text = String(validating: term.dropFirst(), as: UTF8.self),
                        lengths.contains(text.count)
                    else { return }
                    found.insert(text)
                }
                guard laidOut else { return nil }
            }
        }
        return found
    }

    /// `terms(startingWith:lengths:)` through `fts5vocab`, which reads the terms' postings.
    ///
    ///     SELECT term FROM temp.trawl_rows WHERE term >= :prefix AND term <= :prefix || U+10FFFF
    func vocabularyTerms(startingWith prefix: String, lengths: ClosedRange<Int>) throws(IndexError)
        -> [String]
    {
        try wrap {
            try readingWithTemporaryTables { db in
                try VocabularyTable.rows.ensure(in: db)
                let terms = try String.fetchAll(
                    db, sql: "SELECT term FROM temp.trawl_rows WHERE term >= ? AND term <= ?",
                    arguments: [prefix, prefix + "\u{10FFFF}"])
                return terms.filter { lengths.contains($0.count) }
            }
        }
    }
}
