import Foundation
import GRDB

/// Collection-wide numbers BM25 needs: how many documents there are and their average field lengths.
public struct CollectionStatistics: Sendable, Hashable {
    /// Documents in the index.
    public var documentCount: Int
    /// Mean number of token positions in a title.
    public var averageTitleLength: Double
    /// Mean number of token positions in a body.
    public var averageBodyLength: Double

    /// Creates statistics from their parts.
    public init(documentCount: Int, averageTitleLength: Double, averageBodyLength: Double) {
        self.documentCount = documentCount
        self.averageTitleLength = averageTitleLength
        self.averageBodyLength = averageBodyLength
    }
}

extension IndexStore {
    /// The document count and average field lengths, read from FTS5's own averages record.
    ///
    /// FTS5 keeps, in row 1 of its `_data` table, a blob of SQLite varints: the row count, then
    /// the total token count of each column. Reading it costs one row, however large the index.
    ///
    ///     SELECT block FROM document_fts_data WHERE id = 1
    public func collectionStatistics() throws(IndexError) -> CollectionStatistics {
        try wrap {
            try database.read { db in
                let block = try Data.fetchOne(db, sql: "SELECT block FROM document_fts_data WHERE id = 1")
                let numbers = block.map { Self.varints(in: [UInt8]($0), count: 3) } ?? []
                guard numbers.count == 3, numbers[0] > 0 else {
                    return CollectionStatistics(documentCount: 0, averageTitleLength: 0, averageBodyLength: 0)
                }
                let count = Double(numbers[0])
                return CollectionStatistics(
                    documentCount: Int(numbers[0]), averageTitleLength: Double(numbers[1]) / count,
                    averageBodyLength: Double(numbers[2]) / count)
            }
        }
    }

    /// How many documents contain at least one of `terms`, or a term starting with one of
    /// `prefixes` (index terms, in title or body).
    ///
    ///     SELECT count(*) FROM document_fts WHERE document_fts MATCH '"t1" OR "t2" OR "p" *'
    public func documentFrequency(ofAnyOf terms: [String], prefixes: [String] = []) throws(IndexError) -> Int
    {
        let alternatives =
            terms.map { FTS5QueryCompiler.quoted([$0]) }
            + prefixes.map { FTS5QueryCompiler.quoted([$0]) + " *" }
        guard !alternatives.isEmpty else { return 0 }
        let match = alternatives.joined(separator: " OR ")
        return try wrap {
            try database.read { db in
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM document_fts WHERE document_fts MATCH ?",
                    arguments: [match]) ?? 0
            }
        }
    }

    /// Decodes up to `count` SQLite varints (big-endian 7-bit groups, the ninth byte whole).
    static func varints(in bytes: [UInt8], count: Int) -> [Int64] {
        var values: [Int64] = []
        var index = 0
        while values.count < count, index < bytes.count {
            var value: UInt64 = 0
            var byteCount = 0
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                byteCount += 1
                if byteCount == 9 {
                    value = (value << 8) | UInt64(byte)
                    break
                }
                value = (value << 7) | UInt64(byte & 0x7f)
                if byte & 0x80 == 0 { break }
            }
            values.append(Int64(bitPattern: value))
        }
        return values
    }
}
