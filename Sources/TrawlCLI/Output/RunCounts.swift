import TrawlIndex

/// A run's counts as one line, the same in `trawl index`'s summary and `trawl status`.
struct RunCounts {
    var run: IndexRun

    init(_ run: IndexRun) { self.run = run }

    /// `3 added, 0 updated, 0 moved, 0 removed, 31 unchanged, 0 skipped, 0 failed (2 known failures
    /// unchanged, see trawl status)`, then `, 5 not found but kept` when removals were
    /// held back.
    var text: String {
        var text =
            "\(run.added) added, \(run.updated) updated, \(run.moved) moved, \(run.removed) removed, "
            + "\(run.unchanged) unchanged, \(run.skipped) skipped, \(run.failed) failed"
        if run.knownFailures > 0 {
            let plural = run.knownFailures == 1 ? "failure" : "failures"
            text += " (\(run.knownFailures) known \(plural) unchanged, see trawl status)"
        }
        if run.heldBack > 0 { text += ", \(run.heldBack) not found but kept" }
        return text
    }
}
