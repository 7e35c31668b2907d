/// Order statistics of a sample of timings.
struct Statistics: Encodable {
    var count: Int
    var median: Double
    var p95: Double
    var min: Double
    var max: Double

    /// The statistics of `samples`, which must not be empty. The p95 is the nearest-rank value.
    init(_ samples: [Double]) {
        let sorted = samples.sorted()
        count = sorted.count
        let middle = sorted.count / 2
        median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        let rank = Int((0.95 * Double(sorted.count)).rounded(.up))
        p95 = sorted[Swift.max(0, Swift.min(sorted.count - 1, rank - 1))]
        min = sorted[0]
        max = sorted[sorted.count - 1]
    }
}

/// Seconds in a `Duration`, as a `Double`.
func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}
