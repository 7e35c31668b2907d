import Foundation
import TrawlIndex

/// Reads JSON and JSON Lines files of records (articles, feed items, exports): one document per
/// record, its fields found through `ExtractionContext.recordFields`.
///
/// Parsing uses Foundation's `JSONSerialization`: it is fast on this toolchain, gives objects as
/// dictionaries that the field lists look up directly, keeps big integer ids exact (as `NSNumber`,
/// where a `Double`-based `JSONValue` would round them) and its errors say where the input broke.
enum JSONRecordReader {
    /// The file's records as documents; the format (`.json`, `.jsonl`, `.ndjson`) comes from the
    /// extension of `context.path`.
    static func extract(_ bytes: [UInt8], context: ExtractionContext) -> Extraction {
        let name = (context.path as NSString).lastPathComponent.lowercased()
        var reader = RecordCollector(fields: FieldLookup(context.recordFields))
        if name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson") {
            readLines(bytes, into: &reader)
            if reader.documents.isEmpty {
                reader.finish()
                let reason = reader.sawValidLine ? "no record has a title or text" : "no line is valid JSON"
                return Extraction(warnings: reader.warnings, skipReason: reason)
            }
        } else {
            let value: Any
            do {
                value = try JSONSerialization.jsonObject(
                    with: Data(skippingBOM(bytes)), options: [.fragmentsAllowed])
            } catch {
                return .skipped("not valid JSON (\(parserMessage(error)))")
            }
            if !(value is [Any]) && !(value is [String: Any]) {
                return .skipped("the file holds a single \(kind(of: value)), not records")
            }
            readDocument(value, into: &reader)
            if reader.documents.isEmpty {
                reader.finish()
                return Extraction(warnings: reader.warnings, skipReason: "no record has a title or text")
            }
        }
        reader.finish()
        let documents = reader.takeDocumentsWithKeys()
        return Extraction(documents: documents, warnings: reader.warnings)
    }

    /// One JSON value per non-blank line; a bad line is reported and the rest still read.
    private static func readLines(_ bytes: [UInt8], into reader: inout RecordCollector) {
        let content = skippingBOM(bytes)
        var lineStart = content.startIndex
        var lineNumber = 0
        var recordNumber = 0
        while lineStart < content.endIndex {
            let lineEnd = content[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? content.endIndex
            lineNumber += 1
            let line = content[lineStart..<lineEnd]
            lineStart = lineEnd + 1
            guard line.contains(where: { !isJSONWhitespace($0) }) else { continue }
            recordNumber += 1
            let place = RecordPlace(number: recordNumber, line: lineNumber)
            do {
                let value = try JSONSerialization.jsonObject(with: Data(line), options: [.fragmentsAllowed])
                reader.sawValidLine = true
                reader.add(value, at: place)
            } catch {
                reader.warn("\(place) is not valid JSON (\(parserMessage(error))); skipped")
            }
        }
    }

    /// A `.json` file: an array of records, an object holding one, or a single record (then the
    /// document's `record` is empty).
    private static func readDocument(_ value: Any, into reader: inout RecordCollector) {
        if let array = value as? [Any] {
            for (index, element) in array.enumerated() {
                reader.add(element, at: RecordPlace(number: index + 1, line: nil))
            }
        } else if let object = value as? [String: Any] {
            if !reader.fields.looksLikeRecord(object), let records = recordArray(in: object) {
                for (index, element) in records.enumerated() {
                    reader.add(element, at: RecordPlace(number: index + 1, line: nil))
                }
            } else {
                reader.addWholeFile(object)
            }
        }
    }

    /// Names that usually hold a file's records, tried first.
    private static let recordArrayNames = [
        "articles", "items", "entries", "records", "documents", "docs", "posts", "stories", "results", "data",
        "hits", "news", "messages",
    ]

    /// The array of objects an object holds, directly or one level deep (`{"feed": {"entries": [...]}}`).
    ///
    /// Dictionaries do not keep the file's key order, so "the first" is chosen deterministically:
    /// well-known names first (`articles`, `items`, `entries`, ...), then other keys alphabetically.
    private static func recordArray(in object: [String: Any]) -> [Any]? {
        func arrayOfObjects(_ value: Any?) -> [Any]? {
            guard let array = value as? [Any], array.contains(where: { $0 is [String: Any] }) else {
                return nil
            }
            return array
        }
        func orderedKeys(_ object: [String: Any]) -> [String] {
            let lowered = Dictionary(
                object.keys.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
            let known = recordArrayNames.compactMap { lowered[$0] }
            return known + object.keys.sorted().filter { !known.contains($0) }
        }
        let keys = orderedKeys(object)
        for key in keys { if let array = arrayOfObjects(object[key]) { return array } }
        for key in keys {
            guard let inner = object[key] as? [String: Any] else { continue }
            for innerKey in orderedKeys(inner) {
                if let array = arrayOfObjects(inner[innerKey]) { return array }
            }
        }
        return nil
    }

    private static func skippingBOM(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
        bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes[3...] : bytes[...]
    }

    private static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// The parser's own explanation ("Unexpected end of file during JSON parse.") without the final dot.
    private static func parserMessage(_ error: Error) -> String {
        let detail =
            (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? error.localizedDescription
        var message = detail.trimmingWhitespace()
        if message.hasSuffix(".") { message.removeLast() }
        return message
    }

    fileprivate static func kind(of value: Any) -> String {
        switch value {
        case is [Any]: "list"
        case is [String: Any]: "object"
        case is String: "string"
        case is NSNull: "null"
        default: "number"
        }
    }
}

/// Where a record is in its file: "record 4 (line 4)" or "record 4".
private struct RecordPlace: CustomStringConvertible {
    var number: Int
    var line: Int?

    var description: String { line.map { "record \(number) (line \($0))" } ?? "record \(number)" }
    /// The key used when the record has no id: its line in JSON Lines, its position in an array.
    var fallbackKey: String { String(line ?? number) }
}

/// Collects a file's documents and warnings, then gives each document its key.
private struct RecordCollector {
    let fields: FieldLookup
    var sawValidLine = false
    var documents: [ExtractedDocument] = []
    var warnings: [String] = []
    /// Each document's id (nil when it has none) and position key, in `documents` order.
    private var keys: [(id: String?, fallback: String)] = []
    private var suppressedWarnings = 0

    /// Beyond this many, warnings are counted and summed up in one sentence.
    static let warningLimit = 20

    init(fields: FieldLookup) { self.fields = fields }

    mutating func warn(_ sentence: String) {
        if warnings.count < Self.warningLimit {
            warnings.append(sentence)
        } else {
            suppressedWarnings += 1
        }
    }

    mutating func finish() {
        if suppressedWarnings > 0 {
            warnings.append("\(suppressedWarnings) more records had problems and were skipped")
            suppressedWarnings = 0
        }
    }

    mutating func add(_ value: Any, at place: RecordPlace) {
        guard let object = value as? [String: Any] else {
            warn("\(place) is a \(JSONRecordReader.kind(of: value)), not an object; skipped")
            return
        }
        guard let document = fields.document(from: object) else {
            warn("\(place) has no title or text; skipped")
            return
        }
        documents.append(document)
        keys.append((fields.id(in: object), place.fallbackKey))
    }

    mutating func addWholeFile(_ object: [String: Any]) {
        guard let document = fields.document(from: object) else { return }
        documents.append(document)
        keys.append((nil, ""))
    }

    /// The documents with their `record` keys: ids, else positions; a key seen before gets "-2",
    /// "-3", ... (skipping keys other records hold). The keys are set in place and the documents
    /// handed over, not copied: a file may hold hundreds of thousands of records.
    mutating func takeDocumentsWithKeys() -> [ExtractedDocument] {
        var result: [ExtractedDocument] = []
        swap(&result, &documents)
        if keys.count == 1 && keys[0].fallback.isEmpty { return result }
        var taken = Set<String>()
        var isFirstHolder = [Bool](repeating: false, count: keys.count)
        for index in keys.indices {
            let base = keys[index].id ?? keys[index].fallback
            if taken.insert(base).inserted {
                isFirstHolder[index] = true
                result[index].record = base
            }
        }
        var nextSuffix: [String: Int] = [:]
        for index in keys.indices where !isFirstHolder[index] {
            let base = keys[index].id ?? keys[index].fallback
            var suffix = nextSuffix[base, default: 2]
            while taken.contains("\(base)-\(suffix)") { suffix += 1 }
            let key = "\(base)-\(suffix)"
            taken.insert(key)
            nextSuffix[base] = suffix + 1
            result[index].record = key
        }
        return result
    }
}

/// Finds a record's fields by the configured key lists, without regard to case.
private struct FieldLookup {
    let names: RecordFields

    init(_ names: RecordFields) { self.names = names }

    /// The value of the first key in `candidates` the object has.
    private func value(_ candidates: [String], in object: [String: Any]) -> Any? {
        for candidate in candidates {
            if let exact = object[candidate], !(exact is NSNull) { return exact }
        }
        // Case-insensitive fallback, in the same order of preference.
        let lowered = Dictionary(
            object.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        for candidate in candidates {
            if let found = lowered[candidate.lowercased()], !(found is NSNull) { return found }
        }
        return nil
    }

    /// Whether the object is itself a record: it has a title or a body that is text.
    func looksLikeRecord(_ object: [String: Any]) -> Bool {
        let title = value(names.title, in: object)
        let body = value(names.body, in: object)
        return title is String || body is String || (body as? [Any])?.first is String
    }

    func id(in object: [String: Any]) -> String? {
        guard let raw = value(names.id, in: object).flatMap(scalarText) else { return nil }
        var key = ""
        key.unicodeScalars.append(
            contentsOf: raw.unicodeScalars.map { $0 == "#" || $0 == "\n" || $0 == "\r" ? "-" : $0 })
        return key.isEmpty ? nil : key
    }

    /// The record as a document, or nil when it has neither title nor text.
    func document(from object: [String: Any]) -> ExtractedDocument? {
        var title = value(names.title, in: object).flatMap(scalarText).map(TextCleaning.plainText) ?? ""
        var body = value(names.body, in: object).map(bodyText) ?? ""
        if title.isEmpty {
            // The first line of the text stands in for a missing title, and is not repeated.
            let lines = body.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: true)
            title = lines.first.map { $0.trimmingWhitespace() } ?? ""
            body = lines.count > 1 ? lines[1].trimmingWhitespace() : ""
        }
        guard !title.isEmpty || !body.isEmpty else { return nil }
        var document = ExtractedDocument(title: title, body: body)
        if let date = value(names.date, in: object).flatMap(dateValue) {
            document.date = date
            document.metadata.dateSource = .metadata
        }
        document.metadata.url = value(names.url, in: object).flatMap(scalarText) ?? ""
        document.metadata.author =
            value(names.author, in: object).map(nameList)?.joined(separator: ", ") ?? ""
        document.metadata.source = value(names.source, in: object).map(nameList)?.first ?? ""
        document.metadata.tags = value(names.tags, in: object).map(tagList) ?? []
        if let language = value(names.language, in: object).flatMap(scalarText) {
            document.metadata.language =
                String(language.split(whereSeparator: { $0 == "-" || $0 == "_" }).first ?? "").lowercased()
        }
        return document
    }

    /// A string trimmed, or a number written out; nil for lists, objects and null.
    private func scalarText(_ value: Any) -> String? {
        if let text = value as? String { return text.trimmingWhitespace() }
        guard let number = value as? NSNumber else { return nil }
        if let integer = number as? Int64 { return String(integer) }
        return number.stringValue
    }

    /// A body: text, or a list of paragraphs joined by blank lines; HTML becomes text.
    private func bodyText(_ value: Any) -> String {
        let raw: String
        if let paragraphs = value as? [Any] {
            raw = paragraphs.compactMap(scalarText).filter { !$0.isEmpty }.joined(separator: "\n\n")
        } else {
            raw = scalarText(value) ?? ""
        }
        return TextCleaning.plainText(raw)
    }

    /// Names from a string, a list of strings, an object with a `name`, or a list of those.
    private func nameList(_ value: Any) -> [String] {
        let items = value as? [Any] ?? [value]
        return items.compactMap { item -> String? in
            if let object = item as? [String: Any] {
                return self.value(["name", "title", "label"], in: object).flatMap(scalarText)
            }
            return scalarText(item)
        }.filter { !$0.isEmpty }
    }

    /// Tags from a list (of strings or of objects with a `name`) or a comma-separated string.
    private func tagList(_ value: Any) -> [String] {
        var tags: [String]
        if let text = value as? String {
            tags = text.split(separator: ",").map { $0.trimmingWhitespace() }
        } else {
            tags = nameList(value)
        }
        var seen = Set<String>()
        tags = tags.filter { !$0.isEmpty && seen.insert($0).inserted }
        return tags
    }

    /// A date string, or epoch seconds (milliseconds when larger than 1e11).
    private func dateValue(_ value: Any) -> Double? {
        if let text = value as? String {
            if let parsed = DateParsing.parse(text) { return parsed }
            guard let number = Double(text.trimmingWhitespace()) else { return nil }
            return epochSeconds(number)
        }
        guard let number = value as? NSNumber else { return nil }
        return epochSeconds(number.doubleValue)
    }

    /// Seconds since 1970; values below a million (mid-January 1970, or a boolean) are not dates.
    private func epochSeconds(_ number: Double) -> Double? {
        guard number.isFinite, number >= 1e6 else { return nil }
        return number > 1e11 ? number / 1000 : number
    }
}

/// Turns record text into plain text: HTML tags removed, character references decoded, lines
/// trimmed and runs of blank lines collapsed to one.
private enum TextCleaning {
    static func plainText(_ text: String) -> String {
        let html = text.contains("<p>") || text.contains("<br") || text.contains("</") || text.contains("<P>")
        return collapsingBlankLines(html ? strippingHTML(text) : text)
    }

    /// HTML as the HTML reader sees it: visible text, block elements ending paragraphs, scripts
    /// and styles dropped, character references decoded.
    static func strippingHTML(_ text: String) -> String { HTMLReader.visibleText(of: text) }

    /// Lines trimmed, runs of blank lines collapsed to one, the whole trimmed.
    static func collapsingBlankLines(_ text: String) -> String {
        var lines: [String] = []
        var blank = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingWhitespace()
            if trimmed.isEmpty {
                blank = !lines.isEmpty
                continue
            }
            if blank { lines.append("") }
            blank = false
            lines.append(collapsingSpaces(trimmed))
        }
        return lines.joined(separator: "\n")
    }

    /// Runs of spaces (left by removed tags and line breaks) become one.
    private static func collapsingSpaces(_ line: String) -> String {
        guard line.contains("  ") else { return line }
        var out: [UInt8] = []
        for byte in line.utf8 where !(byte == 0x20 && out.last == 0x20) { out.append(byte) }
        return String(decoding: out, as: UTF8.self)
    }
}
