import Dispatch
import Foundation
import TrawlIndex

/// Applies batches of changes on one background thread, one at a time and in order.
///
/// `@unchecked Sendable` is safe: `inFlight` is touched only by the thread that owns the
/// `BatchWriter` (submit and wait are never called concurrently), and `failure`, written by the
/// commit thread, is guarded by `lock`; `wait()` joins the commit before reading it.
final class BackgroundCommitter: @unchecked Sendable {
    private let queue = DispatchQueue(label: "trawl.ingest.commit")
    private let lock = NSLock()
    private var inFlight: DispatchWorkItem?
    private var failure: IndexError?

    /// Waits for the batch in flight, then starts applying `changes` (logged under `run`).
    func submit(_ changes: [DocumentChange], to store: IndexStore, run: Int64?) throws(IngestError) {
        try wait()
        let item = DispatchWorkItem { [self] in
            do throws(IndexError) {
                try store.apply(changes, run: run)
            } catch {
                lock.withLock { failure = error }
            }
        }
        inFlight = item
        queue.async(execute: item)
    }

    /// Waits until the batch in flight (if any) is committed; throws if it failed.
    func wait() throws(IngestError) {
        inFlight?.wait()
        inFlight = nil
        if let failure = lock.withLock({ failure }) { throw .index(failure) }
    }
}
