/// Where a document's date came from.
public enum DateSource: String, Sendable, Hashable, Codable {
    /// The file's own metadata: a `<meta>` tag, front matter, a record field, an e-mail header.
    case metadata
    /// A dateline at the start of the text ("BEIRUT, Nov 18 -"), its year written there or taken
    /// from other evidence (see `README.md`, "Dates").
    case dateline
    /// A full date written near the top of the text ("Prepared for the Iraq desk, 12 November 2025.").
    case text
    /// A date in the file or folder name (`2025-11-18-baghdad.txt`, `2025/11/18/`).
    case path
    /// No evidence of a date: the document is undated (its `date` is nil).
    case none
}

/// What a document says about itself besides its title and text.
public struct DocumentMetadata: Sendable, Hashable {
    public var dateSource: DateSource
    /// The author or authors, as written (several joined with ", ").
    public var author: String
    /// The publication, site or feed the document came from.
    public var source: String
    /// Tags, keywords or topics, each trimmed, in the order given, without duplicates.
    public var tags: [String]
    /// An ISO 639-1 code (`en`, `fr`, `ar`), or empty when unknown.
    public var language: String
    /// The document's address on the web, when it names one.
    public var url: String

    public init(
        dateSource: DateSource = .none, author: String = "", source: String = "", tags: [String] = [],
        language: String = "", url: String = ""
    ) {
        self.dateSource = dateSource
        self.author = author
        self.source = source
        self.tags = tags
        self.language = language
        self.url = url
    }
}

/// How metadata is written in `document_store`.
enum StoredMetadata {
    /// `date_source`: 0 none (before v8: the modification time, which v8 turns into no date),
    /// 1 metadata, 2 dateline, 3 text, 4 path (0 and 1 take no bytes in a row).
    static func code(of source: DateSource) -> Int {
        switch source {
        case .none: 0
        case .metadata: 1
        case .dateline: 2
        case .text: 3
        case .path: 4
        }
    }

    static func dateSource(code: Int) -> DateSource {
        switch code {
        case 1: .metadata
        case 2: .dateline
        case 3: .text
        case 4: .path
        default: .none
        }
    }

    /// `tags`: one tag per line.
    static func tagsText(_ tags: [String]) -> String { tags.joined(separator: "\n") }

    static func tags(_ text: String) -> [String] {
        text.isEmpty ? [] : text.split(separator: "\n").map(String.init)
    }
}
