import Foundation
import TrawlIndex

/// The JSON layout of `trawl stats --format json`.
public struct StatsJSON: Encodable, Sendable {
    public struct Run: Encodable, Sendable {
        public var startedAt: String
        public var durationSeconds: Double
        public var added, updated, moved, removed, unchanged, skipped, failed: Int
    }

    public var index: String
    public var documents: Int
    public var distinctTerms: Int
    public var textBytes: Int64
    public var indexFileBytes: Int64
    public var lastRun: Run?

    public init(path: String, _ statistics: IndexStatistics) {
        index = path
        documents = statistics.documents
        distinctTerms = statistics.distinctTerms
        textBytes = statistics.textBytes
        indexFileBytes = statistics.indexFileBytes
        lastRun = statistics.lastRun.map { run in
            Run(
                startedAt: ISO8601DateFormatter().string(from: run.startedAt), durationSeconds: run.duration,
                added: run.added, updated: run.updated, moved: run.moved, removed: run.removed,
                unchanged: run.unchanged, skipped: run.skipped, failed: run.failed)
        }
    }
}
