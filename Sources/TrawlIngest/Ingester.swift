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
        var plan: ChangePlan
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
        var state = RunState(
            writer: BatchWriter(store: options.dryRun ? nil : store, options: options),
            reading: ReadSettings(
                limit: options.maxFileSize, recordFields: options.recordFields,
                pdfToText: FileSystem.executable(named: "pdftotext"), journal: journal))
        var streamingError: IngestError?
        let scan = Self.scan(
            resolved, filter: options.filter,
            enterRoot: { root in plan.enterRoot(root) },
            leaveRoot: { walked in
                do throws(IngestError) { try plan.leaveRoot(walked: walked) } catch { streamingError = error }
            }
        ) { file in
            guard streamingError == nil else { return }
            do throws(IngestError) { try plan.consider(file) } catch {
                streamingError = error
                return
            }
            guard streams, plan.toRead.count >= Self.groupSize else { return }
            let group = plan.toRead
            plan.toRead.removeAll(keepingCapacity: true)
            do throws(IngestError) {
                try state.process(group)
                report(state, remaining: 0, walking: true, started: started)
            } catch { streamingError = error }
        }
        if let streamingError { throw streamingError }
        state.writer.run.startedAt = started
        state.writer.run.roots = scan.absoluteRoots
        state.writer.run.unchanged += plan.unchanged
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
        for failure in plan.keptFailures {
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
            ? plan.vanished
            : plan.vanished.filter { !ChangePlan.isInside($0.path, anyOf: scan.unreadableFolders) }
        state.moveSources = Dictionary(grouping: vanished, by: \.contentHash)
        var next = 0
        while next < plan.toRead.count {
            let group = Array(plan.toRead[next..<min(next + Self.groupSize, plan.toRead.count)])
            next += group.count
            try state.process(group)
            report(state, remaining: plan.toRead.count - next, walking: false, started: started)
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
            missing, scan: scan, storedUnder: plan.storedUnder, devicesBefore: devicesBefore)
        for file in removals.remove {
            try writer.remove(file)
            try writer.commitIfDue()
        }
        writer.run.heldBack = removals.held
        try writer.commit()

        var run = writer.run
        run.duration = Date().timeIntervalSince(started)
        if let store, !options.dryRun {
            do {
                if !state.failures.isEmpty || !failedBefore.isEmpty {
                    try store.replaceFailures(
                        under: scan.scannedRoots + scan.missingRoots, with: state.failures, at: started)
                }
                try store.recordRootDevices(removals.devices)
                try store.record(run)
            } catch { throw .index(error) }
        }
        return IngestSummary(
            run: run, problems: problems, rootProblems: scan.rootProblems + removals.problems,
            plannedChanges: writer.planned)
    }

    /// Why a file is skipped after a run died while reading it.
    static let interruptedReason =
        "trawl stopped while reading this file (crashed or killed); skipped until it changes"

    /// Which documents not found a run removes, and which it keeps because it cannot be sure.
    struct Removals {
        var remove: [StoredFile] = []
        /// How many documents not found were kept.
        var held = 0
        /// One line per root (or folder) whose documents were kept, saying why.
        var problems: [IngestProblem] = []
        /// The device of each root to remember (roots whose removals were not held back).
        var devices: [String: UInt64] = [:]
    }

    /// Applies the removal rules to the documents whose files were not found: nothing is removed
    /// when a folder disappeared or a root changed during the run; under a root that is empty, on
    /// another device than last time, or missing more than `maxRemovals`, nothing is removed
    /// unless `force`.
    func decideRemovals(
        _ missing: [StoredFile], scan: Scan, storedUnder: [String: Int], devicesBefore: [String: UInt64]
    ) -> Removals {
        var removals = Removals()
        var changed = scan.vanishedFolders
        for (root, identity) in scan.rootIdentities where !changed.contains(root) {
            let now = FileSystem.status(ofPath: root, followingLinks: true)
            if now.map({ FileIdentity(device: $0.device, inode: $0.inode) }) != identity {
                changed.append(root)
            }
        }
        if !changed.isEmpty {
            removals.held = missing.count
            for folder in changed {
                removals.problems.append(
                    IngestProblem(
                        path: folder,
                        reason:
                            "folder disappeared or changed during the run (renamed, moved or unmounted); "
                            + "nothing was removed in this run"))
            }
            return removals
        }
        var byRoot: [String: [StoredFile]] = [:]
        for file in missing {
            // Stored files under an earlier root are merged with it, not with a later enclosing one.
            let root = scan.scannedRoots.first { ChangePlan.isInside(file.path, anyOf: [$0]) } ?? ""
            byRoot[root, default: []].append(file)
        }
        for root in scan.scannedRoots {
            let files = byRoot.removeValue(forKey: root) ?? []
            let device = scan.rootIdentities.first { $0.root == root }?.identity.device
            let stored = storedUnder[root, default: 0]
            var hold: RemovalHold?
            if !files.isEmpty && !options.force {
                if scan.filesFound[root, default: 0] == 0 {
                    hold = .emptyRoot
                } else if let device, let before = devicesBefore[root], before != device {
                    hold = .otherFileSystem
                } else if !options.maxRemovals.allows(files.count, of: stored) {
                    hold = .overLimit(options.maxRemovals)
                }
            }
            if let hold {
                removals.held += files.count
                removals.problems.append(
                    IngestProblem(path: root, reason: hold.reason(missing: files.count, stored: stored)))
                continue
            }
            removals.remove += files
            if let device { removals.devices[root] = device }
        }
        return removals
    }

    /// Files read (on all cores) between two looks at the batch's clock; small groups keep memory
    /// flat and let the time bound of a batch bite.
    static let groupSize = 256

    private func report(_ state: RunState, remaining: Int, walking: Bool, started: Date) {
        options.progress?(
            IngestProgress(
                filesToRead: state.filesRead + remaining, filesRead: state.filesRead, isWalking: walking,
                run: state.writer.run, elapsed: Date().timeIntervalSince(started)))
    }

    /// What reading a file needs besides its path.
    struct ReadSettings: Sendable {
        /// Larger files are skipped.
        var limit: Int64
        var recordFields = RecordFields()
        /// The `pdftotext` executable, nil when it is not installed.
        var pdfToText: String?
        /// Where each read is noted before it starts and after it ends; nil in dry runs.
        var journal: ReadingJournal?
    }

    /// What a run has done so far, and the group-by-group work that moves it on.
    struct RunState {
        var writer: BatchWriter
        let reading: ReadSettings
        var problems: [IngestProblem] = []
        /// Every failure of this run, new or known, to be recorded.
        var failures: [FileFailure] = []
        /// Stored documents of files that were found by the walk but gone when read: removed only
        /// if the removal rules allow.
        var goneWhileReading: [StoredFile] = []
        /// Vanished documents by content hash: where a new file with the same bytes came from.
        var moveSources: [UInt64: [StoredFile]] = [:]
        var moved: Set<Int64> = []
        var filesRead = 0
        /// PDFs left unread because pdftotext is missing (one notice per run says so).
        var unconvertedPDFs = 0

        init(writer: BatchWriter, reading: ReadSettings) {
            self.writer = writer
            self.reading = reading
        }

        /// Reads a group of candidates and turns each into changes (or a problem).
        mutating func process(_ group: [ChangePlan.Candidate]) throws(IngestError) {
            for (candidate, result) in zip(group, Ingester.read(group, settings: reading)) {
                try apply(result, for: candidate)
            }
            filesRead += group.count
            try writer.commitIfDue()
        }

        private mutating func apply(_ result: ReadResult, for candidate: ChangePlan.Candidate)
            throws(IngestError)
        {
            let path = candidate.file.path
            switch result {
            case .vanished:
                problems.append(IngestProblem(path: path, reason: "vanished during the run", isWarning: true))
                goneWhileReading += candidate.known
            case .failure(let reason):
                // Known documents are kept: the file may be readable again next time.
                record(reason, kind: .unreadable, for: candidate, skipped: false)
            case .unconverted:
                unconvertedPDFs += 1
                writer.run.skipped += 1
            case .skip(let reason):
                record(
                    reason, kind: reason.hasPrefix(Ingester.tooLargeReason) ? .tooLarge : .content,
                    for: candidate,
                    skipped: true)
                for known in candidate.known { try writer.remove(known) }
            case .documents(let records, let warnings):
                for warning in warnings {
                    problems.append(IngestProblem(path: path, reason: warning, isWarning: true))
                }
                var knownByRecord = Dictionary(
                    candidate.known.map { ($0.record, $0) }, uniquingKeysWith: { first, _ in first })
                for record in records {
                    try apply(record, replacing: knownByRecord.removeValue(forKey: record.record))
                }
                // Records no longer in the file.
                for known in candidate.known where knownByRecord[known.record] != nil {
                    try writer.remove(known)
                }
            }
        }

        /// Records a file's failure; it is reported and counted (as skipped or failed) only when it
        /// did not fail the same way, in the same state, before.
        private mutating func record(
            _ reason: String, kind: FailureKind, for candidate: ChangePlan.Candidate, skipped: Bool
        ) {
            let now = writer.run.startedAt
            let failure = FileFailure(
                path: candidate.file.path, reason: reason, firstSeen: now, lastSeen: now, kind: kind,
                state: candidate.file.stat.failedState)
            failures.append(failure)
            if failure.repeats(candidate.failure) {
                writer.run.knownFailures += 1
            } else {
                problems.append(IngestProblem(path: failure.path, reason: reason))
                if skipped { writer.run.skipped += 1 } else { writer.run.failed += 1 }
            }
        }

        /// Adds, replaces or moves one document read from a file.
        private mutating func apply(_ record: DocumentRecord, replacing known: StoredFile?)
            throws(IngestError)
        {
            if let known {
                if known.contentHash == record.contentHash {
                    try writer.append(
                        .refreshStat(
                            id: known.id, size: record.size, modificationTime: record.modificationTime,
                            inode: record.inode), planned: nil)
                    writer.run.unchanged += 1
                } else {
                    try writer.append(
                        .replace(id: known.id, record),
                        planned: PlannedChange(kind: .update, path: record.location))
                    writer.run.updated += 1
                }
            } else if let source = Ingester.takeMoveSource(for: record, from: &moveSources) {
                moved.insert(source.id)
                let target = StoredFile(
                    id: source.id, path: record.path, record: record.record, size: record.size,
                    modificationTime: record.modificationTime, inode: record.inode,
                    contentHash: record.contentHash)
                try writer.append(
                    .move(id: source.id, to: target),
                    planned: PlannedChange(kind: .move, path: record.location, from: source.location))
                writer.run.moved += 1
            } else {
                try writer.append(.add(record), planned: PlannedChange(kind: .add, path: record.location))
                writer.run.added += 1
            }
        }
    }

    /// The first vanished document with the same content as `record`, removed from `sources`.
    private static func takeMoveSource(for record: DocumentRecord, from sources: inout [UInt64: [StoredFile]])
        -> StoredFile?
    {
        guard var candidates = sources[record.contentHash],
            let index = candidates.firstIndex(where: { $0.size == record.size })
        else { return nil }
        let source = candidates.remove(at: index)
        sources[record.contentHash] = candidates.isEmpty ? nil : candidates
        return source
    }

    /// What walking the roots found.
    struct Scan {
        /// Folders and names below the roots that could not be taken.
        var problems: [IngestProblem] = []
        /// Roots that could not be walked (not found, unreadable, not a file type Trawl reads).
        var rootProblems: [IngestProblem] = []
        /// Folders below the roots that could not be read: nothing below them is removed.
        var unreadableFolders: [String] = []
        /// Folders that disappeared while the walk went on (listed, then gone; or a root whose
        /// identity changed): nothing is removed in the run.
        var vanishedFolders: [String] = []
        /// The device and inode of each walked folder root when the walk began.
        var rootIdentities: [(root: String, identity: FileIdentity)] = []
        /// How many files the walk found under each root.
        var filesFound: [String: Int] = [:]
        /// Canonical roots that were walked (deletions are scoped to these).
        var scannedRoots: [String] = []
        /// Absolute paths of roots that could not be walked (their failures are recorded).
        var missingRoots: [String] = []
        /// Every root as an absolute path, in the order given (kept with the run).
        var absoluteRoots: [String] = []
    }

    /// A root as given, and its canonical path when it exists.
    struct ResolvedRoot {
        var given: String
        var canonical: String?
    }

    static func resolve(_ roots: [String]) -> [ResolvedRoot] {
        roots.map { ResolvedRoot(given: $0, canonical: FileSystem.canonicalPath($0)) }
    }

    /// Walks every root, handing each file found to `visit` in path byte order; `enterRoot` is
    /// called with each root that exists before its files, `leaveRoot` after them (with false when
    /// the root could not be walked). Files already found under an earlier root are not handed out
    /// again (the walker remembers the folders and files it visited).
    static func scan(
        _ roots: [ResolvedRoot], filter: WalkFilter, enterRoot: (String) -> Void,
        leaveRoot: (_ walked: Bool) -> Void,
        visit: (FoundFile) -> Void
    ) -> Scan {
        var scan = Scan()
        var walker = FolderWalker(filter: filter, roots: roots.compactMap(\.canonical))
        for root in roots {
            let absolute =
                root.canonical
                ?? (root.given.hasPrefix("/")
                    ? root.given : FileManager.default.currentDirectoryPath + "/" + root.given)
            scan.absoluteRoots.append(absolute)
            guard let canonical = root.canonical,
                let status = FileSystem.status(ofPath: canonical, followingLinks: true)
            else {
                scan.rootProblems.append(
                    IngestProblem(path: absolute, reason: "folder not found; nothing under it was removed"))
                scan.missingRoots.append(absolute)
                continue
            }
            if status.isRegularFile {
                // A single file named on the command line is indexed as itself.
                if let format = DocumentFormat(fileName: canonical) {
                    enterRoot(canonical)
                    if !ChangePlan.isInside(canonical, anyOf: scan.scannedRoots) {
                        visit(FoundFile(path: canonical, stat: status, format: format))
                    }
                    leaveRoot(true)
                    scan.scannedRoots.append(canonical)
                    scan.filesFound[canonical, default: 0] += 1
                } else {
                    scan.rootProblems.append(
                        IngestProblem(
                            path: absolute,
                            reason: "not a file type Trawl indexes (\(DocumentFormat.extensionList))"))
                    scan.missingRoots.append(absolute)
                }
                continue
            }
            let identity = FileIdentity(device: status.device, inode: status.inode)
            enterRoot(canonical)
            var found = 0
            let walked = walker.walk(canonical) { file in
                found += 1
                visit(file)
            }
            leaveRoot(walked)
            guard walked else {
                scan.rootProblems.append(
                    IngestProblem(
                        path: absolute, reason: "folder cannot be read; nothing under it was removed"))
                scan.missingRoots.append(absolute)
                continue
            }
            scan.scannedRoots.append(canonical)
            scan.filesFound[canonical, default: 0] += found
            scan.rootIdentities.append((canonical, identity))
            // A root renamed or unmounted during its walk: what the walk missed is not gone.
            let after = FileSystem.status(ofPath: canonical, followingLinks: true)
            if after.map({ FileIdentity(device: $0.device, inode: $0.inode) }) != identity {
                scan.vanishedFolders.append(canonical)
            }
        }
        scan.problems += walker.problems
        scan.unreadableFolders = walker.unreadableFolders
        scan.vanishedFolders += walker.vanishedFolders
        return scan
    }

    /// Reads, decodes, extracts and compresses a group of files on all cores: one worker per core,
    /// each with its own compressor, taking every n-th file.
    static func read(_ group: [ChangePlan.Candidate], settings: ReadSettings) -> [ReadResult] {
        let results = ResultSlots(count: group.count)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, group.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let compressor = BodyCompressor()
            for index in stride(from: worker, to: group.count, by: workers) {
                settings.journal?.willRead(group[index].file, worker: worker)
                var result = Self.readDocuments(group[index].file, settings: settings)
                if case .documents(var records, let warnings) = result {
                    // Let go of the result's reference first, or compressing copies every record.
                    result = .vanished
                    for position in records.indices { compressor.prepare(&records[position]) }
                    result = .documents(records, warnings: warnings)
                }
                settings.journal?.didRead(worker: worker)
                results.set(index, result)
            }
        }
        // No worker reads now: what the journal holds is finished.
        settings.journal?.clear()
        return results.values
    }

    /// Reads one file and turns what its format reader finds into documents: the date falls back
    /// to a dateline, then to the modification time; the language, when the file declares none,
    /// is guessed from the text.
    static func readDocuments(_ file: FoundFile, settings: ReadSettings) -> ReadResult {
        if file.format == .pdf && settings.pdfToText == nil { return .unconverted }
        var bytes: [UInt8]
        let status: FileStat
        // A binary file is refused from its first 8 KiB, before the whole of it is read.
        let sniff: ((UnsafeBufferPointer<UInt8>) -> Bool)? =
            file.format == .pdf ? nil : { opening in !isBinary(opening) }
        switch FileSystem.contents(ofFile: file.path, limit: settings.limit, accepts: sniff) {
        case .failure(let error):
            switch error.kind {
            case .refused: return .skip("binary file (contains NUL bytes)")
            case .notFound: return .vanished
            case .tooLarge:
                return .skip("\(tooLargeReason): \(error.message) (raise --max-file-size to index it)")
            case .changed: return .failure("changed while being read; it will be read again on the next run")
            case .other: return .failure("cannot read: \(error.message)")
            }
        case .success(let contents): (bytes, status) = contents
        }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return .skip("empty file")
        }
        if file.format != .pdf && bytes.withUnsafeBufferPointer(isBinary) {
            return .skip("binary file (contains NUL bytes)")
        }
        let modified = Double(status.modificationTime) / 1e9
        let context = ExtractionContext(
            path: file.path, modificationTime: modified, recordFields: settings.recordFields,
            pdfToText: settings.pdfToText)
        let extraction = file.format.extract(bytes, context: context)
        if let reason = extraction.skipReason { return .skip(reason) }
        if extraction.documents.isEmpty {
            return .skip(extraction.warnings.first ?? "no text found")
        }
        let wholeFile = extraction.documents.count == 1 && extraction.documents[0].record.isEmpty
        let size = Int64(bytes.count)
        let fileHash = wholeFile ? ContentHash.of(bytes) : 0
        // Freed before the documents become records: a file of many records holds both otherwise.
        bytes = []
        let records = extraction.documents.map { document in
            var metadata = document.metadata
            var date = modified
            if let found = document.date {
                date = found
                metadata.dateSource = .metadata
            } else if let dateline = Dateline.date(in: document.body, reference: modified) {
                date = dateline
                metadata.dateSource = .dateline
            } else {
                metadata.dateSource = .modified
            }
            if metadata.language.isEmpty {
                // The guess reads the first 2,000 code points; 8,000 bytes of the body hold them,
                // so the whole body is not copied for it.
                let opening = String(decoding: document.body.utf8.prefix(8_000), as: UTF8.self)
                metadata.language = LanguageGuess.language(of: document.title + "\n" + opening)
            }
            // The status from the open file describes exactly the bytes read, even if the file
            // changed between the walk and the read. A record's hash covers its own fields, so
            // an edit elsewhere in the file leaves it untouched.
            return DocumentRecord(
                path: file.path, record: document.record, title: document.title, body: document.body,
                size: size, modificationTime: status.modificationTime, inode: status.inode,
                contentHash: wholeFile ? fileHash : ContentHash.of(document), date: date,
                metadata: metadata)
        }
        return .documents(records, warnings: extraction.warnings)
    }

    /// How the reason for a file over the size limit starts.
    static let tooLargeReason = "too large"

    /// Whether `bytes` hold a NUL and do not start with a UTF-16 byte order mark.
    static func isBinary(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.contains(0) && !(bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]))
    }

    enum ReadResult: Sendable {
        /// The documents the file holds (one, or one per record), and what could not be read.
        case documents([DocumentRecord], warnings: [String])
        /// The file's content cannot be indexed (empty, binary, too large); stored copies are dropped.
        case skip(String)
        /// The file could not be read; stored copies are kept and the file retried next run.
        case failure(String)
        /// A PDF while pdftotext is not installed; stored copies are kept.
        case unconverted
        /// The file disappeared between the walk and the read.
        case vanished
    }
}

