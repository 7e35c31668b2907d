/// The text of a word-processing document as its XML is scanned: paragraphs (headings marked),
/// table rows (cells joined with ` | `) and notes, shared by the `.docx` and `.odt` readers.
///
/// Paragraphs nest (a text box or a note inside a paragraph), so each open paragraph has its own
/// buffer; a paragraph inside a table cell joins its cell, one inside a note joins the note.
struct OfficeText {
    /// Body blocks in document order: paragraphs, headings and table rows.
    private(set) var blocks: [(text: String, isHeading: Bool)] = []
    /// Footnotes and endnotes, one string each, in the order they were found.
    private(set) var notes: [String] = []

    private var paragraphs: [(text: String, isHeading: Bool)] = []
    /// Open table rows (tables nest), each with the cells finished so far.
    private var rows: [[String]] = []
    /// Open cells, each with the paragraphs finished so far.
    private var cells: [[String]] = []
    /// Open notes, each with the paragraphs finished so far.
    private var openNotes: [[String]] = []

    /// Whether a paragraph is open, so text now belongs to the document.
    var inParagraph: Bool { !paragraphs.isEmpty }

    mutating func startParagraph(isHeading: Bool = false) { paragraphs.append(("", isHeading)) }

    /// Marks the innermost open paragraph as a heading (its style says so).
    mutating func markHeading() {
        if !paragraphs.isEmpty { paragraphs[paragraphs.count - 1].isHeading = true }
    }

    mutating func append(_ text: String) {
        if !paragraphs.isEmpty { paragraphs[paragraphs.count - 1].text += text }
    }

    mutating func endParagraph() {
        guard let paragraph = paragraphs.popLast() else { return }
        let text = Self.collapsed(paragraph.text)
        guard !text.isEmpty else { return }
        if !openNotes.isEmpty {
            openNotes[openNotes.count - 1].append(text)
        } else if !cells.isEmpty {
            cells[cells.count - 1].append(text)
        } else {
            blocks.append((text, paragraph.isHeading))
        }
    }

    mutating func startRow() { rows.append([]) }

    mutating func endRow() {
        guard let row = rows.popLast() else { return }
        let text = row.filter { !$0.isEmpty }.joined(separator: " | ")
        guard !text.isEmpty else { return }
        if !cells.isEmpty {
            // A table inside a cell.
            cells[cells.count - 1].append(text)
        } else {
            blocks.append((text, false))
        }
    }

    mutating func startCell() { cells.append([]) }

    mutating func endCell() {
        guard let cell = cells.popLast() else { return }
        if !rows.isEmpty { rows[rows.count - 1].append(cell.joined(separator: " ")) }
    }

    mutating func startNote() { openNotes.append([]) }

    mutating func endNote() {
        guard let note = openNotes.popLast(), !note.isEmpty else { return }
        notes.append(note.joined(separator: " "))
    }

    /// The document: the title is `title` when given, else the first heading in the first blocks,
    /// else the first block; a title that opens the body is not repeated in it; notes follow the
    /// body.
    func document(title given: String) -> ExtractedDocument {
        var body = blocks
        var title = Self.collapsed(given)
        if title.isEmpty, let first = body.prefix(3).firstIndex(where: \.isHeading) ?? body.indices.first {
            title = body[first].text
            if first == body.startIndex { body.removeFirst() }
        } else if let first = body.first, first.text.lowercased() == title.lowercased() {
            body.removeFirst()
        }
        let text = (body.map(\.text) + notes).joined(separator: "\n\n")
        return ExtractedDocument(title: title, body: text)
    }

    /// `text` with runs of spaces and tabs made one space and its ends trimmed (line breaks kept).
    static func collapsed(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for character in text {
            if character == " " || character == "\t" {
                pendingSpace = !result.isEmpty
            } else if character == "\n" {
                result.append("\n")
                pendingSpace = false
            } else {
                if pendingSpace && !result.hasSuffix("\n") { result.append(" ") }
                pendingSpace = false
                result.append(character)
            }
        }
        while result.hasSuffix("\n") { result.removeLast() }
        return result
    }

    /// The text of each element in a properties part (`docProps/core.xml`, `meta.xml`) by local
    /// name, every occurrence in order (keywords repeat in `meta.xml`).
    static func properties(_ bytes: [UInt8]) -> [Substring: [String]] {
        var values: [Substring: [String]] = [:]
        var current: Substring?
        var text = ""
        XMLScanner.scan(bytes) { event in
            switch event {
            case .start(let name, _):
                current = XMLScanner.localName(name)
                text = ""
            case .text(let piece):
                if current != nil { text += piece }
            case .end(let name):
                let local = XMLScanner.localName(name)
                if local == current {
                    let value = collapsed(text)
                    if !value.isEmpty { values[local, default: []].append(value) }
                }
                current = nil
            }
        }
        return values
    }

    /// The document the text makes, with the title, author, date (the first of `dateKeys` given),
    /// keywords as tags and language of the properties part (`docProps/core.xml`, `meta.xml`) when
    /// there is one; skipped when it holds no text.
    func extraction(
        properties part: [UInt8]?, author authorKeys: [Substring], date dateKeys: [Substring],
        keywords keywordKey: Substring
    ) -> Extraction {
        let properties = part.map(Self.properties) ?? [:]
        var document = document(title: properties["title"]?.first ?? "")
        Self.apply(properties, to: &document, author: authorKeys, date: dateKeys, keywords: keywordKey)
        guard !document.title.isEmpty || !document.body.isEmpty else { return .skipped("no text found") }
        return Extraction(documents: [document])
    }

    /// Applies document properties: author, date (the first of `dateKeys` given), keywords as
    /// tags and language.
    private static func apply(
        _ properties: [Substring: [String]], to document: inout ExtractedDocument,
        author authorKeys: [Substring], date dateKeys: [Substring], keywords keywordKey: Substring
    ) {
        if let author = authorKeys.lazy.compactMap({ properties[$0]?.first }).first {
            document.metadata.author = author
        }
        if let date = dateKeys.lazy.compactMap({ properties[$0]?.first.flatMap(DateParsing.parse) }).first {
            document.date = date
            document.metadata.dateSource = .metadata
        }
        var tags: [String] = []
        for value in properties[keywordKey] ?? [] {
            for tag in value.split(whereSeparator: { $0 == "," || $0 == ";" }) {
                let trimmed = tag.trimmingWhitespace()
                if !trimmed.isEmpty && !tags.contains(trimmed) { tags.append(trimmed) }
            }
        }
        document.metadata.tags = tags
        if let language = properties["language"]?.first {
            document.metadata.language = String(language.prefix(while: { $0 != "-" && $0 != "_" }))
                .lowercased()
        }
    }
}
