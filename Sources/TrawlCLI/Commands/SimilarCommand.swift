import ArgumentParser
import Foundation
import TrawlAPI
import TrawlIndex
import TrawlIngest
import TrawlSearch

/// `trawl similar <path>` or `trawl similar --file <file>`: the documents most like one.
struct SimilarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar",
        abstract: "List the documents most like one document (more like this).",
        discussion: """
            Name an indexed document as `trawl search` prints it (path, or path#record), or give \
            --file for any file Trawl can read, indexed or not. Documents are ranked by the \
            document's most distinctive words (BM25, each word weighted by how often the document \
            uses it); its own near-duplicates (earlier versions, re-wired copies) are left out, \
            and each other group of near-duplicates shows once. Exit status: 0 documents found, \
            1 none (or no such document in the index), 2 usage error, 74 the index cannot be read.
            """)

    @Argument(help: ArgumentHelp("The indexed document: path or path#record.", valueName: "document"))
    var document: String?

    @Option(name: .long, help: ArgumentHelp("A file to compare with the index instead.", valueName: "file"))
    var file: String?

    @OptionGroup var index: IndexOption

    @Option(name: [.customShort("n"), .long], help: "How many documents to show (at most 1,000).")
    var limit = 10

    @Option(name: .long, help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(name: .long, help: "Colour: auto (terminals, unless NO_COLOR is set), always or never.")
    var color: ColorChoice = .auto

    func validate() throws {
        guard (document == nil) != (file == nil) else {
            throw ValidationError("Give either an indexed document or --file FILE, not both and not neither.")
        }
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1.") }
    }

    func run() throws {
        let store = try IndexStore(path: index.path, access: .readOnly)
        let searcher = Searcher(store: store)
        let result: SimilarDocuments
        if let document {
            guard let found = try searcher.similar(to: ShowCommand.candidates(for: document), limit: limit)
            else {
                throw SearchError.documentNotFound(document)
            }
            result = found
        } else {
            let text = try Ingester.readText(ofFile: file!)
            result = try searcher.similar(title: text.title, body: text.body, limit: limit)
        }
        switch format {
        case .json:
            try JSONOutput.print(SimilarJSON(result))
        case .text:
            let style = Style(enabled: color.enabled())
            for hit in result.hits {
                print("\(hit.rank). \(style.bold(style.marking(hit.title, hit.titleHighlights)))")
                print("   \(style.dim(SearchCommand.sourceLine(hit)))")
                if !hit.snippet.text.isEmpty {
                    print(
                        "   \(style.marking(hit.snippet.text, hit.snippet.highlights, bracketsWithoutColor: true))"
                    )
                }
                print("")
            }
            let count = result.hits.count
            let terms = result.terms.prefix(8).joined(separator: ", ")
            let line =
                "\(count) similar document\(count == 1 ? "" : "s"), by: \(TerminalText.visible(terms))."
            if count == 0 { printError(line) } else { print(style.dim(line)) }
        }
        if result.hits.isEmpty { throw ExitStatus.partial }
    }
}

/// The JSON of `trawl similar --format json`.
struct SimilarJSON: Encodable {
    struct Result: Encodable {
        var rank: Int
        var path: String
        var title: String
        var score: Double
        var snippet: String
        var highlights: [[Int]]
    }

    /// The document compared (absent for `--file`).
    var source: String?
    /// The distinctive words searched for, strongest first.
    var terms: [String]
    var results: [MetadataJSON.Flattened<Result>]

    init(_ similar: SimilarDocuments) {
        source = similar.source
        terms = similar.terms
        results = similar.hits.map { hit in
            MetadataJSON.Flattened(
                Result(
                    rank: hit.rank, path: hit.path, title: hit.title, score: hit.score,
                    snippet: hit.snippet.text,
                    highlights: hit.snippet.highlights.map { [$0.lowerBound, $0.upperBound] }),
                date: hit.date, metadata: hit.metadata)
        }
    }
}
