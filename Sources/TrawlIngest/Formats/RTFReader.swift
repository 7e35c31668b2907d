/// Reads Rich Text Format (`.rtf`) tolerantly: the text of the body and its footnotes, the title,
/// author, keywords and creation time of the `\info` group.
///
/// Groups, control words and control symbols are followed as far as the text needs them:
/// `\'hh` bytes decode in the code page in force (`\ansicpg`, or the `\fcharset` of the font
/// chosen with `\f`; Windows-1250 to 1254 and 1257, else Windows-1252), `\uN` is a Unicode
/// character (surrogate pairs joined) followed by `\ucN` fallback characters that are skipped.
/// Font, colour, style and list tables, pictures, objects, headers and footers, field
/// instructions and every `{\* …}` destination are skipped, and `\binN` skips its N bytes. A file
/// cut short yields what was read; groups nested deeper than `depthLimit` end the read there.
enum RTFReader {
    /// Deeper nesting is refused (a few levels are normal), so a file of `{` costs no memory.
    static let depthLimit = 1_000

    static func extract(_ bytes: [UInt8], context: ExtractionContext) -> Extraction {
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        while start < bytes.count && (bytes[start] == 0x20 || bytes[start] == 0x0A || bytes[start] == 0x0D) {
            start += 1
        }
        guard bytes[start...].starts(with: Array("{\\rtf".utf8)) else {
            return .skipped("not an RTF file (it does not start with {\\rtf)")
        }
        var parser = Parser(bytes: bytes, start: start)
        parser.run()
        var extraction = Extraction()
        extraction.warnings = parser.warnings
        let paragraphs = (parser.body.split(separator: "\n") + parser.notes.map { $0[...] })
            .map { line in
                // A table row ends with its last `\cell`: no empty cell after it.
                var text = OfficeText.collapsed(String(line))
                while text.hasSuffix(" |") || text == "|" {
                    text = OfficeText.collapsed(String(text.dropLast()))
                }
                return text
            }
            .filter { !$0.isEmpty }
        var title = OfficeText.collapsed(parser.title)
        var body = paragraphs[...]
        if title.isEmpty, let first = body.first {
            title = first
            body = body.dropFirst()
        } else if let first = body.first, first.lowercased() == title.lowercased() {
            body = body.dropFirst()
        }
        guard !title.isEmpty || !body.isEmpty else { return .skipped("no text found") }
        var document = ExtractedDocument(title: title, body: body.joined(separator: "\n\n"))
        document.metadata.author = OfficeText.collapsed(parser.author)
        var tags: [String] = []
        for tag in parser.keywords.split(whereSeparator: { $0 == "," || $0 == ";" }) {
            let trimmed = tag.trimmingWhitespace()
            if !trimmed.isEmpty && !tags.contains(trimmed) { tags.append(trimmed) }
        }
        document.metadata.tags = tags
        if let date = parser.created.date ?? parser.revised.date {
            document.date = date
            document.metadata.dateSource = .metadata
        }
        extraction.documents = [document]
        return extraction
    }

    /// Where the text of a group goes.
    enum Destination {
        case body, footnote, title, author, keywords, created, revised, fontTable, info, skipped
    }

    /// `\creatim` / `\revtim`: `\yr2025\mo11\dy17\hr9\min30`.
    struct Time {
        var year = 0, month = 0, day = 0, hour = 0, minute = 0

        var date: Double? {
            guard year > 0, (1...12).contains(month), (1...31).contains(day) else { return nil }
            func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
            return DateParsing.parse(
                "\(year)-\(two(month))-\(two(day))T\(two(min(hour, 23))):\(two(min(minute, 59))):00Z")
        }
    }

    struct Group {
        var destination = Destination.body
        var unicodeSkip = 1
        var codePage = 1252
    }

