import Foundation
import GRDB
import GRDBSQLite

/// `trawl_occurrences(document_fts)`, an FTS5 auxiliary function registered on every connection:
/// for the row at hand, each column's length in tokens and every instance of the MATCH's phrases
/// (phrase, column, token offset) — the positions FTS5 stores, read for the rows a query asks for
/// instead of for every posting of the terms (as `fts5vocab` does).
///
/// The result is a blob of native-endian `Int32`: the column count, the column lengths, then
/// three numbers per instance (phrase, column, offset), with columns numbered and ordered as
/// fields (title 0, body 1, meta 2), not as `document_fts` declares them (`FullTextColumns`).
enum FTS5Occurrences {
    static let functionName = "trawl_occurrences"

    /// Registers the function on the connection of `api` (`FTS5.api(db)`, from GRDB).
    static func register(with api: UnsafePointer<fts5_api>) throws {
        guard api.pointee.iVersion >= 2,
            api.pointee.xCreateFunction(
                UnsafeMutablePointer(mutating: api), functionName, nil, occurrences, nil)
                == SQLITE_OK
        else {
            throw DatabaseError(resultCode: .SQLITE_ERROR, message: "cannot register \(functionName)")
        }
    }

    /// Decodes one row's result: column lengths and (phrase, column, offset) instances.
    static func decode(_ blob: some ContiguousBytes) -> (
        lengths: [Int], instances: [(phrase: Int, column: Int, offset: Int)]
    ) {
        blob.withUnsafeBytes { bytes in
            let count = bytes.count / 4
            func number(_ index: Int) -> Int { Self.number(index, in: bytes) }
            guard count >= 1, case let columns = number(0), columns >= 0, count >= 1 + columns else {
                return ([], [])
            }
            let lengths = (1..<(1 + columns)).map(number)
            let instances = stride(from: 1 + columns, to: count - 2, by: 3).map {
                (phrase: number($0), column: number($0 + 1), offset: number($0 + 2))
            }
            return (lengths, instances)
        }
    }

    /// One row's result read as a posting of its one phrase: the three fields' lengths, and how
    /// many distinct positions of each field hold an instance (the phrase a prefix, colocated
    /// matching terms share a position); nil unless the row has three columns. Reads the blob in
    /// place, allocating nothing.
    static func fieldFrequencies(in bytes: UnsafeRawBufferPointer) -> (
        lengths: (Int, Int, Int), frequencies: (Int, Int, Int)
    )? {
        let count = bytes.count / 4
        func number(_ index: Int) -> Int { Self.number(index, in: bytes) }
        guard count >= 4, number(0) == 3 else { return nil }
        var frequencies = (0, 0, 0)
        var last = (column: -1, offset: -1)
        // Instances come in field order, by position within a field.
        for start in stride(from: 4, to: count - 2, by: 3) {
            let (column, offset) = (number(start + 1), number(start + 2))
            guard (column, offset) != last else { continue }
            last = (column, offset)
            switch column {
            case 0: frequencies.0 += 1
            case 1: frequencies.1 += 1
            default: frequencies.2 += 1
            }
        }
        return ((number(1), number(2), number(3)), frequencies)
    }

    /// The `index`th native-endian `Int32` of a result.
    private static func number(_ index: Int, in bytes: UnsafeRawBufferPointer) -> Int {
        Int(bytes.loadUnaligned(fromByteOffset: 4 * index, as: Int32.self))
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
        var count: Int32 = 0
        guard xInstCount(fts, &count) == SQLITE_OK else {
            sqlite3_result_error(context, "FTS5 instances unavailable", -1)
            return
        }
        // Sized once: this runs for every row a champion list is built from.
        var numbers: [Int32] = []
        numbers.reserveCapacity(1 + Int(columns) + 3 * Int(count))
        numbers.append(columns)
        // Lengths and instances in field order (`FullTextColumns`).
        for field in 0..<columns {
            var size: Int32 = 0
            guard xColumnSize(fts, Int32(FullTextColumns.swapped(Int(field))), &size) == SQLITE_OK else {
                sqlite3_result_error(context, "FTS5 column size unavailable", -1)
                return
            }
            numbers.append(size)
        }
        let start = numbers.count
        var order = FullTextColumns.OrderCheck()
        let read = forEachInstance(count, of: fts, xInst) { phrase, column, offset in
            let field = FullTextColumns.swapped(Int(column))
            order.see(field: field)
            numbers.append(phrase)
            numbers.append(Int32(field))
            numbers.append(offset)
        }
        guard read else {
            sqlite3_result_error(context, "FTS5 instance unavailable", -1)
            return
        }
        if order.needsSorting {
            var instances = stride(from: start, to: numbers.count, by: 3).map {
                (phrase: numbers[$0], field: numbers[$0 + 1], offset: numbers[$0 + 2])
            }
            FullTextColumns.sortByField(&instances) { Int($0.field) }
            numbers.replaceSubrange(start..., with: instances.flatMap { [$0.phrase, $0.field, $0.offset] })
        }
        numbers.withUnsafeBytes { bytes in
            sqlite3_result_blob(context, bytes.baseAddress, Int32(bytes.count), transient)
        }
    }

    /// Calls `body` with each of the `count` instances (phrase, column, token offset) of the row
    /// at hand, in FTS5's order (by column and offset); false when FTS5 cannot give one.
    static func forEachInstance(
        _ count: Int32, of fts: OpaquePointer?,
        _ xInst:
            @convention(c) (
                OpaquePointer?, Int32, UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<Int32>?,
                UnsafeMutablePointer<Int32>?
            ) -> Int32,
        _ body: (_ phrase: Int32, _ column: Int32, _ offset: Int32) -> Void
    ) -> Bool {
        for instance in 0..<count {
            var phrase: Int32 = 0
            var column: Int32 = 0
            var offset: Int32 = 0
            guard xInst(fts, instance, &phrase, &column, &offset) == SQLITE_OK else { return false }
            body(phrase, column, offset)
        }
        return true
    }
}
