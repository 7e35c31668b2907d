/// A file's text and the facts used to notice when it changes, as stored in the index.
public struct DocumentRecord: Sendable, Hashable {
    /// Absolute path of the file.
    public var path: String
    public var title: String
    public var body: String
    /// File size in bytes.
    public var size: Int64
    /// Modification time in nanoseconds since 1970.
    public var modificationTime: Int64
    public var inode: UInt64
    /// A stable 64-bit hash of the file's bytes.
    public var contentHash: UInt64
    /// The document's date (seconds since 1970); the modification time until formats say better.
    public var date: Double
    /// The body as it will be stored (compressed), when prepared ahead by a `BodyCompressor`;
    /// otherwise `IndexStore.apply` compresses it on the writer thread.
    public var storedBody: StoredBody?

    public init(
        path: String, title: String, body: String, size: Int64, modificationTime: Int64, inode: UInt64,
        contentHash: UInt64, date: Double
    ) {
        self.path = path
        self.title = title
        self.body = body
        self.size = size
        self.modificationTime = modificationTime
        self.inode = inode
        self.contentHash = contentHash
        self.date = date
    }
}

/// What the index remembers of a file without its text: enough to decide whether it changed.
public struct StoredFile: Sendable, Hashable {
    public var id: Int64
    public var path: String
    public var size: Int64
    public var modificationTime: Int64
    public var inode: UInt64
    public var contentHash: UInt64

    public init(
        id: Int64, path: String, size: Int64, modificationTime: Int64, inode: UInt64, contentHash: UInt64
    ) {
        self.id = id
        self.path = path
        self.size = size
        self.modificationTime = modificationTime
        self.inode = inode
        self.contentHash = contentHash
    }
}

/// One change to apply to the index.
public enum DocumentChange: Sendable {
    /// A new file.
    case add(DocumentRecord)
    /// A known file whose content changed.
    case replace(id: Int64, DocumentRecord)
    /// A known file whose stat changed but whose content did not (no re-tokenizing).
    case refreshStat(id: Int64, size: Int64, modificationTime: Int64, inode: UInt64)
    /// A known document found under a new path with the same content (no re-tokenizing).
    case move(id: Int64, to: StoredFile)
    /// A file that is gone.
    case remove(id: Int64)
}
