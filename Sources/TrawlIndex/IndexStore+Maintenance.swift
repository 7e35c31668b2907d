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
    /// Bodies compressed again with the index's dictionary (`BodyDictionary`).
    public var bodiesRecompressed = 0
}

extension IndexStore {
    /// Runs SQLite's and FTS5's integrity checks without writing to the index; damage is
    /// reported, not thrown.
    ///
    ///     PRAGMA integrity_check
    ///     SELECT count(*) FROM document_fts_docsize WHERE id NOT IN (SELECT id FROM document)
    ///     SELECT count(*) FROM document WHERE id NOT IN (SELECT id FROM document_fts_docsize)
    ///     -- then, on a page-for-page copy (SQLite's backup API) in the temporary folder:
    ///     INSERT INTO document_fts(document_fts) VALUES('integrity-check')
    ///     INSERT INTO document_fts(document_fts, rank) VALUES('integrity-check', 1)  -- SQLite ≥ 3.44
    ///     -- the same two for document_meta_fts (author, source, tags)
    ///
    /// The two counts find ghosts (indexed rows without their document) and documents missing
    /// from the full-text index on every SQLite; from 3.44 FTS5 also compares every indexed term
    /// with the stored text. FTS5's checks are `INSERT` commands, which a read-only connection
    /// refuses (and which would need write access to a shared index), so they run on a copy
    /// taken in one read transaction: the index file is never opened for writing.
    public func check() throws(IndexError) -> IntegrityReport {
        var problems: [String] = []
        let documents: Int = try wrap {
            try database.read { db in
                do {
                    let rows = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                    if rows != ["ok"] { problems += rows.map { "database: \($0)" } }
                } catch let error as DatabaseError {
                    problems.append("database: \(Self.problem(error))")
                }
                for (sql, problem) in [
                    (
                        "SELECT count(*) FROM document_fts_docsize WHERE id NOT IN (SELECT id FROM document)",
                        "entries without a document (ghosts)"
                    ),
                    (
                        "SELECT count(*) FROM document WHERE id NOT IN (SELECT id FROM document_fts_docsize)",
                        "documents missing from it"
                    ),
                ] {
                    do {
                        let count = try Int.fetchOne(db, sql: sql) ?? 0
                        if count > 0 { problems.append("full-text index: \(count) \(problem)") }
                    } catch let error as DatabaseError {
                        problems.append("full-text index: \(Self.problem(error))")
                    }
                }
                return (try? Int.fetchOne(db, sql: "SELECT count(*) FROM document")) ?? 0
            }
        }
        problems += try fullTextProblems()
        return IntegrityReport(problems: problems, documents: documents)
    }