/// Collects changes and commits them in transactions bounded by count and time.
///
/// Each transaction runs on a background thread while the next batch's files are walked, read and
/// split, so SQLite's work (FTS5 tokenizing included) overlaps the rest; at most one transaction
/// is in flight, and they are applied in order.
struct BatchWriter {
    let store: IndexStore?
    let options: IngestOptions
    var run = IndexRun(startedAt: Date(), roots: [])
    var planned: [PlannedChange] = []
    private var pending: [DocumentChange] = []
    private var pendingBytes = 0
    /// When the first pending change was added (`DispatchTime` is cheaper than `Date` per file).
    private var batchStarted = DispatchTime.now()
    private let committer = BackgroundCommitter()

    init(store: IndexStore?, options: IngestOptions) {
        self.store = store
        self.options = options
    }

    mutating func append(_ change: DocumentChange, planned plannedChange: PlannedChange?) throws(IngestError)
    {
        if options.dryRun {
            if let plannedChange { planned.append(plannedChange) }
            return
        }
        if pending.isEmpty { batchStarted = DispatchTime.now() }
        pending.append(change)
        switch change {
        case .add(let record), .replace(_, let record):
            pendingBytes += record.title.utf8.count + record.body.utf8.count
        default: break
        }
        if pending.count >= options.batchSize || pendingBytes >= options.batchBytes { try startCommit() }
    }

