import Foundation
import Testing

@testable import TrawlText

/// Where the shared third-party corpora live (`../shared/corpora` next to the package root).
enum Corpora {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // TrawlTextTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .deletingLastPathComponent()
        .appendingPathComponent("shared/corpora")

    static let reutersArticles = root.appendingPathComponent("reuters21578/articles")

    static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: reutersArticles.path)
    }
}
