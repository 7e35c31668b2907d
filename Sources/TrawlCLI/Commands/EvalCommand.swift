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
            instead of searching (so other systems are measured with the same code). Each query runs \
            exactly as `trawl search TEXT --limit DEPTH` with the same options would: a query that \
            search refuses is reported and scored as no results.
            """)

    @Option(name: .long, help: ArgumentHelp("Queries, one JSON object per line.", valueName: "file"))
    var queries: String

    @Option(name: .long, help: ArgumentHelp("Relevance judgments (TSV).", valueName: "file"))
    var qrels: String

    @OptionGroup var index: IndexOption

    @OptionGroup var ranking: RankingOptions

    @Option(name: .long, help: "How many results to score per query.")
    var depth = 1000

    @Option(
        name: .customLong("run"),
        help: ArgumentHelp("Score this TREC run file instead of searching.", valueName: "file"))
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
                // Exactly what `trawl search TEXT --limit DEPTH` with the same options returns
                // (snippets aside, which do not change the order): a query that search refuses
                // retrieves nothing here either.
                var request = ranking.request(query: query.text, limit: depth)
                request.includesSnippets = false
                let response: SearchResponse
                do {
                    response = try searcher.search(request)
                } catch {
                    guard case .query(let refusal) = error else { throw error }
                    printError("trawl eval: query \(query.id): \(refusal.description) (scored as no results)")
                    rankings[query.id] = []
                    continue
                }
                rankings[query.id] = response.hits.map { RankedRun.documentID(forPath: $0.path) }
            }
            ranked = RankedRun(rankings: rankings)
        }
        let report = Evaluator.evaluate(run: ranked, judgments: judgments, queryIDs: queryList.map(\.id))
        switch format {
        case .json:
            try JSONOutput.print(report)
        case .text:
            print(
                "queries evaluated: \(report.evaluatedQueries) (\(report.skippedQueries) without relevant judgments left out)"
            )
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

extension RankingMode: ExpressibleByArgument {}
extension ResultOrder: ExpressibleByArgument {}

/// The ranking options `trawl search` and `trawl eval` share; the tuning knobs are hidden (they
/// exist to measure, see docs/RANKING.md).
struct RankingOptions: ParsableArguments {
    @Option(
        name: .long,
        help: """
            How plain words combine: all (every word required) or any. Default: all for a few \
            words (any when no document has them all), any for longer questions.
            """)
    var match: MatchMode?

    @Flag(
        name: .customLong("no-collapse"),
        help: "Show near-duplicates (a flash and its updates, a re-wired copy) as separate results.")
    var noCollapse = false

    @Option(
        name: .long,
        help: ArgumentHelp("Relevance ranking: trawl or fts5 (bm25() only).", visibility: .hidden))
    var ranking: RankingMode = .trawl

    @Option(name: .long, help: ArgumentHelp("BM25 k1.", visibility: .hidden))
    var k1: Double?

    @Option(name: .customLong("title-b"), help: ArgumentHelp("BM25 b of titles.", visibility: .hidden))
    var titleB: Double?

    @Option(name: .customLong("body-b"), help: ArgumentHelp("BM25 b of bodies.", visibility: .hidden))
    var bodyB: Double?

    @Option(name: .long, help: ArgumentHelp("Weight of title occurrences.", visibility: .hidden))
    var titleWeight: Double?

    @Option(
        name: .long,
        help: ArgumentHelp("Weight of header-line (tags, author …) occurrences.", visibility: .hidden))
    var metaWeight: Double?

    @Option(name: .customLong("meta-b"), help: ArgumentHelp("BM25 b of header lines.", visibility: .hidden))
    var metaB: Double?

    @Option(name: .long, help: ArgumentHelp("Proximity bonus scale.", visibility: .hidden))
    var proximityWeight: Double?

    @Option(name: .long, help: ArgumentHelp("Proximity window in positions.", visibility: .hidden))
    var proximityWindow: Int?

    @Option(name: .long, help: ArgumentHelp("Coordination exponent.", visibility: .hidden))
    var coordination: Double?

    @Option(name: .long, help: ArgumentHelp("Most terms of a keyword query.", visibility: .hidden))
    var keywordTerms: Int?

    @Option(name: .long, help: ArgumentHelp("Feedback documents (0: off).", visibility: .hidden))
    var feedbackDocuments: Int?

    @Option(name: .long, help: ArgumentHelp("Feedback terms added.", visibility: .hidden))
    var feedbackTerms: Int?

    @Option(name: .long, help: ArgumentHelp("Weight of the strongest feedback term.", visibility: .hidden))
    var feedbackWeight: Double?

    @Option(name: .long, help: ArgumentHelp("FTS5 candidates re-scored.", visibility: .hidden))
    var candidates: Int?

    @Option(
        name: .long,
        help: ArgumentHelp("BM25 k3 for words typed more than once (inf: linear).", visibility: .hidden))
    var queryFrequencySaturation: Double?

    @Option(name: .long, help: ArgumentHelp("Drop query stopwords: on or off.", visibility: .hidden))
    var stopwords: StopwordChoice = .on

    /// A search request for `query` with these options applied.
    func request(query: String, limit: Int, offset: Int = 0) -> SearchRequest {
        var request = SearchRequest(query: query, limit: limit, offset: offset)
        if let match { request.wordJoin = match.wordJoin }
        request.collapsesDuplicates = !noCollapse
        request.ranking = ranking
        if let k1 { request.parameters.k1 = k1 }
        if let titleB { request.parameters.titleB = titleB }
        if let bodyB { request.parameters.bodyB = bodyB }
        if let titleWeight { request.parameters.titleWeight = titleWeight }
        if let metaWeight { request.parameters.metaWeight = metaWeight }
        if let metaB { request.parameters.metaB = metaB }
        if let proximityWeight { request.parameters.proximityWeight = proximityWeight }
        if let proximityWindow { request.parameters.proximityWindow = proximityWindow }
        if let coordination { request.parameters.coordinationExponent = coordination }
        if let keywordTerms { request.parameters.keywordQueryTermLimit = keywordTerms }
        if let feedbackDocuments { request.parameters.feedbackDocuments = feedbackDocuments }
        if let feedbackTerms { request.parameters.feedbackTerms = feedbackTerms }
        if let feedbackWeight { request.parameters.feedbackWeight = feedbackWeight }
        if let candidates { request.parameters.candidateDepth = candidates }
        if let queryFrequencySaturation {
            request.parameters.queryFrequencySaturation = queryFrequencySaturation
        }
        if stopwords == .off { request.stopwords = [] }
        return request
    }
}

/// `--stopwords on|off`.
enum StopwordChoice: String, ExpressibleByArgument, CaseIterable {
    case on, off
}
