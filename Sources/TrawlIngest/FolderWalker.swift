import TrawlIndex

/// Which entries a walk keeps: hidden ones or not, `--exclude` and `--include` patterns.
///
/// A pattern with a `/` is matched against the path below the root, one without against the
/// entry's name. Excludes apply to files and folders; when there are includes, a file is kept
/// only if one of them matches.
public struct WalkFilter: Sendable {
    public var includeHidden = false
    public var excludes: [Glob] = []
    public var includes: [Glob] = []
    /// Files matching one of these are read as plain text whatever their extension (`--as-text`).
    public var asText: [Glob] = []

    public init(
        includeHidden: Bool = false, excludes: [Glob] = [], includes: [Glob] = [], asText: [Glob] = []
    ) {
        self.includeHidden = includeHidden
        self.excludes = excludes
        self.includes = includes
        self.asText = asText
    }

    /// Whether any pattern has a `/`, so the walk must compute paths below the root.
    var needsRelativePaths: Bool { (excludes + includes + asText).contains { $0.containsSlash } }

    /// How a file is read: as text when an `--as-text` pattern matches it, else by its extension;
    /// a file without an extension is tried as text. `.unread` carries the type a file of an
    /// extension Trawl does not know is counted under.
    func kind(ofFileNamed name: String, relativePath: String) -> FileKind {
        if asText.contains(where: { $0.matches($0.containsSlash ? relativePath : name) }) {
            return .read(.plainText)
        }
        if let format = DocumentFormat(fileName: name) { return .read(format) }
        guard let fileExtension = DocumentFormat.fileExtension(of: name) else { return .read(.unlabeledText) }
        return .unread(type: "." + fileExtension)
    }

    func excludes(relativePath: String, name: String) -> Bool {
        excludes.contains { $0.matches($0.containsSlash ? relativePath : name) }
    }

    func includesFile(relativePath: String, name: String) -> Bool {
        includes.isEmpty || includes.contains { $0.matches($0.containsSlash ? relativePath : name) }
    }
}

/// Whether the walk hands a file on to be read, and how.
enum FileKind: Equatable {
    case read(DocumentFormat)
    /// A type Trawl does not read, counted and remembered (`UnreadFile`).
    case unread(type: String)
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
///
/// To keep memory flat, only folders, files reached through a link and hard-linked files are
/// remembered by identity. A link to a single file is not followed when its target lies where the
/// walk reaches it anyway (inside the roots, not hidden), so that file is indexed once, under its
/// own path.
struct FolderWalker {
    static let ignoreFileName = ".trawlignore"

    var filter: WalkFilter
    /// Every root of the run (canonical paths): links are followed only into these.
    var roots: [String]
    private(set) var problems: [IngestProblem] = []
    /// Folders that were listed in their parent but could not be read (permissions, I/O): the
    /// documents stored below them are kept.
    private(set) var unreadableFolders: [String] = []
    /// Folders that were listed in their parent but were gone (or no longer folders) when the
    /// walk came to them: something moved the tree during the walk, so the run removes nothing.
    private(set) var vanishedFolders: [String] = []
    /// Files of types Trawl does not read, seen by the walk (kept by the filters).
    private(set) var unread: [UnreadFile] = []
    private var visited: Set<FileIdentity> = []

    init(filter: WalkFilter, roots: [String]) {
        self.filter = filter
        self.roots = roots
    }

    /// An entry kept by the filters, waiting in its folder's sorted list.
    private struct Entry {
        var path: String
        var status: FileStat
        var format: DocumentFormat?
        /// The name, with `/` after a folder's: sorting by it lists paths in byte order.
        var key: String
        /// Whether `key` is ASCII, where String's own `<` (a byte comparison then) is the fastest.
        var isASCII: Bool
        /// Reached through a symbolic link.
        var viaLink = false

        /// Whether another path may lead to the same folder or file, so its identity must be
        /// remembered: folders (links to folders, loops), linked and hard-linked files.
        var needsIdentity: Bool { format == nil || viaLink || status.linkCount > 1 }
    }

    /// A folder being walked: its kept entries in path order and the next one to visit.
    private struct Frame {
        var path: String
        var rules: IgnoreRules
        var entries: [Entry]
        var next = 0
    }

