import ArgumentParser
import Foundation
import TrawlIndex
import TrawlSearch

/// `trawl eval`: measure ranking quality against relevance judgments.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score the index's rankings against judged queries: nDCG@10, MAP, P@10, Recall@100.",
        discussion: """
            Runs every query of --queries (JSON Lines: {"id": …, "text": …}) against the index and \
            scores the top --depth results against --qrels (TSV: query-id, corpus-id, grade; grade 0 \
            = judged not relevant). Document ids are file names without extension. Queries without \
            any relevant judgment are left out and counted. With --run, scores a TREC run file \
            instead of searching (so other systems are measured with the same code).
            """)

    @Option(name: .long, help: ArgumentHelp("Queries, one JSON object per line.", valueName: "file"))
    var queries: String

    @Option(name: .long, help: ArgumentHelp("Relevance judgments (TSV).", valueName: "file"))
    var qrels: String

    @OptionGroup var index: IndexOption

    @Option(name: .long, help: "How plain words combine: all (every word required) or any.")
    var match: MatchMode?

    @Option(name: .long, help: "How many results to score per query.")
    var depth = 1000

    @Option(
        name: .customLong("run"), help: ArgumentHelp("Score this TREC run file instead of searching.", valueName: "file"))
    var runFile: String?

    @Option(name: .long, help: "Output format: text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        guard depth >= 1 else { throw ValidationError("--depth must be at least 1.") }
    }

    func run() throws {
        let queryList = try EvaluationQuery.load(from: URL(fileURLWithPath: queries))
        let judgments = try RelevanceJudgments.load(from: URL(fileURLWithPath: qrels))
        let ranked: RankedRun
        if let runFile {
            ranked = try RankedRun.load(from: URL(fileURLWithPath: runFile))
        } else {
            let searcher = Searcher(store: try IndexStore(path: index.path, access: .readOnly))
            var rankings: [String: [String]] = [:]
            for query in queryList {
                var request = SearchRequest(query: query.text, limit: depth)
                if let match { request.wordJoin = match.wordJoin }
                request.includesSnippets = false
                rankings[query.id] = try searcher.searchAsTyped(request).hits.map {
                    RankedRun.documentID(forPath: $0.path)
                }
            }
            ranked = RankedRun(rankings: rankings)
        }
        let report = Evaluator.evaluate(run: ranked, judgments: judgments, queryIDs: queryList.map(\.id))
        switch format {
        case .json:
            try JSONOutput.print(report)
        case .text:
            print("queries evaluated: \(report.evaluatedQueries) (\(report.skippedQueries) without relevant judgments left out)")
            print(String(format: "nDCG@10     %.4f", report.ndcgAt10))
            print(String(format: "MAP         %.4f", report.map))
            print(String(format: "P@10        %.4f", report.precisionAt10))
            print(String(format: "Recall@100  %.4f", report.recallAt100))
        }
    }
}

/// `--match all|any`.
enum MatchMode: String, ExpressibleByArgument, CaseIterable {
    case all, any

    var wordJoin: WordJoin { self == .all ? .all : .any }
}
