import CZstd
import Foundation
import GRDB
import GRDBSQLite

/// A zstd dictionary trained on an index's own bodies, kept in `stored_text_dictionary`, that new
/// bodies are compressed with (`StoredText.Format.zstdWithTrainedDictionary`).
///
/// A report is a few KB, too short for a compressor to find repeats in itself. A dictionary
/// cut from the index's first few hundred bodies holds what the user's files share (their
/// headers, boilerplate, names and phrases): on the Reuters articles bodies take 0.40× their text
/// instead of 0.51× with deflate and the hand-written English dictionary, for a quarter of the
/// instructions (docs/BENCHMARKS.md, "Bodies compressed with a dictionary of the index's own").
///
/// Read-only once made: one is shared by every reading thread of a run, each compressing with a
/// `BodyCompressor` of its own.
public final class BodyDictionary: @unchecked Sendable {
    /// Its row in `stored_text_dictionary`, written into every body compressed with it.
    public let id: Int64
    private let bytes: [UInt8]
    private let lock = NSLock()
    private var digested: OpaquePointer?

    /// The zstd level bodies are compressed at: level 3 compresses Reuters 2.3 times as fast as
    /// deflate level 6 to a smaller size; level 5 is no smaller with a trained dictionary (0.423×
    /// against 0.418×) for twice the time.
    static let level: Int32 = 3
    /// The most bytes a dictionary may have. Larger dictionaries gain little on reports (0.413×
    /// against 0.420× for 110 KB) and every search process that reads a body loads it whole.
    static let largestSize = 64 * 1024
    /// Training needs at least this many bodies…
    static let fewestSamples = 32
    /// …holding at least this many bytes: below that a dictionary would be mostly noise.
    static let leastSampleBytes = 128 * 1024
    /// Training reads at most this much of one body (what bodies share is mostly near their start:
    /// headers, datelines, standing phrases)…
    static let sampleBytesPerBody = 32 * 1024
    /// …and this much in all (zstd advises about a hundred times the dictionary's size).
    static let mostSampleBytes = 4 * 1024 * 1024

    /// The dictionary of `bytes`, stored under `id`.
    init(id: Int64, bytes: [UInt8]) {
        self.id = id
        self.bytes = bytes
    }

    deinit { if let digested { ZSTD_freeCDict(digested) } }

    /// zstd's digested form for compression (`ZSTD_CDict`), made the first time a body is
    /// compressed (about 0.8 MB of tables for 64 KB, which a run with nothing to read never
    /// needs); zstd allows any number of threads to compress with it at once. Nil when zstd
    /// cannot make it (out of memory).
    var compressionDictionary: OpaquePointer? {
        lock.lock()
        defer { lock.unlock() }
        if digested == nil {
            digested = bytes.withUnsafeBytes { raw in ZSTD_createCDict(raw.baseAddress, raw.count, Self.level)
            }
        }
        return digested
    }

    /// The bytes of a dictionary trained on `samples` (bodies as they will be stored), or nil when
    /// they are too few or too short to train on, or zstd's trainer gives up.
    ///
    /// zstd's fast COVER trainer with fixed parameters (segments of 256 bytes, 8-byte d-mers, no
    /// search over parameters): 0.04 s for 256 Reuters articles, where the default trainer takes
    /// 0.14 s for a slightly worse dictionary.
    ///
    /// Each body gives at most its first ``sampleBytesPerBody``, and the samples stop at
    /// ``mostSampleBytes``: a group of large files must not hold a copy of all their text.
    public static func trained(from samples: [String]) -> [UInt8]? {
        var joined: [UInt8] = []
        var sizes: [Int] = []
        for sample in samples where joined.count < mostSampleBytes {
            let size = min(sample.utf8.count, sampleBytesPerBody, mostSampleBytes - joined.count)
            guard size > 0 else { continue }
            joined.append(contentsOf: sample.utf8.prefix(size))
            sizes.append(size)
        }
        guard sizes.count >= fewestSamples, joined.count >= leastSampleBytes else { return nil }
        let capacity = min(largestSize, joined.count / 4)
        var parameters = ZDICT_fastCover_params_t()
        parameters.k = 256
        parameters.d = 8
        parameters.f = 20
        parameters.accel = 1
        parameters.zParams.compressionLevel = Int32(level)
        var dictionary = [UInt8](repeating: 0, count: capacity)
        let size = dictionary.withUnsafeMutableBytes { output in
            joined.withUnsafeBytes { input in
                ZDICT_trainFromBuffer_fastCover(
                    output.baseAddress, capacity, input.baseAddress, sizes, UInt32(sizes.count), parameters)
            }
        }
        guard ZDICT_isError(size) == 0, size > 0 else { return nil }
        dictionary.removeSubrange(size...)
        return dictionary
    }
}

