import TrawlIndex
import TrawlQuery

/// A stored document with the words of a query marked in it, for `trawl show`.
public struct ShownDocument: Sendable, Hashable {
    /// The file's path, or `path#record` for a record inside a file.
    public var location: String
    public var title: String
    /// The indexed text after its header block (the whole text when it has none).
    public var body: String
    /// The lines of the header block the metadata does not already give (`Places: usa`).
    public var headerLines: [String]
    /// Seconds since 1970; nil for an undated document.
    public var date: Double?
    public var metadata: DocumentMetadata
    /// Code-point ranges of the query's words in `title` and `body` (empty without a query).
    public var titleHighlights: [Range<Int>]
    public var bodyHighlights: [Range<Int>]
}

extension Searcher {
    /// The document stored for one of `candidates` (path and record key; the first stored one
    /// wins), with the words `query` searches for marked; nil when none is stored.
    ///
    /// Metadata filters in `query` (`author:`…) mark nothing; a query with no words marks nothing.
    public func show(_ candidates: [(path: String, record: String)], highlighting query: String?)
        throws(SearchError) -> ShownDocument?
    {
        var found: MatchedDocument?
        do {
            for candidate in candidates {
                if let document = try store.document(atPath: candidate.path, record: candidate.record) {
                    found = document
                    break
                }
            }
        } catch {
            throw .index(error)
        }
        guard let document = found else { return nil }
        var matcher = TermMatcher(HighlightPatterns())
        if let query, !query.allSatisfy(\.isWhitespace) {
            do {
                if let search = try QueryParser().read(query).query.separatingFilters().search {
                    matcher = TermMatcher(try BoundQuery(search, tokenizer: tokenizer).highlights)
                }
            } catch {
                throw .query(error)
            }
        }
        let cutter = SnippetCutter()
        // A header block is shown once, as metadata, not again at the top of the text.
        let header = HeaderBlock(splitting: document.body)
        let story = String(header.story)
        return ShownDocument(
            location: document.location, title: document.title, body: story, headerLines: header.otherLines,
            date: document.date, metadata: document.metadata,
            titleHighlights: cutter.highlights(in: document.title, matching: matcher),
            bodyHighlights: cutter.highlightsInWholeText(story, matching: matcher))
    }
}
