import ArgumentParser
import TrawlText

/// `trawl analyze "<text>"`: the terms Trawl indexes for a text.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Show the terms Trawl indexes for a text (the same tokenizer serves search).")

    @Argument(help: "The text to analyze.")
    var text: String

    @Option(name: .long, help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let tokens = Tokenizer().tokens(in: text)
        switch format {
        case .json:
            try JSONOutput.print(["tokens": tokens])
        case .text:
            let width = max(4, tokens.map { $0.term.count }.max() ?? 0)
            for token in tokens {
                let source = String(decoding: Array(text.utf8)[token.start..<token.end], as: UTF8.self)
                let padded = token.term.padding(toLength: width, withPad: " ", startingAt: 0)
                print(
                    TerminalText.visible(
                        "\(token.colocated ? "  + " : "")\(padded)  \(token.start)-\(token.end)  \(source)"))
            }
        }
    }
}
