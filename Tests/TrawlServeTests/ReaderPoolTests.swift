import Foundation
import Synchronization
import Testing
import TrawlAPI
import TrawlIndex

@testable import TrawlServe

/// `ReaderPool`'s turns: a read that holds its turn past `ReaderPool.turnLimit` gives it up (through
/// `ReadWatch`), so one slow request delays the others by about that long, not by its whole time.
@Suite struct ReaderPoolTests {
    @Test func aReadHoldingItsTurnTooLongLetsTheNextOneStart() async throws {
        let (pool, folder) = try Self.poolWithOneTurn()
        defer { try? FileManager.default.removeItem(at: folder) }
        let slowRunning = Counter()
        let secondStarted = DispatchSemaphore(value: 0)

        // The slow read takes the only turn and waits (up to 20 s) for the second to start: it
        // can only if the slow one gives its turn up after `turnLimit` (50 ms).
        async let slowSawTheSecond = pool.read { _ in
            slowRunning.add(1)
            return secondStarted.wait(timeout: .now() + 20) == .success
        }
        while slowRunning.add(0) == 0 { try await Task.sleep(for: .milliseconds(5)) }
        _ = try await pool.read { _ in secondStarted.signal() }

        #expect(try await slowSawTheSecond, "the second read waited for the slow one to end")
    }

    @Test func aReadPastItsTimeLimitIsInterrupted() async throws {
        let (pool, folder) = try Self.poolWithOneTurn(timeLimit: 0.2)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Statement after statement for up to 20 s: the watch interrupts the read once it is
        // past 0.2 s, whichever statement is running then.
        let outcome = try await pool.read { store in
            let end = DispatchTime.now() + 20
            while DispatchTime.now() < end {
                do throws(IndexError) {
                    _ = try store.documentCount()
                } catch {
                    if case .interrupted = error { return "interrupted" }
                    return "\(error)"
                }
            }
            return "ran 20 s"
        }
        #expect(outcome == "interrupted")
    }

    @Test func readsTakeTheirTurnOneAtATimeWhenEachIsQuick() async throws {
        let (pool, folder) = try Self.poolWithOneTurn()
        defer { try? FileManager.default.removeItem(at: folder) }
        let running = Counter()
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    try await pool.read { store throws(ErrorJSON) in
                        let now = running.add(1)
                        Thread.sleep(forTimeInterval: 0.005)
                        running.add(-1)
                        do throws(IndexError) { _ = try store.documentCount() } catch {
                            throw ErrorJSON(error)
                        }
                        return now
                    }
                }
            }
            for try await atOnce in group {
                #expect(atOnce == 1, "\(atOnce) reads ran at once with one turn")
            }
        }
    }
}

extension ReaderPoolTests {
    /// A pool of one turn over a new, empty index in a folder of its own (remove it after).
    static func poolWithOneTurn(timeLimit: Double = 10) throws -> (ReaderPool, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trawl-readerpool-\(UUID().uuidString)")
        let path = folder.appendingPathComponent("index.sqlite").path
        _ = try IndexStore(path: path)
        return (ReaderPool(path: path, timeLimit: timeLimit, concurrentReads: 1), folder)
    }
}

/// A count shared between threads.
final class Counter: Sendable {
    private let value = Mutex(0)

    @discardableResult
    func add(_ amount: Int) -> Int {
        value.withLock {
            $0 += amount
            return $0
        }
    }
}
