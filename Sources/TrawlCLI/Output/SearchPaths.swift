import TrawlSearch

/// `trawl search -l` (`--format paths`): each result's path on its own line, in rank order, as
/// `rg -l` prints file names — for `xargs`, editors and scripts.
enum SearchPaths {
    /// The lines to print, one per result (a JSON record keeps its `#id`).
    static func lines(_ hits: [SearchHit]) -> [String] {
        hits.map(\.path)
    }
}
