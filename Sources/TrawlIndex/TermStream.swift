import Foundation
import GRDB
import TrawlText

/// Text already turned into terms, in a form the `trawl_replay` FTS5 tokenizer
/// (`TermReplayTokenizer`, registered only by the benchmark's `FTS5InsertProbe`) replays as it is.
///
/// The tokenizer benchmark inserts term streams (Trawl's terms, or the built-in tokenizer's)
/// to measure what FTS5 itself spends on a set of terms, apart from tokenizing. A stream starts
/// with the byte `0xFF`, which never occurs in UTF-8 text:
///
///     0xFF "oil" " " "price" " " "al" " " 0x01 "alsudani" " " "sudani"
///
/// (`0x01` marks a term colocated with the one before it).
///
/// `trawl index` could hand FTS5 streams made on the reader threads instead of text, leaving the
/// single writer only FTS5's own work. Measured on the 2-core machine (Reuters, 3 interleaved
/// runs): no faster (1.40 → 1.42 s; the readers and the writer share the same two cores, and
/// building the streams costs more than the tokenizing it saves) and 8 MB more memory, so it does
/// not.
@_spi(Benchmark) public enum TermStream {
    /// The first byte of every term stream.
    static let marker: UInt8 = 0xFF
    /// The byte before a colocated term.
    static let colocatedMarker: UInt8 = 0x01
    static let separator = UInt8(ascii: " ")

    /// Whether `text`, as FTS5 passes it to the tokenizer, is a term stream.
    static func isStream(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        text.first == marker
    }

    /// The term stream of `text` as a blob for FTS5.
    static func encoded(_ text: String, tokenizer: Tokenizer) -> DatabaseValue {
        Data(bytes(of: text, tokenizer: tokenizer)).databaseValue
    }

    /// The term stream of `text`, marker first.
    static func bytes(of text: String, tokenizer: Tokenizer) -> [UInt8] {
        var output: [UInt8] = [marker]
        output.reserveCapacity(text.utf8.count + 16)
        var copy = text
        copy.withUTF8 { bytes in
            tokenizer.tokenize(utf8: bytes) { term, _, _, colocated in
                append(term, colocated: colocated, to: &output)
                return true
            }
        }
        return output
    }

    /// The terms of `text` as Trawl indexes them, each with its position: the term stream
    /// decoded, a colocated term at the position of the term before it (`trawl-bench terms`, for
    /// indexes outside Trawl that must hold exactly Trawl's terms).
    @_spi(Benchmark) public static func positionedTerms(
        of text: String, tokenizer: Tokenizer
    ) -> [(position: Int, term: String)] {
        let stream = bytes(of: text, tokenizer: tokenizer)
        var terms: [(position: Int, term: String)] = []
        var position = -1
        stream.withUnsafeBufferPointer { buffer in
            _ = forEachTerm(in: buffer, from: 1) { term, colocated, _, _ in
                if !colocated || position < 0 { position += 1 }
                terms.append((position, String(decoding: term, as: UTF8.self)))
                return 0
            }
        }
        return terms
    }

    /// The term stream of `terms` given as they are (none colocated), as a blob for FTS5.
    static func encoded(terms: [String]) -> DatabaseValue {
        var output: [UInt8] = [marker]
        for term in terms {
            var term = term
            term.withUTF8 { append($0, colocated: false, to: &output) }
        }
        return Data(output).databaseValue
    }

    private static func append(_ term: UnsafeBufferPointer<UInt8>, colocated: Bool, to output: inout [UInt8])
    {
        if output.count > 1 { output.append(separator) }
        if colocated { output.append(colocatedMarker) }
        output.append(contentsOf: term)
    }

    /// Calls `body` with each space-separated term of `stream` from byte `first` (1 for a term
    /// stream, past its marker; 0 for compiled query text, which has the same form), whether it is
    /// colocated, and its byte range in `stream`; stops at the first non-zero status and returns it.
    static func forEachTerm(
        in stream: UnsafeBufferPointer<UInt8>, from first: Int,
        _ body: (_ term: UnsafeBufferPointer<UInt8>, _ colocated: Bool, _ start: Int, _ end: Int) -> CInt
    ) -> CInt {
        var index = first
        let count = stream.count
        while index < count {
            var colocated = false
            if stream[index] == colocatedMarker {
                colocated = true
                index += 1
            }
            let start = index
            while index < count, stream[index] != separator { index += 1 }
            if index > start {
                let status = body(
                    UnsafeBufferPointer(rebasing: stream[start..<index]), colocated, start, index)
                if status != 0 { return status }
            }
            index += 1
        }
        return 0
    }
}
