import Foundation
import Testing

/// `trawl mcp` over stdio: the handshake, the tool list, and `search` and `show` answering with
/// the CLI's JSON.
@Suite
struct MCPTests {
    struct Response: Decodable {
        struct Result: Decodable {
            struct Tool: Decodable { var name: String }
            struct Content: Decodable { var type: String; var text: String? }
            var tools: [Tool]?
            var content: [Content]?
            var isError: Bool?
        }
        var id: Int?
        var result: Result?
    }

    func request(_ server: RunningTrawl, id: Int, _ method: String, _ params: String) throws -> Response {
        server.writeLine("{\"jsonrpc\":\"2.0\",\"id\":\(id),\"method\":\"\(method)\",\"params\":\(params)}")
        while true {
            let line = server.readLine()
            guard !line.isEmpty else { throw ServeTestError.noAddress("trawl mcp closed its output") }
            let response = try JSONDecoder().decode(Response.self, from: Data(line.utf8))
            if response.id == id { return response }
        }
    }

    @Test func listsToolsAndAnswersSearchAndShowWithTheCommandLineJSON() throws {
        let folder = try TrawlBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("index.sqlite").path
        _ = try TrawlBinary.run(["index", TrawlBinary.fixtures.path, "--db", db])
        let server = try RunningTrawl(["mcp", "--db", db])
        defer { server.stop() }
        _ = try request(
            server, id: 1, "initialize",
            #"{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"test","version":"1"}}"#)
        server.writeLine(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
        let tools = try request(server, id: 2, "tools/list", "{}")
        #expect(tools.result?.tools?.map(\.name).sorted() == ["search", "show"])
        let search = try request(
            server, id: 3, "tools/call", #"{"name":"search","arguments":{"query":"oil sanctions","limit":3}}"#
        )
        let cli = try TrawlBinary.run([
            "search", "oil sanctions", "--db", db, "--format", "json", "--limit", "3",
        ])
        #expect(search.result?.isError != true)
        #expect(search.result?.content?.first?.text.map { $0 + "\n" } == cli.stdout)
        let path = try SearchOutput(json: cli.stdout).results[0].path
        let show = try request(
            server, id: 4, "tools/call",
            #"{"name":"show","arguments":{"path":"\#(path)","query":"oil"}}"#)
        let shown = try TrawlBinary.run(["show", path, "--query", "oil", "--db", db, "--format", "json"])
        #expect(show.result?.content?.first?.text.map { $0 + "\n" } == shown.stdout)
        let missing = try request(
            server, id: 5, "tools/call", #"{"name":"show","arguments":{"path":"../../etc/passwd"}}"#)
        #expect(missing.result?.isError == true)
        #expect(missing.result?.content?.first?.text?.contains("No document") == true)
    }
}
