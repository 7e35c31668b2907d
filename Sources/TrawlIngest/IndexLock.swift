import Foundation
import TrawlIndex

/// The one-writer-at-a-time lock of an index: an exclusive `flock(2)` on `<index>.lock`, which
/// also records the holder's process id so a second run can name it.
///
/// The lock file sits beside the index's resolved path (symbolic links followed, `..` removed:
/// `realpath(3)` of the file, or of its folder when the file does not exist yet), so two runs
/// that name the same index differently take the same lock.
///
/// The operating system releases the lock when the holder exits, even after `kill -9`, so a
/// crashed run never leaves a stale lock behind.
public final class IndexLock: Sendable {
    /// The lock file's path (`<index>.lock`).
    public let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { FileSystem.close(descriptor) }

    /// The lock file of the index at `indexPath`: `<resolved index path>.lock`.
    public static func lockPath(forIndexAt indexPath: String) -> String {
        if let resolved = FileSystem.canonicalPath(indexPath) { return resolved + ".lock" }
        // No file yet: a symbolic link to where it will be created is followed by hand.
        var indexPath = indexPath
        for _ in 0..<40 {
            guard let destination = FileSystem.linkDestination(indexPath) else { break }
            indexPath =
                destination.hasPrefix("/")
                ? destination
                : ((indexPath as NSString).deletingLastPathComponent as NSString).appendingPathComponent(
                    destination)
        }
        let folder = (indexPath as NSString).deletingLastPathComponent
        let name = (indexPath as NSString).lastPathComponent
        if let resolved = FileSystem.canonicalPath(folder.isEmpty ? "." : folder) {
            return (resolved as NSString).appendingPathComponent(name) + ".lock"
        }
        return indexPath + ".lock"
    }

    /// Takes the lock of the index at `indexPath`, waiting up to `seconds` for another holder to
    /// let go; throws `IngestError.locked` (naming the holder's pid) when it does not.
    public static func acquire(forIndexAt indexPath: String, waitingUpTo seconds: Double = 0)
        throws(IngestError)
        -> IndexLock
    {
        let folder = (indexPath as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let path = lockPath(forIndexAt: indexPath)
        let descriptor: Int32
        switch FileSystem.openLockFile(path) {
        case .failure(let error):
            throw .index(
                .cannotOpen(path: indexPath, reason: "cannot create the lock file \(path): \(error.message)"))
        case .success(let opened): descriptor = opened
        }
        let deadline = Date().addingTimeInterval(max(0, seconds))
        while true {
            switch FileSystem.tryExclusiveLock(descriptor) {
            case .failure(let error):
                FileSystem.close(descriptor)
                throw .index(.cannotOpen(path: indexPath, reason: "cannot lock \(path): \(error.message)"))
            case .success(true):
                FileSystem.overwrite(descriptor, with: "\(FileSystem.processID)\n")
                return IndexLock(path: path, descriptor: descriptor)
            case .success(false):
                if Date() >= deadline {
                    // The holder writes its pid just after taking the lock: give it a moment.
                    var holder = Int32(FileSystem.leadingText(of: descriptor).trimmingWhitespace())
                    for _ in 0..<20 where holder == nil {
                        Thread.sleep(forTimeInterval: 0.01)
                        holder = Int32(FileSystem.leadingText(of: descriptor).trimmingWhitespace())
                    }
                    FileSystem.close(descriptor)
                    throw .locked(path: indexPath, holder: holder)
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
    }
}
