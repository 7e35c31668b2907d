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
    /// …or once it has been collecting for this many seconds, so a killed run loses little.
    public var batchSeconds = 2.0
    /// Work out and report the changes without writing anything.
    public var dryRun = false
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
    public var problems: [IngestProblem]
    /// Every change, in order; filled only in dry runs.
    public var plannedChanges: [PlannedChange] = []
}

/// Keeps the index in step with folders: walks them, reads new and changed files, detects moves
/// and deletions, and applies the changes in batches.
///
/// Each batch is one transaction bounded by `batchSize` changes and `batchSeconds`, so a run
/// killed at any moment leaves a consistent index holding every finished batch, and the next run
/// completes the rest. Files that fail are recorded in the index and read again on every run
/// until they succeed.
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
        // Each file is compared with its stored stat as the walk finds it, so unchanged files are
        // counted and forgotten at once (the stored list itself is dropped once indexed by path).
        var plan: ChangePlan
        let failedBefore: Set<String>
        do {
            failedBefore = Set(try store?.failures().map(\.path) ?? [])
            plan = ChangePlan(
                stored: try store?.storedFiles(under: resolved.compactMap(\.canonical)) ?? [],
                retrying: failedBefore)
        } catch { throw .index(error) }
        var state = RunState(
            writer: BatchWriter(store: options.dryRun ? nil : store, options: options),
            limit: options.maxFileSize)
        // With nothing stored under the roots nothing can have moved, so files are read and written
        // while the walk goes on and a first index of any size needs no list of every file.
        let streams = plan.isEmpty
        var streamingError: IngestError?
        let scan = Self.scan(resolved, filter: options.filter) { file in
            plan.consider(file)
            guard streams, plan.toRead.count >= Self.groupSize, streamingError == nil else { return }
            let group = plan.toRead
            plan.toRead.removeAll(keepingCapacity: true)
            do throws(IngestError) {
                try state.process(group)
                report(state, remaining: 0, walking: true, started: started)
            } catch { streamingError = error }
        }
        if let streamingError { throw streamingError }
        plan.finish(scannedRoots: scan.scannedRoots)
        state.problems.insert(contentsOf: scan.problems, at: 0)
        state.writer.run.startedAt = started
        state.writer.run.roots = scan.absoluteRoots
        state.writer.run.unchanged += plan.unchanged
        state.moveSources = Dictionary(grouping: plan.vanished, by: \.contentHash)
        var next = 0
        while next < plan.toRead.count {
            let group = Array(plan.toRead[next..<min(next + Self.groupSize, plan.toRead.count)])
            next += group.count
            try state.process(group)
            report(state, remaining: plan.toRead.count - next, walking: false, started: started)
        }
        var writer = state.writer
        let problems = state.problems
        let moved = state.moved
        for file in plan.vanished where !moved.contains(file.id) {
            try writer.remove(file)
            try writer.commitIfDue()
        }
        try writer.commit()

        var run = writer.run
        run.duration = Date().timeIntervalSince(started)
        if let store, !options.dryRun {
            var failures: [String: String] = [:]
            for problem in problems where !problem.isWarning { failures[problem.path] = problem.reason }
            do {
                if !failures.isEmpty || !failedBefore.isEmpty {
                    try store.replaceFailures(under: scan.scannedRoots + scan.missingRoots, with: failures)
                }
                try store.record(run)
            } catch { throw .index(error) }
        }
        return IngestSummary(run: run, problems: problems, plannedChanges: writer.planned)
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

    /// What a run has done so far, and the group-by-group work that moves it on.
    struct RunState {
        var writer: BatchWriter
        let limit: Int64
        var problems: [IngestProblem] = []
        /// Vanished documents by content hash: where a new file with the same bytes came from.
        var moveSources: [UInt64: [StoredFile]] = [:]
        var moved: Set<Int64> = []
        var filesRead = 0

        init(writer: BatchWriter, limit: Int64) {
            self.writer = writer
            self.limit = limit
        }

        /// Reads a group of candidates and turns each into a change (or a problem).
        mutating func process(_ group: [ChangePlan.Candidate]) throws(IngestError) {
            for (candidate, result) in zip(group, Ingester.read(group, limit: limit)) {
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
                if let known = candidate.known { try writer.remove(known) }
            case .failure(let reason):
                // A known document is kept: the file may be readable again next time.
                problems.append(IngestProblem(path: path, reason: reason))
                writer.run.failed += 1
            case .skip(let reason):
                problems.append(IngestProblem(path: path, reason: reason))
                writer.run.skipped += 1
                if let known = candidate.known { try writer.remove(known) }
            case .document(let record, let note):
                if let note { problems.append(IngestProblem(path: path, reason: note, isWarning: true)) }
                if let known = candidate.known {
                    if known.contentHash == record.contentHash {
                        try writer.append(
                            .refreshStat(
                                id: known.id, size: record.size, modificationTime: record.modificationTime,
                                inode: record.inode), planned: nil)
                        writer.run.unchanged += 1
                    } else {
                        try writer.append(
                            .replace(id: known.id, record), planned: PlannedChange(kind: .update, path: path))
                        writer.run.updated += 1
                    }
                } else if let source = Ingester.takeMoveSource(for: record, from: &moveSources) {
                    moved.insert(source.id)
                    let target = StoredFile(
                        id: source.id, path: record.path, size: record.size,
                        modificationTime: record.modificationTime, inode: record.inode,
                        contentHash: record.contentHash)
                    try writer.append(
                        .move(id: source.id, to: target),
                        planned: PlannedChange(kind: .move, path: path, from: source.path))
                    writer.run.moved += 1
                } else {
                    try writer.append(.add(record), planned: PlannedChange(kind: .add, path: path))
                    writer.run.added += 1
                }
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
        var problems: [IngestProblem] = []
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

    /// Walks every root, handing each file found to `visit`.
    static func scan(_ roots: [ResolvedRoot], filter: WalkFilter, visit: (FoundFile) -> Void) -> Scan {
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
                scan.problems.append(
                    IngestProblem(path: absolute, reason: "folder not found; nothing under it was removed"))
                scan.missingRoots.append(absolute)
                continue
            }
            if status.isRegularFile {
                // A single file named on the command line is indexed as itself.
                if let format = DocumentFormat(fileName: canonical) {
                    visit(FoundFile(path: canonical, stat: status, format: format))
                    scan.scannedRoots.append(canonical)
                } else {
                    scan.problems.append(
                        IngestProblem(path: absolute, reason: "not a file type Trawl indexes (.txt, .md)"))
                    scan.missingRoots.append(absolute)
                }
                continue
            }
            guard walker.walk(canonical, visit: visit) else {
                scan.problems.append(
                    IngestProblem(
                        path: absolute, reason: "folder cannot be read; nothing under it was removed"))
                scan.missingRoots.append(absolute)
                continue
            }
            scan.scannedRoots.append(canonical)
        }
        scan.problems += walker.problems
        return scan
    }

    /// Reads, decodes and splits a group of files on all cores.
    static func read(_ group: [ChangePlan.Candidate], limit: Int64) -> [ReadResult] {
        let results = ResultSlots(count: group.count)
        DispatchQueue.concurrentPerform(iterations: group.count) { index in
            results.set(index, Self.readDocument(group[index].file, limit: limit))
        }
        return results.values
    }

    static func readDocument(_ file: FoundFile, limit: Int64) -> ReadResult {
        let bytes: [UInt8]
        let status: FileStat
        switch FileSystem.contents(ofFile: file.path, limit: limit) {
        case .failure(let error):
            switch error.kind {
            case .notFound: return .vanished
            case .tooLarge: return .skip("too large: \(error.message) (raise --max-file-size to index it)")
            case .changed: return .failure("changed while being read; it will be read again on the next run")
            case .other: return .failure("cannot read: \(error.message)")
            }
        case .success(let contents): (bytes, status) = contents
        }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return .skip("empty file")
        }
        if bytes.contains(0) && !(bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF])) {
            return .skip("binary file (contains NUL bytes)")
        }
        let decoded = TextDecoding.decode(bytes)
        let parts = file.format.split(decoded.text)
        // The status from the open file describes exactly the bytes read, even if the file changed
        // between the walk and the read.
        let record = DocumentRecord(
            path: file.path, title: parts.title, body: parts.body, size: Int64(bytes.count),
            modificationTime: status.modificationTime, inode: status.inode,
            contentHash: ContentHash.of(bytes), date: Double(status.modificationTime) / 1e9)
        return .document(record, note: decoded.note)
    }

    enum ReadResult: Sendable {
        case document(DocumentRecord, note: String?)
        /// The file's content cannot be indexed (empty, binary, too large); a stored copy is dropped.
        case skip(String)
        /// The file could not be read; a stored copy is kept and the file retried next run.
        case failure(String)
        /// The file disappeared between the walk and the read.
        case vanished
    }
}

