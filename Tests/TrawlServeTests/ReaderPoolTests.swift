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
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trawl-readerpool-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("index.sqlite").path
        _ = try IndexStore(path: path)
        let pool = ReaderPool(path: path, concurrentReads: 1)
        let clock = ContinuousClock()
        let start = clock.now

        async let slowEnded = pool.read { _ in
            Thread.sleep(forTimeInterval: 0.8)
            return clock.now - start
        }
        try await Task.sleep(for: .milliseconds(30))
        let secondStarted = try await pool.read { _ in clock.now - start }

        // The only turn was taken; the second read waited for the first to give it up after
        // `turnLimit` (50 ms), not for its 800 ms.
        #expect(secondStarted < .milliseconds(500), "the second read started after \(secondStarted)")
        #expect(try await slowEnded >= .milliseconds(800))
    }

    @Test func readsTakeTheirTurnOneAtATimeWhenEachIsQuick() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trawl-readerpool-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("index.sqlite").path
        _ = try IndexStore(path: path)
        let pool = ReaderPool(path: path, concurrentReads: 1)
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
