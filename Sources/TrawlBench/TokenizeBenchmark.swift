import TrawlText

/// Times `Tokenizer.tokenize(utf8:cache:_:)` over a pre-loaded corpus, several passes.
struct TokenizeBenchmark {
    /// What one run measured.
    struct Result: Encodable {
        var benchmark = "tokenize"
        var files: Int
        var bytes: Int
        var passes: Int
        var tokens: Int
        /// Seconds per pass.
        var seconds: Statistics
        var mbPerSecond: Double
        var tokensPerSecond: Double
    }

    var corpus: Corpus
    var passes: Int

    func run() -> Result {
        let tokenizer = Tokenizer()
        let clock = ContinuousClock()
        var timings: [Double] = []
        var tokens = 0
        var termBytes = 0
        for _ in 0..<passes {
            // A fresh cache each pass, as each `fts-insert` run opens a fresh connection.
            var cache = TermCache()
            tokens = 0
            termBytes = 0
            let started = clock.now
            for file in corpus.files {
                file.withUnsafeBufferPointer { text in
                    tokenizer.tokenize(utf8: text, cache: &cache) { term, _, _, _ in
                        tokens += 1
                        termBytes &+= term.count
                        return true
                    }
                }
            }
            timings.append(seconds(clock.now - started))
        }
        // Using the term bytes keeps the optimiser from dropping the work; it is never zero for text.
        precondition(termBytes >= 0)
        let statistics = Statistics(timings)
        let bytes = corpus.byteCount
        return Result(
            files: corpus.files.count, bytes: bytes, passes: passes, tokens: tokens, seconds: statistics,
            mbPerSecond: Double(bytes) / statistics.median / 1e6,
            tokensPerSecond: Double(tokens) / statistics.median)
    }
}

extension TokenizeBenchmark.Result {
    var line: String {
        "tokenize: \(files) files, \(format(Double(bytes) / 1e6)) MB, \(tokens) tokens, \(passes) passes: "
            + "median \(format(seconds.median, digits: 3)) s, \(format(mbPerSecond)) MB/s, "
            + "\(format(tokensPerSecond / 1e6)) M tokens/s"
    }
}
