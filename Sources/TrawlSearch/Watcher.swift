import Foundation
import TrawlIndex

/// Why a watch cannot run, in words for the person reading the digest.
public struct WatchProblem: Error, Sendable, Hashable {
    public var message: String

    public init(_ message: String) { self.message = message }
}

/// A match a watch reports now.
public struct WatchMatch: Sendable {
    /// The entry's id: the same every time this watch reports this text of this document
    /// (`Watcher.entryID`), so a report repeated after a crash is recognisably the same.
    public var entryID: String
    public var hit: SearchHit
    /// True when the watch reported an earlier text of the document.
    public var isChanged: Bool
    /// What is remembered of it.
    public var report: WatchReport
}

/// What one watch found in one run.
public struct WatchResult: Sendable {
    public var watch: StoredWatch
    /// Matches not reported before, in the search's order.
    public var matches: [WatchMatch]
    /// The error of a watch that cannot run, when it was not reported before (nil otherwise).
    public var newProblem: WatchProblem?
    /// What to remember once the results are out (nil: nothing changes).
    var outcome: WatchOutcome?
}

/// Runs saved searches: for each, the documents that match it and that it has not reported (new
/// documents, and documents whose title or body changed), through the same `Searcher` as
/// `trawl search`.
///
/// A watch looks only at documents added or updated since its checkpoint (the change log of
/// `trawl index`), so a run after a no-op index run searches nothing. Reporting is
/// at-least-once: `run` decides, the caller prints, then `remember` stores the reports and the
/// checkpoints in one transaction; a process killed before that reports the same matches again,
/// with the same entry ids.
public struct Watcher: Sendable {
    public let store: IndexStore

    public init(store: IndexStore) {
        self.store = store
    }

    /// The stable id of a report: the watch's token, the document and the hash of its text.
    ///
    ///     tag:trawl,2026:watch/<token>/<document id>/<text hash, 16 hex digits>
    public static func entryID(token: String, documentID: Int64, textHash: UInt64) -> String {
        let hex = String(textHash, radix: 16)
        return "tag:trawl,2026:watch/\(token)/\(documentID)/"
            + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// What each watch has to report now; writes nothing. `request` makes a watch's search
    /// request from its stored query and options, or says why it cannot; it is called, and a
    /// `Searcher` made, only for watches with something to look at, so a run after a no-op index
    /// run reads the watches and the last change and nothing else.
    public func run(
        _ watches: [StoredWatch], now: Date = Date(),
        request makeRequest: (StoredWatch) -> Result<SearchRequest, WatchProblem>
    ) throws(SearchError) -> [WatchResult] {
        let lastChange: Int64
        do { lastChange = try store.lastChange() } catch { throw .index(error) }
        var results: [WatchResult] = []
        var searcher: Searcher?
        for watch in watches {
            if let checkpoint = watch.checkpoint, checkpoint >= lastChange {
                continue  // nothing was indexed since it last looked
            }
            let request: SearchRequest
            switch makeRequest(watch) {
            case .failure(let problem):
                results.append(broken(watch, problem))
                continue
            case .success(let made):
                request = made
            }
            do {
                let made = searcher ?? Searcher(store: store)
                searcher = made
                let matches = try newMatches(of: watch, request: request, searcher: made, now: now)
                results.append(
                    WatchResult(
                        watch: watch, matches: matches, newProblem: nil,
                        outcome: WatchOutcome(
                            watchID: watch.id, checkpoint: lastChange, broken: nil,
                            reports: matches.map(\.report))))
            } catch {
                switch error {
                case .index: throw error
                default: results.append(broken(watch, WatchProblem(error.description)))
                }
            }
        }
        return results
    }

    /// Stores what `results` reported and how far each watch has looked, in one transaction.
    public func remember(_ results: [WatchResult]) throws(SearchError) {
        let outcomes = results.compactMap(\.outcome)
        guard !outcomes.isEmpty else { return }  // a run with nothing to look at writes nothing
        do { try store.remember(outcomes) } catch { throw .index(error) }
    }

    /// A watch that cannot run: reported once (while the error stays the same), then skipped.
    private func broken(_ watch: StoredWatch, _ problem: WatchProblem) -> WatchResult {
        let isNew = watch.broken != problem.message
        return WatchResult(
            watch: watch, matches: [], newProblem: isNew ? problem : nil,
            outcome: isNew
                ? WatchOutcome(
                    watchID: watch.id, checkpoint: watch.checkpoint, broken: problem.message, reports: [])
                : nil)
    }

    /// The matches among documents indexed since the watch's checkpoint whose current text it has
    /// not reported.
    private func newMatches(of watch: StoredWatch, request: SearchRequest, searcher: Searcher, now: Date)
        throws(SearchError) -> [WatchMatch]
    {
        var request = request
        request.indexed = watch.checkpoint.map { .changeAfter($0) }
        request.relaxesToAnyWord = false
        request.limit = Searcher.maximumLimit
        request.offset = 0
        var hits: [SearchHit] = []
        while true {
            let response = try searcher.search(request)
            hits += response.hits
            request.offset += response.hits.count
            if response.hits.isEmpty || request.offset >= response.total { break }
        }
        guard !hits.isEmpty else { return [] }
        let ids = hits.map(\.documentID)
        let current: [Int64: UInt64]
        let reported: [Int64: UInt64]
        do {
            current = try store.textHashes(of: ids)
            reported = try store.reportedHashes(watch: watch.id, of: ids)
        } catch {
            throw .index(error)
        }
        return hits.compactMap { hit in
            guard let hash = current[hit.documentID], reported[hit.documentID] != hash else { return nil }
            return WatchMatch(
                entryID: Self.entryID(token: watch.token, documentID: hit.documentID, textHash: hash),
                hit: hit,
                isChanged: reported[hit.documentID] != nil,
                report: WatchReport(
                    documentID: hit.documentID, textHash: hash, location: hit.path, title: hit.title,
                    summary: hit.snippet.text, date: hit.date, reportedAt: now.timeIntervalSince1970))
        }
    }
}
