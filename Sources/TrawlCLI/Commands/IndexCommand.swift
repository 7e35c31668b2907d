import ArgumentParser
import Foundation
import TrawlIndex
import TrawlIngest

/// `trawl index <folder>...`: bring the index in step with folders.
struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Index the .txt and .md files under folders; re-run to pick up changes.",
        discussion: """
            New files are added, changed ones re-read, moved ones re-pointed and deleted ones removed \
            (only under the folders named). Prints one summary line. Exit status 0, or 1 when some \
            files could not be indexed (each is named on standard error).
            """)

    @Argument(help: ArgumentHelp("Folders (or files) to index.", valueName: "folder"))
    var folders: [String]

    @OptionGroup var index: IndexOption

    @Flag(name: .long, help: "Print only errors.")
    var quiet = false

    @Flag(name: .long, help: "Also index hidden files and folders (names starting with '.').")
    var hidden = false

    @Option(name: .long, help: ArgumentHelp("Skip files larger than this many megabytes.", valueName: "MB"))
    var maxFileSize: Double = 50

    func validate() throws {
        guard !folders.isEmpty else { throw ValidationError("Name at least one folder to index.") }
        guard maxFileSize > 0 else { throw ValidationError("--max-file-size must be positive.") }
    }

    func run() throws {
        let store = try IndexStore(path: index.path, access: .readWrite)
        var options = IngestOptions()
        options.includeHidden = hidden
        options.maxFileSize = Int64(maxFileSize * 1024 * 1024)
        let summary = try Ingester(store: store, options: options).sync(roots: folders)
        for problem in summary.problems where !(quiet && problem.isWarning) {
            printError("trawl: \(problem.path): \(problem.reason)")
        }
        let run = summary.run
        if !quiet {
            print(
                "\(run.added) added, \(run.updated) updated, \(run.moved) moved, \(run.removed) removed, "
                    + "\(run.unchanged) unchanged, \(run.skipped) skipped, \(run.failed) failed "
                    + "in \(String(format: "%.2f", run.duration)) s")
        }
        if summary.problems.contains(where: { !$0.isWarning && !$0.reason.hasPrefix("empty") }) {
            throw ExitStatus.partial
        }
    }
}
