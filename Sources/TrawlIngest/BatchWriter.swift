import Dispatch
import Foundation
import TrawlIndex

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
        try committer.submit(pending, to: store, run: run.id)
        pending = []
        pendingBytes = 0
        pending.reserveCapacity(options.batchSize)
    }
}
