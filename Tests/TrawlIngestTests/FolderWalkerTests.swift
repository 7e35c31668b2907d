import Foundation
import Testing

@testable import TrawlIngest

/// The walk lists files in the byte order of their paths, the order the stored files are merged in.
@Suite struct FolderWalkerTests {
    @Test func filesComeInPathByteOrderWithFoldersSortedAsIfTheyEndedInASlash() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "walker-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let names = ["a/x.txt", "a-b.txt", "a0.txt", "a/b/y.md", "b.txt", "é.txt", "Z.txt", "a/a.txt"]
        for name in names {
            let url = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("title\n".utf8).write(to: url)
        }
        let canonical = try #require(FileSystem.canonicalPath(root.path))
        var walker = FolderWalker(filter: WalkFilter(), roots: [canonical])
        var paths: [String] = []
        #expect(walker.walk(canonical) { paths.append($0.path) })
        let expected = names.map { canonical + "/" + $0 }.sorted { ChangePlan.compare($0, $1) < 0 }
        #expect(paths == expected)
    }
}
