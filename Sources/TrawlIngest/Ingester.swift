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
        // The walk lists files in path byte order and the stored files are paged in the same order,
        // so each file is compared with its stored stat as the walk finds it and neither list is
        // ever held whole: memory stays flat however large the folders are.
        var plan: ChangePlan
        let failedBefore: Set<String>
        let streams: Bool
        do {
            failedBefore = Set(try store?.failures().map(\.path) ?? [])
            plan = ChangePlan(store: store, retrying: failedBefore)
            // With nothing stored under the roots nothing can have moved, so files are read and
            // written while the walk goes on.
            streams = try !(store?.hasStoredFiles(under: resolved.compactMap(\.canonical)) ?? false)
        } catch { throw .index(error) }
        var state = RunState(
            writer: BatchWriter(store: options.dryRun ? nil : store, options: options),
            reading: ReadSettings(
                limit: options.maxFileSize, recordFields: options.recordFields,
                pdfToText: FileSystem.executable(named: "pdftotext")))
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

    /// What reading a file needs besides its path.
    struct ReadSettings: Sendable {
        /// Larger files are skipped.
        var limit: Int64
        var recordFields = RecordFields()
        /// The `pdftotext` executable, nil when it is not installed.
        var pdfToText: String?
    }

    /// What a run has done so far, and the group-by-group work that moves it on.
    struct RunState {
        var writer: BatchWriter
        let reading: ReadSettings
        var problems: [IngestProblem] = []
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
                for known in candidate.known { try writer.remove(known) }
            case .failure(let reason):
                // Known documents are kept: the file may be readable again next time.
                problems.append(IngestProblem(path: path, reason: reason))
                writer.run.failed += 1
            case .unconverted:
                unconvertedPDFs += 1
                writer.run.skipped += 1
            case .skip(let reason):
                problems.append(IngestProblem(path: path, reason: reason))
                writer.run.skipped += 1
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
                scan.problems.append(
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
                } else {
                    scan.problems.append(
                        IngestProblem(
                            path: absolute,
                            reason: "not a file type Trawl indexes (\(DocumentFormat.extensionList))"))
                    scan.missingRoots.append(absolute)
                }
                continue
            }
            enterRoot(canonical)
            let walked = walker.walk(canonical, visit: visit)
            leaveRoot(walked)
            guard walked else {
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

    /// Reads, decodes, extracts and compresses a group of files on all cores: one worker per core,
    /// each with its own compressor, taking every n-th file.
    static func read(_ group: [ChangePlan.Candidate], settings: ReadSettings) -> [ReadResult] {
        let results = ResultSlots(count: group.count)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, group.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let compressor = BodyCompressor()
            for index in stride(from: worker, to: group.count, by: workers) {
                var result = Self.readDocuments(group[index].file, settings: settings)
                if case .documents(var records, let warnings) = result {
                    // Let go of the result's reference first, or compressing copies every record.
                    result = .vanished
                    for position in records.indices { compressor.prepare(&records[position]) }
                    result = .documents(records, warnings: warnings)
                }
                results.set(index, result)
            }
        }
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
            case .tooLarge: return .skip("too large: \(error.message) (raise --max-file-size to index it)")
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
    }

    var unchanged = 0
    var toRead: [Candidate] = []
    /// Stored documents under walked roots whose files were not found, in path order.
    var vanished: [StoredFile] = []
    private let pages: StoredFiles.Pager?
    private let retrying: Set<String>
    private var stored: StoredFiles?
    /// Roots already merged: their stored files are not listed again under a later, enclosing root.
    private var mergedRoots: [String] = []
    private var currentRoot: String?

    /// Files in `retrying` (they failed last time) are read again even when their stat did not change.
    init(store: IndexStore?, retrying: Set<String> = []) {
        if let store {
            pages = { (root, after, limit) throws(IndexError) in
                try store.storedFiles(under: root, after: after, limit: limit)
            }
        } else {
            pages = nil
        }
        self.retrying = retrying
    }

    /// A plan against a fixed list of stored files (for tests).
    init(stored: [StoredFile], retrying: Set<String> = []) {
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
        self.retrying = retrying
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
            if order == 0 {
                known.append(next)  // every record of the file follows
            } else {
                vanished.append(next)
            }
        }
        // The records of a file are written together, so they share its stat.
        if let first = known.first, first.size == file.stat.size,
            first.modificationTime == file.stat.modificationTime, first.inode == file.stat.inode,
            !retrying.contains(file.path)
        {
            unchanged += known.count
        } else {
            toRead.append(Candidate(file: file, known: known))
        }
    }

    /// Ends a root: when it was walked, the stored files not found again have vanished; when it
    /// could not be walked, nothing under it is removed.
    mutating func leaveRoot(walked: Bool) throws(IngestError) {
        if walked {
            while let next = try stored?.peek() {
                vanished.append(next)
                stored?.advance()
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
