import Dispatch
import Foundation
import TrawlIndex
import TrawlText

extension Ingester {
    /// What reading a file needs besides its path.
    struct ReadSettings: Sendable {
        /// Larger files are skipped.
        var limit: Int64
        var recordFields = RecordFields()
        /// The `pdftotext` executable, nil when it is not installed.
        var pdfToText: String?
        /// Where each read is noted before it starts and after it ends; nil in dry runs.
        var journal: ReadingJournal?
        /// Compute each document's near-duplicate signature (`ShingleSignature`).
        var signs = true
        /// The index's dictionary for bodies, nil while it has none.
        var dictionary: BodyDictionary?
    }

    /// Reads, decodes, extracts and compresses a group of files on all cores: one worker per core,
    /// each with its own compressor, taking every n-th file. Unless `compressing`, bodies are
    /// left for `compressBodies` (a dictionary is to be trained on them first).
    static func read(_ group: [ChangePlan.Candidate], settings: ReadSettings, compressing: Bool = true)
        -> [ReadResult]
    {
        let results = ResultSlots(count: group.count)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, group.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let compressor = compressing ? BodyCompressor(dictionary: settings.dictionary) : nil
            for index in stride(from: worker, to: group.count, by: workers) {
                settings.journal?.willRead(group[index].file, worker: worker)
                var result = Self.readDocuments(group[index].file, settings: settings)
                if case .documents(var records, let warnings) = result {
                    // Let go of the result's reference first, or compressing copies every record.
                    result = .vanished
                    for position in records.indices {
                        prepare(&records[position], compressor: compressor, settings: settings)
                    }
                    result = .documents(records, warnings: warnings)
                }
                settings.journal?.didRead(worker: worker)
                results.set(index, result)
            }
        }
        // No worker reads now: what the journal holds is finished.
        settings.journal?.clear()
        return results.values
    }

    /// Compresses the bodies of `results` (read without `compressing`) with `dictionary`, or
    /// with deflate when it is nil, on all cores.
    static func compressBodies(of results: [ReadResult], dictionary: BodyDictionary?) -> [ReadResult] {
        let compressed = ResultSlots(count: results.count)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, results.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let compressor = BodyCompressor(dictionary: dictionary)
            for index in stride(from: worker, to: results.count, by: workers) {
                guard case .documents(var records, let warnings) = results[index] else {
                    compressed.set(index, results[index])
                    continue
                }
                for position in records.indices { compressor.prepare(&records[position]) }
                compressed.set(index, .documents(records, warnings: warnings))
            }
        }
        return compressed.values
    }

    /// Does on the reading thread what writing `record` needs: its body compressed (unless
    /// `compressor` is nil) and, when `settings.signs`, its near-duplicate signature.
    static func prepare(_ record: inout DocumentRecord, compressor: BodyCompressor?, settings: ReadSettings) {
        compressor?.prepare(&record)
        if settings.signs { record.signature = ShingleSignature(text: record.body) }
    }

    /// Reads one file whole and turns what its format reader finds into documents
    /// (`documentRecord`).
    static func readDocuments(_ file: FoundFile, settings: ReadSettings) -> ReadResult {
        if file.format == .pdf && settings.pdfToText == nil { return .unconverted }
        let bytes: [UInt8]
        let status: FileStat
        // A binary file is refused from its first 8 KiB, before the whole of it is read.
        let sniff: ((UnsafeBufferPointer<UInt8>) -> Bool)? =
            file.format == .unlabeledText
            ? { opening in looksLikeText(opening) }
            : file.format.isBinary ? nil : { opening in !isBinary(opening) }
        switch FileSystem.contents(ofFile: file.path, limit: settings.limit, accepts: sniff) {
        case .failure(let error):
            switch error.kind {
            case .refused where file.format == .unlabeledText: return .notText
            // A large binary file without an extension is a type Trawl does not read, not a text
            // to let in with a higher --max-file-size.
            case .tooLarge where file.format == .unlabeledText && !opensAsText(file.path): return .notText
            default: return result(of: error)
            }
        case .success(let contents): (bytes, status) = contents
        }
        return documents(in: consume bytes, status: status, of: file, settings: settings)
    }

    /// What the format reader of `file` finds in its bytes, read whole with `status`, as
    /// documents (`documentRecord`).
    static func documents(
        in bytes: consuming [UInt8], status: FileStat, of file: FoundFile, settings: ReadSettings
    ) -> ReadResult {
        if isBlank(bytes) { return .skip("empty file") }
        if !file.format.isBinary && bytes.withUnsafeBufferPointer(isBinary) {
            return .skip("binary file (contains NUL bytes)")
        }
        let modified = Double(status.modificationTime) / 1e9
        let context = ExtractionContext(
            path: file.path, modificationTime: modified, recordFields: settings.recordFields,
            pdfToText: settings.pdfToText)
        let extraction = file.format.extract(bytes, context: context)
        if let reason = extraction.skipReason { return .skip(reason) }
        if extraction.documents.isEmpty {
            return .skip(extraction.warnings.first ?? "no text found")
        }
        let wholeFile = extraction.documents.count == 1 && extraction.documents[0].record.isEmpty
        let size = Int64(bytes.count)
        let fileHash = wholeFile ? ContentHash.of(bytes) : 0
        // Freed before the documents become records: a file of many records holds both otherwise.
        bytes = []
        let records = extraction.documents.map { document in
            documentRecord(
                document, file: file, size: size, status: status,
                contentHash: wholeFile ? fileHash : ContentHash.of(document))
        }
        return .documents(records, warnings: extraction.warnings)
    }

    /// Whether `bytes` hold nothing but spaces, tabs and line ends.
    static func isBlank(_ bytes: [UInt8]) -> Bool {
        bytes.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
    }

    /// What a file that could not be read gives.
    static func result(of error: FileSystemError) -> ReadResult {
        switch error.kind {
        case .refused: .skip("binary file (contains NUL bytes)")
        case .notFound: .vanished
        case .tooLarge: .skip("\(tooLargeReason): \(error.message) (raise --max-file-size to index it)")
        case .changed: .failure("changed while being read; it will be read again on the next run")
        case .other: .failure("cannot read: \(error.message)")
        }
    }

    /// A document read from a file, as the index stores it: the date is decided by
    /// `DocumentDate` (nil when nothing dates the document); the language, when the file declares
    /// none, is guessed from the text.
    static func documentRecord(
        _ document: ExtractedDocument, file: FoundFile, size: Int64, status: FileStat, contentHash: UInt64
    ) -> DocumentRecord {
        let modified = Double(status.modificationTime) / 1e9
        var metadata = document.metadata
        let date = DocumentDate.Evidence.strongest(for: document, path: file.path, modified: modified).date
        metadata.dateSource = date.source
        if metadata.language.isEmpty {
            // The title, a line break and the body's opening, read where they are.
            metadata.language = LanguageGuess.language(of: [document.title, document.body])
        }
        // Author, source and tags are searchable as words in every format: a plain-text report
        // keeps its header lines in its text; other formats get the same lines.
        let body =
            file.format == .plainText ? document.body : HeaderBlock.prefixing(document.body, with: metadata)
        // The status from the open file describes exactly the bytes read, even if the file
        // changed between the walk and the read. A record's hash covers its own fields, so an
        // edit elsewhere in the file leaves it untouched.
        return DocumentRecord(
            path: file.path, record: document.record, title: document.title, body: body, size: size,
            modificationTime: status.modificationTime, inode: status.inode, contentHash: contentHash,
            date: date.seconds, metadata: metadata)
    }

    /// The title and text of one file as `trawl index` reads it (the first record of a file of
    /// records), for `trawl similar --file`.
    public static func readText(ofFile path: String) throws(IngestError) -> (title: String, body: String) {
        let name = (path as NSString).lastPathComponent
        // As the walk decides: a name without an extension is read as text when its opening is.
        let format: DocumentFormat
        if let known = DocumentFormat(fileName: name) {
            format = known
        } else if DocumentFormat.fileExtension(of: name) == nil {
            format = .unlabeledText
        } else {
            throw .unreadableFile(
                path: path,
                reason: "not a format Trawl reads (\(DocumentFormat.extensionList), or no extension)")
        }
        guard let status = FileSystem.status(ofPath: path, followingLinks: true) else {
            throw .unreadableFile(path: path, reason: "no such file")
        }
        let settings = ReadSettings(
            limit: IngestOptions().maxFileSize, pdfToText: FileSystem.executable(named: "pdftotext"))
        switch readDocuments(FoundFile(path: path, stat: status, format: format), settings: settings) {
        case .documents(let records, _):
            guard let first = records.first else {
                throw .unreadableFile(path: path, reason: "no text found")
            }
            return (first.title, first.body)
        case .skip(let reason), .failure(let reason):
            throw .unreadableFile(path: path, reason: reason)
        case .unconverted:
            throw .unreadableFile(
                path: path, reason: "reading PDFs needs pdftotext (apt-get install poppler-utils)")
        case .vanished:
            throw .unreadableFile(path: path, reason: "no such file")
        case .notText:
            throw .unreadableFile(
                path: path, reason: "not text (a file without an extension that holds binary data)")
        }
    }

    /// How the reason for a file over the size limit starts.
    static let tooLargeReason = "too large"

    /// Whether the opening of a file without an extension is text: no NUL or other control
    /// bytes (tab, line feed, form feed, carriage return and escape are text), and valid UTF-8
    /// (a character cut by the end of the opening allowed) or else Windows-1252 (none of the five
    /// bytes it leaves undefined).
    static func looksLikeText(_ opening: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in opening where byte < 0x20 || byte == 0x7F {
            switch byte {
            case 0x09, 0x0A, 0x0C, 0x0D, 0x1B: continue
            default: return false
            }
        }
        let cut = opening.count == FileSystem.sniffLength ? 3 : 0
        for dropped in 0...cut
        where String(validating: UnsafeBufferPointer(rebasing: opening.dropLast(dropped)), as: UTF8.self)
            != nil
        {
            return true
        }
        return !opening.contains { [0x81, 0x8D, 0x8F, 0x90, 0x9D].contains($0) }
    }

    /// Whether the first 8 KiB of the file at `path` are text (`looksLikeText`); reads no more.
    static func opensAsText(_ path: String) -> Bool {
        var text = false
        _ = FileSystem.contents(ofFile: path, limit: .max) { opening in
            text = looksLikeText(opening)
            return false
        }
        return text
    }

    /// Whether `bytes` hold a NUL and do not start with a UTF-16 byte order mark.
    static func isBinary(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.contains(0) && !(bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]))
    }

    enum ReadResult: Sendable {
        /// The documents the file holds (one, or one per record), and what could not be read.
        case documents([DocumentRecord], warnings: [String])
        /// The file's content cannot be indexed (empty, binary, too large); stored copies are dropped.
        case skip(String)
        /// The file could not be read; stored copies are kept and the file retried next run.
        case failure(String)
        /// A PDF while pdftotext is not installed; stored copies are kept.
        case unconverted
        /// The file disappeared between the walk and the read.
        case vanished
        /// A file without an extension that is not text: a type Trawl does not read.
        case notText
    }
}

/// Fixed slots written from `concurrentPerform`.
///
/// `@unchecked Sendable` is safe: every index is written by exactly one iteration, the slots
/// are read only after `concurrentPerform` returns, and a lock guards each write.
private final class ResultSlots: @unchecked Sendable {
    private var storage: [Ingester.ReadResult?]
    private let lock = NSLock()

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Ingester.ReadResult) {
        lock.lock()
        storage[index] = value
        lock.unlock()
    }

    var values: [Ingester.ReadResult] { storage.map { $0! } }
}
