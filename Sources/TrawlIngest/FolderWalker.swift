/// Walks a folder tree and collects the files Trawl can index.
///
/// Hidden entries (names starting with `.`) are skipped unless asked for; symbolic links are
/// not followed, so a walk never leaves its root or loops.
struct FolderWalker {
    var includeHidden: Bool
    private(set) var files: [FoundFile] = []
    private(set) var problems: [IngestProblem] = []

    init(includeHidden: Bool) {
        self.includeHidden = includeHidden
    }

    /// Walks `root`; returns false if the root itself cannot be read.
    mutating func walk(_ root: String) -> Bool {
        var folders = [root]
        while let folder = folders.popLast() {
            let listing: (names: [String], undecodable: [String])
            switch FileSystem.entries(ofFolder: folder) {
            case .failure(let error):
                if folder == root { return false }
                problems.append(IngestProblem(path: folder, reason: "cannot read folder: \(error.message)"))
                continue
            case .success(let result): listing = result
            }
            for name in listing.undecodable {
                problems.append(
                    IngestProblem(path: folder + "/" + name, reason: "file name is not valid UTF-8; skipped"))
            }
            for name in listing.names.sorted() {
                if !includeHidden && name.hasPrefix(".") { continue }
                let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
                guard let status = FileSystem.status(ofPath: path) else { continue }
                if status.isDirectory {
                    folders.append(path)
                } else if status.isRegularFile, let format = DocumentFormat(fileName: name) {
                    files.append(FoundFile(path: path, stat: status, format: format))
                }
            }
        }
        return true
    }
}
