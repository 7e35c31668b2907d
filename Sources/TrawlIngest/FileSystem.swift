import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `stat` says about a file, in the units the index stores.
struct FileStat: Sendable, Hashable {
    var size: Int64
    /// Nanoseconds since 1970.
    var modificationTime: Int64
    var inode: UInt64
    /// The device holding the file; with `inode`, identifies it (loop protection).
    var device: UInt64
    var isDirectory: Bool
    var isRegularFile: Bool
    var isSymbolicLink: Bool
    /// How many hard links the file has; above 1, another path may name the same file.
    var linkCount: UInt64 = 1
}

extension FileStat {
    init(_ info: stat) {
        let kind = info.st_mode & S_IFMT
        #if canImport(Darwin)
            let time = info.st_mtimespec
        #else
            let time = info.st_mtim
        #endif
        self.init(
            size: Int64(info.st_size),
            modificationTime: Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec),
            inode: UInt64(info.st_ino), device: UInt64(info.st_dev),
            isDirectory: kind == S_IFDIR, isRegularFile: kind == S_IFREG, isSymbolicLink: kind == S_IFLNK,
            linkCount: UInt64(info.st_nlink))
    }
}

/// Fixed slots for `fstatat` results written from `concurrentPerform`.
///
/// `@unchecked Sendable` is safe: each index is written by exactly one iteration, under `lock`,
/// and read only after `concurrentPerform` has returned.
private final class StatusSlots: @unchecked Sendable {
    private var storage: [FileStat?]
    private let lock = NSLock()

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: FileStat) {
        lock.lock()
        storage[index] = value
        lock.unlock()
    }

    func value(at index: Int) -> FileStat? { storage[index] }
}

/// Every system call Trawl's ingest makes goes through here.
enum FileSystem {
    /// `lstat(2)` (or `stat(2)` when `followingLinks`), or nil when the path cannot be examined.
    static func status(ofPath path: String, followingLinks: Bool = false) -> FileStat? {
        var info = stat()
        let result = followingLinks ? stat(path, &info) : lstat(path, &info)
        guard result == 0 else { return nil }
        return FileStat(info)
    }

    /// The entries of a folder with their `lstat`, or the `errno` text when it cannot be read.
    ///
    /// Each entry is examined with `fstatat(2)` relative to the open folder, which spares the
    /// kernel from resolving the full path again for every file; large folders are examined on
    /// all cores. Entries that vanish meanwhile are left out. Names that are not valid UTF-8 come
    /// back in `undecodable` as lossy strings.
    static func statusOfEntries(inFolder path: String) -> Result<
        (entries: [(name: String, status: FileStat)], undecodable: [String]), FileSystemError
    > {
        guard let directory = opendir(path) else { return .failure(FileSystemError(errno: errno)) }
        defer { closedir(directory) }
        let names: [String]
        let undecodable: [String]
        (names, undecodable) = readNames(directory)
        let folder = dirfd(directory)
        let statuses = StatusSlots(count: names.count)
        let chunk = 256
        let chunks = (names.count + chunk - 1) / chunk
        let examine: @Sendable (Int) -> Void = { part in
            for index in part * chunk..<min(names.count, (part + 1) * chunk) {
                var info = stat()
                if fstatat(folder, names[index], &info, AT_SYMLINK_NOFOLLOW) == 0 {
                    statuses.set(index, FileStat(info))
                }
            }
        }
        if chunks > 1 {
            DispatchQueue.concurrentPerform(iterations: chunks, execute: examine)
        } else if chunks == 1 {
            examine(0)
        }
        var entries: [(name: String, status: FileStat)] = []
        entries.reserveCapacity(names.count)
        for (index, name) in names.enumerated() {
            if let status = statuses.value(at: index) { entries.append((name, status)) }
        }
        return .success((entries, undecodable))
    }