/// Compresses bodies with a `BodyDictionary`: one zstd context, used by one thread.
final class DictionaryCompressor {
    private let context: OpaquePointer?
    /// Its id goes into every body; held too because `context` refers to its digested tables.
    private let dictionary: BodyDictionary

    init(dictionary: BodyDictionary) {
        self.dictionary = dictionary
        guard let digested = dictionary.compressionDictionary, let context = ZSTD_createCCtx() else {
            context = nil
            return
        }
        self.context = context
        // The length and the dictionary are in the body's own header; zstd need not repeat them.
        ZSTD_CCtx_setParameter(context, ZSTD_c_contentSizeFlag, 0)
        ZSTD_CCtx_setParameter(context, ZSTD_c_dictIDFlag, 0)
        ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 0)
        ZSTD_CCtx_refCDict(context, digested)
    }

    deinit { if let context { ZSTD_freeCCtx(context) } }

    /// `input` as a compressed body (format byte, dictionary id and length as varints, a zstd
    /// frame), or nil when that would not be smaller than the text (or zstd has no memory).
    func compressed(_ input: UnsafeBufferPointer<UInt8>) -> Data? {
        guard let context, input.count > 16 else { return nil }
        var header: [UInt8] = [StoredText.Format.zstdWithTrainedDictionary.rawValue]
        StoredText.appendVarint(UInt64(dictionary.id), to: &header)
        StoredText.appendVarint(UInt64(input.count), to: &header)
        return StoredText.blob(header: header, textBytes: input.count) { room in
            let size = ZSTD_compress2(context, room.baseAddress, room.count, input.baseAddress, input.count)
            return ZSTD_isError(size) == 0 ? size : nil
        }
    }
}

/// The dictionaries a connection has read bodies with, loaded on first use from
/// `stored_text_dictionary` through the connection itself (a search that reads no body of this
/// format loads none).
///
/// Belongs to the `trawl_inflate` function of one connection, which SQLite calls on one thread at
/// a time; the lock only makes that formal.
final class BodyDictionaries: @unchecked Sendable {
    private let connection: SQLiteConnection
    private let lock = NSLock()
    private var decompressionDictionaries: [Int64: OpaquePointer] = [:]
    private var context: OpaquePointer?

    init(connection: SQLiteConnection) { self.connection = connection }

    deinit {
        for dictionary in decompressionDictionaries.values { ZSTD_freeDDict(dictionary) }
        if let context { ZSTD_freeDCtx(context) }
    }

    /// Decompresses `input`, compressed with dictionary `id`, so that it fills exactly `output`;
    /// false when the dictionary is missing or the data is damaged.
    func decompress(
        _ input: UnsafeBufferPointer<UInt8>, dictionary id: Int64,
        into output: UnsafeMutableBufferPointer<UInt8>
    ) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard let dictionary = decompressionDictionary(id) else { return false }
        if context == nil { context = ZSTD_createDCtx() }
        guard let context else { return false }
        let size = ZSTD_decompress_usingDDict(
            context, output.baseAddress, output.count, input.baseAddress, input.count, dictionary)
        return ZSTD_isError(size) == 0 && size == output.count
    }

    /// Dictionary `id`, digested for decompression, read from the index the first time.
    private func decompressionDictionary(_ id: Int64) -> OpaquePointer? {
        if let known = decompressionDictionaries[id] { return known }
        var statement: OpaquePointer?
        guard
            sqlite3_prepare_v2(
                connection, "SELECT data FROM stored_text_dictionary WHERE id = ?", -1, &statement, nil)
                == SQLITE_OK, let statement
        else { return nil }
        defer { sqlite3_finalize(statement) }
        sqlite3_bind_int64(statement, 1, id)
        guard sqlite3_step(statement) == SQLITE_ROW, let bytes = sqlite3_column_blob(statement, 0) else {
            return nil
        }
        guard let digested = ZSTD_createDDict(bytes, Int(sqlite3_column_bytes(statement, 0))) else {
            return nil
        }
        decompressionDictionaries[id] = digested
        return digested
    }
}
