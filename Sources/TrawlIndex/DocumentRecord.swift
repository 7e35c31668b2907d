import TrawlText

/// A document's text and the facts used to notice when its file changes, as stored in the index.
///
/// Most files are one document; a JSON or JSON Lines file holds one document per record, each
/// addressed as `path#record`.
public struct DocumentRecord: Sendable, Hashable {
    /// Absolute path of the file.
    public var path: String
    /// The record's key inside the file; empty for a whole-file document.
    public var record: String
    public var title: String
    public var body: String
    /// File size in bytes.
    public var size: Int64
    /// Modification time in nanoseconds since 1970.
    public var modificationTime: Int64
    public var inode: UInt64
    /// A stable 64-bit hash of the file's bytes (of the record's fields, for a record).
    public var contentHash: UInt64
    /// The document's date (seconds since 1970), nil when undated; `metadata.dateSource` says where
    /// it came from.
    public var date: Double?
    /// Author, source, tags, language, URL and the date's origin.
    public var metadata: DocumentMetadata
    /// The body as it will be stored (compressed), when prepared ahead by a `BodyCompressor`;
    /// otherwise `IndexStore.apply` compresses it on the writer thread.
    public var storedBody: StoredBody?
    /// The MinHash signature of the body (computed by the reader, beside the compression); nil
    /// for a text too short to have one, which then belongs to no near-duplicate group.
    public var signature: ShingleSignature?

    public init(
        path: String, record: String = "", title: String, body: String, size: Int64, modificationTime: Int64,
        inode: UInt64, contentHash: UInt64, date: Double?, metadata: DocumentMetadata = DocumentMetadata()
    ) {
        self.path = path
        self.record = record
        self.title = title
        self.body = body
        self.size = size
        self.modificationTime = modificationTime
        self.inode = inode
        self.contentHash = contentHash
        self.date = date
        self.metadata = metadata
    }

    /// `path`, or `path#record` for a record.
    public var location: String { DocumentLocation.text(path: path, record: record) }
}

/// How a document is addressed: its file's path, and `#record` for a record inside the file.
public enum DocumentLocation {
    /// `path`, or `path#record` when `record` is not empty.
    public static func text(path: String, record: String) -> String {
        record.isEmpty ? path : path + "#" + record
    }
}

/// What the index remembers of a document without its text: enough to decide whether its file
/// changed.
public struct StoredFile: Sendable, Hashable {
    public var id: Int64
    public var path: String
    /// The record's key inside the file; empty for a whole-file document.
    public var record: String
    public var size: Int64
    public var modificationTime: Int64
    public var inode: UInt64
    public var contentHash: UInt64

    public init(
        id: Int64, path: String, record: String = "", size: Int64, modificationTime: Int64, inode: UInt64,
        contentHash: UInt64
    ) {
        self.id = id
        self.path = path
        self.record = record
        self.size = size
        self.modificationTime = modificationTime
        self.inode = inode
        self.contentHash = contentHash
    }

    /// `path`, or `path#record` for a record.
    public var location: String { DocumentLocation.text(path: path, record: record) }
}

/// One change to apply to the index.
public enum DocumentChange: Sendable {
    /// A new file.
    case add(DocumentRecord)
    /// A known file whose content changed.
    case replace(id: Int64, DocumentRecord)
    /// A known file whose stat changed but whose content did not (no re-tokenizing).
    case refreshStat(id: Int64, size: Int64, modificationTime: Int64, inode: UInt64)
    /// A known document found under a new path (or record key) with the same content (no
    /// re-tokenizing).
    case move(id: Int64, to: StoredFile)
    /// A file that is gone.
    case remove(id: Int64)
    /// Every stored document of the file at `path` gets this stat: the last change of a file whose
    /// records were written over several transactions under a placeholder stat, so that a run
    /// killed before this change reads the whole file again.
    case settle(path: String, size: Int64, modificationTime: Int64, inode: UInt64)

    /// Whether the change adds, replaces or removes a document's text (and so its near-duplicate
    /// signature), as opposed to refreshing its file state or moving it.
    var changesText: Bool {
        switch self {
        case .add, .replace, .remove: true
        case .refreshStat, .move, .settle: false
        }
    }
}