    private static func readNames(_ directory: OpaquePointer) -> (names: [String], undecodable: [String]) {
        var names: [String] = []
        var undecodable: [String] = []
        while let entry = readdir(directory) {
            let name: String? = withUnsafePointer(to: entry.pointee.d_name) { tuple in
                tuple.withMemoryRebound(to: CChar.self, capacity: 256) { String(validatingCString: $0) }
            }
            guard let name else {
                let lossy = withUnsafePointer(to: entry.pointee.d_name) { tuple in
                    tuple.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                }
                undecodable.append(lossy)
                continue
            }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        return (names, undecodable)
    }

    /// The whole content of a file and its status when opened, refusing files larger than
    /// `limit` bytes and failing with `.changed` when the file changed while it was being read.
    ///
    /// When `accepts` is given it first sees the file's opening `sniffLength` bytes (fewer in a
    /// shorter file); if it returns false, nothing more is read and the result is `.refused`. So a
    /// binary file is refused after 8 KiB, not after the whole of it.
    static func contents(
        ofFile path: String, limit: Int64, accepts: ((UnsafeBufferPointer<UInt8>) -> Bool)? = nil
    ) -> Result<(bytes: [UInt8], status: FileStat), FileSystemError> {
        let file: OpenedFile
        switch openFile(path, limit: limit, accepts: accepts) {
        case .failure(let error): return .failure(error)
        case .success(let opened): file = opened
        }
        let bytes: [UInt8]
        switch file.bytes(at: 0, count: Int(file.status.size)) {
        case .failure(let error): return .failure(error)
        case .success(let read): bytes = read
        }
        guard Int64(bytes.count) == file.status.size, file.isUnchanged() else {
            return .failure(FileSystemError(message: "changed while being read", kind: .changed))
        }
        return .success((bytes, file.status))
    }

    /// Opens a file to read it in parts, refusing files larger than `limit` bytes and, when
    /// `accepts` returns false for its opening `sniffLength` bytes, with `.refused`.
    static func openFile(
        _ path: String, limit: Int64, accepts: ((UnsafeBufferPointer<UInt8>) -> Bool)? = nil
    ) -> Result<OpenedFile, FileSystemError> {
        #if canImport(Glibc)
            let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        #else
            let descriptor = Darwin.open(path, O_RDONLY | O_CLOEXEC)
        #endif
        guard descriptor >= 0 else { return .failure(FileSystemError(errno: errno)) }
        let file = OpenedFile(descriptor: descriptor)
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return .failure(FileSystemError(errno: errno)) }
        file.status = FileStat(info)
        guard file.status.size <= limit else {
            return .failure(FileSystemError(message: "larger than \(limit) bytes", kind: .tooLarge))
        }
        if let accepts {
            let opening: [UInt8]
            switch file.bytes(at: 0, count: Int(min(file.status.size, Int64(sniffLength)))) {
            case .failure(let error): return .failure(error)
            case .success(let read): opening = read
            }
            guard opening.withUnsafeBufferPointer(accepts) else {
                return .failure(FileSystemError(message: "refused", kind: .refused))
            }
        }
        return .success(file)
    }

    /// How many opening bytes `contents(ofFile:limit:accepts:)` shows `accepts`.
    static let sniffLength = 8 * 1024

    /// Reads into `buffer` from `offset` until it is full or the file ends; the count read, or -1
    /// with `errno` set.
    fileprivate static func readFully(
        _ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int
    )
        -> Int
    {
        var filled = 0
        while filled < buffer.count {
            let count = pread(
                descriptor, buffer.baseAddress! + filled, buffer.count - filled, off_t(offset + filled))
            if count < 0 {
                if errno == EINTR { continue }
                return -1
            }
            if count == 0 { break }
            filled += count
        }
        return filled
    }

    /// The path of the executable `name` found on `PATH` (`/usr/local/bin:/usr/bin:/bin` when
    /// unset, as under cron), or nil.
    static func executable(named name: String) -> String? {
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in searchPath.split(separator: ":").map(String.init) where !folder.isEmpty {
            let candidate = folder + "/" + name
            if access(candidate, X_OK) == 0,
                status(ofPath: candidate, followingLinks: true)?.isRegularFile == true
            {
                return candidate
            }
        }
        return nil
    }

