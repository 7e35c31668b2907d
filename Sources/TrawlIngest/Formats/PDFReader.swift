import Foundation

/// Reads PDFs through poppler's `pdftotext` (text) and `pdfinfo` (title, author, creation date).
///
/// Trawl does no OCR: a PDF whose pages are images yields no text and is skipped.
enum PDFReader {
    /// How long `pdftotext` or `pdfinfo` may run on one file before it is stopped.
    static let timeLimit: TimeInterval = 30

    /// The PDF at `context.path` as one document; `bytes` are not used (the tools read the file).
    static func extract(_ bytes: [UInt8], context: ExtractionContext) -> Extraction {
        guard let pdfToText = context.pdfToText else {
            return .skipped("pdftotext is not installed (apt-get install poppler-utils)")
        }
        // No `-q`: it would also silence the error message a broken PDF gets.
        let conversion = run(pdfToText, ["-enc", "UTF-8", context.path, "-"])
        switch conversion {
        case .failedToStart(let message):
            return .skipped("pdftotext could not be run (\(message))")
        case .timedOut:
            return .skipped("pdftotext did not finish within \(Int(timeLimit)) seconds")
        case .finished(let status, let output, let errors):
            guard status == 0 else {
                let firstLine = errors.split(whereSeparator: \.isNewline).first.map {
                    $0.trimmingWhitespace()
                }
                let detail = firstLine.map { ": \($0)" } ?? ""
                return .skipped("pdftotext could not read it (exit \(status)\(detail))")
            }
            let text = String(decoding: output, as: UTF8.self)
            guard text.unicodeScalars.contains(where: { $0.properties.isAlphabetic }) else {
                return .skipped("no text (a scanned PDF? Trawl does not do OCR)")
            }
            let info = documentInfo(path: context.path, pdfToText: pdfToText)
            return Extraction(documents: [document(text: text, info: info)])
        }
    }

    /// The document from pdftotext's text and pdfinfo's fields.
    static func document(text: String, info: DocumentInfo) -> ExtractedDocument {
        // The first line of the text is the title when pdfinfo has none, and is not repeated.
        let lines = firstLineSplit(text)
        var title = info.title
        var bodyText = text
        if title.isEmpty {
            title = lines.first
            bodyText = lines.rest
        } else if lines.first.lowercased() == title.lowercased() {
            bodyText = lines.rest
        }
        let paragraphs = self.paragraphs(in: bodyText)
        var document = ExtractedDocument(title: title, body: paragraphs.joined(separator: "\n\n"))
        document.metadata.author = info.author
        if let date = info.creationDate {
            document.date = date
            document.metadata.dateSource = .metadata
        }
        return document
    }

    /// pdftotext's output as paragraphs: pages (form feeds) and blank lines end a paragraph, the
    /// lines inside one are joined with spaces, and a word hyphenated at a line end ("nego-" +
    /// "tiations") is rejoined when the next line starts with a lower-case letter.
    static func paragraphs(in text: String) -> [String] {
        var paragraphs: [String] = []
        var current = ""
        func endParagraph() {
            if !current.isEmpty { paragraphs.append(current) }
            current = ""
        }
        for page in text.split(separator: "\u{0C}", omittingEmptySubsequences: false) {
            for rawLine in page.split(separator: "\n", omittingEmptySubsequences: false) {
                let line = rawLine.trimmingWhitespace()
                guard !line.isEmpty else {
                    endParagraph()
                    continue
                }
                if current.isEmpty {
                    current = line
                } else if current.hasSuffix("-"), endsWithLetterBeforeHyphen(current),
                    line.unicodeScalars.first?.properties.isLowercase == true
                {
                    current.removeLast()
                    current += line
                } else {
                    current += " " + line
                }
            }
            endParagraph()
        }
        return paragraphs
    }

    private static func endsWithLetterBeforeHyphen(_ text: String) -> Bool {
        let scalars = text.unicodeScalars
        guard scalars.count >= 2 else { return false }
        return scalars[scalars.index(scalars.endIndex, offsetBy: -2)].properties.isAlphabetic
    }

    /// The first non-blank line, trimmed, and the text after it.
    private static func firstLineSplit(_ text: String) -> (first: String, rest: String) {
        var remaining = Substring(text)
        while let newline = remaining.firstIndex(where: { $0 == "\n" || $0 == "\u{0C}" }) {
            let line = remaining[..<newline].trimmingWhitespace()
            let after = remaining[remaining.index(after: newline)...]
            if !line.isEmpty {
                // Keep a form feed that ended the line, so the page break survives.
                let rest = remaining[newline] == "\u{0C}" ? "\u{0C}" + after : String(after)
                return (line, rest)
            }
            remaining = after
        }
        return (remaining.trimmingWhitespace(), "")
    }

