import Foundation

@testable import TrawlIndex

/// A folder of its own under the temporary directory for an index, and numbered documents to put
/// in it (`/r/1.txt`, `/r/2.txt`, …, each with its own inode and content hash).
final class ScratchIndex {
    let folder: URL
    private var serial = 0

    init(_ name: String) {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trawl-\(name)-\(UUID().uuidString)")
    }

    /// Where the index file goes.
    var path: String { folder.appendingPathComponent("index.sqlite").path }

    /// The next document, undated, titled `title` or `T` and its number.
    func record(_ body: String, title: String? = nil) -> DocumentRecord {
        serial += 1
        return DocumentRecord(
            path: "/r/\(serial).txt", title: title ?? "T\(serial)", body: body, size: Int64(body.utf8.count),
            modificationTime: 1, inode: UInt64(serial), contentHash: UInt64(serial), date: nil)
    }

    /// Removes the folder and everything in it.
    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }
}
