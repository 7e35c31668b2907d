import TrawlIndex

/// A document's date and metadata as `search` and `show` write them in JSON: keys of the object
/// that describes the document, beside its own (`Flattened`).
public struct MetadataJSON: Encodable, Sendable {
    /// ISO 8601, UTC (`2025-11-18T00:00:00Z`); nil (written `null`) for an undated document.
    public var date: String?
    /// `metadata`, `dateline`, `text`, `path`, or `none` for an undated document.
    public var dateSource: String
    public var author: String
    public var source: String
    public var tags: [String]
    public var language: String
    public var url: String

    public init(date: Double?, metadata: DocumentMetadata) {
        self.date = date.map(DocumentJSON.instant)
        dateSource = metadata.dateSource.rawValue
        author = metadata.author
        source = metadata.source
        tags = metadata.tags
        language = metadata.language
        url = metadata.url
    }

    private enum CodingKeys: String, CodingKey {
        case date, dateSource, author, source, tags, language, url
    }

    /// Every key, `date` as `null` when undated (the synthesized encoding would leave it out).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(date, forKey: .date)
        try container.encode(dateSource, forKey: .dateSource)
        try container.encode(author, forKey: .author)
        try container.encode(source, forKey: .source)
        try container.encode(tags, forKey: .tags)
        try container.encode(language, forKey: .language)
        try container.encode(url, forKey: .url)
    }

    /// `fields` and a document's metadata encoded as one JSON object.
    public struct Flattened<Fields: Encodable & Sendable>: Encodable, Sendable {
        public var fields: Fields
        public var metadata: MetadataJSON

        public init(_ fields: Fields, date: Double?, metadata: DocumentMetadata) {
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
