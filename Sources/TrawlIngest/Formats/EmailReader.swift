import TrawlIndex

/// Reads `.eml` files (RFC 5322 messages with MIME parts): the subject, sender, date and text.
///
/// The text is the message's `text/plain` parts, or when it has none its `text/html` parts
/// through `HTMLReader.visibleText(of:)`. Attachments and other types are ignored. The title is
/// the Subject as the user sees it ("Re:" and "Fwd:" kept); the author is the From mailbox as
/// "Name <address>"; the source is the mailing list (`List-Id`) or the newsgroups.
enum EmailReader {
    /// The message's document, or a skip reason when it has no text part.
    static func extract(_ bytes: [UInt8], context: ExtractionContext) -> Extraction {
        let message = MIME.Part(parsing: bytes[...])
        var reading = BodyReading()
        let pieces = reading.texts(in: message, depth: 0)
        var warnings = reading.warnings
        let plain = pieces.filter { $0.isPlain }
        let chosen = plain.isEmpty ? pieces : plain
        guard !chosen.isEmpty else {
            return Extraction(warnings: warnings, skipReason: "no text part (only attachments)")
        }
        var body = chosen.map(\.text).filter { !$0.isEmpty }.joined(separator: "\n\n")

        var title = collapsedWhitespace(MIME.decodeEncodedWords(message.header("subject") ?? ""))
        if title.isEmpty {
            let parts = TitleSplit.split(body)
            title = parts.title
            body = parts.body
        }
        if title.isEmpty && body.isEmpty {
            return Extraction(warnings: warnings, skipReason: "the message has no subject and no text")
        }
        var document = ExtractedDocument(title: title, body: body)
        if let dateHeader = message.header("date") {
            if let date = DateParsing.parse(dateHeader) {
                document.date = date
                document.metadata.dateSource = .metadata
            } else {
                warnings.append(
                    "the Date header (\"\(dateHeader)\") is not a date Trawl can read; the file's date is used"
                )
            }
        }
        document.metadata.author = message.header("from").map(mailbox) ?? ""
        document.metadata.source = source(of: message)
        if let keywords = message.header("keywords") {
            document.metadata.tags = HTMLPage.uniqueTrimmed(
                MIME.decodeEncodedWords(keywords).split(separator: ",").map(String.init))
        }
        if let language = message.header("content-language") {
            document.metadata.language = HTMLPage.primaryLanguage(language)
        }
        if let archived = message.header("archived-at") {
            document.metadata.url = String(
                archived.trimmingWhitespace().drop(while: { $0 == "<" }).prefix(while: { $0 != ">" }))
        }
        return Extraction(documents: [document], warnings: warnings)
    }

    /// A From value as "Name <address>" (display name decoded and unquoted), or the bare address.
    static func mailbox(_ header: String) -> String {
        let decoded = collapsedWhitespace(MIME.decodeEncodedWords(header))
        if let open = decoded.lastIndex(of: "<"), let close = decoded[open...].firstIndex(of: ">") {
            let address = decoded[decoded.index(after: open)..<close].trimmingWhitespace()
            let name = unquoted(decoded[..<open].trimmingWhitespace())
            return name.isEmpty ? address : "\(name) <\(address)>"
        }
        // The old form: address (Name)
        if let open = decoded.firstIndex(of: "("), let close = decoded.lastIndex(of: ")"), open < close {
            let address = decoded[..<open].trimmingWhitespace()
            let name = decoded[decoded.index(after: open)..<close].trimmingWhitespace()
            if !address.isEmpty && !name.isEmpty { return "\(name) <\(address)>" }
        }
        return decoded
    }

    /// The mailing list's name (or id) from `List-Id`, else the `Newsgroups`, else "".
    private static func source(of message: MIME.Part) -> String {
        if let listID = message.header("list-id").map({ collapsedWhitespace(MIME.decodeEncodedWords($0)) }) {
            if let open = listID.lastIndex(of: "<"), let close = listID[open...].firstIndex(of: ">") {
                let name = unquoted(listID[..<open].trimmingWhitespace())
                return name.isEmpty ? listID[listID.index(after: open)..<close].trimmingWhitespace() : name
            }
            if !listID.isEmpty { return listID }
        }
        return message.header("newsgroups").map { collapsedWhitespace($0) } ?? ""
    }

    private static func unquoted(_ text: String) -> String {
        guard text.count >= 2, text.first == "\"", text.last == "\"" else { return text }
        return String(text.dropFirst().dropLast()).replacing("\\\"", with: "\"")
            .replacing("\\\\", with: "\\")
    }

