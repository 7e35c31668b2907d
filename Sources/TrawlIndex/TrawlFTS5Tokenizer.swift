import GRDB
import GRDBSQLite
import TrawlText

/// The bridge that lets FTS5 call Trawl's `Tokenizer`, registered under the name `trawl`.
///
/// Documents are tokenized by `TrawlText.Tokenizer`. Query text is different: the
/// Query → MATCH compiler (`Query+FTS5.swift`) has already turned the user's words into index
/// terms, so at query time this tokenizer only splits the quoted text on spaces and passes the
/// terms through unchanged (stemming twice would not be idempotent).
///
///     CREATE VIRTUAL TABLE document_fts USING fts5(body, title, meta, tokenize = 'trawl')
///
/// The argument `plain` (`tokenize = 'trawl plain'`) drops every colocated term (joined forms,
/// the years of dates, transliteration keys). Only the benchmark uses it, to measure what those
/// terms add to the size of an index.
///
/// Every document value is tokenized: term streams, which only the tokenizer benchmark makes, go
/// to a tokenizer of their own (`TermReplayTokenizer`, `trawl_replay`) that only the benchmark
/// registers, so no document pays for a test of the stream marker.
final class TrawlFTS5Tokenizer {
    static let name = "trawl"

    /// The tokenizer argument that drops colocated terms.
    static let plainArgument = "plain"

    /// FTS5_TOKEN_COLOCATED from fts5.h.
    static let colocatedFlag: CInt = 1

    private let tokenizer = Tokenizer()
    private let dropsColocatedTerms: Bool

    /// Stems and keys of the words this connection has indexed.
    ///
    /// A mutable, non-`Sendable` cache is safe here: FTS5 creates one tokenizer object per table
    /// per SQLite connection and only ever calls it from inside that connection's statements, and
    /// GRDB runs all of a connection's statements one at a time on its serial queue; so no two
    /// `tokenize` calls on this object overlap. The object never leaves the connection either
    /// (FTS5 keeps it for the life of the FTS5 table on that connection, until `xDelete`).
    private var cache = TermCache()

    /// A tokenizer for the arguments of `tokenize = 'trawl …'`.
    init(arguments: [String]) {
        dropsColocatedTerms = arguments.contains(Self.plainArgument)
    }

    /// Registers the tokenizer on the connection of `api` (`FTS5.api(db)`, from GRDB).
    ///
    /// Not through GRDB's `add(tokenizer:)`: that one finds the tokenizer object at every call by
    /// a dynamic cast to `any FTS5Tokenizer`, and the first cast in a process scans the runtime's
    /// ~9,000 conformance records (0.35 M instructions of a whole `trawl search`). Here FTS5 hands
    /// back the object itself.
    static func register(with api: UnsafePointer<fts5_api>) throws {
        var callbacks = fts5_tokenizer(xCreate: create, xDelete: delete, xTokenize: tokenize)
        let code = api.pointee.xCreateTokenizer(
            UnsafeMutablePointer(mutating: api), name, nil, &callbacks, nil)
        guard code == SQLITE_OK else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: "cannot register the tokenizer \(name)")
        }
    }

    /// FTS5's `xCreate`: a tokenizer object for one table on one connection, kept by FTS5 until
    /// `xDelete`.
    private static let create:
        @convention(c) (
            UnsafeMutableRawPointer?, UnsafeMutablePointer<UnsafePointer<CChar>?>?, CInt,
            UnsafeMutablePointer<OpaquePointer?>?
        ) -> CInt = { _, argumentPointers, argumentCount, handle in
            guard let handle else { return SQLITE_ERROR }
            var arguments: [String] = []
            for index in 0..<Int(max(argumentCount, 0)) {
                if let argument = argumentPointers?[index] { arguments.append(String(cString: argument)) }
            }
            let tokenizer = TrawlFTS5Tokenizer(arguments: arguments)
            handle.pointee = OpaquePointer(Unmanaged.passRetained(tokenizer).toOpaque())
            return SQLITE_OK
        }

    /// FTS5's `xDelete`: releases the object `create` made.
    private static let delete: @convention(c) (OpaquePointer?) -> Void = { handle in
        guard let handle else { return }
        Unmanaged<TrawlFTS5Tokenizer>.fromOpaque(UnsafeRawPointer(handle)).release()
    }

    /// FTS5's `xTokenize`, handed to the object `create` made.
    private static let tokenize:
        @convention(c) (
            OpaquePointer?, UnsafeMutableRawPointer?, CInt, UnsafePointer<CChar>?, CInt,
            (
                @convention(c) (UnsafeMutableRawPointer?, CInt, UnsafePointer<CChar>?, CInt, CInt, CInt) ->
                    CInt
            )?
        ) -> CInt = { handle, context, flags, text, length, callback in
            guard let handle, let callback else { return SQLITE_ERROR }
            return Unmanaged<TrawlFTS5Tokenizer>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue()
                .tokenize(
                    context: context, tokenization: FTS5Tokenization(rawValue: flags), pText: text,
                    nText: length,
                    tokenCallback: callback)
        }

    func tokenize(
        context: UnsafeMutableRawPointer?,
        tokenization: FTS5Tokenization,
        pText: UnsafePointer<CChar>?,
        nText: CInt,
        tokenCallback: @escaping FTS5TokenCallback
    ) -> CInt {
        guard let text = Self.bytes(pText, nText) else { return 0 }
        let dropsColocatedTerms = dropsColocatedTerms
        /// Hands one term to FTS5 (a colocated one is dropped with `plain`); non-zero stops.
        func emit(_ term: UnsafeBufferPointer<UInt8>, colocated: Bool, start: Int, end: Int) -> CInt {
            if colocated, dropsColocatedTerms { return 0 }
            let pointer = UnsafeRawPointer(term.baseAddress!).assumingMemoryBound(to: CChar.self)
            return tokenCallback(
                context, colocated ? Self.colocatedFlag : 0, pointer, CInt(term.count), CInt(start), CInt(end)
            )
        }
        // Query text is already compiled to index terms, space-separated: passed on as it is.
        if tokenization.contains(.query) {
            return TermStream.forEachTerm(in: text, from: 0) { term, colocated, start, end in
                emit(term, colocated: colocated, start: start, end: end)
            }
        }
        var status: CInt = 0
        tokenizer.tokenize(utf8: text, cache: &cache) { term, start, end, colocated in
            status = emit(term, colocated: colocated, start: start, end: end)
            return status == 0
        }
        return status
    }

    /// The UTF-8 bytes FTS5 hands a tokenizer, or nil when there are none.
    static func bytes(_ pText: UnsafePointer<CChar>?, _ nText: CInt) -> UnsafeBufferPointer<UInt8>? {
        guard let pText, nText > 0 else { return nil }
        return UnsafeBufferPointer(
            start: UnsafeRawPointer(pText).assumingMemoryBound(to: UInt8.self), count: Int(nText))
    }
}