    mutating func remove(_ file: StoredFile) throws(IngestError) {
        run.removed += 1
        try append(.remove(id: file.id), planned: PlannedChange(kind: .remove, path: file.location))
    }

    mutating func commitIfDue() throws(IngestError) {
        guard !pending.isEmpty else { return }
        let age = Double(DispatchTime.now().uptimeNanoseconds - batchStarted.uptimeNanoseconds) / 1e9
        if age >= options.batchSeconds { try startCommit() }
    }

    /// Commits everything pending and waits until it is in the index.
    mutating func commit() throws(IngestError) {
        try startCommit()
        try committer.wait()
    }

    /// Hands the pending changes to the background thread (after the previous batch is in).
    private mutating func startCommit() throws(IngestError) {
        guard !pending.isEmpty, let store else { return }
        try committer.submit(pending, to: store)
        pending = []
        pendingBytes = 0
        pending.reserveCapacity(options.batchSize)
    }
}

/// Applies batches of changes on one background thread, one at a time and in order.
///
/// `@unchecked Sendable` is safe: `inFlight` is touched only by the thread that owns the
/// `BatchWriter` (submit and wait are never called concurrently), and `failure`, written by the
/// commit thread, is guarded by `lock`; `wait()` joins the commit before reading it.
private final class BackgroundCommitter: @unchecked Sendable {
    private let queue = DispatchQueue(label: "trawl.ingest.commit")
    private let lock = NSLock()
    private var inFlight: DispatchWorkItem?
    private var failure: IndexError?

