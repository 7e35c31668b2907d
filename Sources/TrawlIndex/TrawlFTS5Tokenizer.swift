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
/// The argument `replay` (`tokenize = 'trawl replay'`) takes text that is already a list of
/// Trawl's terms, separated by spaces, a colocated term prefixed with `replayColocatedMarker`, and
/// emits them as they are. Only the benchmark uses it: inserting such text measures what FTS5
/// itself spends on Trawl's terms, with next to nothing spent on tokenizing.
final class TrawlFTS5Tokenizer: FTS5CustomTokenizer {
    static let name = "trawl"

    /// The tokenizer argument that drops colocated terms.
    static let plainArgument = "plain"

    /// The tokenizer argument that replays pre-tokenized text.
    static let replayArgument = "replay"

    /// The byte before a colocated term in pre-tokenized text.
    static let replayColocatedMarker = UInt8(0x01)

    /// FTS5_TOKEN_COLOCATED from fts5.h.
    private static let colocatedFlag: CInt = 1

    private let tokenizer = Tokenizer()
    private let dropsColocatedTerms: Bool
    private let replaysTerms: Bool

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
        replaysTerms = arguments.contains(Self.replayArgument)
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
        if tokenization.contains(.query) || replaysTerms {
            return Self.passCompiledTerms(
                text, colocatedMarker: replaysTerms, context: context, tokenCallback: tokenCallback)
        }
        var status: CInt = 0
        let dropsColocatedTerms = dropsColocatedTerms
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

    /// Emits each space-separated term of compiled query text (or replayed text) as it is; with
    /// `colocatedMarker`, a term that starts with `replayColocatedMarker` is sent colocated.
    private static func passCompiledTerms(
        _ text: UnsafeBufferPointer<UInt8>, colocatedMarker: Bool = false, context: UnsafeMutableRawPointer?,
        tokenCallback: FTS5TokenCallback
    ) -> CInt {
        var index = 0
        while index < text.count {
            while index < text.count, text[index] == UInt8(ascii: " ") { index += 1 }
            var flags: CInt = 0
            if colocatedMarker, index < text.count, text[index] == replayColocatedMarker {
                flags = colocatedFlag
                index += 1
            }
            let start = index
            while index < text.count, text[index] != UInt8(ascii: " ") { index += 1 }
            if index > start {
                let pointer = UnsafeRawPointer(text.baseAddress! + start).assumingMemoryBound(to: CChar.self)
                let status = tokenCallback(
                    context, flags, pointer, CInt(index - start), CInt(start), CInt(index))
                if status != 0 { return status }
            }
        }
        return 0
    }

    /// `text` as the pre-tokenized text that `tokenize = 'trawl replay'` reads: Trawl's terms
    /// separated by spaces, each colocated term prefixed with `replayColocatedMarker`.
    static func replayText(of text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        for token in Tokenizer().tokens(in: text) {
            if !output.isEmpty { output.append(UInt8(ascii: " ")) }
            if token.colocated { output.append(replayColocatedMarker) }
            output.append(contentsOf: token.term.utf8)
        }
        return String(decoding: output, as: UTF8.self)
    }
}
