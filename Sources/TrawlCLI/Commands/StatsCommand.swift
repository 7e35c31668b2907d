import ArgumentParser
import Foundation
import TrawlAPI
import TrawlIndex

/// `trawl stats`: how big the index is and when it was last updated.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Show documents, distinct terms, sizes and the last index run.")

    @OptionGroup var index: IndexOption

    @Option(name: .long, help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let store = try IndexStore(path: index.path, access: .readOnly)
        let statistics = try store.statistics()
        switch format {
        case .json:
            try JSONOutput.print(StatsJSON(path: store.path, statistics))
        case .text:
            print("index:          \(TerminalText.visible(store.path))")
            print("documents:      \(statistics.documents)")
            print("distinct terms: \(statistics.distinctTerms)")
            print("text:           \(Self.megabytes(statistics.textBytes))")
            print("index file:     \(Self.megabytes(statistics.indexFileBytes))")
            if let run = statistics.lastRun {
                print(
                    "last run:       \(ISO8601DateFormatter().string(from: run.startedAt)), "
                        + "\(String(format: "%.2f", run.duration)) s, \(run.added) added, \(run.updated) updated, "
                        + "\(run.removed) removed")
            } else {
                print("last run:       never")
            }
        }
    }

    static func megabytes(_ bytes: Int64) -> String {
        String(format: "%.1f MB", Double(bytes) / 1_000_000)
    }
}
