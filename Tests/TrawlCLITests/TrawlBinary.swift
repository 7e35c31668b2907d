import Foundation

/// Runs the built `trawl` binary, as a user would, and captures what it prints.
struct TrawlBinary {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The package root, found from this file's path.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `$TRAWL_BIN`, else the debug build next to the tests.
    static let executable: URL = {
        if let path = ProcessInfo.processInfo.environment["TRAWL_BIN"] { return URL(fileURLWithPath: path) }
        return packageRoot.appendingPathComponent(".build/debug/trawl")
    }()

    /// `../shared/corpora` beside the checkout, when present.
    static let corpora = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpora")
    static var corporaAvailable: Bool { FileManager.default.fileExists(atPath: corpora.path) }

    static let fixtures = packageRoot.appendingPathComponent("Fixtures/reports")

    /// Runs `trawl` with `arguments` and an environment without colour or user index settings;
    /// with a `launcher` (e.g. `setpriv` and its options), runs `launcher… trawl arguments…`.
    @discardableResult
    static func run(
        _ arguments: [String], environment extra: [String: String] = [:], launcher: [String] = []
    ) throws -> Outcome {
        var environment = ProcessInfo.processInfo.environment
        environment["TRAWL_DB"] = nil
        environment["NO_COLOR"] = nil
        environment.merge(extra) { _, new in new }
        guard let program = launcher.first else {
            return try runProcess(executable, arguments, environment: environment)
        }
        return try runProcess(
            URL(fileURLWithPath: program), Array(launcher.dropFirst()) + [executable.path] + arguments,
            environment: environment)
    }

    /// Runs any program to its end and captures what it prints: the one place the tests start a
    /// process and wait for it.
    static func runProcess(
        _ program: URL, _ arguments: [String], environment: [String: String]? = nil, in folder: URL? = nil
    ) throws -> Outcome {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let folder { process.currentDirectoryURL = folder }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes before waiting so a chatty process cannot fill a pipe and block.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh temporary folder, removed by the caller's `defer`.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trawl-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

extension URL {
    /// Writes `text` to a file below this folder, creating subfolders.
    func write(_ text: String, to relativePath: String) throws {
        let file = appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
    }
}

/// The decoded `trawl search --format json` contract.
struct SearchOutput: Decodable {
    struct Result: Decodable {
        var rank: Int
        var path: String
        var title: String
        var score: Double
        var snippet: String
        var highlights: [[Int]]

        /// The highlighted substrings of the snippet, in order.
        var highlightedText: [String] {
            let scalars = Array(snippet.unicodeScalars)
            return highlights.map { range in
                var text = ""
                text.unicodeScalars.append(contentsOf: scalars[range[0]..<range[1]])
                return text
            }
        }
    }

    var query: String
    var total: Int
    var results: [Result]

    init(json: String) throws {
        self = try JSONDecoder().decode(SearchOutput.self, from: Data(json.utf8))
    }
}

/// A `trawl serve` started in the background for a test, stopped by `stop()`
/// (its own process id only).
final class RunningTrawl: @unchecked Sendable {
    // Unchecked: the process and pipes are created before the test uses them and only read
    // after; a test uses one instance from one task.
    let process = Process()
    let input = Pipe()
    let output = Pipe()
    let errors = Pipe()

    init(_ arguments: [String]) throws {
        var environment = ProcessInfo.processInfo.environment
        environment["TRAWL_DB"] = nil
        process.executableURL = TrawlBinary.executable
        process.arguments = arguments
        process.environment = environment
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
    }

    /// Starts `trawl serve --port 0` on `db` and returns it with the base URL it printed.
    static func server(db: String, _ extra: [String] = []) throws -> (RunningTrawl, URL) {
        let server = try RunningTrawl(["serve", "--db", db, "--port", "0"] + extra)
        let line = server.readLine()
        guard let range = line.range(of: "http://127.0.0.1:[0-9]+/", options: .regularExpression) else {
            server.stop()
            throw ServeTestError.noAddress(
                line + String(decoding: server.errors.fileHandleForReading.availableData, as: UTF8.self))
        }
        return (server, URL(string: String(line[range]))!)
    }

    /// The next line of standard output (without its newline); empty at the end.
    func readLine() -> String {
        var bytes: [UInt8] = []
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            guard let first = byte.first, first != UInt8(ascii: "\n") else { break }
            bytes.append(first)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}

enum ServeTestError: Error {
    case noAddress(String)
}
