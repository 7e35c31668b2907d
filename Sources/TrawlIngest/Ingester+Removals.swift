import TrawlIndex

extension Ingester {
    /// Which documents not found a run removes, and which it keeps because it cannot be sure.
    struct Removals {
        var remove: [StoredFile] = []
        /// How many documents not found were kept.
        var held = 0
        /// One line per root (or folder) whose documents were kept, saying why.
        var problems: [IngestProblem] = []
        /// The device of each root to remember (roots whose removals were not held back).
        var devices: [String: UInt64] = [:]
    }

    /// Applies the removal rules to the documents whose files were not found: nothing is removed
    /// when a folder disappeared or a root changed during the run; under a root that is empty, on
    /// another device than last time, or missing more than `maxRemovals`, nothing is removed
    /// unless `force`.
    func decideRemovals(
        _ missing: [StoredFile], scan: Scan, storedUnder: [String: Int], devicesBefore: [String: UInt64]
    ) -> Removals {
        var removals = Removals()
        var changed = scan.vanishedFolders
        for (root, identity) in scan.rootIdentities where !changed.contains(root) {
            let now = FileSystem.status(ofPath: root, followingLinks: true)
            if now.map({ FileIdentity(device: $0.device, inode: $0.inode) }) != identity {
                changed.append(root)
            }
        }
        if !changed.isEmpty {
            removals.held = missing.count
            for folder in changed {
                removals.problems.append(
                    IngestProblem(
                        path: folder,
                        reason:
                            "folder disappeared or changed during the run (renamed, moved or unmounted); "
                            + "nothing was removed in this run"))
            }
            return removals
        }
        var byRoot: [String: [StoredFile]] = [:]
        for file in missing {
            // Stored files under an earlier root are merged with it, not with a later enclosing one.
            let root = scan.scannedRoots.first { ChangePlan.isInside(file.path, anyOf: [$0]) } ?? ""
            byRoot[root, default: []].append(file)
        }
        for root in scan.scannedRoots {
            let files = byRoot.removeValue(forKey: root) ?? []
            let device = scan.rootIdentities.first { $0.root == root }?.identity.device
            let stored = storedUnder[root, default: 0]
            var hold: RemovalHold?
            if !files.isEmpty && !options.force {
                if scan.filesFound[root, default: 0] == 0 {
                    hold = .emptyRoot
                } else if let device, let before = devicesBefore[root], before != device {
                    hold = .otherFileSystem
                } else if !options.maxRemovals.allows(files.count, of: stored) {
                    hold = .overLimit(options.maxRemovals)
                }
            }
            if let hold {
                removals.held += files.count
                removals.problems.append(
                    IngestProblem(path: root, reason: hold.reason(missing: files.count, stored: stored)))
                continue
            }
            removals.remove += files
            if let device { removals.devices[root] = device }
        }
        return removals
    }
}
