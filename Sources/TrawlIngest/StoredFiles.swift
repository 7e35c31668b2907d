import TrawlIndex

/// The files stored under one root, paged from the index in path byte order.
struct StoredFiles {
    /// Fetches the stored files under a root after a path (nil: from the start), at most `limit`.
    typealias Pager =
        @Sendable (_ root: String, _ after: (path: String, record: String)?, _ limit: Int) throws(IndexError)
        -> [StoredFile]

    static let pageSize = 1000

    let pages: Pager
    let root: String
    /// Roots merged earlier: stored files under them were already compared.
    let skipping: [String]
    private var page: [StoredFile] = []
    private var position = 0
    private var lastKey: (path: String, record: String)?
    private var exhausted = false

    init(pages: @escaping Pager, root: String, skipping: [String]) {
        self.pages = pages
        self.root = root
        self.skipping = skipping
    }

    /// The next stored file, or nil at the end.
    mutating func peek() throws(IngestError) -> StoredFile? {
        while true {
            if position < page.count {
                let file = page[position]
                if skipping.isEmpty || !ChangePlan.isInside(file.path, anyOf: skipping) { return file }
                position += 1
                continue
            }
            if exhausted { return nil }
            do {
                page = try pages(root, lastKey, Self.pageSize)
            } catch { throw .index(error) }
            position = 0
            lastKey = page.last.map { ($0.path, $0.record) } ?? lastKey
            exhausted = page.count < Self.pageSize
            if page.isEmpty { return nil }
        }
    }

    mutating func advance() { position += 1 }
}
