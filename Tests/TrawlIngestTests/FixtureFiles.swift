import Foundation

@testable import TrawlIngest

/// The package's `Fixtures/` folder, found from this file's location (so any checkout or worktree
/// works), and a way to run a format reader on one of its samples.
enum FixtureFiles {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let reports = root.appendingPathComponent("reports")

    /// `Fixtures/formats/<folder>`.
    static func formats(_ folder: String) -> URL { root.appendingPathComponent("formats/\(folder)") }

    /// What `reader` makes of `Fixtures/formats/<folder>/<name>` (modification time 0).
    static func extract(
        _ folder: String, _ name: String, with reader: ([UInt8], ExtractionContext) -> Extraction
    ) throws -> Extraction {
        let url = formats(folder).appendingPathComponent(name)
        let bytes = try [UInt8](Data(contentsOf: url))
        return reader(bytes, ExtractionContext(path: url.path, modificationTime: 0))
    }
}