/// Collects changes and commits them in transactions bounded by count and time.
struct BatchWriter {
    let store: IndexStore?
    let options: IngestOptions
    var run = IndexRun(startedAt: Date(), roots: [])
    var planned: [PlannedChange] = []
    private var pending: [DocumentChange] = []
    private var batchStarted = Date()

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
        if pending.isEmpty { batchStarted = Date() }
        pending.append(change)
        if pending.count >= options.batchSize { try commit() }
    }

    mutating func remove(_ file: StoredFile) throws(IngestError) {
        run.removed += 1
        try append(.remove(id: file.id), planned: PlannedChange(kind: .remove, path: file.path))
    }

    mutating func commitIfDue() throws(IngestError) {
        if !pending.isEmpty && Date().timeIntervalSince(batchStarted) >= options.batchSeconds { try commit() }
    }

    mutating func commit() throws(IngestError) {
        guard !pending.isEmpty, let store else { return }
        do { try store.apply(pending) } catch { throw .index(error) }
        pending.removeAll(keepingCapacity: true)
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

/// A file found by the walker.
struct FoundFile: Sendable, Hashable {
    var path: String
    var stat: FileStat
    var format: DocumentFormat
}

/// Which found files are unchanged, which must be read, and which stored documents vanished.
///
/// Built in three steps: from the stored files, then `consider(_:)` for each file the walk finds,
/// then `finish(scannedRoots:)`.
struct ChangePlan: Sendable {
    struct Candidate: Sendable {
        var file: FoundFile
        /// The stored document at the same path, when the file is known but its stat changed.
        var known: StoredFile?
    }

    var unchanged = 0
    var toRead: [Candidate] = []
    var vanished: [StoredFile] = []
    /// True when nothing was stored under the roots (a first index).
    let isEmpty: Bool
    private var storedByPath: [String: StoredFile]
    private let retrying: Set<String>

    /// Files in `retrying` (they failed last time) are read again even when their stat did not change.
    init(stored: [StoredFile], retrying: Set<String> = []) {
        storedByPath = Dictionary(stored.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        isEmpty = stored.isEmpty
        self.retrying = retrying
    }

    /// Compares a found file with the stored one by (size, mtime, inode).
    mutating func consider(_ file: FoundFile) {
        if let known = storedByPath.removeValue(forKey: file.path) {
            if known.size == file.stat.size && known.modificationTime == file.stat.modificationTime
                && known.inode == file.stat.inode && !retrying.contains(file.path)
            {
                unchanged += 1
            } else {
                toRead.append(Candidate(file: file, known: known))
            }
        } else {
            toRead.append(Candidate(file: file, known: nil))
        }
    }

    /// The stored files not found again are the vanished ones, but only under roots that were
    /// actually walked (an unreadable root removes nothing).
    mutating func finish(scannedRoots: [String]) {
        let folders = scannedRoots.map { $0.hasSuffix("/") ? $0 : $0 + "/" }
        vanished = storedByPath.values.filter { file in
            scannedRoots.contains(file.path) || folders.contains { file.path.hasPrefix($0) }
        }.sorted { $0.path < $1.path }
        storedByPath = [:]
    }
}
