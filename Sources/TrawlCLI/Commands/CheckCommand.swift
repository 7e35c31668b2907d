import ArgumentParser
import Foundation
import TrawlIndex

/// `trawl check`: run SQLite's and FTS5's integrity checks on the index.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check that the index file and its full-text index are intact.",
        discussion: """
            Runs SQLite's integrity check and FTS5's integrity check (which also compares the \
            full-text index with the stored documents) without ever writing to the index, so it works \
            on a read-only index too (FTS5's check runs on a copy in the temporary folder). Exit \
            status: 0 intact, 74 damaged, not a Trawl index, or unreadable.
            """)

    @OptionGroup var index: IndexOption

    func run() throws {
        guard FileManager.default.fileExists(atPath: index.path) else {
            throw IndexError.missing(path: index.path)
        }
        let report = try IndexStore(path: index.path, access: .inspect).check()
        if report.isIntact {
            print(TerminalText.visible("ok: \(index.path) is intact (\(report.documents) documents)"))
            return
        }
        for problem in report.problems { printError("trawl: \(index.path): \(problem)") }
        printError("trawl: \(IndexError.damaged(path: index.path).description)")
        throw ExitStatus.indexFailure
    }
}
