import Foundation

/// The `.txt` files of a folder, read into memory before anything is timed.
struct Corpus {
    /// Each file's bytes, in path order.
    var files: [[UInt8]]
    /// Each file's path, in the same order.
    var paths: [String]

    /// Total bytes of text.
    var byteCount: Int { files.reduce(0) { $0 + $1.count } }

    /// Reads every `.txt` file below `folder` (recursively, sorted by path).
    init(folder: String) throws(BenchError) {
        let root = URL(fileURLWithPath: folder)
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
            throw .emptyCorpus(path: folder)
        }
        var paths: [String] = []
        for case let url as URL in walker where url.pathExtension == "txt" {
            paths.append(url.path)
        }
        paths.sort()
        let read = paths.compactMap { path in
            FileManager.default.contents(atPath: path).map { (path, [UInt8]($0)) }
        }
        self.paths = read.map(\.0)
        files = read.map(\.1)
        if files.isEmpty { throw .emptyCorpus(path: folder) }
    }

    /// The files split as `fts5_baseline.py` splits them: leading whitespace dropped, the first
    /// line (trimmed) is the title, the rest the body.
    var titledTexts: [(title: String, body: String)] {
        files.map { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            let trimmed = text.drop(while: { $0.isWhitespace })
            guard let newline = trimmed.firstIndex(of: "\n") else {
                return (String(trimmed).trimmingCharacters(in: .whitespaces), "")
            }
            let title = trimmed[..<newline].trimmingCharacters(in: .whitespaces)
            return (title, String(trimmed[trimmed.index(after: newline)...]))
        }
    }
}
