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
                return Extraction(
                    warnings: reader.warnings, skipReason: emptyReason(sawValidLine: reader.sawValidLine))
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
        var counter = LineCounter()
        while lineStart < content.endIndex {
            let lineEnd = content[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? content.endIndex
            let line = content[lineStart..<lineEnd]
            lineStart = lineEnd + 1
            guard let place = counter.place(of: line) else { continue }
            readLine(line, at: place, into: &reader)
        }
    }

    /// Parses one line of JSON Lines and adds its record (or a warning) to `reader`.
    fileprivate static func readLine(
        _ line: ArraySlice<UInt8>, at place: RecordPlace, into reader: inout RecordCollector
    ) {
        do {
            let value = try JSONSerialization.jsonObject(with: Data(line), options: [.fragmentsAllowed])
            reader.sawValidLine = true
            reader.add(value, at: place)
        } catch {
            reader.warn("\(place) is not valid JSON (\(parserMessage(error))); skipped")
        }
    }

    /// Why a JSON Lines file gave no document.
    fileprivate static func emptyReason(sawValidLine: Bool) -> String {
        sawValidLine ? "no record has a title or text" : "no line is valid JSON"
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
        let keys = orderedKeys(Array(object.keys))
        for key in keys { if let array = arrayOfObjects(object[key]) { return array } }
        for key in keys {
            guard let inner = object[key] as? [String: Any] else { continue }
            for innerKey in orderedKeys(Array(inner.keys)) {
                if let array = arrayOfObjects(inner[innerKey]) { return array }
            }
        }
        return nil
    }

    /// An object's keys in the order record arrays are looked for: well-known names first,
    /// then the others alphabetically.
    fileprivate static func orderedKeys(_ keys: [String]) -> [String] {
        let lowered = Dictionary(keys.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        let known = recordArrayNames.compactMap { lowered[$0] }
        return known + keys.sorted().filter { !known.contains($0) }
    }

    fileprivate static func skippingBOM(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
        bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes[3...] : bytes[...]
    }

    fileprivate static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// The parser's own explanation ("Unexpected end of file during JSON parse.") without the final dot.
    fileprivate static func parserMessage(_ error: Error) -> String {
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

/// Numbers the lines of a JSON Lines file and the records on them (blank lines hold none).
private struct LineCounter {
    private var line = 0
    /// How many non-blank lines were seen.
    private(set) var records = 0

    /// The place of the record on the next line; nil when the line is blank.
    mutating func place(of line: ArraySlice<UInt8>) -> RecordPlace? {
        self.line += 1
        guard line.contains(where: { !JSONRecordReader.isJSONWhitespace($0) }) else { return nil }
        records += 1
        return RecordPlace(number: records, line: self.line)
    }
}

/// Gives records their keys: the record's id, else its position; a key another record took first
/// gets "-2", "-3", ... skipping the keys other records hold. So the first record to hold a key
/// keeps it, and a later one is keyed only once every record's own key is known.
private struct RecordKeys {
    private var taken = Set<String>()
    private var nextSuffix: [String: Int] = [:]

    /// Takes `base` for the record that holds it first; false when a record took it before.
    mutating func claim(_ base: String) -> Bool { taken.insert(base).inserted }

    /// The key of a later holder of `base`; call only once every record has claimed its own key.
    mutating func laterKey(for base: String) -> String {
        var suffix = nextSuffix[base, default: 2]
        while taken.contains("\(base)-\(suffix)") { suffix += 1 }
        let key = "\(base)-\(suffix)"
        taken.insert(key)
        nextSuffix[base] = suffix + 1
        return key
    }
}

/// Collects a file's documents and warnings, then gives each document its key.
private struct RecordCollector {
    let fields: FieldLookup
    var sawValidLine = false
    var documents: [ExtractedDocument] = []
    var warnings: [String] = []
    /// Each document's key before duplicates are told apart (its id, else its position), in
    /// `documents` order.
    private(set) var bases: [String] = []
    /// Whether the only document is a whole file (a single JSON object), which has no key.
    private var isWholeFile = false
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
        bases.append(fields.id(in: object) ?? place.fallbackKey)
    }

    mutating func addWholeFile(_ object: [String: Any]) {
        guard let document = fields.document(from: object) else { return }
        documents.append(document)
        bases.append("")
        isWholeFile = true
    }

    /// The documents collected since the last call and the base key of each, handed over.
    mutating func takeDocuments() -> (documents: [ExtractedDocument], bases: [String]) {
        var taken: ([ExtractedDocument], [String]) = ([], [])
        swap(&taken.0, &documents)
        swap(&taken.1, &bases)
        return taken
    }

    /// The documents with their `record` keys (see `RecordKeys`). The keys are set in place and
    /// the documents handed over, not copied: a file may hold hundreds of thousands of records.
    mutating func takeDocumentsWithKeys() -> [ExtractedDocument] {
        var (result, bases) = takeDocuments()
        if isWholeFile { return result }
        var keys = RecordKeys()
        var isFirstHolder = [Bool](repeating: false, count: bases.count)
        for index in bases.indices where keys.claim(bases[index]) {
            isFirstHolder[index] = true
            result[index].record = bases[index]
        }
        for index in bases.indices where !isFirstHolder[index] {
            result[index].record = keys.laterKey(for: bases[index])
        }
        return result
    }
}

/// A file's records read a window at a time and handed on, keyed as `JSONRecordReader.extract`
/// keys them (`RecordKeys`), so memory holds one window's records rather than the file's.
protocol RecordStream {
    /// The next window's documents, keyed; nil when the file has been read (or `failure` is set).
    mutating func next() -> [ExtractedDocument]?
    /// What could not be read but was got past (bad records), once the stream has ended.
    var warnings: [String] { get }
    /// Why the file gave no document, once it has been read to the end with none; else nil.
    var emptyReason: String? { get }
    /// The error that stopped reading; the documents given so far stand, the rest were not read.
    var failure: FileSystemError? { get }
}

/// Keys a stream's records window by window: the first record to hold a key gets it at once; a
/// record whose key another took first is held back (by where it is) and keyed at the end.
private struct WindowKeys<Place> {
    private var keys = RecordKeys()
    /// Records whose key another record took first: where they are and their base key.
    private(set) var laterHolders: [(place: Place, base: String)] = []
    private(set) var documentCount = 0

    /// Keys the window's first holders and returns them in order; the others are held back.
    mutating func keyWindow(_ documents: [ExtractedDocument], bases: [String], places: [Place])
        -> [ExtractedDocument]
    {
        var documents = documents
        var kept = 0
        for index in documents.indices {
            if keys.claim(bases[index]) {
                documents[index].record = bases[index]
                documents.swapAt(kept, index)
                kept += 1
            } else {
                laterHolders.append((places[index], bases[index]))
            }
        }
        documents.removeLast(documents.count - kept)
        documentCount += kept
        return documents
    }

    /// Keys held-back records read again (in the order they were held back).
    mutating func keyLaterHolders(
        _ documents: [ExtractedDocument], bases: ArraySlice<(place: Place, base: String)>
    )
        -> [ExtractedDocument]
    {
        var documents = documents
        for (index, holder) in zip(documents.indices, bases) {
            documents[index].record = keys.laterKey(for: holder.base)
        }
        documentCount += documents.count
        return documents
    }
}

/// Reads a large JSON Lines file a window of lines at a time, so that memory holds one window's
/// records rather than the file's (a 48 MB file of small records is half a million documents).
///
/// Records come keyed as `JSONRecordReader.extract` keys them: the first record to hold a key
/// comes with its window; a record whose key another took first is held back by its place in
/// the file and read again, keyed, once every window has been read.
struct JSONLinesStream: RecordStream {
    /// How many bytes of lines are read at a time (a longer line is read whole).
    let windowSize: Int
    /// How many held-back records are read again at a time.
    let laterHoldersPerWindow: Int
    private(set) var emptyReason: String?
    private(set) var failure: FileSystemError?

    private let file: OpenedFile
    private var collector: RecordCollector
    private var keys = WindowKeys<LineLocation>()
    private var counter = LineCounter()
    /// Where the next window starts in the file.
    private var offset: Int64 = 0
    private var nextLaterHolder = 0

    /// Where a record's line is in the file.
    private struct LineLocation {
        var offset: Int64
        var length: Int
        var place: RecordPlace
    }

    /// A stream over `file` that reads `windowSize` bytes of lines (1 MiB) and `laterHoldersPerWindow`
    /// held-back records (2,000) at a time.
    init(
        file: OpenedFile, context: ExtractionContext, windowSize: Int = 1 << 20,
        laterHoldersPerWindow: Int = 2_000
    ) {
        self.file = file
        self.windowSize = max(windowSize, 1)
        self.laterHoldersPerWindow = max(laterHoldersPerWindow, 1)
        collector = RecordCollector(fields: FieldLookup(context.recordFields))
    }

    var warnings: [String] { collector.warnings }

    mutating func next() -> [ExtractedDocument]? {
        while failure == nil {
            if offset < file.status.size {
                let documents = readWindow()
                if !documents.isEmpty { return documents }
            } else if nextLaterHolder < keys.laterHolders.count {
                return readLaterHolders()
            } else {
                break
            }
        }
        collector.finish()
        if keys.documentCount == 0 && failure == nil {
            emptyReason =
                counter.records == 0
                ? "empty file" : JSONRecordReader.emptyReason(sawValidLine: collector.sawValidLine)
        }
        return nil
    }

    /// Reads the lines that end within the next window (a line longer than a window whole), and
    /// keys their records.
    private mutating func readWindow() -> [ExtractedDocument] {
        let start = offset
        var window: [UInt8] = []
        var lineEnd: Int?
        var endOfFile = false
        while lineEnd == nil && !endOfFile {
            let count = Int(min(Int64(windowSize), file.status.size - offset))
            switch file.bytes(at: offset, count: count) {
            case .failure(let error):
                failure = error
                return []
            case .success(let bytes):
                let searched = window.count
                window += bytes
                offset += Int64(bytes.count)
                // A file that shrank ends early; `isUnchanged()` tells the caller afterwards.
                endOfFile = bytes.count < count || offset >= file.status.size
                lineEnd = window[searched...].lastIndex(of: UInt8(ascii: "\n"))
            }
        }
        let end = endOfFile ? window.count : lineEnd! + 1
        // The part of a line that runs past the window is read again with the next one.
        offset = endOfFile ? file.status.size : start + Int64(end)
        var lineStart = start == 0 && window.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var locations: [LineLocation] = []
        while lineStart < end {
            let lineStop = window[lineStart..<end].firstIndex(of: UInt8(ascii: "\n")) ?? end
            let line = window[lineStart..<lineStop]
            if let place = counter.place(of: line) {
                let before = collector.bases.count
                JSONRecordReader.readLine(line, at: place, into: &collector)
                if collector.bases.count > before {
                    locations.append(
                        LineLocation(offset: start + Int64(lineStart), length: line.count, place: place))
                }
            }
            lineStart = lineStop + 1
        }
        let (documents, bases) = collector.takeDocuments()
        return keys.keyWindow(documents, bases: bases, places: locations)
    }

    /// Reads the next held-back records again and keys them, now that every record's own key
    /// is known.
    private mutating func readLaterHolders() -> [ExtractedDocument] {
        let all = keys.laterHolders
        let chunk = all[nextLaterHolder..<min(nextLaterHolder + laterHoldersPerWindow, all.count)]
        nextLaterHolder = chunk.endIndex
        for holder in chunk {
            switch file.bytes(at: holder.place.offset, count: holder.place.length) {
            case .failure(let error):
                failure = error
                return []
            case .success(let line):
                JSONRecordReader.readLine(line[...], at: holder.place.place, into: &collector)
            }
        }
        let (documents, _) = collector.takeDocuments()
        guard documents.count == chunk.count else {
            // The lines read differently the second time: the file was written to meanwhile.
            failure = FileSystemError(message: "changed while being read", kind: .changed)
            return []
        }
        return keys.keyLaterHolders(documents, bases: chunk)
    }
}

/// Reads the records of a large `.json` file (an array of records, or an object holding one)
/// one at a time (`JSONStructure`), a window of records at a time.
struct JSONRecordsStream: RecordStream {
    /// How a large `.json` file is to be read.
    enum Opening {
        /// Its records, one at a time.
        case records(JSONRecordsStream)
        /// Whole, as a small file is: a single record, a single value, or no record array.
        case wholeFile
        /// Not one JSON value; the reason says why.
        case invalid(String)
    }

    /// How many records are parsed at a time.
    static let recordsPerWindow = 2_000
    /// Members of a top-level object up to this size are parsed to tell whether the object is
    /// itself a record; larger ones only by their type.
    static let memberSizeLimit = 64 * 1024

    private(set) var emptyReason: String?
    private(set) var failure: FileSystemError?
    private let structure: JSONStructure
    private let records: [Range<Int>]
    private var collector: RecordCollector
    private var keys = WindowKeys<Int>()
    private var nextRecord = 0
    private var nextLaterHolder = 0

    private init(structure: JSONStructure, records: [Range<Int>], fields: FieldLookup) {
        self.structure = structure
        self.records = records
        collector = RecordCollector(fields: fields)
    }

    /// Finds the records of a `.json` file as `JSONRecordReader.extract` would: the top-level
    /// array, or the array of objects an object holds (well-known names first), unless the object
    /// is itself a record.
    static func open(_ bytes: [UInt8], context: ExtractionContext) -> Opening {
        let structure = JSONStructure(bytes: bytes)
        let fields = FieldLookup(context.recordFields)
        let top: Range<Int>
        switch structure.topValue() {
        case .failure(let error): return .invalid("not valid JSON (\(error.message))")
        case .success(let range): top = range
        }
        func stream(_ array: Range<Int>) -> Opening {
            .records(
                JSONRecordsStream(
                    structure: structure, records: structure.elements(ofArray: array), fields: fields))
        }
        switch structure.opening(top) {
        case UInt8(ascii: "["): return stream(top)
        case UInt8(ascii: "{"): break
        default: return .wholeFile
        }
        let members = structure.members(ofObject: top)
        if fields.looksLikeRecord(shallowObject(members, structure)) { return .wholeFile }
        func recordArray(_ members: [(key: String, value: Range<Int>)]) -> Range<Int>? {
            let byKey = Dictionary(
                members.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
            for key in JSONRecordReader.orderedKeys(Array(byKey.keys)) {
                let value = byKey[key]!
                if structure.opening(value) == UInt8(ascii: "["), structure.arrayHoldsObject(value) {
                    return value
                }
            }
            return nil
        }
        if let array = recordArray(members) { return stream(array) }
        let byKey = Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        for key in JSONRecordReader.orderedKeys(Array(byKey.keys)) {
            let value = byKey[key]!
            guard structure.opening(value) == UInt8(ascii: "{") else { continue }
            if let array = recordArray(structure.members(ofObject: value)) { return stream(array) }
        }
        return .wholeFile
    }

    /// The object's members as values, the large ones by their type only (a string, a list
    /// starting with a string, a list, an object): enough to tell whether it is a record.
    private static func shallowObject(
        _ members: [(key: String, value: Range<Int>)], _ structure: JSONStructure
    )
        -> [String: Any]
    {
        var object: [String: Any] = [:]
        for (key, range) in members where object[key] == nil {
            if range.count <= memberSizeLimit,
                let value = try? JSONSerialization.jsonObject(
                    with: Data(structure.bytes[range]), options: [.fragmentsAllowed])
            {
                object[key] = value
                continue
            }
            switch structure.opening(range) {
            case UInt8(ascii: "\""): object[key] = ""
            case UInt8(ascii: "["):
                let first = structure.skippingWhitespace(from: range.lowerBound + 1)
                object[key] = structure.bytes[first] == UInt8(ascii: "\"") ? [""] : [Any]()
            case UInt8(ascii: "{"): object[key] = [String: Any]()
            default: object[key] = NSNull()
            }
        }
        return object
    }

    var warnings: [String] { collector.warnings }

    mutating func next() -> [ExtractedDocument]? {
        while nextRecord < records.count {
            let window = nextRecord..<min(nextRecord + Self.recordsPerWindow, records.count)
            nextRecord = window.upperBound
            var places: [Int] = []
            for index in window {
                let before = collector.bases.count
                parse(index)
                if collector.bases.count > before { places.append(index) }
            }
            let (documents, bases) = collector.takeDocuments()
            let keyed = keys.keyWindow(documents, bases: bases, places: places)
            if !keyed.isEmpty { return keyed }
        }
        if nextLaterHolder < keys.laterHolders.count {
            let all = keys.laterHolders
            let chunk = all[nextLaterHolder..<min(nextLaterHolder + Self.recordsPerWindow, all.count)]
            nextLaterHolder = chunk.endIndex
            for holder in chunk { parse(holder.place) }
            return keys.keyLaterHolders(collector.takeDocuments().documents, bases: chunk)
        }
        collector.finish()
        if keys.documentCount == 0 { emptyReason = "no record has a title or text" }
        return nil
    }

    /// Parses the record at `index` into the collector (or a warning).
    private mutating func parse(_ index: Int) {
        let place = RecordPlace(number: index + 1, line: nil)
        do {
            let value = try JSONSerialization.jsonObject(
                with: Data(structure.bytes[records[index]]), options: [.fragmentsAllowed])
            collector.add(value, at: place)
        } catch {
            collector.warn("\(place) is not valid JSON (\(JSONRecordReader.parserMessage(error))); skipped")
        }
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
