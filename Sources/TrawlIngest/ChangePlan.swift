import Foundation
import TrawlIndex

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
        var pages: StoredFiles.Pager?
        if let store {
            pages = { (root, after, limit) throws(IndexError) in
                try store.storedFiles(under: root, after: after, limit: limit)
            }
        }
        self.init(pages: pages, failures: failures, sizeLimit: sizeLimit)
    }

    /// A plan that pages the stored files with `pages` (nil: nothing is stored).
    init(pages: StoredFiles.Pager?, failures: [String: FileFailure], sizeLimit: Int64) {
        self.pages = pages
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
