import TrawlIndex

/// A stable 64-bit hash of file bytes (`FNV1a`), used to notice content changes and moves.
///
/// Swift's `Hasher` is seeded per process, so it cannot be stored; this one gives the same value
/// in every run and on every machine.
enum ContentHash {
    static func of(_ bytes: [UInt8]) -> UInt64 {
        var hash = FNV1a()
        bytes.withUnsafeBufferPointer { hash.combine($0) }
        return hash.value
    }

    /// The hash of a record's fields (title, text and metadata), so that an edit to one record of
    /// a file leaves the others unchanged.
    static func of(_ document: ExtractedDocument) -> UInt64 {
        let metadata = document.metadata
        var fields = [
            document.title, document.body, metadata.author, metadata.source, metadata.language, metadata.url,
        ]
        fields += metadata.tags
        fields.append(document.date.map { String($0) } ?? "")
        return of(Array(fields.joined(separator: "\u{1F}").utf8))
    }
}
