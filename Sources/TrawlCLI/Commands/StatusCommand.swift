import ArgumentParser
import Foundation
import TrawlIndex

/// `trawl status`: the last index runs and the files that currently fail.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract:
            "Show the last index runs (start, duration, counts), the files that currently fail and the files of types Trawl does not read."
    )

    @OptionGroup var index: IndexOption

    @Option(name: .long, help: "How many runs to show.")
    var runs = 10

    @Option(name: .long, help: "Output format: text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        guard runs >= 0 else { throw ValidationError("--runs cannot be negative.") }
    }

    func run() throws {
        let store = try IndexStore(path: index.path, access: .readOnly)
        let recent = try store.recentRuns(limit: runs)
        let failures = try store.failures()
        let unread = try store.unreadFiles()
        let status = StatusJSON(path: store.path, runs: recent, failures: failures, unread: unread)
        switch format {
        case .json:
            try JSONOutput.print(status)
        case .text:
            print("index: \(TerminalText.visible(store.path))")
            print(recent.isEmpty ? "no runs yet" : "last runs (newest first):")
            for (run, json) in zip(recent, status.runs) {
                print(
                    "  run \(run.id.map(String.init) ?? "?")  \(json.startedAt)  "
                        + "\(String(format: "%6.2f", run.duration)) s  \(RunCounts(run).text)")
            }
            print(failures.isEmpty ? "no failing files" : "failing files (\(failures.count)):")
            for failure in status.failures {
                print(
                    TerminalText.visible(
                        "  \(failure.path): \(failure.reason) (since \(failure.firstSeen), last \(failure.lastSeen))"
                    ))
            }
            if unread.isEmpty {
                print("no files of types Trawl does not read")
            } else {
                var counts: [String: Int] = [:]
                for file in unread { counts[file.type, default: 0] += 1 }
                let types = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                    .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                print("files of types Trawl does not read (\(unread.count): \(types)):")
                for file in unread { print(TerminalText.visible("  \(file.type)  \(file.path)")) }
            }
        }
    }
}

/// The JSON layout of `trawl status --format json`.
struct StatusJSON: Encodable {
    struct Run: Encodable {
        /// The run's id (`trawl changes --run ID`, `--indexed-since ID`).
        var id: Int64?
        var startedAt: String
        var durationSeconds: Double
        var roots: [String]
        var added, updated, moved, removed, unchanged, skipped, failed: Int
        /// Failures found again unchanged (not reported again).
        var knownFailures: Int
        /// Documents not found but kept (a folder check failed).
        var heldBack: Int
    }

    struct Failure: Encodable {
        var path: String
        var reason: String
        /// content, tooLarge, unreadable, interrupted or other (FailureKind).
        var kind: String
        var firstSeen: String
        var lastSeen: String
    }

    struct Unread: Encodable {
        var path: String
        /// The extension (`.xlsx`) or `no extension`.
        var type: String
        var firstSeen: String
    }

    var index: String
    var runs: [Run]
    var failures: [Failure]
    /// Files of types Trawl does not read, by type then path.
    var unread: [Unread]

    init(path: String, runs: [IndexRun], failures: [FileFailure], unread: [UnreadFile]) {
        let dates = ISO8601DateFormatter()
        index = path
        self.runs = runs.map { run in
            Run(
                id: run.id, startedAt: dates.string(from: run.startedAt), durationSeconds: run.duration,
                roots: run.roots,
                added: run.added, updated: run.updated, moved: run.moved, removed: run.removed,
                unchanged: run.unchanged, skipped: run.skipped, failed: run.failed,
                knownFailures: run.knownFailures, heldBack: run.heldBack)
        }
        self.failures = failures.map { failure in
            Failure(
                path: failure.path, reason: failure.reason, kind: failure.kind.rawValue,
                firstSeen: dates.string(from: failure.firstSeen),
                lastSeen: dates.string(from: failure.lastSeen))
        }
        self.unread = unread.map { file in
            Unread(path: file.path, type: file.type, firstSeen: dates.string(from: file.firstSeen))
        }
    }
}
