import Foundation
import GRDB
import GRDBSQLite

/// A cached statement bound and stepped through SQLite's own calls, for the statements a run
/// executes once per document (the stored row, body, full-text row, change row and signature of
/// every file a first run adds): `StatementArguments` boxes every value, and binding these
/// directly took a first index of Reuters from 9.44 to 8.81 G instructions (FTS5's merges aside).
///
/// Values are bound in the order of the statement's parameters, one `bind` each; SQLite copies
/// strings and blobs (`SQLITE_TRANSIENT`).
///
/// ```swift
/// var insert = try DirectStatement(db, sql: "INSERT INTO document_body(id, body) VALUES (?, ?)")
/// insert.bind(id)
/// insert.bind(body)
/// try insert.execute()
/// ```
struct DirectStatement {
    private let handle: SQLiteStatement
    private let database: Database
    private let sql: String
    private var index: Int32 = 0

    /// The cached statement `sql` of `db`, with no value bound yet.
    init(_ db: Database, sql: String) throws {
        handle = try db.cachedStatement(sql: sql).sqliteStatement
        database = db
        self.sql = sql
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    mutating func bind(_ value: Int64?) {
        index += 1
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    mutating func bind(_ value: Int) { bind(Int64(value)) }

    mutating func bind(_ value: Double?) {
        index += 1
        if let value { sqlite3_bind_double(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    mutating func bind(_ value: String?) {
        index += 1
        guard var value else {
            sqlite3_bind_null(handle, index)
            return
        }
        value.withUTF8 { text in
            // An empty string is text, not NULL: bound from a literal, never from a nil address.
            if text.isEmpty {
                sqlite3_bind_text(handle, index, "", 0, IndexStore.sqliteTransient)
            } else {
                text.withMemoryRebound(to: CChar.self) {
                    _ = sqlite3_bind_text(
                        handle, index, $0.baseAddress, Int32($0.count), IndexStore.sqliteTransient)
                }
            }
        }
    }

    mutating func bind(bytes: UnsafeRawBufferPointer) {
        index += 1
        // An empty blob is a blob, not NULL (which a nil address would bind).
        guard let start = bytes.baseAddress, !bytes.isEmpty else {
            sqlite3_bind_zeroblob(handle, index, 0)
            return
        }
        sqlite3_bind_blob(handle, index, start, Int32(bytes.count), IndexStore.sqliteTransient)
    }

    mutating func bind(_ value: DatabaseValue) {
        switch value.storage {
        case .null: bind(nil as Int64?)
        case .int64(let number): bind(number)
        case .double(let number): bind(number)
        case .string(let text): bind(text)
        case .blob(let data): data.withUnsafeBytes { bind(bytes: $0) }
        }
    }

    /// Steps the statement once and resets it; throws SQLite's error when the step fails.
    func execute() throws {
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else { throw IndexStore.stepError(database, sql: sql) }
    }
}
