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
    /// Run the list of queries `runs` times over instead of each query `runs` times in a row.
    var cycles = false

    func run() throws(BenchError) -> Result {
        // As `trawl serve` and `trawl mcp` do, so the warm time is the one a server pays.
        SearchProcess.keepFreedMemory()
        let searcher: Searcher
        do {
            searcher = Searcher(store: try IndexStore(path: database, access: .readOnly))
        } catch {
            throw .failed(error.description)
        }
        let clock = ContinuousClock()
        let requests = queries.map { query in
            var request = SearchRequest(query: query)
            request.collapsesDuplicates = collapses
            return request
        }
        var totals = [Int](repeating: 0, count: queries.count)
        var timings = [[Double]](repeating: [], count: queries.count)
        /// Runs query `index` once, timed.
        func measure(_ index: Int) throws(BenchError) {
            do {
                let started = clock.now
                totals[index] = try searcher.search(requests[index]).total
                timings[index].append(seconds(clock.now - started) * 1000)
            } catch {
                throw .failed("\(queries[index]): \(error.description)")
            }
        }
        if cycles {
            for index in queries.indices { try measure(index) }  // warm-up
            timings = timings.map { _ in [] }
            for _ in 0..<runs {
                for index in queries.indices { try measure(index) }
            }
        } else {
            for index in queries.indices {
                try measure(index)  // warm-up
                timings[index] = []
                for _ in 0..<runs { try measure(index) }
            }
        }
        let results = queries.indices.map {
            QueryResult(query: queries[$0], total: totals[$0], milliseconds: Statistics(timings[$0]))
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
