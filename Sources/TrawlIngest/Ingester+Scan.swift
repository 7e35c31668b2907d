import Foundation
import TrawlIndex

extension Ingester {
    /// What walking the roots found.
    struct Scan {
        /// Folders and names below the roots that could not be taken.
        var problems: [IngestProblem] = []
        /// Roots that could not be walked (not found, unreadable, not a file type Trawl reads).
        var rootProblems: [IngestProblem] = []
        /// Folders below the roots that could not be read: nothing below them is removed.
        var unreadableFolders: [String] = []
        /// Folders that disappeared while the walk went on (listed, then gone; or a root whose
        /// identity changed): nothing is removed in the run.
        var vanishedFolders: [String] = []
        /// The device and inode of each walked folder root when the walk began.
        var rootIdentities: [(root: String, identity: FileIdentity)] = []
        /// How many files the walk found under each root.
        var filesFound: [String: Int] = [:]
        /// Canonical roots that were walked (deletions are scoped to these).
        var scannedRoots: [String] = []
        /// Absolute paths of roots that could not be walked (their failures are recorded).
        var missingRoots: [String] = []
        /// Every root as an absolute path, in the order given (kept with the run).
        var absoluteRoots: [String] = []
        /// Files of types Trawl does not read that the walk saw.
        var unread: [UnreadFile] = []
    }

    /// A root as given, and its canonical path when it exists.
    struct ResolvedRoot {
        var given: String
        var canonical: String?
    }

    static func resolve(_ roots: [String]) -> [ResolvedRoot] {
        roots.map { ResolvedRoot(given: $0, canonical: FileSystem.canonicalPath($0)) }
    }

    /// Walks every root, handing each file found to `visitor.visit` in path byte order;
    /// `visitor.enterRoot` is called with each root that exists before its files, `leaveRoot` after
    /// them (with false when the root could not be walked). Files already found under an earlier
    /// root are not handed out again (the walker remembers the folders and files it visited).
    static func scan(
        _ roots: [ResolvedRoot], filter: WalkFilter, visitor: inout some WalkVisitor
    ) -> Scan {
        var scan = Scan()
        var walker = FolderWalker(filter: filter, roots: roots.compactMap(\.canonical))
        for root in roots {
            let absolute =
                root.canonical
                ?? (root.given.hasPrefix("/")
                    ? root.given : FileManager.default.currentDirectoryPath + "/" + root.given)
            scan.absoluteRoots.append(absolute)
            guard let canonical = root.canonical,
                let status = FileSystem.status(ofPath: canonical, followingLinks: true)
            else {
                scan.rootProblems.append(
                    IngestProblem(path: absolute, reason: "folder not found; nothing under it was removed"))
                scan.missingRoots.append(absolute)
                continue
            }
            if status.isRegularFile {
                // A single file named on the command line is indexed as itself.
                let name = String(canonical.split(separator: "/").last ?? "")
                if case .read(let format) = filter.kind(ofFileNamed: name, relativePath: name) {
                    visitor.enterRoot(canonical)
                    if !ChangePlan.isInside(canonical, anyOf: scan.scannedRoots) {
                        visitor.visit(FoundFile(path: canonical, stat: status, format: format))
                    }
                    visitor.leaveRoot(walked: true)
                    scan.scannedRoots.append(canonical)
                    scan.filesFound[canonical, default: 0] += 1
                } else {
                    scan.rootProblems.append(
                        IngestProblem(
                            path: absolute,
                            reason: "not a file type Trawl indexes (\(DocumentFormat.extensionList))"))
                    scan.missingRoots.append(absolute)
                }
                continue
            }
            let identity = FileIdentity(device: status.device, inode: status.inode)
            visitor.enterRoot(canonical)
            var found = 0
            let walked = walker.walk(canonical) { file in
                found += 1
                visitor.visit(file)
            }
            visitor.leaveRoot(walked: walked)
            guard walked else {
                scan.rootProblems.append(
                    IngestProblem(
                        path: absolute, reason: "folder cannot be read; nothing under it was removed"))
                scan.missingRoots.append(absolute)
                continue
            }
            scan.scannedRoots.append(canonical)
            scan.filesFound[canonical, default: 0] += found
            scan.rootIdentities.append((canonical, identity))
            // A root renamed or unmounted during its walk: what the walk missed is not gone.
            let after = FileSystem.status(ofPath: canonical, followingLinks: true)
            if after.map({ FileIdentity(device: $0.device, inode: $0.inode) }) != identity {
                scan.vanishedFolders.append(canonical)
            }
        }
        scan.problems += walker.problems
        scan.unread = walker.unread
        scan.unreadableFolders = walker.unreadableFolders
        scan.vanishedFolders += walker.vanishedFolders
        return scan
    }
}

/// What a walk hands its files to, root by root (`Ingester.scan`).
protocol WalkVisitor {
    /// A root that exists is about to be walked.
    mutating func enterRoot(_ root: String)
    /// A file found under the current root, in path byte order.
    mutating func visit(_ file: FoundFile)
    /// The current root is done; `walked` is false when it could not be walked.
    mutating func leaveRoot(walked: Bool)
}
