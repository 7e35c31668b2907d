import TrawlIndex

/// One document a format reader found in a file: the whole file, or one record of it.
struct ExtractedDocument: Sendable, Hashable {
    /// The record's key inside its file, addressed as `path#record`; empty for a whole-file document.
    var record: String = ""
    var title: String
    var body: String
    /// The date the metadata gives (seconds since 1970); nil when it names none (the ingester then
    /// weighs the other evidence: `DocumentDate`).
    var date: Double? = nil
    /// Author, source, tags, language and URL as the file gives them (empty when it gives none);
    /// `dateSource` is set by the reader to `.metadata` when `date` came from metadata.
    var metadata = DocumentMetadata()
}

/// Everything a reader got out of one file.
struct Extraction: Sendable, Hashable {
    /// The documents found, in file order.
    var documents: [ExtractedDocument] = []
    /// What could not be read but was got past (a bad record, invalid front matter), one
    /// sentence each, e.g. "record 3 (line 3) is not valid JSON; skipped". Reported as warnings.
    var warnings: [String] = []
    /// Why nothing at all can be indexed from the file (reported as a skipped file); nil otherwise.
    var skipReason: String? = nil

    /// A file that yields nothing, for `reason`.
    static func skipped(_ reason: String) -> Extraction { Extraction(skipReason: reason) }
}

/// What a reader may need besides the file's bytes.
struct ExtractionContext: Sendable {
    /// Absolute path of the file (PDFs are converted from the file itself).
    var path: String
    /// The file's modification time, seconds since 1970.
    var modificationTime: Double
    /// Which keys of a JSON record hold which field.
    var recordFields = RecordFields()
    /// The `pdftotext` executable; nil when it is not installed.
    var pdfToText: String? = nil
}

/// Which keys of a JSON or JSON Lines record hold each field: the first key present wins.
/// Keys are matched without regard to case.
public struct RecordFields: Sendable, Hashable {
    public var id = ["id", "guid", "uuid", "_id"]
    public var title = ["title", "headline", "name", "subject"]
    public var body = ["body", "text", "content", "article", "story", "description", "summary"]
    public var date = [
        "date", "published", "published_at", "publishedAt", "pubDate", "datetime", "time", "created",
    ]
    public var url = ["url", "link", "href"]
    public var author = ["author", "authors", "byline", "creator"]
    public var source = ["source", "publisher", "site", "feed"]
    public var tags = ["tags", "keywords", "categories", "topics"]
    public var language = ["language", "lang"]

    public init() {}

    /// The field names `set(_:keys:)` accepts.
    public static let fieldNames = [
        "id", "title", "body", "date", "url", "author", "source", "tags", "language",
    ]

    /// Makes `keys` (in order of preference) the keys read for `field`; false when `field` is not
    /// one of `fieldNames`.
    public mutating func set(_ field: String, keys: [String]) -> Bool {
        switch field.lowercased() {
        case "id": id = keys
        case "title": title = keys
        case "body": body = keys
        case "date": date = keys
        case "url": url = keys
        case "author": author = keys
        case "source": source = keys
        case "tags": tags = keys
        case "language": language = keys
        default: return false
        }
        return true
    }
}
