import ArgumentParser
import Foundation
import TrawlReplica

/// `trawl replica --from DIR|URL --db PATH`: keep a local read-only copy of a replicated index current.
struct ReplicaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replica",
        abstract: "Keep a local read-only copy of a replicated index restored and current, for searches.",
        discussion: """
            Restores the index that `trawl replicate --to` ships to the location given, moves the \
            whole copy to --db in one rename, then has Litestream (`litestream restore -f`) apply new \
            changes every --interval seconds until stopped (SIGTERM, SIGINT, SIGHUP). `trawl search \
            --db PATH` (and show, stats, status, check) read the copy; never run `trawl index` on it. \
            If Litestream stops, a fresh copy is restored beside the old one and moved over it. The \
            file at --db is replaced only if `trawl replica` made it (it leaves <db>.replica-source). \
            Until the location holds a replica, it tries again (1 s, doubling up to 30 s), saying why. \
            Exit status: 0 stopped by a signal, 2 a bad location or --db is not a replica, 69 Litestream \
            missing, 74 the copy cannot be moved into place.
            """)

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The location `trawl replicate --to` writes: a folder or a URL (s3://bucket/path, …).",
            valueName: "folder|url"))
    var from: String

    @OptionGroup var index: IndexOption

    @Option(
        name: .long,
        help: ArgumentHelp("How often to apply new changes, in seconds.", valueName: "seconds"))
    var interval: Double = 1

    func validate() throws {
        guard interval >= 0.01, interval <= 3600 else {
            throw ValidationError("--interval takes 0.01 to 3600 seconds.")
        }
    }

    func run() throws {
        let source = try ReplicaLocation(from, currentDirectory: FileManager.default.currentDirectoryPath)
        let follower = ReplicaFollower(
            source: source, copyPath: index.path, interval: interval, litestream: try Litestream.locate())
        try follower.run { event in
            switch event {
            case .following(let path):
                printError(
                    TerminalText.visible(
                        "trawl: \(path) is a whole copy of \(source.litestreamURL); applying changes every \(interval) s"
                    ))
            case .litestreamStopped(let status, let pause, let hadCopy):
                printError(
                    TerminalText.visible(
                        hadCopy
                            ? "trawl: Litestream stopped (exit status \(status)); restoring a fresh copy in \(pause) s"
                            : "trawl: no copy restored from \(source.litestreamURL) yet (Litestream's exit status \(status), "
                                + "its messages above; is `trawl replicate` running?); trying again in \(pause) s"
                    ))
            case .stopped:
                printError("trawl: stopped")
            }
        }
    }
}