    /// Waits for the batch in flight, then starts applying `changes`.
    func submit(_ changes: [DocumentChange], to store: IndexStore) throws(IngestError) {
        try wait()
        let item = DispatchWorkItem { [self] in
            do throws(IndexError) {
                try store.apply(changes)
            } catch {
                lock.withLock { failure = error }
            }
        }
        inFlight = item
        queue.async(execute: item)
    }

    /// Waits until the batch in flight (if any) is committed; throws if it failed.
    func wait() throws(IngestError) {
        inFlight?.wait()
        inFlight = nil
        if let failure = lock.withLock({ failure }) { throw .index(failure) }
    }
}

/// Fixed slots written from `concurrentPerform`.
///
/// `@unchecked Sendable` is safe: every index is written by exactly one iteration, the slots
/// are read only after `concurrentPerform` returns, and a lock guards each write.
private final class ResultSlots: @unchecked Sendable {
    private var storage: [Ingester.ReadResult?]
    private let lock = NSLock()

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Ingester.ReadResult) {
        lock.lock()
        storage[index] = value
        lock.unlock()
    }

    var values: [Ingester.ReadResult] { storage.map { $0! } }
}

extension FileStat {
    /// The state a failure of this file is recorded with.
    var failedState: FailedFileState {
        FailedFileState(size: size, modificationTime: modificationTime, inode: inode)
    }
}

