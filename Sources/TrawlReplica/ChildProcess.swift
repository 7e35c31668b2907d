import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Every system call `TrawlReplica` makes: starting, watching and stopping Litestream, and waiting
/// for the signals that stop `trawl replica`.
///
/// Stop signals (SIGINT, SIGTERM, SIGHUP) are blocked in `trawl` and taken with `sigtimedwait`
/// while it watches its child, so no signal handler and no shared state are needed; the child
/// starts with them unblocked and at their default action, so it can be stopped on its own too.
enum ChildProcess {
    /// The signals that stop `trawl replica` (and its Litestream with it).
    private static let stopSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    private static func stopSignalSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in stopSignals { sigaddset(&set, signal) }
        return set
    }

    /// Blocks the stop signals in this process, so `waitForStopSignal` receives them.
    static func blockStopSignals() {
        var set = stopSignalSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Waits up to `seconds` for a stop signal; returns it, or nil when the time ran out.
    static func waitForStopSignal(seconds: Double) -> Int32? {
        var set = stopSignalSet()
        var timeout = timespec(
            tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1_000_000_000))
        let signal = sigtimedwait(&set, nil, &timeout)
        return signal > 0 ? signal : nil
    }

    /// Starts `path` with `arguments`, its standard streams those of `trawl`; returns its process id.
    static func spawn(_ path: String, _ arguments: [String]) throws(ReplicaError) -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var defaults = stopSignalSet()
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, path, nil, &attributes, argv, environ)
        guard status == 0 else {
            throw .cannotStart(reason: "\(path): \(String(cString: strerror(status)))")
        }
        return pid
    }

    /// Replaces this process with `path` (so its process id, and the signals sent to it, become
    /// the child's); returns only by throwing.
    static func exec(_ path: String, _ arguments: [String]) throws(ReplicaError) -> Never {
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        execv(path, argv)
        throw .cannotStart(reason: "\(path): \(String(cString: strerror(errno)))")
    }

    /// The exit status of `pid` if it has ended (128 + the signal if a signal ended it), else nil.
    static func exitStatus(of pid: pid_t) -> Int32? {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        guard result == pid else { return result < 0 ? 127 : nil }
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    /// Asks `pid` to stop (SIGTERM), kills it after `grace` seconds if it has not, and reaps it.
    static func stop(_ pid: pid_t, grace: Double = 5) {
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(grace)
        while Date() < deadline {
            if exitStatus(of: pid) != nil { return }
            usleep(20_000)
        }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    /// The first executable file named `name` in the folders of `searchPath` (`PATH`'s form).
    static func executable(named name: String, searchPath: String) -> String? {
        for folder in searchPath.split(separator: ":") where !folder.isEmpty {
            let candidate = "\(folder)/\(name)"
            if isExecutableFile(candidate) { return candidate }
        }
        return nil
    }

    /// Whether `path` is a regular file this process may execute.
    static func isExecutableFile(_ path: String) -> Bool {
        var information = stat()
        return stat(path, &information) == 0 && (information.st_mode & S_IFMT) == S_IFREG
            && access(path, X_OK) == 0
    }

    /// Whether something exists at `path`.
    static func exists(_ path: String) -> Bool {
        var information = stat()
        return lstat(path, &information) == 0
    }

    /// Removes the file at `path` if there is one.
    static func remove(_ path: String) {
        unlink(path)
    }

    /// Renames `source` to `destination` atomically, replacing it; the error text if it failed.
    static func move(_ source: String, to destination: String) -> String? {
        rename(source, destination) == 0 ? nil : String(cString: strerror(errno))
    }

    /// Writes `text` to `path` (replacing it through a temporary file beside it); the error text if it failed.
    static func write(_ text: String, to path: String) -> String? {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            return nil
        } catch {
            return (error as NSError).localizedDescription
        }
    }

    /// The text of the file at `path`, if it can be read.
    static func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).flatMap { String(data: $0, encoding: .utf8) }
    }
}
