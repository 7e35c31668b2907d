// LOCAL PLACEHOLDER, NOT COMMITTED: replaced by the helpers' readers at merge.
enum MarkdownReader {
    static func extract(_ bytes: [UInt8], context: ExtractionContext) -> Extraction {
        let decoded = TextDecoding.decode(bytes)
        let parts = DocumentFormat.markdown.split(decoded.text)
        return Extraction(documents: [ExtractedDocument(title: parts.title, body: parts.body)], warnings: decoded.note.map { [$0] } ?? [])
    }
}
enum PDFReader { static func extract(_ bytes: [UInt8], context: ExtractionContext) -> Extraction { .skipped("pdf pending") } }
enum JSONRecordReader { static func extract(_ bytes: [UInt8], context: ExtractionContext) -> Extraction { .skipped("json pending") } }