    /// FTS5's integrity checks of both full-text tables, run on a copy of the index.
    private func fullTextProblems() throws(IndexError) -> [String] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trawl-check-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let configuration = Self.baseConfiguration()
        let copy: DatabaseQueue
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            copy = try DatabaseQueue(
                path: folder.appendingPathComponent("copy.sqlite").path, configuration: configuration)
        } catch {
            throw .cannotOpen(
                path: path, reason: "cannot create a scratch copy for the check in \(folder.path)")
        }
        do {
            try database.backup(to: copy)
        } catch let error as DatabaseError {
            return ["database: \(Self.problem(error))"]
        } catch {
            return ["database: the copy for the full-text check failed"]
        }
        return try Self.wrap(path) {
            try copy.writeWithoutTransaction { db in
                var problems: [String] = []
                let version = try String.fetchOne(db, sql: "SELECT sqlite_version()") ?? "0"
                let parts = version.split(separator: ".").compactMap { Int($0) }
                let comparesText = parts.lexicographicallyPrecedes([3, 44]) == false
                for (table, name) in [
                    ("document_fts", "full-text index"), ("document_meta_fts", "metadata index"),
                ] {
                    do {
                        try db.execute(sql: "INSERT INTO \(table)(\(table)) VALUES('integrity-check')")
                    } catch let error as DatabaseError {
                        problems.append("\(name): \(Self.problem(error))")
                    }
                    guard comparesText else { continue }
                    do {
                        try db.execute(
                            sql: "INSERT INTO \(table)(\(table), rank) VALUES('integrity-check', 1)")
                    } catch let error as DatabaseError {
                        problems.append("\(name) vs documents: \(Self.problem(error))")
                    }
                }
                return problems
            }
        }
    }

    /// A check's finding, in Trawl's words.
    private static func problem(_ error: DatabaseError) -> String {
        switch error.resultCode {
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: return "damaged pages"
        default: return mapped(error.extendedResultCode, path: "the index").description
        }
    }

    /// Compresses every body the index's dictionary did not compress (bodies stored before it
    /// had one) with it, training one first from a sample of the stored bodies spread over the
    /// index when it has none and they are enough; then merges the FTS5 segments into one,
    /// rebuilds the file without free pages (and so that later runs give theirs back:
    /// `releaseFreePages`) and empties the write-ahead log.
    ///
    ///     -- see recompressBodies
    ///     INSERT INTO document_fts(document_fts) VALUES('optimize')
    ///     INSERT INTO document_meta_fts(document_meta_fts) VALUES('optimize')
    ///     PRAGMA auto_vacuum = INCREMENTAL
    ///     VACUUM
    ///     PRAGMA wal_checkpoint(TRUNCATE)
    public func optimize() throws(IndexError) -> OptimizeReport {
        let before = fileBytes
        let recompressed = try wrap { try database.write { db in try Self.recompressBodies(db) } }
        try wrap {
            try database.writeWithoutTransaction { db in
                try db.execute(sql: "INSERT INTO document_fts(document_fts) VALUES('optimize')")
                try db.execute(sql: "INSERT INTO document_meta_fts(document_meta_fts) VALUES('optimize')")
                try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")  // takes effect with the VACUUM
                try db.execute(sql: "VACUUM")
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        }
        return OptimizeReport(bytesBefore: before, bytesAfter: fileBytes, bodiesRecompressed: recompressed)
    }

    /// How many stored bodies `optimize` trains a dictionary on: as many as a run's first group.
    static let trainingSampleSize = 256

    /// Compresses the bodies not in the format of the index's dictionary with it (training and
    /// keeping one first when there is none: `BodyDictionary.trained(from:)` on bodies spread
    /// evenly over the ids); returns how many were compressed again. Bodies that would not shrink
    /// stay as they are; the text is unchanged, so the full-text index is too.
    ///
    ///     SELECT id, data FROM stored_text_dictionary ORDER BY id DESC LIMIT 1
    ///     SELECT body FROM document WHERE id % :step = 0 ORDER BY id LIMIT 256  -- no dictionary yet
    ///     INSERT INTO stored_text_dictionary(data, trained_at) VALUES (?, ?)
    ///     SELECT id, trawl_inflate(body) FROM document_body WHERE id > :last
    ///         AND typeof(body) = 'blob' AND substr(body, 1, 1) <> x'03' ORDER BY id LIMIT 1000
    ///     UPDATE document_body SET body = ? WHERE id = ?
    static func recompressBodies(_ db: Database) throws -> Int {
        let dictionary: BodyDictionary
        if let newest = try newestBodyDictionary(db) {
            dictionary = newest
        } else {
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM document_body") ?? 0
            let step = max(1, count / trainingSampleSize)
            let sample = try String.fetchAll(
                db, sql: "SELECT body FROM document WHERE id % ? = 0 ORDER BY id LIMIT ?",
                arguments: [step, trainingSampleSize])
            guard let bytes = BodyDictionary.trained(from: sample) else { return 0 }
            dictionary = try keepBodyDictionary(db, bytes)
        }
        let compressor = BodyCompressor(dictionary: dictionary)
        // Each body read once, a thousand at a time in id order (a body that would not shrink
        // keeps its format and is not met again).
        let page = try db.makeStatement(
            sql: """
                SELECT id, trawl_inflate(body) FROM document_body
                WHERE id > ? AND typeof(body) = 'blob' AND substr(body, 1, 1) <> ? ORDER BY id LIMIT 1000
                """)
        let update = try db.makeStatement(sql: "UPDATE document_body SET body = ? WHERE id = ?")
        let newFormat = Data([StoredText.Format.zstdWithTrainedDictionary.rawValue])
        var recompressed = 0
        var last = Int64.min
        while case let rows = try Row.fetchAll(page, arguments: [last, newFormat]), let final = rows.last {
            for row in rows {
                let stored = compressor.stored(row[1])
                guard case .blob = stored.storage else { continue }
                try update.execute(arguments: [stored, row[0] as Int64])
                recompressed += 1
            }
            last = final[0]
        }
        return recompressed
    }

    /// Gives the pages a run left free (those of the FTS5 segments its merges replaced) back to
    /// the file system, so a new index is no larger than its contents; when the index was
    /// created to allow it (`auto_vacuum = INCREMENTAL`: every index created since schema v15's
    /// Trawl of 2026-12-07), and there are free pages. Otherwise it does nothing, and later runs
    /// reuse the pages.
    ///
    ///     PRAGMA auto_vacuum; PRAGMA freelist_count
    ///     PRAGMA incremental_vacuum
    public func releaseFreePages() throws(IndexError) {
        try wrap {
            try database.writeWithoutTransaction { db in
                guard try Int.fetchOne(db, sql: "PRAGMA auto_vacuum") == 2,
                    try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0 > 0
                else { return }
                try db.execute(sql: "PRAGMA incremental_vacuum")
            }
        }
    }

    /// Bytes of the index file and its write-ahead log.
    public var fileBytes: Int64 {
        Self.bytes(ofFileAt: path) + Self.bytes(ofFileAt: path + "-wal")
    }

    /// The size of the file at `path`, 0 when there is none.
    static func bytes(ofFileAt path: String) -> Int64 {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        return (attributes?[.size] as? NSNumber)?.int64Value ?? 0
    }
}
