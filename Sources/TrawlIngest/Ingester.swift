import Dispatch
import Foundation
import TrawlIndex

/// Settings of an indexing run.
public struct IngestOptions: Sendable {
    /// Files larger than this are skipped with a message.
    public var maxFileSize: Int64 = 50 * 1024 * 1024
    /// Hidden files, `--exclude` and `--include` patterns.
    public var filter = WalkFilter()
    /// A batch is committed once it holds this many changes…
    public var batchSize = 2000
    /// …or once it holds this many bytes of text, so memory stays flat with large files (2 MiB:
    /// 4 MiB put a 200,000-file first index at 64–65 MiB peak, 2 MiB at 53 MiB)…
    public var batchBytes = 2 * 1024 * 1024
    /// …or once it has been collecting for this many seconds, so a killed run loses little.
    public var batchSeconds = 2.0
    /// Work out and report the changes without writing anything.
    public var dryRun = false
    /// Compute each document's MinHash signature and group near-duplicates (off only to
    /// measure what grouping costs).
    public var findsNearDuplicates = true
    /// Which keys of JSON and JSON Lines records hold the title, text, date and other fields.
    public var recordFields = RecordFields()
    /// How many documents under one root may be found missing before the run keeps them all.
    public var maxRemovals = RemovalLimit.standard
    /// Remove what was not found even under a root that is empty, on another file system than
    /// at the last run, or missing more than `maxRemovals`.
    public var force = false
    /// Called after each group of files is read (from the calling thread).
    public var progress: (@Sendable (IngestProgress) -> Void)?

    /// Index hidden files and folders (names starting with `.`).
    public var includeHidden: Bool {
        get { filter.includeHidden }
        set { filter.includeHidden = newValue }
    }

    public init() {}
}

/// How far a run has got, for a progress display.
public struct IngestProgress: Sendable {
    /// Files whose stat changed or that are new, to be read this run.
    public var filesToRead: Int
    /// Of those, how many have been read.
    public var filesRead: Int
    /// True while folders are still being walked (`filesToRead` is then not final).
    public var isWalking: Bool
    /// The counts so far.
    public var run: IndexRun
    /// Seconds since the run started.
    public var elapsed: Double
}

/// A change a run makes (or, with `dryRun`, would make).
public struct PlannedChange: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case add, update, move, remove
    }

    public var kind: Kind
    public var path: String
    /// The old path of a moved file.
    public var from: String?
}

/// The outcome of a run: its counts and the files that had problems.
public struct IngestSummary: Sendable {
    public var run: IndexRun
    /// What went wrong with files and folders for the first time (or differently) in this run, and
    /// warnings; failures found again unchanged are only counted (`run.knownFailures`).
    public var problems: [IngestProblem]
    /// What went wrong with a whole root (not found, unreadable, changed during the run, documents
    /// not found kept rather than removed); reported on every run until it is put right.
    public var rootProblems: [IngestProblem] = []
    /// Every change, in order; filled only in dry runs.
    public var plannedChanges: [PlannedChange] = []
    /// Files of types Trawl does not read that this run saw for the first time (each file is
    /// reported by one run only; `IndexStore.unreadFiles()` lists them all).
    public var newUnread: [UnreadFile] = []

    /// `newUnread` counted by type, most first (then by type).
    public var newUnreadByType: [(type: String, count: Int)] {
        Dictionary(grouping: newUnread, by: \.type).map { ($0.key, $0.value.count) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.type < $1.type }
    }

    /// Whether nothing new went wrong: no file newly skipped or failed, no problem with a root.
    public var isClean: Bool { run.skipped == 0 && run.failed == 0 && rootProblems.isEmpty }
}

/// Keeps the index in step with folders: walks them, reads new and changed files, detects moves
/// and deletions, and applies the changes in batches.
///
/// Each batch is one transaction bounded by `batchSize` changes and `batchSeconds`, so a run
/// killed at any moment leaves a consistent index holding every finished batch, and the next run
/// completes the rest. Files that fail are recorded in the index with their size, modification
/// time and inode, and are read again (and reported again) only once they change, except files
/// that could not be opened or read, which are tried on every run. A file being read when a run
/// died is skipped until it changes (`ReadingJournal`).
///
/// A document is removed only when the run saw its folder and saw that the file is gone: nothing
/// is removed under a folder that could not be read, under a root that is empty, on another file
/// system than at the last run, or missing more than `maxRemovals` (unless `force`), and nothing at
/// all when a folder disappeared or a root changed while the run went on.
public struct Ingester: Sendable {
    /// The index; nil for a dry run against an index that does not exist yet.
    public let store: IndexStore?
    public var options: IngestOptions

