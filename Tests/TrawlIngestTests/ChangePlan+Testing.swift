import TrawlIndex

@testable import TrawlIngest

extension ChangePlan {
    /// A plan against a fixed list of stored files, paged as the index would page them.
    init(stored: [StoredFile], failures: [String: FileFailure] = [:], sizeLimit: Int64 = .max) {
        @Sendable func precedes(
            _ left: (path: String, record: String), _ right: (path: String, record: String)
        ) -> Bool {
            let order = Self.compare(left.path, right.path)
            return order != 0 ? order < 0 : Self.compare(left.record, right.record) < 0
        }
        let sorted = stored.sorted { precedes(($0.path, $0.record), ($1.path, $1.record)) }
        self.init(
            pages: { root, after, limit in
                let under = sorted.filter { file in
                    Self.isInside(file.path, anyOf: [root])
                        && (after.map { precedes($0, (file.path, file.record)) } ?? true)
                }
                return Array(under.prefix(limit))
            }, failures: failures, sizeLimit: sizeLimit)
    }
}
