import ArgumentParser
import Foundation
import TrawlIndex
import TrawlIngest

/// `trawl index <folder>...`: bring the index in step with folders.
struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract:
            "Index the reports under folders (.txt .md .html .json .jsonl .eml .pdf .docx .odt .rtf); re-run (e.g. from cron) to pick up changes.",
        discussion: """
            New files are added, changed ones re-read, moved ones re-pointed and deleted ones removed. \
            A document is removed only when its folder was read and its file was seen to be gone: a \
            folder that is missing or cannot be read removes nothing; a folder that is empty, on another \
            file system than last time, or missing more than --max-removals of its documents removes \
            nothing unless --force is given; a folder that disappears during the run stops all removals \
            of that run. Files whose size, modification time and inode are unchanged are not read. A `.trawlignore` file (gitignore \
            syntax) in any folder excludes what it names. Symbolic links are followed only when they \
            lead inside the folders named. A file without an extension is read as text when its first \
            8 KiB are text (UTF-8 or Windows-1252, no NUL); --as-text reads other files as text. Files of \
            types Trawl does not read are counted on a second summary line the first time a run sees \
            them, and listed by `trawl status`. Prints one summary line; a progress line on a terminal.

            Only one `trawl index` updates an index at a time; searches are never blocked. Work is \
            committed in batches, so a killed run keeps what it finished and the next run completes it. \
            Files that fail are named on standard error and recorded (see `trawl status`); an unchanged \
            file that failed before is not read or reported again (files that could not be opened are \
            tried again, and reported only if the outcome changes). A file being read when a run \
            crashed or was killed is skipped until it changes.

            Exit status: 0 nothing new went wrong; 1 finished, but a file newly failed or was skipped, \
            a folder had a problem, or documents not found were kept (see the message); 2 usage error; \
            74 the index cannot be opened, read or written (e.g. disk full: the last batch is rolled \
            back; a damaged index or a file that is not an index is refused, see --rebuild); 75 \
            another `trawl index` holds the index (see --wait). With --watch, 1 also when a watch \
            newly cannot run.
            """)

    @Argument(help: ArgumentHelp("Folders (or files) to index.", valueName: "folder"))
    var folders: [String]

    @OptionGroup var index: IndexOption

    @Flag(name: .long, help: "Print only errors (no summary, no warnings, no progress).")
    var quiet = false

    @OptionGroup var selection: FileSelection

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Wait this long for another `trawl index` to finish before giving up.", valueName: "seconds"))
    var wait: Double = 0

    @Flag(
        name: .long,
        help:
            "Remove documents not found even under a folder that is empty, on another file system, or over --max-removals."
    )
    var force = false

    @Flag(name: .long, help: "Print what would be added, updated, moved and removed; change nothing.")
    var dryRun = false

    @Flag(
        name: .customLong("no-near-duplicates"),
        help: ArgumentHelp(
            "Do not look for near-duplicates (to measure what grouping costs).", visibility: .hidden))
    var noNearDuplicates = false

    @Flag(
        name: .long,
        help:
            "Then run the watches (`trawl watch run`): print what newly matches them, nothing when nothing does."
    )
    var watch = false

    @Option(
        name: .long,
        help: ArgumentHelp("With --watch: write one Atom feed per watch into this folder.", valueName: "dir"))
    var feed: String?

    @Flag(
        name: .long,
        help: "Move the existing index file aside (to <db>.damaged-<time>) and index from scratch.")
    var rebuild = false

    func validate() throws {
        guard !folders.isEmpty else { throw ValidationError("Name at least one folder to index.") }
        guard wait >= 0 else { throw ValidationError("--wait cannot be negative.") }
        guard !(rebuild && dryRun) else {
            throw ValidationError("--rebuild and --dry-run cannot be combined.")
        }
        guard !(watch && dryRun) else { throw ValidationError("--watch and --dry-run cannot be combined.") }
        guard feed == nil || watch else { throw ValidationError("--feed goes with --watch.") }
    }

    func run() throws {
        var options = try selection.ingestOptions()
        options.dryRun = dryRun
        options.findsNearDuplicates = !noNearDuplicates
        options.force = force
        let progress = ProgressLine(enabled: !quiet && isatty(STDERR_FILENO) == 1)
        if progress.enabled { options.progress = { progress.show($0) } }

        // A dry run writes nothing and reads a consistent snapshot, so it needs no lock.
        let lock = dryRun ? nil : try IndexLock.acquire(forIndexAt: index.path, waitingUpTo: wait)
        var watchesRan = true
        let summary: IngestSummary = try withExtendedLifetime(lock) {
            let store: IndexStore?
            if dryRun {
                store =
                    FileManager.default.fileExists(atPath: index.path)
                    ? try IndexStore(path: index.path, access: .readOnly) : nil
            } else {
                if rebuild && FileManager.default.fileExists(atPath: index.path) {
                    let aside = try IndexStore.moveAside(index.path)
                    printError("trawl: moved the index aside to \(aside); indexing from scratch.")
                }
                store = try IndexStore(path: index.path, access: .readWrite)
            }
            let summary = try Ingester(store: store, options: options).sync(roots: folders)
            if watch, let store {
                // Still under the lock: the watches read the run's changes as they stand.
                if !quiet { printSummary(summary) }
                watchesRan = try WatchReporter(store: store, feedFolder: feed).run(names: [])
            }
            return summary
        }
        progress.clear()
        for problem in summary.problems + summary.rootProblems where !(quiet && problem.isWarning) {
            printError("trawl: \(problem.path): \(problem.isWarning ? "warning: " : "")\(problem.reason)")
        }
        if dryRun {
            for change in summary.plannedChanges {
                switch change.kind {
                case .move: print(TerminalText.visible("move    \(change.from ?? "") -> \(change.path)"))
                default:
                    print(
                        TerminalText.visible(
                            "\(change.kind.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)) \(change.path)"
                        ))
                }
            }
        }
        if !quiet && !watch { printSummary(summary) }
        if !summary.isClean || !watchesRan { throw ExitStatus.partial }
    }

    private func printSummary(_ summary: IngestSummary) {
        print(
            "\(dryRun ? "dry run: would make " : "")\(RunCounts(summary.run).text) "
                + "in \(String(format: "%.2f", summary.run.duration)) s")
        if !summary.newUnread.isEmpty {
            let count = summary.newUnread.count
            let types = summary.newUnreadByType.map { "\($0.type) \($0.count)" }.joined(separator: ", ")
            print(
                "\(count) file\(count == 1 ? "" : "s") of types Trawl does not read: \(types) — see trawl status"
            )
        }
        fflush(nil)
    }
}

