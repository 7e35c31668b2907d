import Foundation
@_spi(Benchmark) import TrawlIndex

/// Times an FTS5 insert of a pre-loaded corpus into a fresh throwaway table.
struct FTSInsertBenchmark {
    /// What one run measured.
    struct Result: Encodable {
        var benchmark = "fts-insert"
        var tokenizer: String
        var files: Int
        var bytes: Int
        var runs: Int
        /// Seconds per insert of the whole corpus (inserts and commit).
        var seconds: Statistics
        var mbPerSecond: Double
    }

    var corpus: Corpus
    var tokenizer: FTS5InsertProbe.TokenizerChoice
    var runs: Int
    /// Where the throwaway database goes; a file in the temporary folder when nil.
    var database: String?

    func run() throws(BenchError) -> Result {
        let texts = corpus.titledTexts.map { FTS5InsertProbe.Text(title: $0.title, body: $0.body) }
        let path =
            database
            ?? (NSTemporaryDirectory() as NSString).appendingPathComponent(
                "trawl-bench-probe-\(ProcessInfo.processInfo.processIdentifier).sqlite")
        let probe = FTS5InsertProbe(path: path, tokenizer: tokenizer)
        var timings: [Double] = []
        for _ in 0..<runs {
            do { timings.append(try probe.insert(texts)) } catch { throw .failed(error.description) }
        }
        let statistics = Statistics(timings)
        let bytes = corpus.byteCount
        return Result(
            tokenizer: tokenizer.rawValue, files: texts.count, bytes: bytes, runs: runs, seconds: statistics,
            mbPerSecond: Double(bytes) / statistics.median / 1e6)
    }
}

extension FTSInsertBenchmark.Result {
    var line: String {
        "fts-insert (\(tokenizer)): \(files) files, \(format(Double(bytes) / 1e6)) MB, \(runs) run(s): "
            + "median \(format(seconds.median, digits: 3)) s, \(format(mbPerSecond)) MB/s"
    }
}
