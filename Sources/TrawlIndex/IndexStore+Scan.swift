import GRDB

extension IndexStore {
    /// One page of the stored documents of files at or below `root`, in path byte order (records of
    /// one file by record key), starting after the document `after` (nil: from the beginning); an
    /// empty page means the end.
    ///
    /// Paging by key keeps each read short (no read transaction stays open while a run writes) and
    /// lets a caller merge the stored files with a folder walk in the same order without loading
    /// them all:
    ///
    ///     SELECT id, path, record, size, mtime_ns, inode, content_hash FROM document_store
    ///     WHERE path = :root ORDER BY record                              -- first page only
    ///     SELECT … WHERE (path, record) > (:afterPath, :afterRecord)
    ///         AND path >= ':root/' AND path < ':root0' ORDER BY path, record LIMIT :limit
    public func storedFiles(under root: String, after: (path: String, record: String)?, limit: Int)
        throws(IndexError) -> [StoredFile]
    {
        try wrap {
            try reading { db in
                var files: [StoredFile] = []
                files.reserveCapacity(limit)
                let range = Self.pathRange(under: root)
                if after == nil {
                    let exact = try db.cachedStatement(
                        sql: """
                            SELECT id, path, record, size, mtime_ns, inode, content_hash FROM document_store
                            WHERE path = ? ORDER BY record
                            """)
                    try Self.collect(Row.fetchCursor(exact, arguments: [root]), into: &files)
                }
                let statement = try db.cachedStatement(
                    sql: """
                        SELECT id, path, record, size, mtime_ns, inode, content_hash FROM document_store
                        WHERE (path, record) > (?, ?) AND path >= ? AND path < ? ORDER BY path, record LIMIT ?
                        """)
                let cursor = try Row.fetchCursor(
                    statement,
                    arguments: [
                        after?.path ?? root, after?.record ?? "", range.0, range.1,
                        max(0, limit - files.count),
                    ])
                try Self.collect(cursor, into: &files)
                return files
            }
        }
    }

    private static func collect(_ cursor: RowCursor, into files: inout [StoredFile]) throws {
        while let row = try cursor.next() {
            files.append(
                StoredFile(
                    id: row[0], path: row[1], record: row[2], size: row[3], modificationTime: row[4],
                    inode: UInt64(bitPattern: row[5]), contentHash: UInt64(bitPattern: row[6])))
        }
    }

    /// Whether any document is stored at or below one of `roots`.
    public func hasStoredFiles(under roots: [String]) throws(IndexError) -> Bool {
        for root in roots where try !storedFiles(under: root, after: nil, limit: 1).isEmpty {
            return true
        }
        return false
    }
}
