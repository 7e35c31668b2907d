import GRDB

/// The FTS5 tokenizer `trawl_replay`: indexes a term stream (`TermStream`) term by term, as it
/// was computed, and anything else exactly as the `trawl` tokenizer would.
///
/// Only `FTS5InsertProbe` (the tokenizer benchmark) registers it, so an index `trawl` opens
/// cannot replay streams and its `trawl` tokenizer never looks for the stream marker.
///
///     CREATE VIRTUAL TABLE probe USING fts5(body, title, meta, content = '', tokenize = 'trawl_replay')
final class TermReplayTokenizer: FTS5CustomTokenizer {
    static let name = "trawl_replay"

    private let text: TrawlFTS5Tokenizer

    init(db: Database, arguments: [String]) throws {
        text = TrawlFTS5Tokenizer(arguments: arguments)
    }

    func tokenize(
        context: UnsafeMutableRawPointer?,
        tokenization: FTS5Tokenization,
        pText: UnsafePointer<CChar>?,
        nText: CInt,
        tokenCallback: @escaping FTS5TokenCallback
    ) -> CInt {
        guard let bytes = TrawlFTS5Tokenizer.bytes(pText, nText), TermStream.isStream(bytes) else {
            return text.tokenize(
                context: context, tokenization: tokenization, pText: pText, nText: nText,
                tokenCallback: tokenCallback)
        }
        return TermStream.forEachTerm(in: bytes, from: 1) { term, colocated, start, end in
            let pointer = UnsafeRawPointer(term.baseAddress!).assumingMemoryBound(to: CChar.self)
            return tokenCallback(
                context, colocated ? TrawlFTS5Tokenizer.colocatedFlag : 0, pointer, CInt(term.count),
                CInt(start), CInt(end))
        }
    }
}
