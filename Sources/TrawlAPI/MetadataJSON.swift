import TrawlIndex

/// A document's date and metadata as `search` and `show` write them in JSON: keys of the object
/// that describes the document, beside its own (`Flattened`).
public struct MetadataJSON: Encodable, Sendable {
    /// ISO 8601, UTC (`2025-11-18T00:00:00Z`).
    public var date: String
    /// `metadata`, `dateline` or `modified` (the file's modification time).
    public var dateSource: String
    public var author: String
    public var source: String
    public var tags: [String]
    public var language: String
    public var url: String

    public init(date: Double, metadata: DocumentMetadata) {
        self.date = DocumentJSON.instant(date)
        dateSource = metadata.dateSource.rawValue
        author = metadata.author
        source = metadata.source
        tags = metadata.tags
        language = metadata.language
        url = metadata.url
    }

    /// `fields` and a document's metadata encoded as one JSON object.
    public struct Flattened<Fields: Encodable & Sendable>: Encodable, Sendable {
        public var fields: Fields
        public var metadata: MetadataJSON

        public init(_ fields: Fields, date: Double, metadata: DocumentMetadata) {
            self.fields = fields
            self.metadata = MetadataJSON(date: date, metadata: metadata)
        }

        /// Both write into the one keyed container the encoder keeps for this value.
        public func encode(to encoder: any Encoder) throws {
            try fields.encode(to: encoder)
            try metadata.encode(to: encoder)
        }
    }
}