    // MARK: - pdfinfo

    /// What `pdfinfo` says about a PDF.
    struct DocumentInfo: Sendable, Hashable {
        var title = ""
        var author = ""
        /// The creation date, seconds since 1970.
        var creationDate: Double?
    }

    /// pdfinfo's fields for the file, or empty ones when pdfinfo is missing or fails.
    private static func documentInfo(path: String, pdfToText: String) -> DocumentInfo {
        let pdfInfo = URL(fileURLWithPath: pdfToText).deletingLastPathComponent().appendingPathComponent(
            "pdfinfo"
        ).path
        guard FileManager.default.isExecutableFile(atPath: pdfInfo) else { return DocumentInfo() }
        // C locale and UTC: the date then reads "Tue Nov 18 09:30:00 2025 UTC" on every machine.
        guard
            case .finished(0, let output, _) = run(
                pdfInfo, ["-enc", "UTF-8", path], environment: ["TZ": "UTC", "LC_ALL": "C"])
        else { return DocumentInfo() }
        return documentInfo(fromPDFInfo: String(decoding: output, as: UTF8.self))
    }

    /// Reads pdfinfo's "Key:   value" lines.
    static func documentInfo(fromPDFInfo output: String) -> DocumentInfo {
        var info = DocumentInfo()
        for line in output.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...].trimmingWhitespace()
            switch line[..<colon] {
            case "Title": info.title = value
            case "Author": info.author = value
            case "CreationDate": info.creationDate = pdfInfoDate(value) ?? DateParsing.parse(value)
            default: break
            }
        }
        return info
    }

    private static let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    /// pdfinfo's C-locale date, "Tue Nov 18 09:30:00 2025 UTC" (the zone must be UTC or GMT, as
    /// pdfinfo writes it under `TZ=UTC`).
    static func pdfInfoDate(_ text: String) -> Double? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, let month = months.firstIndex(of: String(parts[1])), let day = Int(parts[2]),
            let year = Int(parts[4]), parts[5] == "UTC" || parts[5] == "GMT"
        else { return nil }
        let clock = parts[3].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3, (1...31).contains(day) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(
            year: year, month: month + 1, day: day, hour: clock[0], minute: clock[1], second: clock[2])
        return calendar.date(from: components)?.timeIntervalSince1970
    }

    // MARK: - Running a tool

    private enum ToolResult {
        case finished(status: Int32, output: Data, errors: String)
        case timedOut
        case failedToStart(String)
    }

    /// Runs `executable` with `arguments`, reading its standard output fully before waiting, and
    /// stops it after `timeLimit`. Standard error goes to a temporary file, so neither stream can
    /// fill its pipe while the other is being read.
    private static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:])
        -> ToolResult
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        let errorsURL = FileManager.default.temporaryDirectory
            .appendingPathComponent("trawl-\(UUID().uuidString).stderr")
        guard FileManager.default.createFile(atPath: errorsURL.path, contents: nil),
            let errorsHandle = try? FileHandle(forWritingTo: errorsURL)
        else { return .failedToStart("no temporary file for its messages") }
        defer {
            try? errorsHandle.close()
            try? FileManager.default.removeItem(at: errorsURL)
        }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = errorsHandle
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return .failedToStart(error.localizedDescription)
        }
        let watchdog = Watchdog(process: process)
        DispatchQueue.global().asyncAfter(deadline: .now() + timeLimit, execute: watchdog.item)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.item.cancel()
        if watchdog.fired { return .timedOut }
        let errors = (try? String(contentsOf: errorsURL, encoding: .utf8)) ?? ""
        return .finished(status: process.terminationStatus, output: data, errors: errors)
    }
}

/// Stops a process that runs past the time limit.
///
/// `@unchecked Sendable` is safe: `process` is only sent `isRunning`/`terminate()`, which
/// Foundation's `Process` allows from any thread, and `firedFlag` is read and written only under
/// `lock`.
private final class Watchdog: @unchecked Sendable {
    private let process: Process
    private let lock = NSLock()
    private var firedFlag = false
    private(set) var item: DispatchWorkItem!

    init(process: Process) {
        self.process = process
        item = DispatchWorkItem { [weak self] in self?.fire() }
    }

    private func fire() {
        guard process.isRunning else { return }
        lock.withLock { firedFlag = true }
        process.terminate()
    }

    var fired: Bool { lock.withLock { firedFlag } }
}
