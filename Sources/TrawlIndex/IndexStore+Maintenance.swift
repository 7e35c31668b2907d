import Foundation
import GRDB

/// The outcome of `IndexStore.check()`.
public struct IntegrityReport: Sendable, Hashable, Codable {
    /// What SQLite reported; empty when the index is intact.
    public var problems: [String]
    /// Documents stored.
    public var documents: Int

    public var isIntact: Bool { problems.isEmpty }
}

/// Sizes of the index file (with its write-ahead log) before and after `optimize()`.
public struct OptimizeReport: Sendable, Hashable, Codable {
    public var bytesBefore: Int64
    public var bytesAfter: Int64
}

extension IndexStore {
    /// Runs SQLite's and FTS5's integrity checks; damage is reported, not thrown.
    ///
    ///     PRAGMA integrity_check
    ///     INSERT INTO document_fts(document_fts) VALUES('integrity-check')
    ///     INSERT INTO document_fts(document_fts, rank) VALUES('integrity-check', 1)  -- SQLite ≥ 3.44
    ///     -- the same two for document_meta_fts (author, source, tags)
    ///     SELECT count(*) FROM document_fts_docsize WHERE id NOT IN (SELECT id FROM document)
    ///     SELECT count(*) FROM document WHERE id NOT IN (SELECT id FROM document_fts_docsize)
    ///
    /// The last two find ghosts (indexed rows without their document) and documents missing from
    /// the full-text index on every SQLite; from 3.44 FTS5 also compares every indexed term with
    /// the stored text.
    public func check() throws(IndexError) -> IntegrityReport {
        try wrap {
            try database.writeWithoutTransaction { db in
                var problems: [String] = []
                do {
                    let rows = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                    if rows != ["ok"] { problems += rows.map { "database: \($0)" } }
                } catch let error as DatabaseError {
                    problems.append("database: \(error.message ?? "\(error.resultCode)")")
                }
                let version = try String.fetchOne(db, sql: "SELECT sqlite_version()") ?? "0"
                let parts = version.split(separator: ".").compactMap { Int($0) }
                let comparesText = parts.lexicographicallyPrecedes([3, 44]) == false
                for (table, name) in [
                    ("document_fts", "full-text index"), ("document_meta_fts", "metadata index"),
                ] {
                    do {
                        try db.execute(sql: "INSERT INTO \(table)(\(table)) VALUES('integrity-check')")
                    } catch let error as DatabaseError {
                        problems.append("\(name): \(error.message ?? "\(error.resultCode)")")
                    }
                    guard comparesText else { continue }
                    do {
                        try db.execute(
                            sql: "INSERT INTO \(table)(\(table), rank) VALUES('integrity-check', 1)")
                    } catch let error as DatabaseError {
                        problems.append("\(name) vs documents: \(error.message ?? "\(error.resultCode)")")
                    }
                }
                let ghosts =
                    try Int.fetchOne(
                        db,
                        sql:
                            "SELECT count(*) FROM document_fts_docsize WHERE id NOT IN (SELECT id FROM document)"
                    )
                    ?? 0
                if ghosts > 0 {
                    problems.append("full-text index: \(ghosts) entries without a document (ghosts)")
                }
                let unindexed =
                    try Int.fetchOne(
                        db,
                        sql:
                            "SELECT count(*) FROM document WHERE id NOT IN (SELECT id FROM document_fts_docsize)"
                    )
                    ?? 0
                if unindexed > 0 {
                    problems.append("full-text index: \(unindexed) documents missing from it")
                }
                let documents = (try? Int.fetchOne(db, sql: "SELECT count(*) FROM document")) ?? 0
                return IntegrityReport(problems: problems, documents: documents)
            }
        }
    }

    /// Merges the FTS5 segments into one, rebuilds the file without free pages and empties the
    /// write-ahead log.
    ///
    ///     INSERT INTO document_fts(document_fts) VALUES('optimize')
    ///     INSERT INTO document_meta_fts(document_meta_fts) VALUES('optimize')
    ///     VACUUM
    ///     PRAGMA wal_checkpoint(TRUNCATE)
    public func optimize() throws(IndexError) -> OptimizeReport {
        let before = fileBytes
        try wrap {
            try database.writeWithoutTransaction { db in
                try db.execute(sql: "INSERT INTO document_fts(document_fts) VALUES('optimize')")
                try db.execute(sql: "INSERT INTO document_meta_fts(document_meta_fts) VALUES('optimize')")
                try db.execute(sql: "VACUUM")
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        }
        return OptimizeReport(bytesBefore: before, bytesAfter: fileBytes)
    }

    /// Bytes of the index file and its write-ahead log.
    public var fileBytes: Int64 {
        ["", "-wal"].reduce(Int64(0)) { total, suffix in
            let attributes = try? FileManager.default.attributesOfItem(atPath: path + suffix)
            return total + ((attributes?[.size] as? NSNumber)?.int64Value ?? 0)
        }
    }
}
