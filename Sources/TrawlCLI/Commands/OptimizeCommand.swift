import ArgumentParser
import Foundation
import TrawlIndex
import TrawlIngest

/// `trawl optimize`: merge the FTS5 segments and vacuum the file.
struct OptimizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimize",
        abstract:
            "Merge the full-text index into one segment and compact the file; prints sizes before and after.",
        discussion: """
            Takes the same lock as `trawl index`. Exit status: 0 done, 74 the index cannot be \
            written, 75 a `trawl index` is running (see --wait).
            """)

    @OptionGroup var index: IndexOption

    @Option(
        name: .long,
        help: ArgumentHelp("Wait this long for a running `trawl index` to finish.", valueName: "seconds"))
    var wait: Double = 0

    func run() throws {
        guard FileManager.default.fileExists(atPath: index.path) else {
            throw IndexError.missing(path: index.path)
        }
        let lock = try IndexLock.acquire(forIndexAt: index.path, waitingUpTo: wait)
        let report = try withExtendedLifetime(lock) {
            try IndexStore(path: index.path, access: .readWrite).optimize()
        }
        let recompressed =
            report.bodiesRecompressed == 0
            ? "" : " (\(report.bodiesRecompressed) bodies compressed again with the index's dictionary)"
        print(
            TerminalText.visible(
                "\(index.path): \(StatsCommand.megabytes(report.bytesBefore)) before, "
                    + "\(StatsCommand.megabytes(report.bytesAfter)) after" + recompressed))
    }
}
