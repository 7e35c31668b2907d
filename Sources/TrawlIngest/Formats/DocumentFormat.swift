/// The kinds of file Trawl reads, by file-name extension.
enum DocumentFormat: Sendable, CaseIterable {
    case plainText
    case markdown
    case html
    /// A JSON file of article records (or one article).
    case json
    /// JSON Lines: one record per line.
    case jsonLines
    case email
    case pdf
    /// Word (Office Open XML).
    case docx
    /// OpenDocument text.
    case odt
    case rtf
    /// A file without an extension, read as plain text when its opening is text (valid UTF-8 or
    /// Windows-1252, no NUL or other control bytes in the first 8 KiB).
    case unlabeledText

    /// The extension of a file name (a name, not a path), lower-cased and without its dot; nil
    /// when the name has none (a leading dot, as in `.profile`, starts no extension).
    static func fileExtension(of fileName: String) -> String? {
        // On the UTF-8 bytes: searching Characters runs grapheme breaking, and the walk asks
        // this of every file on every run.
        let bytes = fileName.utf8
        guard let dot = bytes.lastIndex(of: UInt8(ascii: ".")), dot != bytes.startIndex else { return nil }
        return fileName[bytes.index(after: dot)...].lowercased()
    }

    /// The format of a file name, or nil when Trawl does not index such files by their extension.
    init?(fileName: String) {
        guard let fileExtension = Self.fileExtension(of: fileName) else { return nil }
        switch fileExtension {
        case "txt", "text": self = .plainText
        case "md", "markdown": self = .markdown
        case "html", "htm", "xhtml": self = .html
        case "json": self = .json
        case "jsonl", "ndjson": self = .jsonLines
        case "eml": self = .email
        case "pdf": self = .pdf
        case "docx": self = .docx
        case "odt": self = .odt
        case "rtf": self = .rtf
        default: return nil
        }
    }

    /// The extensions Trawl indexes, for messages.
    static let extensionList = ".txt, .md, .html, .htm, .json, .jsonl, .ndjson, .eml, .pdf, .docx, .odt, .rtf"

    /// Reads a file's bytes with the format's reader.
    func extract(_ bytes: [UInt8], context: ExtractionContext) -> Extraction {
        switch self {
        case .plainText, .unlabeledText: PlainTextReader.extract(bytes, context: context)
        case .markdown: MarkdownReader.extract(bytes, context: context)
        case .html: HTMLReader.extract(bytes, context: context)
        case .json, .jsonLines: JSONRecordReader.extract(bytes, context: context)
        case .email: EmailReader.extract(bytes, context: context)
        case .pdf: PDFReader.extract(bytes, context: context)
        case .docx: WordReader.extract(bytes, context: context)
        case .odt: OpenDocumentReader.extract(bytes, context: context)
        case .rtf: RTFReader.extract(bytes, context: context)
        }
    }

    /// Whether files of this format are binary (NUL bytes in them do not mean "not text").
    var isBinary: Bool {
        switch self {
        case .pdf, .docx, .odt: true
        case .plainText, .markdown, .html, .json, .jsonLines, .email, .rtf, .unlabeledText: false
        }
    }
}
