import Foundation
import TrawlAPI
import TrawlIndex
import TrawlSearch

/// What `trawl serve` and `trawl mcp` answer, in the CLI's JSON contracts: searches, documents
/// and statistics, each read through its own read-only connection (`ReaderPool`). Calls the
/// libraries only; no SQL and no ranking of its own.
public final class TrawlService: Sendable {
    let readers: ReaderPool

    /// A service over the index at `indexPath` (which need not exist yet), running at most
    /// `concurrentReads` reads at once (others wait their turn; nil: one per core; 0: no limit).
    public init(indexPath: String, concurrentReads: Int? = nil) {
        readers = ReaderPool(
            path: indexPath, concurrentReads: concurrentReads ?? ProcessInfo.processInfo.activeProcessorCount)
    }

    /// The index file's path.
    public var indexPath: String { readers.path }

    /// The search `parameters` ask for, as `trawl search --format json` answers it.
    func search(_ parameters: SearchParameters) async throws(ErrorJSON) -> (SearchResponse, SearchJSON) {
        try await search(parameters) { response, json in (response, json) }
    }

    /// The search `parameters` ask for, turned into `answer`'s result on the thread that read it
    /// (so that a large answer is built beside the other reads, never on the server's event loop).
    func search<Answer: Sendable>(
        _ parameters: SearchParameters,
        answer: @escaping @Sendable (SearchResponse, SearchJSON) -> Answer
    ) async throws(ErrorJSON) -> Answer {
        let request = try parameters.request()
        return try await readers.read { store throws(ErrorJSON) in
            do throws(SearchError) {
                let (response, json) = try SearchJSON.search(request, with: Searcher(store: store))
                return answer(response, json)
            } catch {
                throw ErrorJSON(error)
            }
        }
    }

    /// The document at `location` (`path` or `path#record`, exactly as search results give it),
    /// with `query`'s words marked; a 404-kind error when the index holds no such document.
    ///
    /// Only the index is consulted, never the file system: a path the index does not hold
    /// (`../../etc/passwd`) is not found.
    func show(_ location: String, highlighting query: String?) async throws(ErrorJSON) -> ShownDocument {
        try await show(location, highlighting: query) { $0 }
    }

    /// The document at `location` with `query`'s words marked, turned into `answer`'s result on
    /// the thread that read it (a document can be megabytes long).
    func show<Answer: Sendable>(
        _ location: String, highlighting query: String?,
        answer: @escaping @Sendable (ShownDocument) -> Answer
    ) async throws(ErrorJSON) -> Answer {
        guard !location.isEmpty else {
            throw ErrorJSON("Missing path: give the document's path.", kind: .request)
        }
        guard location.count <= 4_096 else { throw ErrorJSON("The path is too long.", kind: .request) }
        if let query, query.count > SearchJSON.maximumQueryLength {
            throw ErrorJSON(SearchJSON.queryTooLongMessage(query.count), kind: .request)
        }
        var candidates = [(path: location, record: "")]
        if let hash = location.lastIndex(of: "#") {
            candidates.append(
                (String(location[..<hash]), String(location[location.index(after: hash)...])))
        }
        let lookups = candidates
        return try await readers.read { store throws(ErrorJSON) in
            do throws(SearchError) {
                guard let shown = try Searcher(store: store).show(lookups, highlighting: query) else {
                    throw SearchError.documentNotFound(location)
                }
                return answer(shown)
            } catch {
                throw ErrorJSON(error)
            }
        }
    }

    /// How many documents the index holds (`/healthz`).
    func documentCount() async throws(ErrorJSON) -> Int {
        try await readers.read { store throws(ErrorJSON) in
            do throws(IndexError) {
                return try store.documentCount()
            } catch {
                throw ErrorJSON(error)
            }
        }
    }

    /// `trawl stats --format json`.
    func statistics() async throws(ErrorJSON) -> StatsJSON {
        try await readers.read { store throws(ErrorJSON) in
            do throws(IndexError) {
                return StatsJSON(path: store.path, try store.statistics())
            } catch {
                throw ErrorJSON(error)
            }
        }
    }
}
