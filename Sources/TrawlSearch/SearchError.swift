import TrawlIndex
import TrawlQuery

/// Why a search could not be answered.
public enum SearchError: Error, Sendable, CustomStringConvertible {
    /// The query text cannot be understood.
    case query(QueryError)
    /// The index could not be read.
    case index(IndexError)
    /// A limit or offset out of range.
    case invalidOption(String)
    /// `trawl show` names a document the index does not hold (the location as typed).
    case documentNotFound(String)

    public var description: String {
        switch self {
        case .query(let error): return error.description
        case .index(let error): return error.description
        case .invalidOption(let message): return message
        case .documentNotFound(let location):
            return
                "No document ‘\(location)’ in the index; give the path as `trawl search` prints it "
                + "(with #record for a record of a JSON file)."
        }
    }
}
