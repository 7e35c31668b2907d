/// Why the index file could not be opened, read or written.
public enum IndexError: Error, Sendable, CustomStringConvertible {
    /// There is no index at the path yet (searching before indexing).
    case missing(path: String)
    /// The index file (or its folder) could not be created or opened.
    case cannotOpen(path: String, reason: String)
    /// The file exists but is not a Trawl index (or is damaged beyond opening).
    case notAnIndex(path: String, reason: String)
    /// The index was written by a newer Trawl whose schema this version does not know.
    case newerSchema(path: String)
    /// The index was written by an older Trawl and could not be upgraded (e.g. the file is read-only).
    case olderSchema(path: String, reason: String)
    /// The disk is full; the transaction in progress was rolled back and nothing was lost.
    case diskFull(path: String)
    /// Another process holds the database busy for longer than the busy timeout.
    case busy(path: String)
    /// Any other SQLite failure, with SQLite's own message kept for bug reports.
    case database(path: String, message: String)

    public var description: String {
        switch self {
        case .missing(let path):
            return "No index at \(path) yet; run `trawl index <folder>` first (or pass --db)."
        case .cannotOpen(let path, let reason):
            return "Cannot open the index at \(path): \(reason)"
        case .notAnIndex(let path, let reason):
            return "\(path) is not a usable Trawl index (\(reason)). "
                + "Nothing was changed; move it away or pass another --db."
        case .newerSchema(let path):
            return "The index at \(path) was written by a newer version of Trawl; upgrade Trawl to use it."
        case .olderSchema(let path, let reason):
            return
                "The index at \(path) was written by an older Trawl and could not be upgraded (\(reason)); "
                + "run `trawl index` with write access to it once."
        case .diskFull(let path):
            return "The disk holding \(path) is full; the last batch was rolled back and the index is intact."
        case .busy(let path):
            return "The index at \(path) stayed busy (another process is writing); try again later."
        case .database(let path, let message):
            return "Index error in \(path): \(message)"
        }
    }
}
