import Foundation
import MCP
import TrawlAPI

/// `trawl mcp`: a Model Context Protocol server over standard input and output with two tools,
/// `search` and `show`, whose results are the JSON of `trawl search --format json` and
/// `trawl show --format json` (errors: `ErrorJSON`, flagged as tool errors).
public struct MCPServer: Sendable {
    let service: TrawlService
    let version: String

    public init(service: TrawlService, version: String) {
        self.service = service
        self.version = version
    }

    /// The tools offered, with their argument schemas.
    static let tools: [Tool] = [
        Tool(
            name: "search",
            description:
                "Search the indexed reports. Returns ranked results (path, title, date, source, author, "
                + "snippet) as JSON; quote results by their path and fetch the whole text with `show`. "
                + "Query syntax: words (all required), \"a phrase\", a OR b, -word, prefix*, ~name "
                + "(transliterations), title:word, author:name, source:name, tag:name, path:folder.",
            inputSchema: .object([
                "type": .string("object"),
                "properties": .object([
                    "query": .object(["type": .string("string"), "description": .string("The query.")]),
                    "limit": .object([
                        "type": .string("integer"),
                        "description": .string("How many results (1–1000, default 10)."),
                    ]),
                    "offset": .object([
                        "type": .string("integer"), "description": .string("Skip this many results."),
                    ]),
                    "since": .object([
                        "type": .string("string"),
                        "description": .string(
                            "Only documents dated on or after this (2025, 2025-11, 2025-11-18)."),
                    ]),
                    "until": .object([
                        "type": .string("string"),
                        "description": .string("Only documents dated on or before this."),
                    ]),
                    "sort": .object([
                        "type": .string("string"), "enum": .array([.string("relevance"), .string("date")]),
                    ]),
                    "facets": .object([
                        "type": .string("string"),
                        "description": .string(
                            "Comma-separated facets to count over all matches: source, author, tag, year, month, lang, folder."
                        ),
                    ]),
                ]),
                "required": .array([.string("query")]),
            ]),
            annotations: .init(readOnlyHint: true, openWorldHint: false)),
        Tool(
            name: "show",
            description:
                "The whole text and metadata of one indexed document, by the path a search result gives "
                + "(path#record for a record of a JSON file), with a query's words marked as code-point ranges.",
            inputSchema: .object([
                "type": .string("object"),
                "properties": .object([
                    "path": .object([
                        "type": .string("string"), "description": .string("The document's path."),
                    ]),
                    "query": .object([
                        "type": .string("string"),
                        "description": .string("Mark the words this query searches for."),
                    ]),
                ]),
                "required": .array([.string("path")]),
            ]),
            annotations: .init(readOnlyHint: true, openWorldHint: false)),
    ]

    /// Serves requests on standard input until it closes.
    public func run() async throws {
        let server = Server(
            name: "trawl", version: version,
            instructions: "Search a local full-text index of reports and read them whole.",
            capabilities: .init(tools: .init(listChanged: false)))
        await server.withMethodHandler(ListTools.self) { _ in .init(tools: Self.tools) }
        let service = self.service
        await server.withMethodHandler(CallTool.self) { call in
            await Self.call(call.name, arguments: call.arguments ?? [:], service: service)
        }
        try await server.start(transport: StdioTransport())
        await server.waitUntilCompleted()
    }

    /// The result of calling tool `name` with `arguments`.
    static func call(_ name: String, arguments: [String: Value], service: TrawlService) async
        -> CallTool.Result
    {
        var values: [String: String] = [:]
        for (key, value) in arguments {
            let text =
                value.stringValue ?? value.intValue.map(String.init)
                ?? value.doubleValue.map { String(Int($0)) }
            values[key == "query" ? "q" : key] = text
        }
        do {
            switch name {
            case "search":
                let (_, json) = try await service.search(try SearchParameters(values))
                return result(json)
            case "show":
                let shown = try await service.show(values["path"] ?? "", highlighting: values["q"])
                return result(ShowJSON.of(shown))
            default:
                return result(
                    ErrorJSON("Unknown tool ‘\(name)’; the tools are search and show.", kind: .request),
                    isError: true)
            }
        } catch {
            return result(error, isError: true)
        }
    }

    private static func result(_ value: some Encodable, isError: Bool = false) -> CallTool.Result {
        let text = (try? JSONContract.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return .init(content: [.text(text: text, annotations: nil, _meta: nil)], isError: isError)
    }
}
