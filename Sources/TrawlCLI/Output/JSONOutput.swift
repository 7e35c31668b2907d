import Foundation

/// Encodes command output as JSON in a stable layout (keys sorted, no escaped slashes).
enum JSONOutput {
    static func print<Value: Encodable>(_ value: Value) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        let data = try encoder.encode(value)
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }
}

/// `--format text|json`.
enum OutputFormat: String, CaseIterable, Sendable {
    case text, json
}
