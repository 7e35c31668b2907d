import ArgumentParser
import Foundation
import TrawlReplica

/// `trawl replicate --to DIR|URL`: write a Litestream configuration for the index and run Litestream.
struct ReplicateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replicate",
        abstract:
            "Replicate the index with Litestream to a folder or a storage URL (s3://…), beside cron indexing.",
        discussion: """
            Writes a Litestream configuration for the index (--config, default <index>.litestream.yml) \
            and then becomes `litestream replicate` with it (same process id): run it as a service \
            next to the cron or systemd timer that runs `trawl index`. Litestream ships every committed \
            transaction of the index to the location within about --sync-interval; `trawl replica \
            --from` the same location keeps read-only copies elsewhere. Litestream is found as \
            $TRAWL_LITESTREAM, else `litestream` on PATH. --print-config prints the configuration and \
            runs nothing. Exit status: 2 a bad location, 69 Litestream missing or not startable, 74 no \
            index yet or the configuration cannot be written; otherwise Litestream's own.
            """)

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Where the replica goes: a folder, or a URL Litestream writes to (s3://bucket/path, gs://, abs://, sftp://).",
            valueName: "folder|url"))
    var to: String

    @OptionGroup var index: IndexOption

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The Litestream configuration to write (default: <index>.litestream.yml).", valueName: "file"))
    var config: String?

    @Option(
        name: .customLong("sync-interval"),
        help: ArgumentHelp("How often new changes are shipped, in seconds.", valueName: "seconds")
    )
    var syncInterval: Double = 1

    @Flag(name: .customLong("print-config"), help: "Print the Litestream configuration and exit.")
    var printConfig = false

    func validate() throws {
        guard syncInterval >= 0.01, syncInterval <= 3600 else {
            throw ValidationError("--sync-interval takes 0.01 to 3600 seconds.")
        }
    }

    func run() throws {
        let location = try ReplicaLocation(to, currentDirectory: FileManager.default.currentDirectoryPath)
        let configuration = LitestreamConfiguration(
            indexPath: index.path, location: location, syncInterval: syncInterval)
        if printConfig {
            print(TerminalText.visible(configuration.yaml, keepingNewlines: true), terminator: "")
            return
        }
        let litestream = try Litestream.locate()
        let path =
            config.map(IndexLocation.absolute) ?? LitestreamConfiguration.defaultPath(forIndex: index.path)
        try configuration.write(to: path)
        printError(
            TerminalText.visible(
                "trawl: replicating \(index.path) to \(location.litestreamURL) with \(litestream.path) "
                    + "(configuration \(path)); stop it with SIGTERM or Ctrl-C"))
        try litestream.execReplicate(configurationPath: path)
    }
}
