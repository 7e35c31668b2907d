import TrawlIndex
import TrawlSearch

/// An error as the HTTP API and the MCP server write it: `{"error": "…", "kind": "query"}`, the
/// message the CLI prints after `trawl: `.
public struct ErrorJSON: Encodable, Sendable, Error {
    /// What went wrong, and so which HTTP status (and CLI exit status) it gets.
    public enum Kind: String, Encodable, Sendable {
        /// The request cannot be answered as asked: a query error, a bad parameter (HTTP 400,
        /// exit status 2).
        case request
        /// The document named is not in the index (HTTP 404, exit status 1).
        case notFound
        /// The index cannot be opened or read (HTTP 503, exit status 74).
        case index
        /// The request is larger than the server reads (HTTP 413).
        case tooLarge

        /// The HTTP status code for this kind.
        public var httpStatus: Int {
            switch self {
            case .request: 400
            case .notFound: 404
            case .index: 503
            case .tooLarge: 413
            }
        }
    }

    /// The message for the person who made the request.
    public var error: String
    public var kind: Kind

    public init(_ message: String, kind: Kind) {
        error = message
        self.kind = kind
    }

    /// The kind and message of a search or show failure.
    public init(_ failure: SearchError) {
        switch failure {
        case .documentNotFound: self.init(failure.description, kind: .notFound)
        case .index(let error): self.init(error.description, kind: .index)
        default: self.init(failure.description, kind: .request)
        }
    }

    /// The kind and message of an index that cannot be opened.
    public init(_ failure: IndexError) {
        self.init(failure.description, kind: .index)
    }
}
