import CZlib
import Foundation
import GRDB

/// How document bodies are kept in `document_store.body`: deflate-compressed, unless compression
/// would not make them smaller.
///
/// A compressed body is a BLOB: one format byte, the UTF-8 length as a varint (7 bits a byte, low
/// bits first), then a raw deflate stream (no zlib header or checksum: SQLite already checks its
/// pages); or, once the index has a dictionary trained on its own bodies (`BodyDictionary`), the
/// format byte, the dictionary's id and the length as varints, then a zstd frame. A body that
/// would not shrink stays TEXT, unchanged. Readers never see either form: the
/// `document` view hands out `trawl_inflate(body)`, and this type registers that SQL function on
/// every connection:
///
///     CREATE VIEW document AS SELECT id, path, title, trawl_inflate(body) AS body, … FROM document_store
///     SELECT trawl_inflate(x'01…'), trawl_inflate('plain')    -- 'the text', 'plain'
///     SELECT trawl_deflate('some text')                        -- BLOB, or the TEXT when it would not shrink
enum StoredText {
    /// The first byte of a compressed body: which deflate setup wrote it.
    enum Format: UInt8 {
        /// Raw deflate, no preset dictionary.
        case deflate = 1
        /// Raw deflate primed with `StoredTextDictionary.version1`.
        case deflateWithDictionary = 2
        /// A zstd frame compressed with a `BodyDictionary` of the index (its id follows the byte).
        case zstdWithTrainedDictionary = 3
    }

    /// The deflate level used for new bodies (1 fastest … 9 smallest). On the Reuters articles
    /// level 1 stores 5% more and saves little time (see docs/BENCHMARKS.md).
    static let level: Int32 = 6
    /// zlib's memory level: 5 gives a 4096-entry hash table, as good as the default 8 for
    /// reports of a few KB, and each reset clears 8 KB instead of 64 KB.
    static let memoryLevel: Int32 = 5
    /// The format new bodies are written in until the index has a `BodyDictionary`.
    static let format: Format = .deflateWithDictionary

    /// Registers `trawl_inflate(body)` and `trawl_deflate(text)` on `db`.
    static func register(in db: Database) {
        let dictionaries = BodyDictionaries(connection: db.sqliteConnection!)
        db.add(
            function: DatabaseFunction("trawl_inflate", argumentCount: 1, pure: true) { values in
                try decoded(values[0], dictionaries: dictionaries)
            })
        db.add(
            function: DatabaseFunction("trawl_deflate", argumentCount: 1, pure: true) { values in
                guard let text = String.fromDatabaseValue(values[0]) else { return values[0] }
                let deflater = TextDeflater()
                return deflater.encoded(text)
            })
    }

    /// The text a stored body holds: TEXT as it is, a compressed BLOB inflated, NULL as NULL.
    /// A body compressed with a trained dictionary needs the `dictionaries` of its connection.
    static func decoded(_ value: DatabaseValue, dictionaries: BodyDictionaries? = nil) throws -> String? {
        switch value.storage {
        case .null: return nil
        case .string(let text): return text
        case .blob(let data): return try inflated(data, dictionaries: dictionaries)
        case .int64(let number): return String(number)
        case .double(let number): return String(number)
        }
    }

    /// Inflates a compressed body (format byte, varint length, raw deflate; or format byte,
    /// varint dictionary id and length, zstd frame).
    static func inflated(_ data: Data, dictionaries: BodyDictionaries? = nil) throws -> String {
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws -> String in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard let first = bytes.first, let format = Format(rawValue: first) else {
                throw StoredTextError.unknownFormat
            }
            var index = 1
            let dictionary = format == .zstdWithTrainedDictionary ? try varint(in: bytes, at: &index) : 0
            let length = try varint(in: bytes, at: &index)
            guard length <= Int.max else { throw StoredTextError.damaged }
            let input = UnsafeBufferPointer(rebasing: bytes[index...])
            var failed = false
            let text = String(unsafeUninitializedCapacity: Int(length)) { output in
                if format == .zstdWithTrainedDictionary {
                    guard let dictionaries, dictionary <= Int64.max else {
                        failed = true
                        return 0
                    }
                    failed = !dictionaries.decompress(input, dictionary: Int64(dictionary), into: output)
                } else {
                    failed = !inflate(input, into: output, format: format)
                }
                return failed ? 0 : Int(length)
            }
            if failed { throw StoredTextError.damaged }
            return text
        }
    }

    /// The value to store for `text`: the BLOB `compress` makes of its UTF-8, or the TEXT itself
    /// when it makes none (compression would not make it smaller).
    static func stored(_ text: String, compressedBy compress: (UnsafeBufferPointer<UInt8>) -> Data?)
        -> DatabaseValue
    {
        var text = text
        let blob = text.withUTF8 { compress($0) }
        return blob.map { $0.databaseValue } ?? text.databaseValue
    }

    /// A compressed body of `textBytes` bytes of text: `header`, then what `compress` writes into
    /// the room after it, so that the whole is never longer than the text (a body is worth
    /// storing compressed only when it is smaller). `compress` returns how many bytes it wrote,
    /// or nil when they do not fit or it fails; then this is nil too.
    static func blob(
        header: [UInt8], textBytes: Int, compress: (UnsafeMutableRawBufferPointer) -> Int?
    ) -> Data? {
        let capacity = textBytes - header.count
        guard capacity > 0 else { return nil }
        var output = Data(count: header.count + capacity)
        let written = output.withUnsafeMutableBytes { (raw: UnsafeMutableRawBufferPointer) -> Int? in
            raw.copyBytes(from: header)
            return compress(UnsafeMutableRawBufferPointer(rebasing: raw[header.count...]))
        }
        guard let written else { return nil }
        output.count = header.count + written
        return output
    }

    /// Appends `value` as a varint: 7 bits a byte, low bits first, the high bit set on all but the
    /// last byte.
    static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7f) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// The varint at `index` of `bytes`, moving `index` past it.
    private static func varint(in bytes: UnsafeBufferPointer<UInt8>, at index: inout Int) throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < bytes.count, shift < 63 else { throw StoredTextError.damaged }
            let byte = bytes[index]
            index += 1
            value |= UInt64(byte & 0x7f) << shift
            shift += 7
            if byte & 0x80 == 0 { return value }
        }
    }

    /// Inflates `input` so that it fills exactly `output`; false when the data is damaged.
    private static func inflate(
        _ input: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>, format: Format
    ) -> Bool {
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else { return false }
        defer { inflateEnd(&stream) }
        if format == .deflateWithDictionary {
            let status = StoredTextDictionary.version1.withUnsafeBufferPointer { dictionary in
                inflateSetDictionary(&stream, dictionary.baseAddress, uInt(dictionary.count))
            }
            guard status == Z_OK else { return false }
        }
        // zlib does not write through next_in; the pointer is only declared mutable.
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
        stream.avail_in = uInt(input.count)
        stream.next_out = output.baseAddress
        stream.avail_out = uInt(output.count)
        let status = CZlib.inflate(&stream, Z_FINISH)
        return status == Z_STREAM_END && stream.avail_out == 0
    }
}

