// trawl-bench: in-process measurements used by scripts/bench and scripts/bench-tokenizer.
import Foundation

/// `value` with `digits` decimals.
func format(_ value: Double, digits: Int = 1) -> String {
    String(format: "%.\(digits)f", value)
}

/// Prints `result` as one line of JSON.
func printJSON(_ result: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    print(String(decoding: try encoder.encode(result), as: UTF8.self))
}

func runBenchmark() throws {
    let command = try BenchCommand(arguments: Array(CommandLine.arguments.dropFirst()))
    switch command.benchmark {
    case .tokenize(let folder, let passes):
        let result = TokenizeBenchmark(corpus: try Corpus(folder: folder), passes: passes).run()
        if command.json { try printJSON(result) } else { print(result.line) }
    case .ftsInsert(let folder, let tokenizer, let runs, let database):
        let result = try FTSInsertBenchmark(
            corpus: try Corpus(folder: folder), tokenizer: tokenizer, runs: runs, database: database
        ).run()
        if command.json { try printJSON(result) } else { print(result.line) }
    case .ftsSize(let folder):
        let result = try FTSSizeBenchmark(corpus: try Corpus(folder: folder)).run()
        if command.json { try printJSON(result) } else { result.lines.forEach { print($0) } }
    case .warmSearch(let database, let queries, let runs, let collapses, let cycles):
        let result = try WarmSearchBenchmark(
            database: database, queries: queries, runs: runs, collapses: collapses, cycles: cycles
        ).run()
        if command.json { try printJSON(result) } else { result.lines.forEach { print($0) } }
    case .terms(let folder):
        try TermExport().documents(of: try Corpus(folder: folder))
    case .queryTerms(let texts):
        try TermExport().queries(texts)
    }
}

do {
    try runBenchmark()
} catch {
    FileHandle.standardError.write(Data("trawl-bench: \(error)\n".utf8))
    exit(error is BenchError ? 2 : 1)
}