extension FileFailure {
    /// Whether this is the same failure as `previous`, of the file in the same state: it is then
    /// counted as known, not reported again.
    func repeats(_ previous: FileFailure?) -> Bool {
        guard let previous, previous.reason == reason else { return false }
        // A failure without a state is a folder's or a name's, or was recorded by an older Trawl
        // (which kept no state): the same reason is all there is to compare.
        if previous.state == nil && previous.kind == .other { return true }
        return previous.kind == kind && previous.state == state
    }

    /// Whether a file that failed this way, found again unchanged, is left unread.
    func skipsUnchangedFile(sizeLimit: Int64) -> Bool {
        switch kind {
        case .content, .interrupted: return true
        case .tooLarge: return (state?.size ?? 0) > sizeLimit
        case .unreadable, .other: return false
        }
    }
}

/// A file found by the walker.
struct FoundFile: Sendable, Hashable {
    var path: String
    var stat: FileStat
    var format: DocumentFormat
}

/// Which found files are unchanged, which must be read, and which stored documents vanished.
///
/// For each root: `enterRoot(_:)`, then `consider(_:)` for each file the walk finds (in path byte
/// order), then `leaveRoot(walked:)`. The stored files of the root are paged in the same order and
/// merged with the walk, so only one page of them is held at a time.
struct ChangePlan {
    struct Candidate: Sendable {
        var file: FoundFile
        /// The stored documents of the file (one, or one per record) when it is known but its
        /// stat changed; empty for a new file.
        var known: [StoredFile]
        /// How the file failed before, if it did.
        var failure: FileFailure? = nil
    }