    /// Runs of whitespace (unfolded header lines) as one space, trimmed.
    static func collapsedWhitespace(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}

/// One text found in a message: a `text/plain` part, or the visible text of a `text/html` one.
private struct TextPiece {
    var isPlain: Bool
    var text: String
}

/// Walks a message's MIME tree for its text parts, collecting warnings on the way.
private struct BodyReading {
    var warnings: [String] = []
    private var warnedCutBoundary = false

    /// Nesting deeper than this is not read (no real message comes close).
    private static let maximumDepth = 32

    /// The text pieces of `part` in file order: for `multipart/alternative` only the best
    /// alternative (plain text over HTML).
    mutating func texts(in part: MIME.Part, depth: Int) -> [TextPiece] {
        let contentType = MIME.HeaderValue(parsing: part.header("content-type") ?? "text/plain")
        let disposition = MIME.HeaderValue(parsing: part.header("content-disposition") ?? "")
        if disposition.value == "attachment" { return [] }
        let type = contentType.value.contains("/") ? contentType.value : "text/plain"
        if type.hasPrefix("multipart/") {
            guard let boundary = contentType.parameters["boundary"], !boundary.isEmpty else {
                warnings.append("a multipart part has no boundary; read as plain text")
                return [TextPiece(isPlain: true, text: decodedText(of: part, contentType: contentType))]
            }
            guard depth < BodyReading.maximumDepth else {
                warnings.append("MIME parts nested more than \(BodyReading.maximumDepth) deep were skipped")
                return []
            }
            let split = part.multipartBodies(boundary: boundary)
            if !split.closed && !warnedCutBoundary {
                warnedCutBoundary = true
                warnings.append(
                    "the message has no closing MIME boundary (it looks cut short); its last part was read to the end of the file"
                )
            }
            if split.parts.isEmpty {
                warnings.append(
                    "no MIME part starts with the boundary the message declares; read as plain text")
                return [TextPiece(isPlain: true, text: decodedText(of: part, contentType: contentType))]
            }
            let children = split.parts.map { texts(in: MIME.Part(parsing: $0), depth: depth + 1) }
            if type == "multipart/alternative" {
                return children.first(where: { $0.contains(where: \.isPlain) })
                    ?? children.first(where: { !$0.isEmpty }) ?? []
            }
            return children.flatMap { $0 }
        }
        switch type {
        case "text/plain":
            var text = decodedText(of: part, contentType: contentType)
            if contentType.parameters["format"]?.lowercased() == "flowed" {
                text = BodyReading.unflowed(
                    text, deleteSpace: contentType.parameters["delsp"]?.lowercased() == "yes")
            }
            return [TextPiece(isPlain: true, text: BodyReading.normalizedLines(text))]
        case "text/html":
            let html = decodedText(of: part, contentType: contentType)
            return [TextPiece(isPlain: false, text: HTMLReader.visibleText(of: html))]
        default:
            return []
        }
    }

    /// The part's body with its transfer encoding undone, decoded in its charset.
    private mutating func decodedText(of part: MIME.Part, contentType: MIME.HeaderValue) -> String {
        let encoding = MIME.HeaderValue(parsing: part.header("content-transfer-encoding") ?? "7bit").value
        let bytes: [UInt8]
        switch encoding {
        case "quoted-printable": bytes = MIME.decodeQuotedPrintable(Array(part.body))
        case "base64": bytes = MIME.decodeBase64(Array(part.body))
        default: bytes = Array(part.body)
        }
        guard let charset = contentType.parameters["charset"], !charset.isEmpty else {
            let decoded = TextDecoding.decode(bytes)
            if let note = decoded.note { warnings.append("a text part without a charset is \(note)") }
            return decoded.text
        }
        let decoded = MIME.decode(bytes, charset: charset)
        if let note = decoded.note, !warnings.contains(note) { warnings.append(note) }
        return decoded.text
    }

    /// format=flowed text (RFC 3676): a line ending in a space continues on the next line.
    static func unflowed(_ text: String, deleteSpace: Bool) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            if line != "-- ", line.hasSuffix(" ") {
                output += deleteSpace ? line.dropLast() : line
            } else {
                output += line
                output += "\n"
            }
        }
        return output
    }

    /// Lines without trailing blanks or `\r`, runs of blank lines as one, the whole trimmed.
    static func normalizedLines(_ text: String) -> String {
        var lines: [Substring] = []
        var blankRun = false
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            var end = line.endIndex
            while end > line.startIndex {
                let before = line.index(before: end)
                guard line[before] == " " || line[before] == "\t" else { break }
                end = before
            }
            let trimmed = line[..<end]
            if trimmed.isEmpty {
                blankRun = true
                continue
            }
            if blankRun && !lines.isEmpty { lines.append("") }
            blankRun = false
            lines.append(trimmed)
        }
        return lines.joined(separator: "\n").trimmingWhitespace()
    }
}
