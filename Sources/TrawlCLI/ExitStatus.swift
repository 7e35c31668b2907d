import TrawlIndex
import TrawlIngest
import TrawlQuery
import TrawlReplica
import TrawlSearch

/// The exit codes `trawl` promises (README, "Exit status"), and which error gets which.
enum ExitStatus: Int32, Error {
    /// Success; a search found hits.
    case success = 0
    /// A search found nothing, or an index run finished but something new went wrong (a file newly
    /// skipped or failed, a folder problem, documents not found kept rather than removed).
    case partial = 1
    /// Bad arguments or a query Trawl cannot interpret.
    case usage = 2
    /// A program Trawl runs (Litestream) is missing or cannot be started, or `trawl serve` cannot
    /// listen on the address asked for (sysexits EX_UNAVAILABLE).
    case unavailable = 69
    /// The index cannot be opened, read or written (sysexits EX_IOERR).
    case indexFailure = 74
    /// Another `trawl index` holds the index (sysexits EX_TEMPFAIL).
    case locked = 75

    /// The exit status and the user-facing message for an error thrown by a command.
    static func classify(_ error: any Error) -> (ExitStatus, String)? {
        switch error {
        case let error as SearchError:
            switch error {
            case .query: return (.usage, error.description)
            case .limitBelowOne: return (.usage, "--limit must be at least 1.")
            case .limitTooLarge(let maximum): return (.usage, "--limit can be at most \(maximum).")
            case .negativeOffset: return (.usage, "--offset cannot be negative.")
            case .offsetTooLarge(let maximum): return (.usage, "--offset can be at most \(maximum).")
            case .sinceNotBeforeUntil: return (.usage, "--since must be earlier than --until.")
            case .prefixTooBroad: return (.usage, error.description)
            case .documentNotFound: return (.partial, error.description)
            case .index(let indexError): return (.indexFailure, indexError.description)
            }
        case let error as IngestError:
            switch error {
            case .noRoots: return (.usage, error.description)
            case .unreadableFile: return (.usage, error.description)
            case .locked: return (.locked, error.description)
            case .index(let indexError): return (.indexFailure, indexError.description)
            }
        case let error as QueryError:
            return (.usage, error.description)
        case let error as IndexError:
            return (.indexFailure, error.description)
        case let error as EvaluationError:
            return (.usage, error.description)
        case let error as ReplicaError:
            switch error {
            case .litestreamMissing, .litestreamNotExecutable, .cannotStart:
                return (.unavailable, error.description)
            case .invalidLocation, .notAReplica: return (.usage, error.description)
            case .indexMissing, .cannotWriteConfiguration, .cannotPublish:
                return (.indexFailure, error.description)
            }
        case let error as UsageError:
            return (error.status, error.message)
        default:
            return nil
        }
    }
}

/// A usage problem found after parsing (e.g. a conflicting option), reported with exit status 2.
struct UsageError: Error {
    var message: String
    /// The exit status (usage, unless a command says otherwise).
    var status = ExitStatus.usage
}
