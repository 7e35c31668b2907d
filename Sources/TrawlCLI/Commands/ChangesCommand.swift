import ArgumentParser
import Foundation
import TrawlIndex

/// `trawl changes [--run N]`: what an index run added, updated, moved and removed.
struct ChangesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "changes",
        abstract: "List what an index run added, updated, moved and removed (paths and titles).",
        discussion: """
            Without --run, the last run. Run ids are shown by `trawl status`. A run that was killed \
            is completed by the next one, which keeps its id: its changes are listed together. \
            Runs made before this version of Trawl logged no changes. \
            Text output: one line per document, `added`, `updated`, `moved` or `removed`, the path \
            (for a move: old path -> new path) and the title.
            """)

    @OptionGroup var index: IndexOption

    @Option(
        name: .customLong("run"),
        help: ArgumentHelp("The run to list (default: the last one).", valueName: "id"))
    var runID: Int64?

    @Option(name: .long, help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let store = try IndexStore(path: index.path, access: .readOnly)
        guard let last = try store.lastRunID() else {
            throw UsageError(message: "The index has no runs yet; `trawl index FOLDER` makes the first.")
        }
        let id = runID ?? last
        guard try store.hasRun(id) else {
            throw UsageError(
                message: "There is no index run \(id); runs are numbered 1 to \(last) (see `trawl status`).")
        }
        let changes = try store.changes(ofRun: id)
        switch format {
        case .json:
            try JSONOutput.print(ChangesJSON(run: id, changes: changes))
        case .text:
            if changes.isEmpty { print("run \(id): no documents added, updated, moved or removed") }
            for change in changes {
                let kind = change.kind.name.padding(toLength: 8, withPad: " ", startingAt: 0)
                let place = change.from.map { "\($0) -> \(change.location)" } ?? change.location
                print(TerminalText.visible("\(kind) \(place)  \(change.title)"))
            }
        }
    }
}

/// The JSON layout of `trawl changes --format json`.
struct ChangesJSON: Encodable {
    struct Change: Encodable {
        /// added, updated, moved or removed.
        var kind: String
        var path: String
        var title: String
        /// The old path of a moved document.
        var from: String?
    }

    var run: Int64
    var changes: [Change]

    init(run: Int64, changes: [DocumentChangeEntry]) {
        self.run = run
        self.changes = changes.map {
            Change(kind: $0.kind.name, path: $0.location, title: $0.title, from: $0.from)
        }
    }
}