    var unchanged = 0
    var toRead: [Candidate] = []
    /// Stored documents under walked roots whose files were not found, in path order.
    var vanished: [StoredFile] = []
    /// Failures of files found unchanged since they failed: not read again, recorded as they are.
    var keptFailures: [FileFailure] = []
    /// How many stored documents each root held (by the canonical path given to `enterRoot`).
    var storedUnder: [String: Int] = [:]
    private let pages: StoredFiles.Pager?
    private let failures: [String: FileFailure]
    private let sizeLimit: Int64
    private var stored: StoredFiles?
    /// Roots already merged: their stored files are not listed again under a later, enclosing root.
    private var mergedRoots: [String] = []
    private var currentRoot: String?

    /// Files in `failures` (by path) are read again when their stat changed since they failed, or
    /// when their failure may pass without a change (unreadable, or too large and now within
    /// `sizeLimit`); the others are kept as they failed.
    init(store: IndexStore?, failures: [String: FileFailure] = [:], sizeLimit: Int64 = .max) {
        if let store {
            pages = { (root, after, limit) throws(IndexError) in
                try store.storedFiles(under: root, after: after, limit: limit)
            }
        } else {
            pages = nil
        }
        self.failures = failures
        self.sizeLimit = sizeLimit
    }

    /// A plan against a fixed list of stored files (for tests).
    init(stored: [StoredFile], failures: [String: FileFailure] = [:], sizeLimit: Int64 = .max) {
        @Sendable func precedes(
            _ left: (path: String, record: String), _ right: (path: String, record: String)
        )
            -> Bool
        {
            let order = Self.compare(left.path, right.path)
            return order != 0 ? order < 0 : Self.compare(left.record, right.record) < 0
        }
        let sorted = stored.sorted { precedes(($0.path, $0.record), ($1.path, $1.record)) }
        pages = { root, after, limit in
            let under = sorted.filter { file in
                Self.isInside(file.path, anyOf: [root])
                    && (after.map { precedes($0, (file.path, file.record)) } ?? true)
            }
            return Array(under.prefix(limit))
        }
        self.failures = failures
        self.sizeLimit = sizeLimit
    }