    /// Control words that start a destination whose text is not the document's.
    static let skippedDestinations: Set<String> = [
        "colortbl", "stylesheet", "pict", "object", "header", "headerl", "headerr", "headerf", "footer",
        "footerl", "footerr", "footerf", "listtable", "listoverridetable", "rsidtbl", "generator",
        "xmlnstbl", "themedata", "colorschememapping", "datastore", "latentstyles", "filetbl", "revtbl",
        "fldinst", "pgdsctbl", "operator", "company", "subject", "doccomm", "comment", "bkmkstart",
        "bkmkend", "shppict", "nonshppict", "shpinst", "template", "userprops", "docvar", "pntext",
        "pntxtb", "pntxta", "listtext", "printim", "buptim", "manager", "category", "hlinkbase", "atnid",
        "atnauthor", "annotation", "private", "xe", "tc", "txe", "blipuid", "mmathPr", "protusertbl",
    ]

    struct Parser {
        let bytes: [UInt8]
        var index: Int
        var stack: [Group] = []
        var group = Group()
        var defaultCodePage = 1252
        var fontCodePages: [Int: Int] = [:]
        var fontBeingDefined = 0
        var skipRemaining = 0
        var highSurrogate: UInt16?
        var body = ""
        var note = ""
        var notes: [String] = []
        var title = ""
        var author = ""
        var keywords = ""
        var created = Time()
        var revised = Time()
        var warnings: [String] = []
        private var warnedCodePages: Set<Int> = []

        init(bytes: [UInt8], start: Int) {
            self.bytes = bytes
            index = start
        }

