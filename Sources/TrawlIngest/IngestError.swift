import TrawlIndex

/// Why a whole indexing run could not go on (per-file problems are `IngestProblem`s instead).
public enum IngestError: Error, Sendable, CustomStringConvertible {
    /// The index could not be read or written.
    case index(IndexError)
    /// No folder was given.
    case noRoots
    /// Another `trawl index` holds the index's lock; `holder` is its process id when known.
    case locked(path: String, holder: Int32?)
    /// A single file asked for (`trawl similar --file`) could not be read as a document.
    case unreadableFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .index(let error): return error.description
        case .noRoots: return "Name at least one folder to index."
        case .locked(let path, let holder):
            let who = holder.map { "(pid \($0)) " } ?? ""
            return "Another `trawl index` \(who)is updating \(path); try again later or pass --wait."
        case .unreadableFile(let path, let reason):
            return "Cannot read \(path): \(reason)."
        }
    }
}

/// A file or folder that could not be indexed, and why; the run goes on without it.
public struct IngestProblem: Sendable, Hashable {
    public var path: String
    public var reason: String
    /// True when the file was indexed anyway (e.g. decoded with a fallback encoding).
    public var isWarning: Bool

    public init(path: String, reason: String, isWarning: Bool = false) {
        self.path = path
        self.reason = reason
        self.isWarning = isWarning
    }
}