    /// Starts merging the walk of `root` with the files stored under it.
    mutating func enterRoot(_ root: String) {
        stored = pages.map { StoredFiles(pages: $0, root: root, skipping: mergedRoots) }
        currentRoot = root
    }

    /// Compares a found file with its stored documents by (size, mtime, inode); stored files
    /// passed over on the way have vanished.
    mutating func consider(_ file: FoundFile) throws(IngestError) {
        var known: [StoredFile] = []
        while let next = try stored?.peek() {
            let order = Self.compare(next.path, file.path)
            if order > 0 { break }
            stored?.advance()
            countStored()
            if order == 0 {
                known.append(next)  // every record of the file follows
            } else {
                vanished.append(next)
            }
        }
        let failure = failures[file.path]
        if let failure, failure.state == file.stat.failedState,
            failure.skipsUnchangedFile(sizeLimit: sizeLimit)
        {
            keptFailures.append(failure)
            unchanged += known.count
            return
        }
        // The records of a file are written together, so they share its stat.
        if let first = known.first, first.size == file.stat.size,
            first.modificationTime == file.stat.modificationTime, first.inode == file.stat.inode,
            failure == nil
        {
            unchanged += known.count
        } else {
            toRead.append(Candidate(file: file, known: known, failure: failure))
        }
    }

