import Foundation
import TrawlAPI

/// Prints command output as JSON in the shared layout (`JSONContract`).
enum JSONOutput {
    static func print<Value: Encodable>(_ value: Value) throws {
        FileHandle.standardOutput.write(try JSONContract.encode(value))
        FileHandle.standardOutput.write(Data("\n".utf8))
    }
}

/// `--format text|json`.
enum OutputFormat: String, CaseIterable, Sendable {
    case text, json
}
