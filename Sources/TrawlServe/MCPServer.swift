import Foundation
import TrawlAPI
import TrawlSearch

/// `trawl mcp`: a Model Context Protocol server over standard input and output with two tools,
/// `search` and `show`, whose results are the JSON of `trawl search --format json` and
/// `trawl show --format json` (errors: `ErrorJSON`, flagged as tool errors).
///
/// The protocol's stdio transport is JSON-RPC 2.0, one message a line: `initialize`, `ping`,
/// `tools/list` and `tools/call` are answered, notifications are read and ignored. Written here
/// rather than with the MCP Swift SDK, which links FoundationNetworking (for its HTTP transport)
/// and so libcurl, which cannot be linked into the one static `trawl` (docs/ARCHITECTURE.md).
public struct MCPServer: Sendable {
    let service: TrawlService
    let version: String

    public init(service: TrawlService, version: String) {
        self.service = service
        self.version = version
    }

    /// The MCP revisions this server speaks; the client's is echoed when known, else the newest.
    static let protocolVersions = ["2025-06-18", "2025-03-26", "2024-11-05"]

    /// The tools offered, with their argument schemas (JSON Schema).
    static var tools: [[String: Any]] {
        [
            [
                "name": "search",
                "description":
                    "Search the indexed reports. Returns ranked results (path, title, date, source, author, "
                    + "snippet) as JSON; quote results by their path and fetch the whole text with `show`. "
                    + "Query syntax: words (all required), \"a phrase\", a OR b, -word, prefix*, ~name "
                    + "(transliterations), title:word, author:name, source:name, tag:name, path:folder.",
                "inputSchema": [
                    "type": "object",
                    "properties": [
                        "query": ["type": "string", "description": "The query."],
                        "limit": [
                            "type": "integer", "description": "How many results (1–1000, default 10).",
                        ],
                        "offset": ["type": "integer", "description": "Skip this many results."],
                        "since": [
                            "type": "string",
                            "description":
                                "Only documents dated on or after this (2025, 2025-11, 2025-11-18).",
                        ],
                        "until": [
                            "type": "string", "description": "Only documents dated on or before this.",
                        ],
                        "sort": ["type": "string", "enum": ["relevance", "date"]],
                        "facets": [
                            "type": "string",
                            "description":
                                "Comma-separated facets to count over all matches: source, author, tag, year, "
                                + "month, lang, folder.",
                        ],
                    ],
                    "required": ["query"],
                ],
                "annotations": ["readOnlyHint": true, "openWorldHint": false],
            ],
            [
                "name": "show",
                "description":
                    "The whole text and metadata of one indexed document, by the path a search result gives "
                    + "(path#record for a record of a JSON file), with a query's words marked as code-point ranges.",
                "inputSchema": [
                    "type": "object",
                    "properties": [
                        "path": ["type": "string", "description": "The document's path."],
                        "query": [
                            "type": "string", "description": "Mark the words this query searches for.",
                        ],
                    ],
                    "required": ["path"],
                ],
                "annotations": ["readOnlyHint": true, "openWorldHint": false],
            ],
        ]
    }

    /// Serves JSON-RPC messages, one per line on standard input, until it closes; answers go to
    /// standard output, one per line. Requests are answered in order.
    public func run() async throws {
        SearchProcess.keepFreedMemory()
        while let line = Swift.readLine(strippingNewline: true) {
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            if let answer = await answer(to: line) {
                FileHandle.standardOutput.write(answer + Data("\n".utf8))
            }
        }
    }

    /// The reply to one message (nil for a notification).
    func answer(to line: String) async -> Data? {
        guard let message = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let method = message["method"] as? String
        else {
            return Self.encode([
                "jsonrpc": "2.0", "id": NSNull(), "error": ["code": -32700, "message": "Parse error"],
            ])
        }
        guard let id = message["id"], !(id is NSNull) else { return nil }  // a notification
        let params = message["params"] as? [String: Any] ?? [:]
        let result: [String: Any]
        switch method {
        case "initialize":
            let asked = params["protocolVersion"] as? String ?? ""
            result = [
                "protocolVersion": Self.protocolVersions.contains(asked) ? asked : Self.protocolVersions[0],
                "capabilities": ["tools": ["listChanged": false]],
                "serverInfo": ["name": "trawl", "version": version],
                "instructions": "Search a local full-text index of reports and read them whole.",
            ]
        case "ping":
            result = [:]
        case "tools/list":
            result = ["tools": Self.tools]
        case "tools/call":
            let name = params["name"] as? String ?? ""
            let arguments = params["arguments"] as? [String: Any] ?? [:]
            let (text, isError) = await Self.call(name, arguments: arguments, service: service)
            result = ["content": [["type": "text", "text": text]], "isError": isError]
        default:
            return Self.encode([
                "jsonrpc": "2.0", "id": id,
                "error": ["code": -32601, "message": "Method not found: \(method)"],
            ])
        }
        return Self.encode(["jsonrpc": "2.0", "id": id, "result": result])
    }

    private static func encode(_ object: [String: Any]) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
    }

    /// The result of calling tool `name` with `arguments`.
    static func call(_ name: String, arguments: [String: Any], service: TrawlService) async -> (
        text: String, isError: Bool
    ) {
        var values: [String: String] = [:]
        for (key, value) in arguments {
            let text =
                (value as? String) ?? (value as? NSNumber).map { String($0.intValue) }
                ?? String(describing: value)
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

    private static func result(_ value: some Encodable, isError: Bool = false) -> (
        text: String, isError: Bool
    ) {
        let text = (try? JSONContract.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return (text, isError)
    }
}
