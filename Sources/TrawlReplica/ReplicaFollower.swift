import Foundation

/// Keeps a local read-only copy of a replicated index restored and current (`trawl replica`).
///
/// Each round restores a whole copy from the replica location with `litestream restore -f`
/// into `<copy>.restoring`, moves it over `<copy>` in one `rename` once Litestream has restored
/// it (Litestream writes `<output>-txid` then, and keeps applying changes to the file it has
/// open, now at `<copy>`), then watches Litestream while it follows. Searches read `<copy>`
/// read-only all along: before the first round ends there is no copy; while a later round
/// restores, the previous copy stays in place. If Litestream stops (a crash, a replica location
/// that is not there yet or went away), a new round restores from scratch after a pause (1 s,
/// doubling up to 30 s), so a copy always converges on the replica again; Litestream cannot
/// resume a follow from a copy it did not restore itself.
public struct ReplicaFollower: Sendable {
    /// The suffix of the file beside the copy naming where it is restored from; `trawl replica`
    /// replaces only a file that has one, so it never overwrites an index of another kind.
    public static let sourceSuffix = ".replica-source"

    /// Where the copy is restored from.
    public let source: ReplicaLocation
    /// The copy's path, what `trawl search --db` reads.
    public let copyPath: String
    /// How often Litestream looks for new changes, in seconds.
    public let interval: Double
    /// The Litestream that restores and follows.
    public let litestream: Litestream

    public init(source: ReplicaLocation, copyPath: String, interval: Double, litestream: Litestream) {
        self.source = source
        self.copyPath = copyPath
        self.interval = interval
        self.litestream = litestream
    }

    /// What happened, for the person watching (`trawl replica` prints each on standard error).
    public enum Event: Sendable, Equatable {
        /// A whole copy was restored and moved into place; Litestream now follows.
        case following(copyPath: String)
        /// Litestream stopped with `status`, while following (`hadCopy`) or before a copy was
        /// whole (nothing at the location yet?); a new round starts after `pause` seconds.
        case litestreamStopped(status: Int32, pause: Double, hadCopy: Bool)
        /// A stop signal arrived; Litestream was stopped.
        case stopped(signal: Int32)
    }

    /// Restores and follows until a stop signal (SIGINT, SIGTERM, SIGHUP) arrives; throws when
    /// the file at the copy's path is not a copy `trawl replica` made, or when Litestream cannot
    /// be started or the copy cannot be moved into place.
    public func run(report: (Event) -> Void) throws(ReplicaError) {
        let marker = copyPath + Self.sourceSuffix
        if ChildProcess.exists(copyPath), !ChildProcess.exists(marker) {
            throw .notAReplica(path: copyPath)
        }
        ChildProcess.blockStopSignals()
        let staging = copyPath + ".restoring"
        var pause = 1.0
        var hasCopy = false
        while true {
            for suffix in ["", "-txid", "-wal", "-shm"] { ChildProcess.remove(staging + suffix) }
            let pid = try ChildProcess.spawn(
                litestream.path,
                litestream.followArguments(source: source, output: staging, interval: interval))
            // Until Litestream has a whole copy (it writes `<output>-txid` then).
            var restored = false
            while !restored {
                if let signal = ChildProcess.waitForStopSignal(seconds: 0.05) {
                    ChildProcess.stop(pid)
                    cleanUp(staging)
                    report(.stopped(signal: signal))
                    return
                }
                if let status = ChildProcess.exitStatus(of: pid) {
                    report(.litestreamStopped(status: status, pause: pause, hadCopy: hasCopy))
                    break
                }
                restored = ChildProcess.exists(staging + "-txid")
            }
            if restored {
                if let problem = ChildProcess.write(source.litestreamURL + "\n", to: marker) {
                    ChildProcess.stop(pid)
                    throw .cannotPublish(path: copyPath, reason: problem)
                }
                if let problem = ChildProcess.move(staging, to: copyPath) {
                    ChildProcess.stop(pid)
                    throw .cannotPublish(path: copyPath, reason: problem)
                }
                hasCopy = true
                pause = 1
                report(.following(copyPath: copyPath))
                while true {
                    if let signal = ChildProcess.waitForStopSignal(seconds: 0.2) {
                        ChildProcess.stop(pid)
                        cleanUp(staging)
                        report(.stopped(signal: signal))
                        return
                    }
                    if let status = ChildProcess.exitStatus(of: pid) {
                        report(.litestreamStopped(status: status, pause: pause, hadCopy: true))
                        break
                    }
                }
            }
            // Litestream stopped: pause (still honouring stop signals), then restore again.
            if let signal = ChildProcess.waitForStopSignal(seconds: pause) {
                cleanUp(staging)
                report(.stopped(signal: signal))
                return
            }
            pause = min(pause * 2, 30)
        }
    }

    private func cleanUp(_ staging: String) {
        for suffix in ["", "-txid"] { ChildProcess.remove(staging + suffix) }
    }
}
