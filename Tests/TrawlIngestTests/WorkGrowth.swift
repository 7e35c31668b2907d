import Foundation

/// How the time a piece of work takes grows with its input, for hostile-input tests: linear work
/// on an input 16 times larger takes about 16 times as long, quadratic work about 256 times.
///
/// Each side is the least of five timings of the thread's own CPU time (not the wall clock, which
/// a machine busy with other processes stretches by its load), so a busy machine inflates neither
/// much; tests bound
/// the ratio generously (below 64: parallel tests on two busy cores measured up to 2.3 times the
/// linear ratio), which a quadratic regression breaks and noise does not.
enum WorkGrowth {
    /// How many times larger the large input is than the small one.
    static let factor = 16
    /// A ratio above this is growth faster than linear.
    static let linearBound = 64.0

    /// The time `work` takes on `large` over the time it takes on `small`.
    static func ratio<Input>(small: Input, large: Input, _ work: (Input) -> Void) -> Double {
        seconds { work(large) } / max(seconds { work(small) }, 1e-4)
    }

    private static func seconds(_ body: () -> Void) -> Double {
        var best = Double.infinity
        for _ in 0..<5 {
            let started = threadCPUSeconds()
            body()
            best = min(best, threadCPUSeconds() - started)
        }
        return best
    }

    /// The CPU time the calling thread has used.
    private static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}
