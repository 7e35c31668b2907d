import TrawlIndex

extension FileStat {
    /// The state a failure of this file is recorded with.
    var failedState: FailedFileState {
        FailedFileState(size: size, modificationTime: modificationTime, inode: inode)
    }
}

extension FileFailure {
    /// Whether this is the same failure as `previous`, of the file in the same state: it is then
    /// counted as known, not reported again.
    func repeats(_ previous: FileFailure?) -> Bool {
        guard let previous, previous.reason == reason else { return false }
        // A failure without a state is a folder's or a name's, or was recorded by an older Trawl
        // (which kept no state): the same reason is all there is to compare.
        if previous.state == nil && previous.kind == .other { return true }
        return previous.kind == kind && previous.state == state
    }

    /// Whether a file that failed this way, found again unchanged, is left unread.
    func skipsUnchangedFile(sizeLimit: Int64) -> Bool {
        switch kind {
        case .content, .interrupted: return true
        case .tooLarge: return (state?.size ?? 0) > sizeLimit
        case .unreadable, .other: return false
        }
    }
}