/// A body that `trawl_inflate` cannot read.
enum StoredTextError: Error, CustomStringConvertible {
    /// The BLOB starts with a format byte this version does not know.
    case unknownFormat
    /// The compressed data is cut short or corrupt.
    case damaged

    var description: String {
        switch self {
        case .unknownFormat: "A stored document body is in a format this version of Trawl does not know."
        case .damaged: "A stored document body is damaged (its compressed data does not inflate)."
        }
    }
}

/// A zlib deflate stream reused for many bodies, so that each body costs a reset instead of a
/// fresh 256 KiB allocation. Owned by one write transaction; not shared between threads.
final class TextDeflater {
    private let stream: UnsafeMutablePointer<z_stream>
    private let isReady: Bool
    private let format: StoredText.Format

    init(level: Int32 = StoredText.level, format: StoredText.Format = StoredText.format) {
        self.format = format
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        isReady =
            deflateInit2_(
                stream, level, Z_DEFLATED, -MAX_WBITS, StoredText.memoryLevel, Z_DEFAULT_STRATEGY,
                ZLIB_VERSION,
                Int32(MemoryLayout<z_stream>.size)) == Z_OK
    }

    deinit {
        if isReady { deflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// The value to store for `text`: a compressed BLOB, or the TEXT itself when compression
    /// would not make it smaller.
    func encoded(_ text: String) -> DatabaseValue {
        StoredText.stored(text, compressedBy: compressed)
    }

    /// `input` as a compressed body (format byte, varint length, raw deflate), or nil when that
    /// would not be smaller than the text.
    func compressed(_ input: UnsafeBufferPointer<UInt8>) -> Data? {
        guard isReady, input.count > 16, deflateReset(stream) == Z_OK else { return nil }
        if format == .deflateWithDictionary {
            let status = StoredTextDictionary.version1.withUnsafeBufferPointer { dictionary in
                deflateSetDictionary(stream, dictionary.baseAddress, uInt(dictionary.count))
            }
            guard status == Z_OK else { return nil }
        }
        var header: [UInt8] = [format.rawValue]
        StoredText.appendVarint(UInt64(input.count), to: &header)
        return StoredText.blob(header: header, textBytes: input.count) { room in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.pointee.avail_in = uInt(input.count)
            stream.pointee.next_out = room.baseAddress!.assumingMemoryBound(to: UInt8.self)
            stream.pointee.avail_out = uInt(room.count)
            guard deflate(stream, Z_FINISH) == Z_STREAM_END else { return nil }
            return room.count - Int(stream.pointee.avail_out)
        }
    }
}

/// A document body in its stored form (deflate-compressed, or the text itself when that is
/// smaller), made ahead of the write by a `BodyCompressor`.
public struct StoredBody: Sendable, Hashable {
    let value: DatabaseValue
}

/// Compresses bodies for storage on the calling thread, so readers on other cores do this work
/// and the single SQLite writer only stores the result: with the index's `BodyDictionary` when it
/// has one, else with deflate.
///
/// Holds one compression stream: use one per thread (it is not `Sendable`).
public final class BodyCompressor {
    private enum Method {
        case deflate(TextDeflater)
        case trainedDictionary(DictionaryCompressor)
    }
    private let method: Method

    /// A compressor for bodies of an index with `dictionary`, or without one (nil).
    public init(dictionary: BodyDictionary? = nil) {
        method =
            dictionary.map { .trainedDictionary(DictionaryCompressor(dictionary: $0)) }
            ?? .deflate(TextDeflater())
    }

    /// Attaches the stored form of `record.body` to `record`.
    public func prepare(_ record: inout DocumentRecord) {
        record.storedBody = StoredBody(value: stored(record.body))
    }

    /// The value to store for `text`: a compressed BLOB, or the TEXT itself when compression
    /// would not make it smaller.
    func stored(_ text: String) -> DatabaseValue {
        switch method {
        case .deflate(let deflater): StoredText.stored(text, compressedBy: deflater.compressed)
        case .trainedDictionary(let compressor): StoredText.stored(text, compressedBy: compressor.compressed)
        }
    }
}
