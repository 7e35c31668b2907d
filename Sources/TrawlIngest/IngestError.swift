import TrawlIndex

/// Why a whole indexing run could not go on (per-file problems are `IngestProblem`s instead).
public enum IngestError: Error, Sendable, CustomStringConvertible {
    /// The index could not be read or written.
    case index(IndexError)
    /// No folder was given.
    case noRoots

    public var description: String {
        switch self {
        case .index(let error): return error.description
        case .noRoots: return "Name at least one folder to index."
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
