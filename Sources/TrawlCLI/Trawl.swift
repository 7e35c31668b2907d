import ArgumentParser
import Foundation

/// The `trawl` command: index folders of reports and search them.
@main
struct Trawl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trawl",
        abstract: "Index folders of articles and reports and search them with ranked, highlighted results.",
        discussion: """
            Exit status: 0 success (search: hits found), 1 no hits or some files failed, 2 usage or \
            query error, 69 `serve` cannot listen or Litestream is missing (replicate, replica), 74 the index \
            cannot be read or written, 75 the index is locked by another run.
            """,
        version: "0.1.0",
        subcommands: [
            IndexCommand.self, SearchCommand.self, AnalyzeCommand.self, StatsCommand.self, EvalCommand.self,
            ShowCommand.self, SimilarCommand.self, StatusCommand.self, ChangesCommand.self, WatchCommand.self,
            CheckCommand.self, OptimizeCommand.self, CronCommand.self, ServeCommand.self, MCPCommand.self,
            ReplicateCommand.self, ReplicaCommand.self, VersionCommand.self,
        ])

    /// The command the arguments ask for.
    ///
    /// `trawl search …`, the command people wait for, is parsed by `SearchCommand` alone when it
    /// parses cleanly: parsing against the whole command tree costs more than many searches (the
    /// Swift runtime's first conformance lookups for every subcommand's options, ~25 M
    /// instructions). Anything else, help and errors included, goes through the full parser, so
    /// messages and usage text are unchanged.
    /// Query words after `search` that start with `-` are protected first
    /// (`SearchCommand.protectingQueryWords`), on both paths.
    static func parsedCommand(_ arguments: [String]) throws -> any ParsableCommand {
        guard arguments.first == SearchCommand.configuration.commandName else {
            return try parseAsRoot(arguments)
        }
        let searchArguments = SearchCommand.protectingQueryWords(Array(arguments.dropFirst()))
        if let search = try? SearchCommand.parse(searchArguments) {
            return search
        }
        return try parseAsRoot([arguments[0]] + searchArguments)
    }

    /// Parses arguments and runs the command, mapping every error to a message and an exit code
    /// in one place (`ExitStatus`).
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            // The everyday search skips argument parsing altogether (see `everydayInvocation`).
            if arguments.first == SearchCommand.configuration.commandName,
                let invocation = SearchCommand.everydayInvocation(Array(arguments.dropFirst()))
            {
                try SearchCommand.run(invocation)
            } else {
                var command = try parsedCommand(arguments)
                try command.run()
            }
            Foundation.exit(0)
        } catch let status as ExitStatus {
            Foundation.exit(status.rawValue)
        } catch {
            if let (status, message) = ExitStatus.classify(error) {
                printError("trawl: \(message)")
                Foundation.exit(status.rawValue)
            }
            // Argument-parser errors, help and version requests.
            // Help and messages may quote what was typed: shown visibly, lines kept.
            let message = TerminalText.visible(fullMessage(for: error), keepingNewlines: true)
            if exitCode(for: error) == .success {
                // Help ends with examples to paste (`HelpExamples`).
                guard message.contains("USAGE:") else {
                    print(message)
                    Foundation.exit(0)
                }
                var help = message
                while help.hasSuffix("\n") { help.removeLast() }
                print(help + "\n\n" + HelpExamples.section(for: arguments))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((message + "\n").utf8))
            Foundation.exit(ExitStatus.usage.rawValue)
        }
    }
}