    /// What the symbolic link at `path` points to (`readlink(2)`), or nil if it is not a link.
    static func linkDestination(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The absolute, symlink-free form of `path`, or nil if it does not exist.
    static func canonicalPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

extension FileSystem {
    /// Opens (creating it if needed) a lock file and returns its descriptor.
    static func openLockFile(_ path: String) -> Result<Int32, FileSystemError> {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return .failure(FileSystemError(errno: errno)) }
        return .success(descriptor)
    }

    /// Tries to take an exclusive `flock(2)` without blocking; false when another process holds it.
    static func tryExclusiveLock(_ descriptor: Int32) -> Result<Bool, FileSystemError> {
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            if errno == EWOULDBLOCK { return .success(false) }
            return .failure(FileSystemError(errno: errno))
        }
        return .success(true)
    }

    /// Replaces everything in an open file with `text` (used to record the lock holder's pid).
    static func overwrite(_ descriptor: Int32, with text: String) {
        _ = ftruncate(descriptor, 0)
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    /// The first bytes of an open file as text (the lock holder's pid).
    static func leadingText(of descriptor: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        return count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : ""
    }

    /// Closes a descriptor, releasing any `flock` held through it.
    static func close(_ descriptor: Int32) {
        #if canImport(Glibc)
            _ = Glibc.close(descriptor)
        #else
            _ = Darwin.close(descriptor)
        #endif
    }

    /// This process's id.
    static var processID: Int32 { getpid() }

    /// Creates or empties an append-only file (the reading journal) and returns its descriptor.
    static func openJournal(_ path: String) -> Result<Int32, FileSystemError> {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return .failure(FileSystemError(errno: errno)) }
        return .success(descriptor)
    }

    /// Appends `text` with one `write(2)`, so records written from several threads never mix.
    static func append(_ descriptor: Int32, _ text: String) {
        var text = text
        text.withUTF8 { bytes in _ = write(descriptor, bytes.baseAddress, bytes.count) }
    }

    /// Empties an open file.
    static func truncate(_ descriptor: Int32) { _ = ftruncate(descriptor, 0) }

    /// Removes a file; a missing one is no error.
    static func remove(_ path: String) { _ = unlink(path) }
}

/// A file open for reading, closed when the last reference goes: read whole
/// (`FileSystem.contents(ofFile:limit:accepts:)`) or in windows (a large JSON Lines file).
final class OpenedFile {
    private let descriptor: Int32
    /// The file's status when it was opened.
    fileprivate(set) var status = FileStat(
        size: 0, modificationTime: 0, inode: 0, device: 0, isDirectory: false, isRegularFile: true,
        isSymbolicLink: false)

    fileprivate init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { FileSystem.close(descriptor) }

    /// Up to `count` bytes from `offset` (fewer at the end of the file).
    func bytes(at offset: Int64, count: Int) -> Result<[UInt8], FileSystemError> {
        var readError: Int32 = 0
        // Uninitialised: zero-filling first would touch every page of the array once more.
        let bytes = [UInt8](unsafeUninitializedCapacity: max(count, 0)) { buffer, initialized in
            let filled = FileSystem.readFully(
                descriptor, into: UnsafeMutableRawBufferPointer(buffer), at: Int(offset))
            if filled < 0 { readError = errno }
            initialized = max(filled, 0)
        }
        if readError != 0 { return .failure(FileSystemError(errno: readError)) }
        return .success(bytes)
    }

    /// Whether the file still has the size and modification time it had when opened.
    func isUnchanged() -> Bool {
        var after = stat()
        guard fstat(descriptor, &after) == 0 else { return false }
        let now = FileStat(after)
        return now.size == status.size && now.modificationTime == status.modificationTime
    }
}

/// A failed system call, with the system's own explanation.
struct FileSystemError: Error, Sendable {
    /// The failures the ingester treats differently from the rest.
    enum Kind: Sendable {
        case other
        /// The file or folder does not exist (any more), or a folder on its path is no folder.
        case notFound
        /// Over the size limit.
        case tooLarge
        /// Written to while it was being read.
        case changed
        /// Its opening bytes were not accepted (see `FileSystem.contents(ofFile:limit:accepts:)`).
        case refused
    }

    var message: String
    var kind: Kind

    init(message: String, kind: Kind = .other) {
        self.message = message
        self.kind = kind
    }

    init(errno code: Int32) {
        message = String(cString: strerror(code)).lowercased()
        kind = code == ENOENT || code == ENOTDIR ? .notFound : .other
    }
}
