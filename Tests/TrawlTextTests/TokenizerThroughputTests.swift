import Foundation
import Testing

@testable import TrawlText

/// Where the shared third-party corpora live (`../shared/corpora` next to the package root).
enum Corpora {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // TrawlTextTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .deletingLastPathComponent()
        .appendingPathComponent("shared/corpora")

    static let reutersArticles = root.appendingPathComponent("reuters21578/articles")

    static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: reutersArticles.path)
    }
}

/// A throughput check to run by hand, not a timed test:
/// `TRAWL_TOKENIZER_THROUGHPUT=1 swift test -c release --scratch-path .build-tokenizer-rel
/// --filter tokenizerThroughputOnReuters`.
@Suite struct TokenizerThroughputTests {
    static let isRequested = ProcessInfo.processInfo.environment["TRAWL_TOKENIZER_THROUGHPUT"] == "1"

    @Test(
        .enabled(if: isRequested, "set TRAWL_TOKENIZER_THROUGHPUT=1 to measure"),
        .enabled(if: Corpora.isAvailable, "needs ../shared/corpora (not found)"))
    func tokenizerThroughputOnReuters() throws {
        let files = try FileManager.default.contentsOfDirectory(
            at: Corpora.reutersArticles, includingPropertiesForKeys: nil)
        let documents = try files.map { try Data(contentsOf: $0) }
        let byteCount = documents.reduce(0) { $0 + $1.count }
        let tokenizer = Tokenizer()
        var tokenCount = 0
        var colocatedCount = 0
        let cpuStart = clock()
        let elapsed = ContinuousClock().measure {
            for document in documents {
                document.withUnsafeBytes { raw in
                    tokenizer.tokenize(utf8: raw.bindMemory(to: UInt8.self)) { _, _, _, colocated in
                        tokenCount += 1
                        if colocated { colocatedCount += 1 }
                        return true
                    }
                }
            }
        }
        // CPU time as well: the machine is shared, and wall time counts waiting for a core.
        let cpuSeconds = Double(clock() - cpuStart) / Double(CLOCKS_PER_SEC)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let megabytes = Double(byteCount) / 1_000_000
        print(
            """
            Tokenizer throughput: \(documents.count) documents, \(String(format: "%.1f", megabytes)) MB, \
            \(tokenCount) tokens (\(colocatedCount) colocated) in \(String(format: "%.3f", seconds)) s \
            = \(String(format: "%.1f", megabytes / seconds)) MB/s wall, \
            \(String(format: "%.1f", megabytes / cpuSeconds)) MB/s CPU
            """)
        #expect(tokenCount > 0)
    }
}
