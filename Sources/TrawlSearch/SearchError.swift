import TrawlIndex
import TrawlQuery

/// Why a search could not be answered.
public enum SearchError: Error, Sendable, CustomStringConvertible {
    /// The query text cannot be understood.
    case query(QueryError)
    /// The index could not be read.
    case index(IndexError)
    /// The page size asked for is below 1.
    case limitBelowOne
    /// The page size asked for is above `maximum`.
    case limitTooLarge(maximum: Int)
    /// The offset asked for is negative.
    case negativeOffset
    /// The offset asked for is above `maximum`.
    case offsetTooLarge(maximum: Int)
    /// The date range's start is not before its end.
    case sinceNotBeforeUntil
    /// The query's prefixes (`a*`) stand for `postings` postings in all, more than `limit`;
    /// `prefix` is the broadest.
    case prefixTooBroad(String, postings: Int, limit: Int)
    /// `trawl show` names a document the index does not hold (the location as typed).
    case documentNotFound(String)

    public var description: String {
        switch self {
        case .query(let error): return error.description
        case .index(let error): return error.description
        case .limitBelowOne: return "The limit must be at least 1."
        case .limitTooLarge(let maximum): return "The limit can be at most \(maximum)."
        case .negativeOffset: return "The offset cannot be negative."
        case .offsetTooLarge(let maximum): return "The offset can be at most \(maximum)."
        case .sinceNotBeforeUntil: return "The start of the date range must be earlier than its end."
        case .prefixTooBroad(let prefix, _, _):
            return
                "‘\(prefix)*’ stands for too many words to search quickly; give a few more letters "
                + "(e.g. ‘\(prefix)e*’) or the whole word."
        case .documentNotFound(let location):
            return
                "No document ‘\(location)’ in the index; give the path as `trawl search` prints it "
                + "(with #record for a record of a JSON file)."
        }
    }
}
