/// Reads OpenDocument text (`.odt`): paragraphs, headings, lists, tables, frames and notes from
/// `content.xml`; title, author, date, keywords and language from `meta.xml`.
///
/// A note's citation (its number) is not text, its body is read as a note after the body;
/// annotations (comments) and the deleted text kept by tracked changes are not read.
enum OpenDocumentReader {
    static func extract(_ bytes: [UInt8], context: ExtractionContext) -> Extraction {
        switch OfficeArchive.open(bytes, kind: "OpenDocument") {
        case .failure(let refusal): return .skipped(refusal.reason)
        case .success(let archive):
            do throws(ZIPArchive.Problem) {
                guard let content = try archive.contents(of: "content.xml", limit: WordReader.partLimit)
                else {
                    return .skipped("not an OpenDocument file (the archive has no content.xml)")
                }
                var text = OfficeText()
                read(content, into: &text)
                return text.extraction(
                    properties: try archive.contents(of: "meta.xml", limit: WordReader.partLimit),
                    author: ["initial-creator", "creator"], date: ["creation-date", "date"],
                    keywords: "keyword")
            } catch {
                return .skipped("cannot read it: \(error)")
            }
        }
    }

    /// Scans `content.xml` into `text`.
    static func read(_ bytes: [UInt8], into text: inout OfficeText) {
        var depth = 0
        var skipUntilDepth = 0
        XMLScanner.scan(bytes) { event in
            switch event {
            case .start(let name, let attributes):
                depth += 1
                guard skipUntilDepth == 0 else { return }
                switch name {
                case "text:p":
                    text.startParagraph()
                    let style = (attributes["text:style-name"] ?? "").lowercased()
                    if style == "title" || style.hasPrefix("heading") { text.markHeading() }
                case "text:h": text.startParagraph(isHeading: true)
                case "text:s":
                    let count = min(Int(attributes["text:c"] ?? "1") ?? 1, 64)
                    text.append(String(repeating: " ", count: max(count, 1)))
                case "text:tab": text.append(" ")
                case "text:line-break": text.append("\n")
                case "table:table-row": text.startRow()
                case "table:table-cell", "table:covered-table-cell": text.startCell()
                case "text:note": text.startNote()
                case "text:note-citation", "office:annotation", "text:tracked-changes",
                    "office:automatic-styles",
                    "office:font-face-decls", "svg:title", "svg:desc":
                    skipUntilDepth = depth
                default: break
                }
            case .text(let piece):
                if skipUntilDepth == 0 && text.inParagraph { text.append(piece) }
            case .end(let name):
                defer { depth -= 1 }
                if skipUntilDepth != 0 {
                    if depth == skipUntilDepth { skipUntilDepth = 0 }
                    return
                }
                switch name {
                case "text:p", "text:h": text.endParagraph()
                case "table:table-row": text.endRow()
                case "table:table-cell", "table:covered-table-cell": text.endCell()
                case "text:note": text.endNote()
                default: break
                }
            }
        }
    }
}
