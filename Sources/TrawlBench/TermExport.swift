import Foundation
@_spi(Benchmark) import TrawlIndex
import TrawlText

/// `trawl-bench terms <dir>` and `trawl-bench query-terms <text>...`: Trawl's terms and their
/// positions as JSON Lines, for indexes outside Trawl (the Xapian shard prototype,
/// `scripts/shard-prototype`) that must post exactly Trawl's terms.
///
/// One line per `.txt` file (path order), split as the benchmarks split it (first line the
/// title, the rest the body):
///
///     {"path":"…/0001.txt","title":"…","title_terms":[[0,"oil"],…],"body_terms":[[0,"beirut"],[1,"nov"],…]}
///
/// and one line per query text: `{"text":"U.S.","terms":[[0,"u.s."],[0,"us"]]}`. A colocated
/// term has the position of the term before it (`TermStream.positionedTerms`).
struct TermExport {
    private let tokenizer = Tokenizer()

    /// One JSON line per file of `corpus`, written to standard output as it goes.
    func documents(of corpus: Corpus) throws {
        for (path, text) in zip(corpus.paths, corpus.titledTexts) {
            let line = ExportedDocument(
                path: path, title: text.title, titleTerms: terms(of: text.title),
                bodyTerms: terms(of: text.body))
            try write(line)
        }
    }

    /// One JSON line per text.
    func queries(_ texts: [String]) throws {
        for text in texts { try write(ExportedText(text: text, terms: terms(of: text))) }
    }

    private func terms(of text: String) -> [PositionedTerm] {
        TermStream.positionedTerms(of: text, tokenizer: tokenizer).map {
            PositionedTerm(position: $0.position, term: $0.term)
        }
    }

    private func write(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(UInt8(ascii: "\n"))
        FileHandle.standardOutput.write(data)
    }
}

/// A term and its position, written as `[position, "term"]`.
struct PositionedTerm: Encodable {
    var position: Int
    var term: String

    func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(position)
        try container.encode(term)
    }
}

struct ExportedDocument: Encodable {
    var path: String
    var title: String
    var titleTerms: [PositionedTerm]
    var bodyTerms: [PositionedTerm]
}

struct ExportedText: Encodable {
    var text: String
    var terms: [PositionedTerm]
}
