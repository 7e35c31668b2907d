/// How many documents under one root a run may remove before it holds back (`--max-removals`).
///
/// A run removes a document only when it saw the document's folder and saw that the file is gone;
/// a root missing more than this limit of what it held looks like a disk half mounted or a
/// folder being moved rather than deleted files, so nothing under it is removed until the user
/// says so (`--force`, or a higher limit).
public enum RemovalLimit: Sendable, Hashable, CustomStringConvertible {
    /// A share of the documents stored under the root, from 0 to 1.
    case share(Double)
    /// A number of documents.
    case count(Int)

    /// The default: half of what a root held.
    public static let standard = RemovalLimit.share(0.5)

    /// Parses `20%` (a share) or `500` (a count); nil for anything else.
    public init?(argument: String) {
        if argument.hasSuffix("%") {
            guard let percent = Double(argument.dropLast()), percent >= 0, percent <= 100 else { return nil }
            self = .share(percent / 100)
        } else {
            guard let count = Int(argument), count >= 0 else { return nil }
            self = .count(count)
        }
    }

    public var description: String {
        switch self {
        case .share(let share):
            let percent = share * 100
            return percent == percent.rounded() ? "\(Int(percent))%" : "\(percent)%"
        case .count(let count): return "\(count)"
        }
    }

    /// Whether removing `removals` of the `stored` documents under a root stays within the limit.
    func allows(_ removals: Int, of stored: Int) -> Bool {
        switch self {
        case .share(let share): return Double(removals) <= share * Double(max(stored, removals))
        case .count(let count): return removals <= count
        }
    }
}

/// Why the documents not found under a root were kept rather than removed.
enum RemovalHold: Sendable, Hashable {
    /// The root holds no file Trawl indexes, while the index holds documents under it.
    case emptyRoot
    /// The root is on another device than at the last run.
    case otherFileSystem
    /// More documents are missing than `--max-removals` allows.
    case overLimit(RemovalLimit)

    /// The one line that tells the user what was kept, why, and how to let the removal happen.
    func reason(missing: Int, stored: Int) -> String {
        let documents = missing == 1 ? "1 document" : "\(missing) documents"
        switch self {
        case .emptyRoot:
            return
                "folder is empty but \(documents) are indexed under it (disk not mounted?); "
                + "nothing under it was removed (pass --force to remove them)"
        case .otherFileSystem:
            return
                "folder is on another file system than at the last run (another disk mounted?); "
                + "\(documents) not found under it were kept (pass --force to remove them)"
        case .overLimit(let limit):
            return
                "\(missing) of \(stored) indexed documents under it were not found, more than --max-removals "
                + "\(limit); none were removed (pass --max-removals with a higher limit, or --force, to remove them)"
        }
    }
}