    private mutating func countStored() {
        if let currentRoot { storedUnder[currentRoot, default: 0] += 1 }
    }

    /// Ends a root: when it was walked, the stored files not found again have vanished; when it
    /// could not be walked, nothing under it is removed.
    mutating func leaveRoot(walked: Bool) throws(IngestError) {
        if walked {
            while let next = try stored?.peek() {
                vanished.append(next)
                stored?.advance()
                countStored()
            }
            if let currentRoot { mergedRoots.append(currentRoot) }
        }
        stored = nil
        currentRoot = nil
    }

    /// Byte order of two paths (the order of SQLite's BINARY collation): negative, zero or positive.
    static func compare(_ left: String, _ right: String) -> Int {
        var left = left
        var right = right
        return left.withUTF8 { leftBytes in
            right.withUTF8 { rightBytes in
                let common = min(leftBytes.count, rightBytes.count)
                if common > 0 {
                    let order = memcmp(leftBytes.baseAddress!, rightBytes.baseAddress!, common)
                    if order != 0 { return order < 0 ? -1 : 1 }
                }
                return leftBytes.count == rightBytes.count ? 0 : (leftBytes.count < rightBytes.count ? -1 : 1)
            }
        }
    }

    /// Whether `path` is one of `roots` or lies below one.
    static func isInside(_ path: String, anyOf roots: [String]) -> Bool {
        roots.contains { root in path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/") }
    }
}

/// The files stored under one root, paged from the index in path byte order.
struct StoredFiles {
    /// Fetches the stored files under a root after a path (nil: from the start), at most `limit`.
    typealias Pager =
        @Sendable (_ root: String, _ after: (path: String, record: String)?, _ limit: Int) throws(IndexError)
        -> [StoredFile]

    static let pageSize = 1000

    let pages: Pager
    let root: String
    /// Roots merged earlier: stored files under them were already compared.
    let skipping: [String]
    private var page: [StoredFile] = []
    private var position = 0
    private var lastKey: (path: String, record: String)?
    private var exhausted = false

    init(pages: @escaping Pager, root: String, skipping: [String]) {
        self.pages = pages
        self.root = root
        self.skipping = skipping
    }

    /// The next stored file, or nil at the end.
    mutating func peek() throws(IngestError) -> StoredFile? {
        while true {
            if position < page.count {
                let file = page[position]
                if skipping.isEmpty || !ChangePlan.isInside(file.path, anyOf: skipping) { return file }
                position += 1
                continue
            }
            if exhausted { return nil }
            do {
                page = try pages(root, lastKey, Self.pageSize)
            } catch { throw .index(error) }
            position = 0
            lastKey = page.last.map { ($0.path, $0.record) } ?? lastKey
            exhausted = page.count < Self.pageSize
            if page.isEmpty { return nil }
        }
    }

    mutating func advance() { position += 1 }
}