/// A `\r`-updated progress line on standard error: files per second, counts and time left.
///
/// A final class so the ingester's `@Sendable` progress callback can throttle through it;
/// `@unchecked Sendable` is safe because the callback is only ever called from the thread that
/// runs the ingester (see `IngestOptions.progress`) and `lock` guards the mutable state anyway.
final class ProgressLine: @unchecked Sendable {
    let enabled: Bool
    private let lock = NSLock()
    private var lastShown = Date.distantPast
    private var shown = false

    init(enabled: Bool) { self.enabled = enabled }

    func show(_ progress: IngestProgress) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard enabled, now.timeIntervalSince(lastShown) >= 0.1 else { return }
        lastShown = now
        let rate = progress.elapsed > 0 ? Double(progress.filesRead) / progress.elapsed : 0
        let left = rate > 0 ? Double(progress.filesToRead - progress.filesRead) / rate : 0
        let run = progress.run
        let total =
            progress.isWalking ? "\(progress.filesRead)/?" : "\(progress.filesRead)/\(progress.filesToRead)"
        let eta = progress.isWalking ? "still walking" : "ETA \(Int(left.rounded())) s"
        let line =
            "\r\(total) files, \(Int(rate)) files/s, "
            + "\(run.added) added, \(run.updated) updated, \(run.moved) moved, \(run.failed + run.skipped) failed, "
            + "\(eta)\u{1B}[K"
        FileHandle.standardError.write(Data(line.utf8))
        shown = true
    }

    func clear() {
        lock.lock()
        defer { lock.unlock() }
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
