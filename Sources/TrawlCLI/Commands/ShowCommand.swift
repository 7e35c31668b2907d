import ArgumentParser
import Foundation
import TrawlAPI
import TrawlIndex
import TrawlSearch

/// `trawl show <path>`: a document's metadata and full text, with a query's words marked.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a document's metadata and full indexed text.",
        discussion: """
            Name the document as `trawl search` prints it: its path (absolute, or relative to the \
            current folder), with #record for one record of a JSON or JSON Lines file. --query marks \
            the words a search would match. Exit status: 0 shown, 1 no such document in the index, \
            2 usage or query error, 74 the index cannot be read.
            """)

    @Argument(help: ArgumentHelp("The document: path or path#record.", valueName: "document"))
    var document: String

    @Option(name: .long, help: "Mark the words this query searches for.")
    var query: String?

    @OptionGroup var index: IndexOption

    @Option(name: .long, help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(name: .long, help: "Colour: auto (terminals, unless NO_COLOR is set), always or never.")
    var color: ColorChoice = .auto

    func run() throws {
        let store = try IndexStore(path: index.path, access: .readOnly)
        guard let shown = try Searcher(store: store).show(Self.candidates(for: document), highlighting: query)
        else { throw SearchError.documentNotFound(document) }
        switch format {
        case .json:
            try JSONOutput.print(ShowJSON.of(shown))
        case .text:
            let style = Style(enabled: color.enabled())
            print(style.bold(style.marking(shown.title, shown.titleHighlights)))
            print(style.dim(TerminalText.visible(shown.location)))
            let metadata = shown.metadata
            var lines = [
                ("Date", "\(DocumentJSON.shownDay(shown.date)) (\(Self.origin(of: metadata.dateSource)))")
            ]
            if !metadata.author.isEmpty { lines.append(("Author", metadata.author)) }
            if !metadata.source.isEmpty { lines.append(("Source", metadata.source)) }
            if !metadata.tags.isEmpty { lines.append(("Tags", metadata.tags.joined(separator: ", "))) }
            if !metadata.language.isEmpty { lines.append(("Language", metadata.language)) }
            if !metadata.url.isEmpty { lines.append(("URL", metadata.url)) }
            for (label, value) in lines {
                print(
                    style.dim((label + ":").padding(toLength: 10, withPad: " ", startingAt: 0))
                        + TerminalText.visible(value))
            }
            // The header block's other lines (`Places: usa`), once, with the metadata.
            for line in shown.headerLines {
                let colon = line.firstIndex(of: ":") ?? line.endIndex
                let label = String(line[..<colon]) + ":"
                let value = line[colon...].dropFirst().drop(while: \.isWhitespace)
                print(
                    style.dim(label.padding(toLength: max(10, label.count + 1), withPad: " ", startingAt: 0))
                        + TerminalText.visible(String(value)))
            }
            print("")
            print(
                style.marking(
                    shown.body, shown.bodyHighlights, bracketsWithoutColor: true, keepingNewlines: true))
        }
    }

    static func origin(of source: DateSource) -> String {
        switch source {
        case .metadata: "from the document's metadata"
        case .dateline: "from its dateline"
        case .text: "written near the top of its text"
        case .path: "from its file or folder name"
        case .none: "no date in its metadata, text or path"
        }
    }

    /// Where the typed name may point: the whole text as a path, then — when it holds a `#` — the
    /// part before the last `#` as the path and the rest as a record key. Relative paths are
    /// taken from the current folder; symbolic links are resolved as the indexer resolves them.
    static func candidates(for typed: String) -> [(path: String, record: String)] {
        var candidates = [(absolute(typed), "")]
        if let hash = typed.lastIndex(of: "#") {
            candidates.append((absolute(String(typed[..<hash])), String(typed[typed.index(after: hash)...])))
        }
        return candidates
    }

    private static func absolute(_ path: String) -> String {
        let url =
            path.hasPrefix("/")
            ? URL(fileURLWithPath: path)
            : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(path)
        let standardized = url.standardizedFileURL
        let resolved = standardized.resolvingSymlinksInPath()
        return FileManager.default.fileExists(atPath: resolved.path) ? resolved.path : standardized.path
    }
}
