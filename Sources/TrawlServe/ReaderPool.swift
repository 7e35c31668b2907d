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
    private let idle = Mutex<[IndexStore]>([])
    /// Interrupts reads past their time limit and ends turns held too long.
    private let watch: ReadWatch

    /// Turns for reads (nil: no limit).
    private let slots: ReadSlots?

    /// A read still running after `timeLimit` seconds is interrupted (`IndexStore.interrupt()`),
    /// so a hostile query ends with an error instead of holding a thread and a connection.
    init(path: String, keep: Int = 8, timeLimit: Double = 10, concurrentReads: Int) {
        self.path = path
        self.keep = keep
        watch = ReadWatch(timeLimit: timeLimit, turnLimit: Self.turnLimit)
        slots = concurrentReads > 0 ? ReadSlots(count: concurrentReads) : nil
    }

    /// A read that runs longer than this (seconds) gives up its turn early and runs on beside
    /// the others: a slow query delays those waiting behind it by at most this long.
    static let turnLimit = 0.05

    /// Runs `body` with a reader of its own, on a thread where blocking is allowed (never on the
    /// server's event loops or Swift's cooperative pool, so a slow query stalls only itself).
    ///
    /// Reads wait their turn (first come, first served) when `concurrentReads` already run, so
    /// that with more requests than cores each runs at full speed in turn instead of all slowing
    /// down together.
    func read<T: Sendable>(_ body: @escaping @Sendable (IndexStore) throws(ErrorJSON) -> T)
        async throws(ErrorJSON)
        -> T
    {
        let result: Result<T, ErrorJSON> = await withCheckedContinuation { continuation in
            guard let slots else {
                DispatchQueue.global().async {
                    continuation.resume(returning: self.runBlocking(body, slot: nil))
                }
                return
            }
            slots.run { slot in continuation.resume(returning: self.runBlocking(body, slot: slot)) }
        }
        return try result.get()
    }

    private func runBlocking<T>(_ body: (IndexStore) throws(ErrorJSON) -> T, slot: ReadSlots.Slot?)
        -> Result<T, ErrorJSON>
    {
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
        let watched = watch.begin(store, slot: slot)
        let result: Result<T, ErrorJSON>
        do {
            result = .success(try body(store))
        } catch {
            result = .failure(error)
        }
        watch.end(watched)
        idle.withLock { readers in
            if readers.count < keep { readers.append(store) }
        }
        return result
    }
}

/// Watches the reads in flight from one thread, instead of a timer per read: a read past its
/// time limit is interrupted, and one past its turn gives the turn up. The thread looks every
/// `interval` seconds while reads run, and sleeps while none do.
final class ReadWatch: Sendable {
    private struct Watched {
        let store: IndexStore
        let deadline: DispatchTime
        var slot: ReadSlots.Slot?
        let turnEnd: DispatchTime
    }
    private struct State {
        var reads: [Int: Watched] = [:]
        var nextID = 0
        var started = false
        var parked = false
    }
    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    /// Seconds after which a read is interrupted, and after which it gives up its turn.
    let timeLimit, turnLimit: Double
    let interval: Double

    init(timeLimit: Double, turnLimit: Double, interval: Double = 0.01) {
        self.timeLimit = timeLimit
        self.turnLimit = turnLimit
        self.interval = interval
    }

    /// Starts watching a read on `store`, holding `slot`; give the number returned to `end(_:)`
    /// when it is over.
    func begin(_ store: IndexStore, slot: ReadSlots.Slot?) -> Int {
        let now = DispatchTime.now()
        let (id, start, unpark) = state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            state.reads[id] = Watched(
                store: store, deadline: now + timeLimit, slot: slot, turnEnd: now + turnLimit)
            let answer = (id, !state.started, state.parked)
            state.started = true
            state.parked = false
            return answer
        }
        if start {
            Thread.detachNewThread { [self] in watchForever() }
        } else if unpark {
            wake.signal()
        }
        return id
    }

    /// Stops watching the read numbered `id`.
    func end(_ id: Int) {
        state.withLock { _ = $0.reads.removeValue(forKey: id) }
    }

    private func watchForever() {
        while true {
            let now = DispatchTime.now()
            let (turnsOver, idle) = state.withLock {
                state -> ([ReadSlots.Slot], Bool) in
                var turnsOver: [ReadSlots.Slot] = []
                for (id, read) in state.reads {
                    if read.deadline <= now {
                        // Again at every look until the read ends (an interrupt between two
                        // statements does nothing), and under the lock, so that `end(_:)`
                        // cannot hand the store to another read meanwhile.
                        read.store.interrupt()
                    }
                    if let slot = read.slot, read.turnEnd <= now {
                        turnsOver.append(slot)
                        state.reads[id]?.slot = nil
                    }
                }
                state.parked = state.reads.isEmpty
                return (turnsOver, state.reads.isEmpty)
            }
            for slot in turnsOver { slot.leave() }
            if idle {
                wake.wait()
            } else {
                Thread.sleep(forTimeInterval: interval)
            }
        }
    }
}

/// Turns for reads, `count` at a time, first come first served. A read that holds its turn past
/// `ReaderPool.turnLimit` gives it up early (`ReadWatch`) and runs on beside the others, so a
/// slow or hostile query delays those behind it by at most that long.
///
/// Each turn is a thread that runs the waiting reads one after another: when a read ends, the
/// same thread starts the next, with no wake-up of another thread in between.
final class ReadSlots: Sendable {
    /// A read to run, given its turn.
    typealias Job = @Sendable (Slot) -> Void

    private struct State {
        var free: Int
        var waiting: [Job] = []
    }
    private let state: Mutex<State>

    init(count: Int) {
        state = Mutex(State(free: max(1, count)))
    }

    /// A turn, held by one read: ended early with `leave()` (by `ReadWatch`, when the read holds
    /// it too long), or kept for the next read when the read ends.
    final class Slot: Sendable {
        private let held = Mutex(true)
        private let slots: ReadSlots

        fileprivate init(_ slots: ReadSlots) {
            self.slots = slots
        }

        /// Gives the turn to the next waiting read, on a thread of its own (once; later calls
        /// do nothing).
        func leave() {
            if release() { slots.handOn() }
        }

        /// Takes the turn back from the read; false when the read already gave it up.
        fileprivate func release() -> Bool {
            held.withLock { held in
                defer { held = false }
                return held
            }
        }
    }

    /// Runs `job` when a turn is free (at once if one is), on a thread where blocking is allowed.
    func run(_ job: @escaping Job) {
        let now = state.withLock { state in
            if state.free > 0 {
                state.free -= 1
                return true
            }
            state.waiting.append(job)
            return false
        }
        if now { startTurn(with: job) }
    }

    /// A thread holding one turn: runs `first`, then the reads waiting, until none is left or
    /// a read gave the turn up (a new thread has it then).
    private func startTurn(with first: @escaping Job) {
        DispatchQueue.global().async {
            var job = first
            while true {
                let slot = Slot(self)
                job(slot)
                guard slot.release(), let next = self.nextOrFree() else { return }
                job = next
            }
        }
    }

    /// A turn given up early: the first waiting read starts on a thread of its own, or the turn
    /// is free.
    fileprivate func handOn() {
        if let next = nextOrFree() { startTurn(with: next) }
    }

    private func nextOrFree() -> Job? {
        state.withLock { state in
            guard !state.waiting.isEmpty else {
                state.free += 1
                return nil
            }
            return state.waiting.removeFirst()
        }
    }
}