    /// Walks `root`, handing each file found to `visit` in the byte order of their paths (so the
    /// files can be merged with stored ones listed in the same order); files are not kept, so
    /// memory does not grow with the tree. Returns false if the root itself cannot be read.
    mutating func walk(_ root: String, visit: (FoundFile) -> Void) -> Bool {
        if let status = FileSystem.status(ofPath: root, followingLinks: true) {
            visited.insert(FileIdentity(device: status.device, inode: status.inode))
        }
        let rootPrefixLength = root.hasSuffix("/") ? root.utf8.count : root.utf8.count + 1
        guard let top = list(root, rules: IgnoreRules(), rootPrefixLength: rootPrefixLength, isRoot: true)
        else { return false }
        var frames = [top]
        while !frames.isEmpty {
            let last = frames.count - 1
            guard frames[last].next < frames[last].entries.count else {
                frames.removeLast()
                continue
            }
            let entry = frames[last].entries[frames[last].next]
            frames[last].next += 1
            // Sorted, so that runs are deterministic (which of two links to one file wins, insert order).
            if entry.needsIdentity {
                guard
                    visited.insert(FileIdentity(device: entry.status.device, inode: entry.status.inode))
                        .inserted
                else { continue }
            }
            if let format = entry.format {
                visit(FoundFile(path: entry.path, stat: entry.status, format: format))
            } else if let frame = list(
                entry.path, rules: frames[last].rules, rootPrefixLength: rootPrefixLength, isRoot: false)
            {
                frames.append(frame)
            }
        }
        return true
    }

    /// Lists a folder: the entries the filters and ignore rules keep, sorted so that visiting them
    /// depth-first yields paths in byte order; nil when it cannot be read.
    private mutating func list(
        _ folder: String, rules inherited: IgnoreRules, rootPrefixLength: Int, isRoot: Bool
    )
        -> Frame?
    {
        let listing: (entries: [(name: String, status: FileStat)], undecodable: [String])
        switch FileSystem.statusOfEntries(inFolder: folder) {
        case .failure(let error):
            guard !isRoot else { return nil }
            if error.kind == .notFound {
                vanishedFolders.append(folder)
            } else {
                problems.append(
                    IngestProblem(
                        path: folder,
                        reason: "cannot read folder: \(error.message); nothing under it was removed"))
                unreadableFolders.append(folder)
            }
            return nil
        case .success(let result): listing = result
        }
        for name in listing.undecodable {
            problems.append(
                IngestProblem(path: folder + "/" + name, reason: "file name is not valid UTF-8; skipped"))
        }
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        var rules = inherited
        if listing.entries.contains(where: { $0.name == Self.ignoreFileName }),
            case .success(let (bytes, _)) = FileSystem.contents(
                ofFile: prefix + Self.ignoreFileName, limit: 1 << 20)
        {
            let base = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
            let ignoreFile = prefix + Self.ignoreFileName
            rules.rules += IgnoreRule.parse(String(decoding: bytes, as: UTF8.self), base: base) {
                line, pattern, error in
                problems.append(
                    IngestProblem(
                        path: ignoreFile, reason: "line \(line): pattern '\(pattern)' is ignored: \(error)",
                        isWarning: true))
            }
        }
        var entries: [Entry] = []
        entries.reserveCapacity(listing.entries.count)
        for (name, entryStatus) in listing.entries {
            if !filter.includeHidden && name.hasPrefix(".") { continue }
            let path = prefix + name
            var status = entryStatus
            let viaLink = status.isSymbolicLink
            if viaLink {
                guard let target = FileSystem.canonicalPath(path), isInsideRoots(target),
                    let resolved = FileSystem.status(ofPath: target)
                else { continue }
                // The walk reaches a linked file under its own path anyway.
                if resolved.isRegularFile && isReachedDirectly(target) { continue }
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
                entries.append(
                    Entry(
                        path: path, status: status, format: nil, key: name + "/", isASCII: Self.isASCII(name),
                        viaLink: viaLink))
            } else if filter.includesFile(relativePath: relative, name: name) {
                switch filter.kind(ofFileNamed: name, relativePath: relative) {
                case .read(let format):
                    entries.append(
                        Entry(
                            path: path, status: status, format: format, key: name,
                            isASCII: Self.isASCII(name),
                            viaLink: viaLink))
                case .unread(let type):
                    unread.append(UnreadFile(path: path, type: type))
                }
            }
        }
        entries.sort { left, right in
            // For non-ASCII names `<` compares normalized text, so the bytes are compared instead.
            left.isASCII && right.isASCII ? left.key < right.key : ChangePlan.compare(left.key, right.key) < 0
        }
        return Frame(path: folder, rules: rules, entries: entries)
    }

    private static func isASCII(_ name: String) -> Bool {
        name.utf8.allSatisfy { $0 < 0x80 }
    }

    /// Whether the walk itself reaches `path` (canonical): inside a root, and with no hidden
    /// component below it unless hidden entries are walked.
    private func isReachedDirectly(_ path: String) -> Bool {
        guard
            let root = roots.first(where: { path == $0 || path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") })
        else { return false }
        if filter.includeHidden { return true }
        return !path.dropFirst(root.count).split(separator: "/").contains { $0.hasPrefix(".") }
    }

    private func isInsideRoots(_ path: String) -> Bool {
        roots.contains { root in path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/") }
    }
}