    public init(store: IndexStore?, options: IngestOptions = IngestOptions()) {
        self.store = store
        self.options = options
    }

    /// Brings the index in line with the files under `roots`.
    ///
    /// Only documents under the given roots are considered for removal, and a root that is
    /// missing or unreadable removes nothing.
    public func sync(roots: [String]) throws(IngestError) -> IngestSummary {
        guard !roots.isEmpty else { throw .noRoots }
        let started = Date()
        let resolved = Self.resolve(roots)
        // Files a run that died was reading are recorded as failures before anything else, so they
        // are skipped until they change even if this run dies too; then the journal starts afresh.
        var interrupted: [FileFailure] = []
        var journal: ReadingJournal?
        if let store, !options.dryRun {
            let path = ReadingJournal.path(forIndexAt: store.path)
            interrupted = ReadingJournal.interruptedReads(at: path).map { read in
                FileFailure(
                    path: read.path, reason: Self.interruptedReason, firstSeen: started, lastSeen: started,
                    kind: .interrupted, state: read.state)
            }
            do { try store.recordFailures(interrupted, at: started) } catch { throw .index(error) }
            journal = ReadingJournal.start(at: path)
        }
        defer { journal?.finish() }
        // The walk lists files in path byte order and the stored files are paged in the same order,
        // so each file is compared with its stored stat as the walk finds it and neither list is
        // ever held whole: memory stays flat however large the folders are.
        let plan: ChangePlan
        let failedBefore: [String: FileFailure]
        let devicesBefore: [String: UInt64]
        let streams: Bool
        do {
            failedBefore = Dictionary(
                try store?.failures().map { ($0.path, $0) } ?? [], uniquingKeysWith: { first, _ in first })
            devicesBefore = try store?.rootDevices() ?? [:]
            plan = ChangePlan(store: store, failures: failedBefore, sizeLimit: options.maxFileSize)
            // With nothing stored under the roots nothing can have moved, so files are read and
            // written while the walk goes on.
            streams = try !(store?.hasStoredFiles(under: resolved.compactMap(\.canonical)) ?? false)
        } catch { throw .index(error) }
        var batchWriter = BatchWriter(store: options.dryRun ? nil : store, options: options)
        var dictionary: BodyDictionary?
        if let store, !options.dryRun {
            // Changes are logged under the run's id as they are committed (`trawl changes`).
            do {
                batchWriter.run.id = try store.nextRunID()
                dictionary = try store.bodyDictionary()
            } catch { throw .index(error) }
        }
        var walk = PlanningWalk(
            plan: plan,
            state: RunState(
                writer: batchWriter,
                reading: ReadSettings(
                    limit: options.maxFileSize, recordFields: options.recordFields,
                    pdfToText: FileSystem.executable(named: "pdftotext"), journal: journal,
                    signs: options.findsNearDuplicates, dictionary: dictionary)),
            streams: streams,
            progress: { state in report(state, remaining: 0, walking: true, started: started) })
        let scan = Self.scan(resolved, filter: options.filter, visitor: &walk)
        if let error = walk.error { throw error }
        var state = walk.state
        state.writer.run.startedAt = started
        state.writer.run.roots = scan.absoluteRoots
        state.writer.run.unchanged += walk.plan.unchanged
        // Folders and names the walk could not take, then the files a dead run was reading, come
        // first; each counts as failed only when it did not fail the same way before.
        var earlier: [IngestProblem] = []
        for problem in scan.problems {
            let failure = FileFailure(
                path: problem.path, reason: problem.reason, firstSeen: started, lastSeen: started,
                kind: .other)
            state.failures.append(failure)
            if failure.repeats(failedBefore[problem.path]) {
                state.writer.run.knownFailures += 1
            } else {
                earlier.append(problem)
                state.writer.run.failed += 1
            }
        }
        earlier += interrupted.map { IngestProblem(path: $0.path, reason: $0.reason) }
        state.writer.run.failed += interrupted.count
        state.problems.insert(contentsOf: earlier, at: 0)
        let reported = Set(interrupted.map(\.path))
        for failure in walk.plan.keptFailures {
            state.failures.append(failure)
            if !reported.contains(failure.path) { state.writer.run.knownFailures += 1 }
        }
        for problem in scan.rootProblems {
            state.failures.append(
                FileFailure(
                    path: problem.path, reason: problem.reason, firstSeen: started, lastSeen: started,
                    kind: .other))
        }
        // Documents below a folder that could not be read are neither removed nor taken for moves.
        let vanished =
            scan.unreadableFolders.isEmpty
            ? walk.plan.vanished
            : walk.plan.vanished.filter { !ChangePlan.isInside($0.path, anyOf: scan.unreadableFolders) }
        state.moveSources = Dictionary(grouping: vanished, by: \.contentHash)
        var next = 0
        while next < walk.plan.toRead.count {
            let group = Array(walk.plan.toRead[next..<min(next + Self.groupSize, walk.plan.toRead.count)])
            next += group.count
            try state.process(group)
            report(state, remaining: walk.plan.toRead.count - next, walking: false, started: started)
        }
        var writer = state.writer
        var problems = state.problems
        if state.unconvertedPDFs > 0 {
            let count = state.unconvertedPDFs
            problems.append(
                IngestProblem(
                    path: scan.absoluteRoots.joined(separator: ", "),
                    reason:
                        "\(count) PDF file\(count == 1 ? " was" : "s were") not read: pdftotext is not installed "
                        + "(apt-get install poppler-utils); indexed copies are kept"))
        }
        let moved = state.moved
        let missing = vanished.filter { !moved.contains($0.id) } + state.goneWhileReading
        let removals = decideRemovals(
            missing, scan: scan, storedUnder: walk.plan.storedUnder, devicesBefore: devicesBefore)
        for file in removals.remove {
            try writer.remove(file)
            try writer.commitIfDue()
        }
        writer.run.heldBack = removals.held
        try writer.commit()

        var run = writer.run
        run.duration = Date().timeIntervalSince(started)
        // Files not read are remembered per walked root, so each is reported by one run only.
        let unread = scan.unread + state.unread
        var newUnread: [UnreadFile] = []
        do {
            if let store, !options.dryRun {
                newUnread = try store.replaceUnreadFiles(under: scan.scannedRoots, with: unread, at: started)
            } else {
                let known = try store?.unreadFilePaths(under: scan.scannedRoots) ?? []
                newUnread = unread.filter { !known.contains($0.path) }
            }
        } catch { throw .index(error) }
        if let store, !options.dryRun {
            do {
                if !state.failures.isEmpty || !failedBefore.isEmpty {
                    try store.replaceFailures(
                        under: scan.scannedRoots + scan.missingRoots, with: state.failures, at: started)
                }
                try store.recordRootDevices(removals.devices)
                // Near-duplicate groups follow the documents this run (or a killed one) changed.
                try store.regroupNearDuplicatesIfStale()
                try store.record(run)
                try store.releaseFreePages()
            } catch { throw .index(error) }
        }
        return IngestSummary(
            run: run, problems: problems, rootProblems: scan.rootProblems + removals.problems,
            plannedChanges: writer.planned, newUnread: newUnread)
    }

