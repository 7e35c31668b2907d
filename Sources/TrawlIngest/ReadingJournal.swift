import TrawlIndex

/// The side journal `<index>.reading`: which files a run is reading right now, so that a run that
/// dies inside a reader (killed for memory, a crash in a format reader) does not die on the same
/// file again.
///
/// Before a worker reads a file it appends `S <worker> <size> <mtime> <inode> <path>` and after it
/// `E <worker>` (records end with a NUL byte, which no path holds); each record is one `write(2)`
/// to a file opened with `O_APPEND`, so records from the workers never mix and a killed process
/// leaves whole records behind (the kernel keeps them without `fsync`). Between groups of files,
/// when no read is under way, the journal is emptied, so it never holds more than one group. A
/// run that ends removes it; the next run, holding the index's lock, reads what a dead run left:
/// the files whose reading started and did not finish.
///
/// `Sendable`: its state is a path and a descriptor, both constant; `write(2)` may be called from
/// every worker at once.
final class ReadingJournal: Sendable {
    let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { FileSystem.close(descriptor) }

    /// The journal of the index at `indexPath` (`<index>.reading`).
    static func path(forIndexAt indexPath: String) -> String { indexPath + ".reading" }

    /// Starts an empty journal at `path`; nil when it cannot be written (reading goes on unjournaled).
    static func start(at path: String) -> ReadingJournal? {
        guard case .success(let descriptor) = FileSystem.openJournal(path) else { return nil }
        return ReadingJournal(path: path, descriptor: descriptor)
    }

    /// A file whose reading started and did not finish.
    struct InterruptedRead: Sendable, Hashable {
        var path: String
        var state: FailedFileState
    }

    /// The files a previous run was reading when it stopped, from the journal it left at `path`
    /// (none when there is no journal).
    static func interruptedReads(at path: String) -> [InterruptedRead] {
        guard case .success(let (bytes, _)) = FileSystem.contents(ofFile: path, limit: 1 << 30) else {
            return []
        }
        var reading: [Substring: InterruptedRead] = [:]
        for record in bytes.split(separator: 0) {
            let text = String(decoding: record, as: UTF8.self)
            let fields = text.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: false)
            guard fields.count >= 2 else { continue }
            let worker = fields[1]
            switch fields[0] {
            case "S" where fields.count == 6:
                guard let size = Int64(fields[2]), let time = Int64(fields[3]), let inode = UInt64(fields[4])
                else {
                    continue
                }
                reading[worker] = InterruptedRead(
                    path: String(fields[5]),
                    state: FailedFileState(size: size, modificationTime: time, inode: inode))
            case "E": reading[worker] = nil
            default: continue
            }
        }
        return reading.values.sorted { $0.path < $1.path }
    }

    /// Notes that `worker` starts reading `file`.
    func willRead(_ file: FoundFile, worker: Int) {
        let stat = file.stat
        FileSystem.append(
            descriptor, "S \(worker) \(stat.size) \(stat.modificationTime) \(stat.inode) \(file.path)\0")
    }

    /// Notes that `worker` finished the file it was reading.
    func didRead(worker: Int) {
        FileSystem.append(descriptor, "E \(worker)\0")
    }

    /// Empties the journal; only while no worker reads.
    func clear() { FileSystem.truncate(descriptor) }

    /// Removes the journal at the end of a run.
    func finish() { FileSystem.remove(path) }
}
