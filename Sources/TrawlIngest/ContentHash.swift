/// A stable 64-bit hash of file bytes (FNV-1a), used to notice content changes and moves.
///
/// Swift's `Hasher` is seeded per process, so it cannot be stored; this one gives the same value
/// in every run and on every machine.
enum ContentHash {
    static func of(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        bytes.withUnsafeBufferPointer { buffer in
            for byte in buffer {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            }
        }
        return hash
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
