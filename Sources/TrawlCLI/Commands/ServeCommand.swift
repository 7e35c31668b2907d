import ArgumentParser
import Dispatch
import Foundation
import TrawlServe

/// `trawl serve`: the search page and JSON API over the index.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a search page and a JSON API over the index (read-only).",
        discussion: """
            Pages: / (search, with filters and counts) and /doc?path=… (a document, its matches \
            marked). JSON: /api/search?q=…&limit=&offset=&since=&until=&sort=&facets= (the \
            contract of `trawl search --format json`), /api/doc?path=…&q=… (`trawl show --format \
            json`), /api/stats, /healthz. Binds to 127.0.0.1 unless --host says otherwise; --port 0 \
            picks a free port. The index is opened read-only and may be updated by `trawl index` \
            while serving. Stops on Ctrl-C or SIGTERM. Exit status: 0 stopped, 2 usage error, \
            69 the address cannot be listened on.
            """)

    @OptionGroup var index: IndexOption

    @Option(name: .long, help: "The address to listen on (127.0.0.1: this machine only).")
    var host = "127.0.0.1"

    @Option(name: .long, help: "The port to listen on (0: any free port).")
    var port = 8080

    @Option(
        name: .long,
        help: ArgumentHelp(
            "How many searches run at once; more wait their turn (default: one per core; 0: no limit).",
            valueName: "n"))
    var concurrentSearches: Int?

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0 to 65535.") }
        if let concurrentSearches, !(0...1_024).contains(concurrentSearches) {
            throw ValidationError("--concurrent-searches must be 0 to 1024.")
        }
        guard !host.isEmpty else { throw ValidationError("--host cannot be empty.") }
    }

    func run() throws {
        let server = WebServer(
            service: TrawlService(indexPath: index.path, concurrentReads: concurrentSearches), host: host,
            port: port)
        let (host, path) = (self.host, index.path)
        try AsyncBridge.wait {
            try await server.run { bound in
                let shownHost = host.contains(":") ? "[\(host)]" : host
                // Written at once (not buffered), so a script can wait for the line.
                FileHandle.standardOutput.write(
                    Data("Serving http://\(shownHost):\(bound)/ (index \(path)); Ctrl-C stops.\n".utf8))
            }
        } failing: { error in
            UsageError(message: "Cannot listen on \(host):\(port): \(error).", status: .unavailable)
        }
    }
}

/// `trawl mcp`: a Model Context Protocol server on standard input and output.
struct MCPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the index to an assistant over the Model Context Protocol (stdio).",
        discussion: """
            Tools: search (query, limit, offset, since, until, sort, facets) and show (path, query), \
            answering with the JSON of `trawl search --format json` and `trawl show --format json`. \
            Configure an assistant to run `trawl mcp --db PATH`. Runs until standard input closes.
            """)

    @OptionGroup var index: IndexOption

    func run() throws {
        let server = MCPServer(
            service: TrawlService(indexPath: index.path), version: Trawl.configuration.version)
        try AsyncBridge.wait {
            try await server.run()
        } failing: { error in
            UsageError(message: "The MCP connection failed: \(error).", status: .indexFailure)
        }
    }
}

/// Runs async work from a synchronous command, waiting for it on the calling thread.
enum AsyncBridge {
    static func wait(
        _ work: @escaping @Sendable () async throws -> Void,
        failing describe: @escaping @Sendable (any Error) -> UsageError
    ) throws {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var failure: UsageError?
        Task {
            do { try await work() } catch { failure = describe(error) }
            done.signal()
        }
        done.wait()
        // The semaphore orders the task's write before this read.
        if let failure { throw failure }
    }
}
