/// Why the index file could not be opened, read or written.
///
/// Every SQLite failure that reaches a user goes through one of these cases (`IndexStore.wrap`),
/// worded here; SQLite's own messages are never shown.
public enum IndexError: Error, Sendable, CustomStringConvertible {
    /// There is no index at the path yet (searching before indexing).
    case missing(path: String)
    /// The index file (or its folder) could not be created or opened.
    case cannotOpen(path: String, reason: String)
    /// The file exists but is not a Trawl index (empty, another SQLite database, or not SQLite at all).
    case notAnIndex(path: String, reason: String)
    /// The file is a Trawl index but SQLite found damaged pages in it (SQLITE_CORRUPT from any
    /// statement); the statement's transaction was rolled back.
    case damaged(path: String)
    /// The index was written by a newer Trawl whose schema this version does not know.
    case newerSchema(path: String)
    /// The index was written by an older Trawl and cannot be upgraded here (the file or its folder
    /// is read-only, or the upgrade failed).
    case olderSchema(path: String)
    /// The index (or its folder) is read-only and the command must write to it.
    case readOnly(path: String)
    /// The disk is full; the transaction in progress was rolled back and nothing was lost.
    case diskFull(path: String)
    /// Another process holds the database busy for longer than the busy timeout.
    case busy(path: String)
    /// Reading or writing the file failed at the operating-system level.
    case inputOutput(path: String)
    /// A statement was stopped by `IndexStore.interrupt()` (a server's time limit) before it ended.
    case interrupted(path: String)
    /// Any other SQLite failure, with SQLite's numeric result code for bug reports.
    case database(path: String, code: Int32)

    public var description: String {
        switch self {
        case .missing(let path):
            return "No index at \(path) yet; run `trawl index <folder>` first (or pass --db)."
        case .cannotOpen(let path, let reason):
            return "Cannot open the index at \(path): \(reason)"
        case .notAnIndex(let path, let reason):
            return "\(path) is not a Trawl index (\(reason)). Nothing was changed; pass another --db, "
                + "or run `trawl index --rebuild <folder>` to move it aside and index from scratch."
        case .damaged(let path):
            return
                "The index at \(path) is damaged; run `trawl index --rebuild <folder>` "
                + "to move it aside (to \(path).damaged-<time>) and index from scratch."
        case .newerSchema(let path):
            return "The index at \(path) was written by a newer version of Trawl; upgrade Trawl to use it."
        case .olderSchema(let path):
            return "The index at \(path) was written by an older Trawl; "
                + "run `trawl index` once with write access to it."
        case .readOnly(let path):
            return "The index at \(path) is read-only (the file, its folder or its disk); "
                + "this command needs write access."
        case .diskFull(let path):
            return "The disk holding \(path) is full; the last batch was rolled back and the index is intact."
        case .busy(let path):
            return "The index at \(path) stayed busy (another process is writing); try again later."
        case .inputOutput(let path):
            return "Reading or writing the index at \(path) failed (an input/output error from the disk)."
        case .interrupted(let path):
            return "Reading the index at \(path) took too long and was stopped; narrow the query "
                + "(more or rarer words, a phrase, a date range)."
        case .database(let path, let code):
            return "Unexpected database error in \(path) (SQLite result code \(code)); please report it."
        }
    }
}
