import GRDB
import GRDBSQLite

/// `trawl_occurrences(document_fts)`, an FTS5 auxiliary function registered on every connection:
/// for the row at hand, each column's length in tokens and every instance of the MATCH's phrases
/// (phrase, column, token offset) — the positions FTS5 stores, read for the rows a query asks for
/// instead of for every posting of the terms (as `fts5vocab` does).
///
/// The result is a blob of native-endian `Int32`: the column count, the column lengths, then
/// three numbers per instance (phrase, column, offset).
enum FTS5Occurrences {
    static let functionName = "trawl_occurrences"

    /// Registers the function on `db` (`SELECT fts5(?)` hands out FTS5's API, as for tokenizers).
    static func register(in db: Database) throws {
        var api: UnsafeMutablePointer<fts5_api>? = nil
        var statement: OpaquePointer? = nil
        guard sqlite3_prepare_v2(db.sqliteConnection, "SELECT fts5(?)", -1, &statement, nil) == SQLITE_OK
        else {
            throw DatabaseError(resultCode: .SQLITE_ERROR, message: "FTS5 is not available")
        }
        defer { sqlite3_finalize(statement) }
        withUnsafeMutablePointer(to: &api) { pointer in
            _ = sqlite3_bind_pointer(statement, 1, pointer, "fts5_api_ptr", nil)
            _ = sqlite3_step(statement)
        }
        guard let api, api.pointee.iVersion >= 2,
            api.pointee.xCreateFunction(api, functionName, nil, occurrences, nil) == SQLITE_OK
        else {
            throw DatabaseError(resultCode: .SQLITE_ERROR, message: "cannot register \(functionName)")
        }
    }

    /// Decodes one row's result: column lengths and (phrase, column, offset) instances.
    static func decode(_ bytes: [UInt8]) -> (
        lengths: [Int], instances: [(phrase: Int, column: Int, offset: Int)]
    ) {
        let numbers: [Int32] = bytes.withUnsafeBytes { raw in
            Array(raw.bindMemory(to: Int32.self).prefix(bytes.count / 4))
        }
        guard let columns = numbers.first.map(Int.init), columns >= 0, numbers.count >= 1 + columns else {
            return ([], [])
        }
        let lengths = numbers[1..<(1 + columns)].map(Int.init)
        var instances: [(phrase: Int, column: Int, offset: Int)] = []
        var index = 1 + columns
        while index + 2 < numbers.count {
            instances.append((Int(numbers[index]), Int(numbers[index + 1]), Int(numbers[index + 2])))
            index += 3
        }
        return (lengths, instances)
    }

    /// SQLite's `SQLITE_TRANSIENT`: the result bytes are copied before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private static let occurrences: fts5_extension_function = { api, fts, context, _, _ in
        guard let api = api?.pointee, let xColumnCount = api.xColumnCount, let xColumnSize = api.xColumnSize,
            let xInstCount = api.xInstCount, let xInst = api.xInst
        else {
            sqlite3_result_error(context, "FTS5 API missing", -1)
            return
        }
        let columns = xColumnCount(fts)
        var numbers: [Int32] = [columns]
        for column in 0..<columns {
            var size: Int32 = 0
            guard xColumnSize(fts, column, &size) == SQLITE_OK else {
                sqlite3_result_error(context, "FTS5 column size unavailable", -1)
                return
            }
            numbers.append(size)
        }
        var count: Int32 = 0
        guard xInstCount(fts, &count) == SQLITE_OK else {
            sqlite3_result_error(context, "FTS5 instances unavailable", -1)
            return
        }
        numbers.reserveCapacity(numbers.count + 3 * Int(count))
        for instance in 0..<count {
            var phrase: Int32 = 0
            var column: Int32 = 0
            var offset: Int32 = 0
            guard xInst(fts, instance, &phrase, &column, &offset) == SQLITE_OK else {
                sqlite3_result_error(context, "FTS5 instance unavailable", -1)
                return
            }
            numbers += [phrase, column, offset]
        }
        numbers.withUnsafeBytes { bytes in
            sqlite3_result_blob(context, bytes.baseAddress, Int32(bytes.count), transient)
        }
    }
}