        mutating func run() {
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "{"):
                    guard stack.count < RTFReader.depthLimit else {
                        warnings.append(
                            "groups nested deeper than \(RTFReader.depthLimit); the rest is not read")
                        return
                    }
                    stack.append(group)
                    skipRemaining = 0
                case UInt8(ascii: "}"):
                    guard let parent = stack.popLast() else { return }
                    if group.destination == .footnote && parent.destination != .footnote {
                        if !note.isEmpty { notes.append(note) }
                        note = ""
                    }
                    group = parent
                    skipRemaining = 0
                case UInt8(ascii: "\\"): controlSequence()
                case 0x0A, 0x0D: break
                default:
                    if skipRemaining > 0 {
                        skipRemaining -= 1
                    } else {
                        emitByte(byte)
                    }
                }
            }
        }

        private mutating func controlSequence() {
            guard index < bytes.count else { return }
            let next = bytes[index]
            index += 1
            switch next {
            case UInt8(ascii: "\\"), UInt8(ascii: "{"), UInt8(ascii: "}"):
                if skipRemaining > 0 { skipRemaining -= 1 } else { emit(Unicode.Scalar(next)) }
            case UInt8(ascii: "'"):
                guard index + 2 <= bytes.count,
                    let value = UInt8(String(decoding: bytes[index..<(index + 2)], as: UTF8.self), radix: 16)
                else { return }
                index += 2
                if skipRemaining > 0 { skipRemaining -= 1 } else { emitByte(value) }
            case UInt8(ascii: "*"):
                group.destination = .skipped
            case UInt8(ascii: "~"): emit(" ")
            case UInt8(ascii: "_"): emit("-")
            case 0x0A, 0x0D: emit("\n" as Unicode.Scalar)
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                let wordStart = index - 1
                while index < bytes.count && index - wordStart < 32 && ASCII.isLetter(bytes[index]) {
                    index += 1
                }
                let word = String(decoding: bytes[wordStart..<index], as: UTF8.self)
                var parameter: Int?
                let numberStart = index
                if index < bytes.count && bytes[index] == UInt8(ascii: "-") { index += 1 }
                while index < bytes.count && index - numberStart < 11 && ASCII.isDigit(bytes[index]) {
                    index += 1
                }
                if index > numberStart {
                    parameter = Int(String(decoding: bytes[numberStart..<index], as: UTF8.self))
                    if parameter == nil { index = numberStart }
                }
                if index < bytes.count && bytes[index] == UInt8(ascii: " ") { index += 1 }
                controlWord(word, parameter)
            default: break
            }
        }

        private mutating func controlWord(_ word: String, _ parameter: Int?) {
            if word != "u" && skipRemaining > 0 {
                skipRemaining -= 1
                return
            }
            switch word {
            case "par", "line", "sect", "page", "row": emit("\n" as Unicode.Scalar)
            case "tab", "emspace", "enspace", "qmspace": emit(" ")
            case "cell", "nestcell": emit(" | ")
            case "emdash": emit("\u{2014}")
            case "endash": emit("\u{2013}")
            case "lquote": emit("\u{2018}")
            case "rquote": emit("\u{2019}")
            case "ldblquote": emit("\u{201C}")
            case "rdblquote": emit("\u{201D}")
            case "bullet": emit("\u{2022}")
            case "u":
                guard let parameter else { return }
                let unit = UInt16(truncatingIfNeeded: parameter < 0 ? parameter + 65_536 : parameter)
                emitUTF16(unit)
                skipRemaining = group.unicodeSkip
            case "uc": group.unicodeSkip = max(0, min(parameter ?? 1, 8))
            case "ansicpg":
                if let parameter {
                    defaultCodePage = parameter
                    group.codePage = parameter
                }
            case "ansi": defaultCodePage = 1252
            case "mac", "pc", "pca":
                let codePage = word == "mac" ? 10_000 : word == "pc" ? 437 : 850
                defaultCodePage = codePage
                group.codePage = codePage
            case "fonttbl": group.destination = .fontTable
            case "f":
                if group.destination == .fontTable {
                    fontBeingDefined = parameter ?? 0
                } else {
                    group.codePage = fontCodePages[parameter ?? 0] ?? defaultCodePage
                }
            case "fcharset":
                if group.destination == .fontTable,
                    let codePage = CodePages.codePage(forCharset: parameter ?? 0)
                {
                    fontCodePages[fontBeingDefined] = codePage
                }
            case "info": group.destination = .info
            case "title": group.destination = .title
            case "author": group.destination = .author
            case "keywords": group.destination = .keywords
            case "creatim": group.destination = .created
            case "revtim": group.destination = .revised
            case "yr", "mo", "dy", "hr", "min": setTime(word, parameter ?? 0)
            case "footnote": group.destination = .footnote
            case "bin":
                index = min(bytes.count, index + max(0, parameter ?? 0))
            default:
                if RTFReader.skippedDestinations.contains(word) { group.destination = .skipped }
            }
        }

        private mutating func setTime(_ word: String, _ value: Int) {
            func set(_ time: inout Time) {
                switch word {
                case "yr": time.year = value
                case "mo": time.month = value
                case "dy": time.day = value
                case "hr": time.hour = value
                default: time.minute = value
                }
            }
            if group.destination == .created { set(&created) }
            if group.destination == .revised { set(&revised) }
        }

        private mutating func emitByte(_ byte: UInt8) {
            guard byte >= 0x80 else {
                emit(Unicode.Scalar(byte))
                return
            }
            let codePage = group.codePage
            let table = CodePages.upperHalf(codePage) ?? CodePages.upperHalf(1252)!
            if CodePages.upperHalf(codePage) == nil && !warnedCodePages.contains(codePage) {
                warnedCodePages.insert(codePage)
                warnings.append(
                    "code page \(codePage) is not known; its characters were read as Windows-1252")
            }
            emit(Unicode.Scalar(table[Int(byte) - 0x80]) ?? "\u{FFFD}")
        }

        private mutating func emitUTF16(_ unit: UInt16) {
            if UTF16.isLeadSurrogate(unit) {
                highSurrogate = unit
                return
            }
            if UTF16.isTrailSurrogate(unit), let high = highSurrogate {
                highSurrogate = nil
                let value = 0x10000 + (UInt32(high - 0xD800) << 10) + UInt32(unit - 0xDC00)
                emit(Unicode.Scalar(value) ?? "\u{FFFD}")
                return
            }
            highSurrogate = nil
            emit(Unicode.Scalar(unit) ?? "\u{FFFD}")
        }

        private mutating func emit(_ text: String) {
            for scalar in text.unicodeScalars { emit(scalar) }
        }

        private mutating func emit(_ scalar: Unicode.Scalar) {
            switch group.destination {
            case .body: body.unicodeScalars.append(scalar)
            case .footnote: note.unicodeScalars.append(scalar)
            case .title: title.unicodeScalars.append(scalar)
            case .author: author.unicodeScalars.append(scalar)
            case .keywords: keywords.unicodeScalars.append(scalar)
            case .created, .revised, .fontTable, .info, .skipped: break
            }
        }
    }
}