    /// Why a file is skipped after a run died while reading it.
    static let interruptedReason =
        "trawl stopped while reading this file (crashed or killed); skipped until it changes"

    /// Files read (on all cores) between two looks at the batch's clock; small groups keep memory
    /// flat and let the time bound of a batch bite.
    static let groupSize = 256

    private func report(_ state: RunState, remaining: Int, walking: Bool, started: Date) {
        options.progress?(
            IngestProgress(
                filesToRead: state.filesRead + remaining, filesRead: state.filesRead, isWalking: walking,
                run: state.writer.run, elapsed: Date().timeIntervalSince(started)))
    }
}

/// The walk of a sync: merges each file found with the stored files (`ChangePlan`) and, when
/// nothing is stored under the roots (`streams`), reads and writes groups of files while the walk
/// goes on. The first error stops the work; `sync` throws it when the walk returns.
struct PlanningWalk: WalkVisitor {
    var plan: ChangePlan
    var state: Ingester.RunState
    let streams: Bool
    /// Called after each group read during the walk.
    let progress: (Ingester.RunState) -> Void
    private(set) var error: IngestError?

    init(
        plan: ChangePlan, state: Ingester.RunState, streams: Bool,
        progress: @escaping (Ingester.RunState) -> Void
    ) {
        self.plan = plan
        self.state = state
        self.streams = streams
        self.progress = progress
    }

    mutating func enterRoot(_ root: String) { plan.enterRoot(root) }

    mutating func leaveRoot(walked: Bool) {
        guard error == nil else { return }
        do throws(IngestError) { try plan.leaveRoot(walked: walked) } catch { self.error = error }
    }

    mutating func visit(_ file: FoundFile) {
        guard error == nil else { return }
        do throws(IngestError) {
            try plan.consider(file)
            guard streams, plan.toRead.count >= Ingester.groupSize else { return }
            let group = plan.toRead
            plan.toRead.removeAll(keepingCapacity: true)
            try state.process(group)
            progress(state)
        } catch { self.error = error }
    }
}
