import Dispatch
import Foundation
import TrawlIndex

/// Settings of an indexing run.
public struct IngestOptions: Sendable {
    /// Files larger than this are skipped with a message.
    public var maxFileSize: Int64 = 50 * 1024 * 1024
    /// Index hidden files and folders (names starting with `.`).
    public var includeHidden = false
    /// Documents written per transaction.
    public var batchSize = 2000

    public init() {}
}

/// The outcome of a run: its counts and the files that had problems.
public struct IngestSummary: Sendable {
    public var run: IndexRun
    public var problems: [IngestProblem]
}

/// Keeps the index in step with folders: walks them, reads new and changed files, detects moves
/// and deletions, and applies the changes in batches.
public struct Ingester: Sendable {
    public let store: IndexStore
    public var options: IngestOptions

    public init(store: IndexStore, options: IngestOptions = IngestOptions()) {
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
        var problems: [IngestProblem] = []
        var scannedRoots: [String] = []
        var found: [FoundFile] = []
        for root in roots {
            guard let canonical = FileSystem.canonicalPath(root),
                let status = FileSystem.status(ofPath: canonical, followingLinks: true)
            else {
                problems.append(IngestProblem(path: root, reason: "folder not found; nothing under it was removed"))
                continue
            }
            if status.isRegularFile {
                // A single file named on the command line is indexed as itself.
                if let format = DocumentFormat(fileName: canonical) {
                    found.append(FoundFile(path: canonical, stat: status, format: format))
                    scannedRoots.append(canonical)
                } else {
                    problems.append(IngestProblem(path: root, reason: "not a file type Trawl indexes (.txt, .md)"))
                }
                continue
            }
            var walker = FolderWalker(includeHidden: options.includeHidden)
            guard walker.walk(canonical) else {
                problems.append(
                    IngestProblem(path: root, reason: "folder cannot be read; nothing under it was removed"))
                continue
            }
            scannedRoots.append(canonical)
            found += walker.files
            problems += walker.problems
        }

        let stored: [StoredFile]
        do { stored = try store.storedFiles(under: scannedRoots) } catch { throw .index(error) }
        let plan = ChangePlan(found: found, stored: stored)
        var run = IndexRun(startedAt: started, roots: roots)
        run.unchanged = plan.unchanged

        // Files to read: new ones and known ones whose stat changed.
        var moved: Set<Int64> = []
        var reads = plan.toRead[...]
        while !reads.isEmpty {
            let batch = Array(reads.prefix(options.batchSize))
            reads = reads.dropFirst(batch.count)
            let results = read(batch)
            var changes: [DocumentChange] = []
            for (candidate, result) in zip(batch, results) {
                switch result {
                case .failure(let reason):
                    problems.append(IngestProblem(path: candidate.file.path, reason: reason))
                    run.failed += 1
                case .skip(let reason):
                    problems.append(IngestProblem(path: candidate.file.path, reason: reason))
                    run.skipped += 1
                case .document(let record, let note):
                    if let note { problems.append(IngestProblem(path: record.path, reason: note, isWarning: true)) }
                    if let known = candidate.known {
                        if known.contentHash == record.contentHash {
                            changes.append(
                                .refreshStat(
                                    id: known.id, size: record.size, modificationTime: record.modificationTime,
                                    inode: record.inode))
                            run.unchanged += 1
                        } else {
                            changes.append(.replace(id: known.id, record))
                            run.updated += 1
                        }
                    } else if let source = plan.vanished.first(where: {
                        $0.contentHash == record.contentHash && $0.size == record.size && !moved.contains($0.id)
                    }) {
                        moved.insert(source.id)
                        changes.append(
                            .move(
                                id: source.id,
                                to: StoredFile(
                                    id: source.id, path: record.path, size: record.size,
                                    modificationTime: record.modificationTime, inode: record.inode,
                                    contentHash: record.contentHash)))
                        run.moved += 1
                    } else {
                        changes.append(.add(record))
                        run.added += 1
                    }
                }
            }
            do { try store.apply(changes) } catch { throw .index(error) }
        }
        let removals = plan.vanished.filter { !moved.contains($0.id) }.map { DocumentChange.remove(id: $0.id) }
        run.removed = removals.count
        var pending = removals[...]
        while !pending.isEmpty {
            let batch = Array(pending.prefix(options.batchSize))
            pending = pending.dropFirst(batch.count)
            do { try store.apply(batch) } catch { throw .index(error) }
        }
        run.duration = Date().timeIntervalSince(started)
        do { try store.record(run) } catch { throw .index(error) }
        return IngestSummary(run: run, problems: problems)
    }

    /// Reads, decodes and splits a batch of files on all cores.
    private func read(_ batch: [ChangePlan.Candidate]) -> [ReadResult] {
        let results = ResultSlots(count: batch.count)
        let limit = options.maxFileSize
        DispatchQueue.concurrentPerform(iterations: batch.count) { index in
            results.set(index, Self.readDocument(batch[index].file, limit: limit))
        }
        return results.values
    }

    static func readDocument(_ file: FoundFile, limit: Int64) -> ReadResult {
        let bytes: [UInt8]
        switch FileSystem.contents(ofFile: file.path, limit: limit) {
        case .failure(let error): return .failure("cannot read: \(error.message)")
        case .success(let contents): bytes = contents
        }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return .skip("empty file")
        }
        if bytes.contains(0) && !(bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF])) {
            return .skip("binary file (contains NUL bytes)")
        }
        let decoded = TextDecoding.decode(bytes)
        let parts = file.format.split(decoded.text)
        let record = DocumentRecord(
            path: file.path, title: parts.title, body: parts.body, size: Int64(bytes.count),
            modificationTime: file.stat.modificationTime, inode: file.stat.inode,
            contentHash: ContentHash.of(bytes), date: Double(file.stat.modificationTime) / 1e9)
        return .document(record, note: decoded.note)
    }

    enum ReadResult: Sendable {
        case document(DocumentRecord, note: String?)
        case skip(String)
        case failure(String)
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
struct ChangePlan: Sendable {
    struct Candidate: Sendable {
        var file: FoundFile
        /// The stored document at the same path, when the file is known but its stat changed.
        var known: StoredFile?
    }

    var unchanged = 0
    var toRead: [Candidate] = []
    var vanished: [StoredFile] = []

    init(found: [FoundFile], stored: [StoredFile]) {
        var storedByPath = Dictionary(stored.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        for file in found {
            if let known = storedByPath.removeValue(forKey: file.path) {
                if known.size == file.stat.size && known.modificationTime == file.stat.modificationTime
                    && known.inode == file.stat.inode
                {
                    unchanged += 1
                } else {
                    toRead.append(Candidate(file: file, known: known))
                }
            } else {
                toRead.append(Candidate(file: file, known: nil))
            }
        }
        vanished = storedByPath.values.sorted { $0.path < $1.path }
    }
}
