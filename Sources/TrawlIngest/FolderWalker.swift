/// Which entries a walk keeps: hidden ones or not, `--exclude` and `--include` patterns.
///
/// A pattern with a `/` is matched against the path below the root, one without against the
/// entry's name. Excludes apply to files and folders; when there are includes, a file is kept
/// only if one of them matches.
public struct WalkFilter: Sendable {
    public var includeHidden = false
    public var excludes: [Glob] = []
    public var includes: [Glob] = []

    public init(includeHidden: Bool = false, excludes: [Glob] = [], includes: [Glob] = []) {
        self.includeHidden = includeHidden
        self.excludes = excludes
        self.includes = includes
    }

    /// Whether any pattern has a `/`, so the walk must compute paths below the root.
    var needsRelativePaths: Bool { (excludes + includes).contains { $0.containsSlash } }

    func excludes(relativePath: String, name: String) -> Bool {
        excludes.contains { $0.matches($0.containsSlash ? relativePath : name) }
    }

    func includesFile(relativePath: String, name: String) -> Bool {
        includes.isEmpty || includes.contains { $0.matches($0.containsSlash ? relativePath : name) }
    }
}

/// A file or folder's identity on disk, for loop protection.
struct FileIdentity: Sendable, Hashable {
    var device: UInt64
    var inode: UInt64
}

/// Walks a folder tree and collects the files Trawl can index.
///
/// Hidden entries (names starting with `.`) are skipped unless asked for, `.trawlignore` files
/// (gitignore syntax) are obeyed in every folder, and symbolic links are followed only when they
/// lead to a place inside one of the roots; every folder and file is visited at most once
/// (by device and inode), so links can never make a walk loop.
struct FolderWalker {
    static let ignoreFileName = ".trawlignore"

    var filter: WalkFilter
    /// Every root of the run (canonical paths): links are followed only into these.
    var roots: [String]
    private(set) var problems: [IngestProblem] = []
    private var visited: Set<FileIdentity> = []

    init(filter: WalkFilter, roots: [String]) {
        self.filter = filter
        self.roots = roots
    }

    private struct Pending {
        var path: String
        var rules: IgnoreRules
    }

    /// Walks `root`, handing each file found to `visit` (files are not kept, so memory does not
    /// grow with the tree); returns false if the root itself cannot be read.
    mutating func walk(_ root: String, visit: (FoundFile) -> Void) -> Bool {
        if let status = FileSystem.status(ofPath: root, followingLinks: true) {
            visited.insert(FileIdentity(device: status.device, inode: status.inode))
        }
        let rootPrefixLength = root.hasSuffix("/") ? root.utf8.count : root.utf8.count + 1
        var folders = [Pending(path: root, rules: IgnoreRules())]
        while let folder = folders.popLast() {
            let listing: (entries: [(name: String, status: FileStat)], undecodable: [String])
            switch FileSystem.statusOfEntries(inFolder: folder.path) {
            case .failure(let error):
                if folder.path == root { return false }
                problems.append(
                    IngestProblem(path: folder.path, reason: "cannot read folder: \(error.message)"))
                continue
            case .success(let result): listing = result
            }
            for name in listing.undecodable {
                problems.append(
                    IngestProblem(
                        path: folder.path + "/" + name, reason: "file name is not valid UTF-8; skipped"))
            }
            let prefix = folder.path.hasSuffix("/") ? folder.path : folder.path + "/"
            var rules = folder.rules
            if listing.entries.contains(where: { $0.name == Self.ignoreFileName }),
                case .success(let (bytes, _)) = FileSystem.contents(
                    ofFile: prefix + Self.ignoreFileName, limit: 1 << 20)
            {
                let base = folder.path.hasSuffix("/") ? String(folder.path.dropLast()) : folder.path
                rules.rules += IgnoreRule.parse(String(decoding: bytes, as: UTF8.self), base: base)
            }
            // Sorted so that runs are deterministic (which of two links to one file wins, insert order).
            for (name, entryStatus) in listing.entries.sorted(by: { $0.name < $1.name }) {
                if !filter.includeHidden && name.hasPrefix(".") { continue }
                let path = prefix + name
                var status = entryStatus
                if status.isSymbolicLink {
                    guard let target = FileSystem.canonicalPath(path), isInsideRoots(target),
                        let resolved = FileSystem.status(ofPath: target)
                    else { continue }
                    status = resolved
                }
                guard status.isDirectory || status.isRegularFile else { continue }
                let relative =
                    filter.needsRelativePaths ? String(path.utf8.dropFirst(rootPrefixLength)) ?? name : name
                if filter.excludes(relativePath: relative, name: name)
                    || rules.ignores(path: path, name: name, isDirectory: status.isDirectory)
                {
                    continue
                }
                if status.isDirectory {
                    guard visited.insert(FileIdentity(device: status.device, inode: status.inode)).inserted
                    else {
                        continue
                    }
                    folders.append(Pending(path: path, rules: rules))
                } else if let format = DocumentFormat(fileName: name),
                    filter.includesFile(relativePath: relative, name: name),
                    visited.insert(FileIdentity(device: status.device, inode: status.inode)).inserted
                {
                    visit(FoundFile(path: path, stat: status, format: format))
                }
            }
        }
        return true
    }

    private func isInsideRoots(_ path: String) -> Bool {
        roots.contains { root in path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/") }
    }
}
