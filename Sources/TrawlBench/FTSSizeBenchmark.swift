import Foundation
@_spi(Benchmark) import TrawlIndex

/// Measures the FTS5 index size of a corpus with Trawl's tokenizer, without its colocated terms,
/// and with SQLite's built-in tokenizer (issue 3: colocated variants may cost at most 1.3×).
struct FTSSizeBenchmark {
    /// What one run measured.
    struct Result: Encodable {
        var benchmark = "fts-size"
        var files: Int
        var bytes: Int
        /// Database bytes after insert and `optimize`, by tokenizer (`trawl`, `trawl-plain`, `builtin`).
        var indexBytes: [String: Int]
        /// `trawl` ÷ `trawl-plain`: what the colocated terms add.
        var colocatedRatio: Double
    }

    var corpus: Corpus

    func run() throws(BenchError) -> Result {
        let texts = corpus.titledTexts.map { FTS5InsertProbe.Text(title: $0.title, body: $0.body) }
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent(
            "trawl-bench-size-\(ProcessInfo.processInfo.processIdentifier).sqlite")
        var sizes: [String: Int] = [:]
        for choice: FTS5InsertProbe.TokenizerChoice in [.trawl, .trawlPlain, .builtin] {
            do {
                sizes[choice.rawValue] = try FTS5InsertProbe(path: path, tokenizer: choice).indexSize(texts)
            } catch {
                throw .failed(error.description)
            }
        }
        let plain = sizes[FTS5InsertProbe.TokenizerChoice.trawlPlain.rawValue] ?? 0
        let full = sizes[FTS5InsertProbe.TokenizerChoice.trawl.rawValue] ?? 0
        return Result(
            files: texts.count, bytes: corpus.byteCount, indexBytes: sizes,
            colocatedRatio: plain > 0 ? Double(full) / Double(plain) : 0)
    }
}

extension FTSSizeBenchmark.Result {
    var lines: [String] {
        indexBytes.keys.sorted().map { name in
            "fts-size (\(name)): \(files) files, \(format(Double(bytes) / 1e6)) MB of text: "
                + "index \(format(Double(indexBytes[name] ?? 0) / 1e6, digits: 2)) MB"
        } + ["fts-size: trawl / trawl-plain = \(format(colocatedRatio, digits: 3))"]
    }
}
