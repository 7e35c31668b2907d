import TrawlIndex
import TrawlSearch

/// Runs queries repeatedly in one process on an index opened once, as a long-lived server would.
struct WarmSearchBenchmark {
    /// The timings of one query.
    struct QueryResult: Encodable {
        var query: String
        var total: Int
        /// Milliseconds per search (parse, match, rank, count, snippets of the first 10 hits).
        var milliseconds: Statistics
    }

    /// What one run measured.
    struct Result: Encodable {
        var benchmark = "warm-search"
        var database: String
        var runs: Int
        var queries: [QueryResult]
    }

    var database: String
    var queries: [String]
    var runs: Int
    /// Show one hit per near-duplicate group (as `trawl search` does by default).
    var collapses = true

    func run() throws(BenchError) -> Result {
        let searcher: Searcher
        do {
            searcher = Searcher(store: try IndexStore(path: database, access: .readOnly))
        } catch {
            throw .failed(error.description)
        }
        let clock = ContinuousClock()
        var results: [QueryResult] = []
        for query in queries {
            var request = SearchRequest(query: query)
            request.collapsesDuplicates = collapses
            do {
                var total = try searcher.search(request).total  // warm-up
                var timings: [Double] = []
                for _ in 0..<runs {
                    let started = clock.now
                    total = try searcher.search(request).total
                    timings.append(seconds(clock.now - started) * 1000)
                }
                results.append(QueryResult(query: query, total: total, milliseconds: Statistics(timings)))
            } catch {
                throw .failed("\(query): \(error.description)")
            }
        }
        return Result(database: database, runs: runs, queries: results)
    }
}

extension WarmSearchBenchmark.Result {
    var lines: [String] {
        queries.map { result in
            "warm-search \(result.query): \(result.total) matches, \(runs) runs: "
                + "median \(format(result.milliseconds.median, digits: 2)) ms, "
                + "p95 \(format(result.milliseconds.p95, digits: 2)) ms"
        }
    }
}
