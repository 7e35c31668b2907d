import ArgumentParser
import Foundation
import TrawlIndex
import TrawlSearch

/// `trawl search "<query>"`: ranked results with highlighted snippets.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the index; results are ranked by relevance, with highlighted snippets.",
        discussion: """
            Query syntax: words are ANDed; "a phrase"; a OR b; NOT word or -word; prefix*; \
            ~name (all transliteration variants); title:word, body:word; ( ) to group. \
            Exit status: 0 hits found, 1 no hits, 2 the query cannot be interpreted.
            """)

    @Argument(help: "The query.")
    var query: String

    @OptionGroup var index: IndexOption

    @Option(name: .long, help: "How many results to show.")
    var limit = 10

    @Option(name: .long, help: "Skip this many results first (for paging).")
    var offset = 0

    @Option(name: .long, help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(name: .long, help: "Colour: auto (terminals, unless NO_COLOR is set), always or never.")
    var color: ColorChoice = .auto

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1.") }
        guard offset >= 0 else { throw ValidationError("--offset cannot be negative.") }
    }

    func run() throws {
        let store = try IndexStore(path: index.path, access: .readOnly)
        let response = try Searcher(store: store).search(
            SearchRequest(query: query, limit: limit, offset: offset))
        switch format {
        case .json:
            try JSONOutput.print(SearchJSON(response))
        case .text:
            printText(response, style: Style(enabled: color.enabled()))
        }
        if response.hits.isEmpty { throw ExitStatus.partial }
    }

    private func printText(_ response: SearchResponse, style: Style) {
        if response.total == 0 {
            printError("No documents match \(response.query).")
            return
        }
        for hit in response.hits {
            print("\(hit.rank). \(style.bold(style.marking(hit.title, hit.titleHighlights)))")
            print("   \(style.dim(hit.path))")
            if !hit.snippet.text.isEmpty {
                print("   \(style.marking(hit.snippet.text, hit.snippet.highlights, bracketsWithoutColor: true))")
            }
            print("")
        }
        let shown = response.hits.isEmpty ? "none" : "\(response.hits.first!.rank)–\(response.hits.last!.rank)"
        print(style.dim("\(response.total) matching document\(response.total == 1 ? "" : "s"); showing \(shown)."))
    }
}

/// The stable JSON contract of `trawl search --format json`.
struct SearchJSON: Encodable {
    struct Result: Encodable {
        var rank: Int
        var path: String
        var title: String
        var score: Double
        var snippet: String
        var highlights: [[Int]]
    }

    var query: String
    var total: Int
    var results: [Result]

    init(_ response: SearchResponse) {
        query = response.query
        total = response.total
        results = response.hits.map { hit in
            Result(
                rank: hit.rank, path: hit.path, title: hit.title, score: hit.score,
                snippet: hit.snippet.text, highlights: hit.snippet.highlights.map { [$0.lowerBound, $0.upperBound] })
        }
    }
}
