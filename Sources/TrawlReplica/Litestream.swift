import Foundation

/// The Litestream executable Trawl runs: `$TRAWL_LITESTREAM`, else the first `litestream` on `PATH`.
///
/// Litestream does all the replication: it ships the index's committed WAL frames to the
/// replica location (`litestream replicate`) and applies them to a local copy
/// (`litestream restore -f`). Trawl only writes its configuration and starts and watches it.
public struct Litestream: Equatable, Sendable {
    /// The executable's path.
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Finds Litestream from the environment of this process (or `environment`).
    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ReplicaError) -> Litestream {
        if let chosen = environment["TRAWL_LITESTREAM"], !chosen.isEmpty {
            guard ChildProcess.isExecutableFile(chosen) else { throw .litestreamNotExecutable(path: chosen) }
            return Litestream(path: chosen)
        }
        guard let found = ChildProcess.executable(named: "litestream", searchPath: environment["PATH"] ?? "")
        else { throw .litestreamMissing }
        return Litestream(path: found)
    }

    /// `litestream replicate` with `configurationPath`: runs until stopped.
    public func replicateArguments(configurationPath: String) -> [String] {
        ["replicate", "-no-expand-env", "-config", configurationPath]
    }

    /// `litestream restore -f`: restores the latest copy from `source` to `output`, then applies
    /// new changes every `interval` seconds until stopped.
    public func followArguments(source: ReplicaLocation, output: String, interval: Double) -> [String] {
        [
            "restore", "-f", "-follow-interval", LitestreamConfiguration.duration(interval), "-o", output,
            source.litestreamURL,
        ]
    }

    /// Replaces this process with `litestream replicate` for `configurationPath` (its process id
    /// stays the same, so a service manager or `kill` stops Litestream itself).
    public func execReplicate(configurationPath: String) throws(ReplicaError) -> Never {
        try ChildProcess.exec(path, replicateArguments(configurationPath: configurationPath))
    }
}

/// Writing the configuration `trawl replicate` runs Litestream with.
extension LitestreamConfiguration {
    /// Where `trawl replicate` keeps the configuration of the index at `indexPath`.
    public static func defaultPath(forIndex indexPath: String) -> String {
        indexPath + ".litestream.yml"
    }

    /// Writes the YAML to `path`, after checking that the index exists.
    public func write(to path: String) throws(ReplicaError) {
        guard ChildProcess.exists(indexPath) else { throw .indexMissing(path: indexPath) }
        if let problem = ChildProcess.write(yaml, to: path) {
            throw .cannotWriteConfiguration(path: path, reason: problem)
        }
    }
}
