/// Reads Word documents (`.docx`, Office Open XML): paragraphs, headings, tables, text boxes,
/// footnotes and endnotes from `word/document.xml`, `word/footnotes.xml` and `word/endnotes.xml`;
/// title, author, date and keywords from `docProps/core.xml`.
///
/// Deleted text of tracked changes (`w:delText`) and field instructions (`w:instrText`) are not
/// text; of an `mc:AlternateContent` only the first choice is read, so a text box is not read
/// twice. A password-protected `.docx` is not a ZIP archive but an OLE compound file holding the
/// encrypted package: it is skipped as "password-protected".
enum WordReader {
    /// The most one part of a document may inflate to (a zip bomb costs no more than this).
    static let partLimit = 64 * 1024 * 1024

    static func extract(_ bytes: [UInt8], context: ExtractionContext) -> Extraction {
        switch OfficeArchive.open(bytes, kind: "Word") {
        case .failure(let refusal): return .skipped(refusal.reason)
        case .success(let archive):
            do throws(ZIPArchive.Problem) {
                guard let main = try archive.contents(of: "word/document.xml", limit: partLimit) else {
                    return .skipped("not a Word document (the archive has no word/document.xml)")
                }
                var text = OfficeText()
                read(main, into: &text)
                for part in ["word/footnotes.xml", "word/endnotes.xml"] {
                    if let notes = try archive.contents(of: part, limit: partLimit) {
                        read(notes, into: &text)
                    }
                }
                return text.extraction(
                    properties: try archive.contents(of: "docProps/core.xml", limit: partLimit),
                    author: ["creator", "lastModifiedBy"], date: ["created", "modified"], keywords: "keywords"
                )
            } catch {
                return .skipped("cannot read it: \(error)")
            }
        }
    }

    /// Scans one part (the document, its footnotes or endnotes) into `text`.
    static func read(_ bytes: [UInt8], into text: inout OfficeText) {
        var depth = 0
        // While above zero, events are ignored until the element opened at this depth ends.
        var skipUntilDepth = 0
        var inRun = 0
        var inText = false
        XMLScanner.scan(bytes) { event in
            switch event {
            case .start(let name, let attributes):
                depth += 1
                guard skipUntilDepth == 0 else { return }
                switch XMLScanner.localName(name) {
                case "p": text.startParagraph()
                case "pStyle":
                    let style = (attributes["w:val"] ?? "").lowercased()
                    if style.hasPrefix("heading") || style == "title" { text.markHeading() }
                case "outlineLvl": text.markHeading()
                case "r": inRun += 1
                case "t": inText = true
                case "tab", "ptab": if inRun > 0 { text.append(" ") }
                case "br", "cr": if inRun > 0 { text.append("\n") }
                case "noBreakHyphen": text.append("-")
                case "tr": text.startRow()
                case "tc": text.startCell()
                case "footnote", "endnote":
                    if let type = attributes["w:type"], type != "normal" {
                        skipUntilDepth = depth
                    } else {
                        text.startNote()
                    }
                case "Fallback": skipUntilDepth = depth
                default: break
                }
            case .text(let piece):
                if skipUntilDepth == 0 && inText { text.append(piece) }
            case .end(let name):
                defer { depth -= 1 }
                if skipUntilDepth != 0 {
                    if depth == skipUntilDepth { skipUntilDepth = 0 }
                    return
                }
                switch XMLScanner.localName(name) {
                case "p": text.endParagraph()
                case "r": inRun -= 1
                case "t": inText = false
                case "tr": text.endRow()
                case "tc": text.endCell()
                case "footnote", "endnote": text.endNote()
                default: break
                }
            }
        }
    }
}

/// Opens the ZIP archive of an office document, telling a password-protected file (an OLE
/// compound file holding an encrypted package) and a damaged one apart.
enum OfficeArchive {
    /// The first bytes of an OLE compound file (CFB).
    static let compoundFileMagic: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    struct Refusal: Error {
        var reason: String
    }

    static func open(_ bytes: [UInt8], kind: String) -> Result<ZIPArchive, Refusal> {
        if bytes.starts(with: compoundFileMagic) {
            // An encrypted OOXML package names its streams EncryptionInfo and EncryptedPackage
            // (UTF-16LE directory entries); any other compound file is an old binary document.
            let marker = Array("EncryptedPackage".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
            if contains(bytes, marker) {
                return .failure(Refusal(reason: "password-protected (encrypted \(kind) document); not read"))
            }
            return .failure(
                Refusal(
                    reason: "an old binary Office document (OLE compound file), not \(kind) XML; not read"))
        }
        do throws(ZIPArchive.Problem) {
            let archive = try ZIPArchive(bytes)
            // OpenDocument's own encryption keeps the ZIP but encrypts the parts (manifest says so).
            if let manifest = try? archive.contents(of: "META-INF/manifest.xml", limit: WordReader.partLimit),
                contains(manifest, Array("encryption-data".utf8))
            {
                return .failure(Refusal(reason: "password-protected (encrypted \(kind) document); not read"))
            }
            return .success(archive)
        } catch {
            return .failure(Refusal(reason: "cannot read it: \(error)"))
        }
    }

    private static func contains(_ bytes: [UInt8], _ marker: [UInt8]) -> Bool {
        guard let first = marker.first, bytes.count >= marker.count else { return false }
        var index = 0
        let last = bytes.count - marker.count
        while index <= last {
            if bytes[index] == first && bytes[index..<(index + marker.count)].elementsEqual(marker) {
                return true
            }
            index += 1
        }
        return false
    }
}
