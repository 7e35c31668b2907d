import GRDB
import TrawlText

/// The bridge that lets FTS5 call Trawl's `Tokenizer`, registered under the name `trawl`.
///
/// Documents are tokenized by `TrawlText.Tokenizer`. Query text is different: the
/// Query → MATCH compiler (`Query+FTS5.swift`) has already turned the user's words into index
/// terms, so at query time this tokenizer only splits the quoted text on spaces and passes the
/// terms through unchanged (stemming twice would not be idempotent).
///
///     CREATE VIRTUAL TABLE document_fts USING fts5(title, body, tokenize = 'trawl')
///
/// The argument `plain` (`tokenize = 'trawl plain'`) drops every colocated term (joined forms,
/// the years of dates, transliteration keys). Only the benchmark uses it, to measure what those
/// terms add to the size of an index.
///
/// A document value that is a term stream (`TermStream`: terms computed beforehand, which only the
/// tokenizer benchmark makes) is replayed term by term instead of being tokenized.
final class TrawlFTS5Tokenizer: FTS5CustomTokenizer {
    static let name = "trawl"

    /// The tokenizer argument that drops colocated terms.
    static let plainArgument = "plain"

    /// FTS5_TOKEN_COLOCATED from fts5.h.
    private static let colocatedFlag: CInt = 1

    private let tokenizer = Tokenizer()
    private let dropsColocatedTerms: Bool

    /// Stems and keys of the words this connection has indexed.
    ///
    /// A mutable, non-`Sendable` cache is safe here: FTS5 creates one tokenizer object per table
    /// per SQLite connection and only ever calls it from inside that connection's statements, and
    /// GRDB runs all of a connection's statements one at a time on its serial queue; so no two
    /// `tokenize` calls on this object overlap. The object never leaves the connection either
    /// (GRDB keeps it for the life of the FTS5 table on that connection).
    private var cache = TermCache()

    init(db: Database, arguments: [String]) throws {
        dropsColocatedTerms = arguments.contains(Self.plainArgument)
    }

    func tokenize(
        context: UnsafeMutableRawPointer?,
        tokenization: FTS5Tokenization,
        pText: UnsafePointer<CChar>?,
        nText: CInt,
        tokenCallback: @escaping FTS5TokenCallback
    ) -> CInt {
        guard let pText, nText > 0 else { return 0 }
        let text = UnsafeBufferPointer(
            start: UnsafeRawPointer(pText).assumingMemoryBound(to: UInt8.self), count: Int(nText))
        if tokenization.contains(.query) {
            return Self.passCompiledTerms(text, context: context, tokenCallback: tokenCallback)
        }
        let dropsColocatedTerms = dropsColocatedTerms
        if TermStream.isStream(text) {
            return TermStream.forEachTerm(in: text) { term, colocated, start, end in
                if colocated, dropsColocatedTerms { return 0 }
                let pointer = UnsafeRawPointer(term.baseAddress!).assumingMemoryBound(to: CChar.self)
                return tokenCallback(
                    context, colocated ? Self.colocatedFlag : 0, pointer, CInt(term.count), CInt(start),
                    CInt(end))
            }
        }
        var status: CInt = 0
        tokenizer.tokenize(utf8: text, cache: &cache) { term, start, end, colocated in
            if colocated, dropsColocatedTerms { return true }
            let pointer = UnsafeRawPointer(term.baseAddress!).assumingMemoryBound(to: CChar.self)
            status = tokenCallback(
                context, colocated ? Self.colocatedFlag : 0, pointer, CInt(term.count), CInt(start), CInt(end)
            )
            return status == 0
        }
        return status
    }

    /// Emits each space-separated term of compiled query text as it is.
    private static func passCompiledTerms(
        _ text: UnsafeBufferPointer<UInt8>, context: UnsafeMutableRawPointer?,
        tokenCallback: FTS5TokenCallback
    ) -> CInt {
        var index = 0
        while index < text.count {
            while index < text.count, text[index] == UInt8(ascii: " ") { index += 1 }
            let start = index
            while index < text.count, text[index] != UInt8(ascii: " ") { index += 1 }
            if index > start {
                let pointer = UnsafeRawPointer(text.baseAddress! + start).assumingMemoryBound(to: CChar.self)
                let status = tokenCallback(context, 0, pointer, CInt(index - start), CInt(start), CInt(index))
                if status != 0 { return status }
            }
        }
        return 0
    }
}
