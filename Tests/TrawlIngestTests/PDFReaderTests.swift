import Foundation
import Testing

@testable import TrawlIngest

struct PDFReaderTests {
    /// `Fixtures/formats/pdf/`, found from this file's path so that any worktree works.
    static let fixtureFolder = FixtureFiles.formats("pdf")

    /// The `pdftotext` on the PATH, if any.
    static let pdfToText: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/pdftotext" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }()
    static let hasPDFToText = pdfToText != nil

    static func extract(fixture name: String, pdfToText: String? = PDFReaderTests.pdfToText) -> Extraction {
        let path = fixtureFolder.appendingPathComponent(name).path
        let bytes = (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))) ?? []
        return PDFReader.extract(
            bytes, context: ExtractionContext(path: path, modificationTime: 0, pdfToText: pdfToText))
    }

    static func iso(_ seconds: Double?) -> String? {
        seconds.map { ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: $0)) }
    }

    @Test func withoutPDFToTextTheFileIsSkippedWithAnInstallHint() {
        let extraction = Self.extract(fixture: "red-sea-shipping-brief.pdf", pdfToText: nil)
        #expect(extraction.documents.isEmpty)
        #expect(extraction.skipReason == "pdftotext is not installed (apt-get install poppler-utils)")
    }

    @Test func aMissingToolIsReportedAsNotRunnable() {
        let extraction = Self.extract(
            fixture: "red-sea-shipping-brief.pdf", pdfToText: "/nonexistent/pdftotext")
        #expect(extraction.skipReason?.hasPrefix("pdftotext could not be run (") == true)
    }

    @Test(.enabled(if: PDFReaderTests.hasPDFToText, "needs pdftotext (apt-get install poppler-utils)"))
    func briefWithInfoDictionaryGetsTitleAuthorDateAndParagraphs() throws {
        let extraction = Self.extract(fixture: "red-sea-shipping-brief.pdf")
        #expect(extraction.skipReason == nil)
        #expect(extraction.warnings.isEmpty)
        let document = try #require(extraction.documents.first)
        #expect(document.record == "")
        #expect(document.title == "Red Sea Shipping: Insurance and Rerouting")
        #expect(document.metadata.author == "Maritime Risk Desk")
        #expect(Self.iso(document.date) == "2025-11-18T09:30:00Z")
        #expect(document.metadata.dateSource == .metadata)
        // The first line differs from the Info title, so it stays in the body.
        #expect(
            document.body.hasPrefix(
                "Red Sea Shipping: Insurance and Rerouting, Winter Brief\n\nSummary. War-risk"))
        #expect(document.body.contains("rose again in November, and two of the largest container lines"))
        #expect(
            document.body.contains(
                "slow progress in the negotiations on a maritime security arrangement.\n\nOutlook."))
        #expect(document.body.contains("Cairo-based canal authority is well-known"))
        #expect(document.body.hasSuffix("publishing monthly figures."))
        #expect(!document.body.contains("\u{0C}"))
        #expect(!document.body.contains("\n\n\n"))
        #expect(document.body.components(separatedBy: "\n\n").count == 5)
    }

    @Test(.enabled(if: PDFReaderTests.hasPDFToText, "needs pdftotext (apt-get install poppler-utils)"))
    func withoutInfoTitleTheFirstLineIsTheTitle() throws {
        let document = try #require(Self.extract(fixture: "no-info-bulletin.pdf").documents.first)
        #expect(document.title == "Niger Delta Pipeline Repairs Completed")
        #expect(
            document.body
                == "Engineers finished repairs on the Trans Niger Pipeline on Monday, the operator said, ending a three-week shutdown that cut crude exports from Bonny."
        )
        #expect(document.date == nil)
        #expect(document.metadata.author == "")
    }

    @Test(.enabled(if: PDFReaderTests.hasPDFToText, "needs pdftotext (apt-get install poppler-utils)"))
    func withoutPDFInfoBesidePDFToTextMetadataIsSkipped() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trawl-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let link = folder.appendingPathComponent("pdftotext")
        try FileManager.default.createSymbolicLink(
            atPath: link.path, withDestinationPath: try #require(Self.pdfToText))
        let document = try #require(
            Self.extract(fixture: "red-sea-shipping-brief.pdf", pdfToText: link.path).documents.first)
        #expect(document.title == "Red Sea Shipping: Insurance and Rerouting, Winter Brief")
        #expect(document.date == nil)
        #expect(document.body.hasPrefix("Summary. War-risk premiums"))
    }

    @Test(.enabled(if: PDFReaderTests.hasPDFToText, "needs pdftotext (apt-get install poppler-utils)"))
    func pageWithoutTextIsSkippedAsScanned() {
        let extraction = Self.extract(fixture: "scanned-page-no-text.pdf")
        #expect(extraction.documents.isEmpty)
        #expect(extraction.skipReason == "no text (a scanned PDF? Trawl does not do OCR)")
    }

    @Test(.enabled(if: PDFReaderTests.hasPDFToText, "needs pdftotext (apt-get install poppler-utils)"))
    func truncatedFileIsSkippedWithPDFToTextsMessage() {
        let extraction = Self.extract(fixture: "truncated-report.pdf")
        #expect(extraction.documents.isEmpty)
        #expect(
            extraction.skipReason
                == "pdftotext could not read it (exit 1: Syntax Error: Couldn't find trailer dictionary)")
    }

    // MARK: Text layout

    @Test(arguments: [
        ("one\ntwo\n\nthree", ["one two", "three"]),
        ("nego-\ntiations resumed", ["negotiations resumed"]),
        ("Franco-\nGerman talks", ["Franco- German talks"]),
        ("page one\u{0C}page two\u{0C}", ["page one", "page two"]),
        ("  spaced  \n\n\n\n  out  \n", ["spaced", "out"]),
        ("end of page-\u{0C}next page", ["end of page-", "next page"]),
        ("2025-\nbudget", ["2025- budget"]),
        ("\u{0C}\u{0C}\n", []),
    ])
    func linesJoinIntoParagraphsAndHyphenatedWordsRejoin(_ text: String, _ paragraphs: [String]) {
        #expect(PDFReader.paragraphs(in: text) == paragraphs)
    }

    @Test(arguments: [
        ("Tue Nov 18 09:30:00 2025 UTC", "2025-11-18T09:30:00Z"),
        ("Wed Nov  5 23:01:02 2025 GMT", "2025-11-05T23:01:02Z"),
        ("Tue Nov 18 09:30:00 2025 CET", nil),
        ("yesterday", nil),
    ])
    func pdfInfoDatesAreRead(_ text: String, _ iso: String?) {
        #expect(Self.iso(PDFReader.pdfInfoDate(text)) == iso)
    }

    @Test func pdfInfoOutputFieldsAreRead() {
        let info = PDFReader.documentInfo(
            fromPDFInfo: """
                Title:           Gulf Security: A Review
                Author:          Desk: Gulf
                Creator:         Writer
                CreationDate:    Tue Nov 18 09:30:00 2025 UTC
                Pages:           2
                """)
        #expect(info.title == "Gulf Security: A Review")
        #expect(info.author == "Desk: Gulf")
        #expect(Self.iso(info.creationDate) == "2025-11-18T09:30:00Z")
    }
}
