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

    /// Runs `trawl mcp` with `messages` as its standard input (one per line, then end of input)
    /// and returns its answers by id.
    func exchange(_ messages: [String], db: String) throws -> [Int: Response] {
        let folder = try TrawlBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("requests.jsonl")
        try (messages.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
        let outcome = try TrawlBinary.runProcess(
            URL(fileURLWithPath: "/bin/sh"),
            ["-c", "exec \"$0\" mcp --db \"$1\" < \"$2\"", TrawlBinary.executable.path, db, input.path])
        var answers: [Int: Response] = [:]
        for line in outcome.stdout.split(separator: "\n") {
            let response = try JSONDecoder().decode(Response.self, from: Data(line.utf8))
            if let id = response.id { answers[id] = response }
        }
        return answers
    }

    @Test func listsToolsAndAnswersSearchAndShowWithTheCommandLineJSON() throws {
        let folder = try TrawlBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("index.sqlite").path
        _ = try TrawlBinary.run(["index", TrawlBinary.fixtures.path, "--db", db])
        let cli = try TrawlBinary.run([
            "search", "oil sanctions", "--db", db, "--format", "json", "--limit", "3",
        ])
        let path = try SearchOutput(json: cli.stdout).results[0].path
        let answers = try exchange(
            [
                #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}"#,
                #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
                #"{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{}}"#,
                #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"search","arguments":{"query":"oil sanctions","limit":3}}}"#,
                #"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"show","arguments":{"path":"\#(path)","query":"oil"}}}"#,
                #"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"show","arguments":{"path":"../../etc/passwd"}}}"#,
            ], db: db)
        #expect(answers[1]?.result != nil)
        #expect(answers[2]?.result?.tools?.map(\.name).sorted() == ["search", "show"])
        #expect(answers[3]?.result?.isError != true)
        #expect(answers[3]?.result?.content?.first?.text.map { $0 + "\n" } == cli.stdout)
        let shown = try TrawlBinary.run(["show", path, "--query", "oil", "--db", db, "--format", "json"])
        #expect(answers[4]?.result?.content?.first?.text.map { $0 + "\n" } == shown.stdout)
        #expect(answers[5]?.result?.isError == true)
        #expect(answers[5]?.result?.content?.first?.text?.contains("No document") == true)
    }
}
