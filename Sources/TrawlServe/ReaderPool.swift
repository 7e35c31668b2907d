import Foundation
import Synchronization
import TrawlAPI
import TrawlIndex

/// Read-only connections to the index, one per request in flight, so that searches run side by
/// side (a read-only `IndexStore` is one SQLite connection, which serves one query at a time).
///
/// Readers are opened on demand — an index that does not exist yet, or cannot be read, is
/// retried on the next request — and kept for reuse. Each read runs in its own transaction, so
/// documents a concurrent `trawl index` commits appear without a restart.
final class ReaderPool: Sendable {
    let path: String
    /// At most this many readers are kept; more requests at once open short-lived ones.
    let keep: Int
    /// A read still running after this many seconds is interrupted (`IndexStore.interrupt()`), so
    /// a hostile query ends with an error instead of holding a thread and a connection.
    let timeLimit: Double
    private let idle = Mutex<[IndexStore]>([])

    init(path: String, keep: Int = 8, timeLimit: Double = 10) {
        self.path = path
        self.keep = keep
        self.timeLimit = timeLimit
    }

    /// Runs `body` with a reader of its own, on a thread where blocking is allowed (never on the
    /// server's event loops or Swift's cooperative pool, so a slow query stalls only itself).
    func read<T: Sendable>(_ body: @escaping @Sendable (IndexStore) throws(ErrorJSON) -> T)
        async throws(ErrorJSON)
        -> T
    {
        let result: Result<T, ErrorJSON> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: self.runBlocking(body))
            }
        }
        return try result.get()
    }

    private func runBlocking<T>(_ body: (IndexStore) throws(ErrorJSON) -> T) -> Result<T, ErrorJSON> {
        let store: IndexStore
        if let reused = idle.withLock({ $0.popLast() }) {
            store = reused
        } else {
            do {
                store = try IndexStore(path: path, access: .readOnly)
            } catch {
                return .failure(ErrorJSON(error))
            }
        }
        let deadline = DispatchWorkItem { store.interrupt() }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeLimit, execute: deadline)
        let result: Result<T, ErrorJSON>
        do {
            result = .success(try body(store))
        } catch {
            result = .failure(error)
        }
        deadline.cancel()
        idle.withLock { readers in
            if readers.count < keep { readers.append(store) }
        }
        return result
    }
}
