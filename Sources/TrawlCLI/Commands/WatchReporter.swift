import Foundation
import TrawlAPI
import TrawlIndex
import TrawlSearch

/// Runs the watches and reports what is new: the digest or JSON on standard output, the feeds,
/// then — only then — remembers it all in one transaction (at-least-once delivery). Shared by
/// `trawl watch run` and `trawl index --watch`.
struct WatchReporter {
    let store: IndexStore
    var format = OutputFormat.text
    var feedFolder: String?

    /// How many entries a feed keeps.
    static let feedEntries = 100

    /// Opens the index for `watch run`, saying why when it is read-only.
    static func openForWriting(_ path: String) throws -> IndexStore {
        do {
            return try IndexStore(path: path, access: .readWrite)
        } catch .readOnly(let path) {
            throw UsageError(
                message:
                    "The index at \(path) is read-only: `trawl watch run` remembers what it reported, so it "
                    + "needs write access (`trawl watch show NAME` works on a read-only index).")
        }
    }

    /// Runs the watches named (all when none is) and reports; false when a watch newly could
    /// not run.
    func run(names: [String]) throws -> Bool {
        var watches = try store.watches()
        if !names.isEmpty {
            for name in names { _ = try WatchName.find(name, in: store) }
            watches = watches.filter { names.contains($0.name) }
        }
        let watcher = Watcher(store: store)
        let now = Date()
        let results = try watcher.run(watches, now: now, request: WatchSearchOptions.request(for:))
        switch format {
        case .text: printDigest(results)
        case .json: try JSONOutput.print(WatchRunJSON(results))
        }
        fflush(nil)
        if let feedFolder { try writeFeeds(watches, results: results, folder: feedFolder, now: now) }
        try watcher.remember(results)
        return !results.contains { $0.newProblem != nil }
    }

    /// The digest for cron mail: nothing when nothing is new.
    private func printDigest(_ results: [WatchResult]) {
        var first = true
        for result in results where !result.matches.isEmpty || result.newProblem != nil {
            if !first { print("") }
            first = false
            let watch = result.watch
            if let problem = result.newProblem {
                print(
                    TerminalText.visible(
                        "== watch \(watch.name) (\(watch.query)): cannot run, skipped until it is removed: "
                            + problem.message))
                continue
            }
            let count = result.matches.count
            print(TerminalText.visible("== watch \(watch.name) (\(watch.query)): \(count) new =="))
            for match in result.matches {
                let hit = match.hit
                print(TerminalText.visible("\(match.isChanged ? "changed: " : "")\(hit.title)"))
                print("   " + SearchCommand.sourceLine(hit))
                if !hit.snippet.text.isEmpty {
                    // Mail has no colour: matched words in [brackets], as `search` without colour.
                    print(
                        "   "
                            + Style(enabled: false).marking(
                                hit.snippet.text, hit.snippet.highlights, bracketsWithoutColor: true))
                }
            }
        }
    }

    /// Writes DIR/NAME.atom for each watch that has new entries or no feed yet.
    private func writeFeeds(_ watches: [StoredWatch], results: [WatchResult], folder: String, now: Date)
        throws
    {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw UsageError(
                message: "Cannot create the feed folder \(folder): \(error.localizedDescription)")
        }
        let fresh = Dictionary(
            results.map { ($0.watch.id, $0.matches) }, uniquingKeysWith: { first, _ in first })
        for watch in watches {
            let path = (folder as NSString).appendingPathComponent(watch.name + ".atom")
            let new = fresh[watch.id] ?? []
            guard !new.isEmpty || !FileManager.default.fileExists(atPath: path) else { continue }
            // The stored entries, with the new ones replacing earlier texts of the same documents.
            let replaced = Set(new.map(\.report.documentID))
            let earlier = try store.recentReports(watch: watch.id, limit: Self.feedEntries).filter {
                !replaced.contains($0.documentID)
            }
            let entries = Array((new.map(\.report) + earlier).prefix(Self.feedEntries))
            let xml = AtomFeed(watch: watch, entries: entries, now: now).xml
            try FeedFile.write(xml, to: path)
        }
    }
}

/// Writes a file whole: to a temporary file beside it, flushed, then renamed over it, so a reader
/// (or a crash) never sees half a feed.
enum FeedFile {
    static func write(_ text: String, to path: String) throws {
        let temporary = "\(path).tmp-\(ProcessInfo.processInfo.processIdentifier)"
        let data = Data(text.utf8)
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw UsageError(message: "Cannot write the feed \(path).")
        }
        let descriptor = open(temporary, O_RDONLY)
        if descriptor >= 0 {
            fsync(descriptor)
            close(descriptor)
        }
        guard rename(temporary, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw UsageError(message: "Cannot write the feed \(path) (\(String(cString: strerror(errno)))).")
        }
    }
}

/// The JSON layout of `trawl watch run --format json`.
struct WatchRunJSON: Encodable {
    struct Watch: Encodable {
        var name: String
        var query: String
        /// The error of a watch that newly cannot run (it is then skipped).
        var error: String?
        var new: [Entry]
    }

    struct Entry: Encodable {
        /// Stable: the same whenever this watch reports this text of this document.
        var id: String
        var path: String
        var title: String
        var date: String?
        var snippet: String
        /// True when the watch reported an earlier text of the document.
        var changed: Bool
    }

    /// The watches that looked at something (those with nothing indexed since are left out).
    var watches: [Watch]

    init(_ results: [WatchResult]) {
        watches = results.map { result in
            Watch(
                name: result.watch.name, query: result.watch.query, error: result.newProblem?.message,
                new: result.matches.map { match in
                    Entry(
                        id: match.entryID, path: match.hit.path, title: match.hit.title,
                        date: match.hit.date.map(DocumentJSON.day), snippet: match.hit.snippet.text,
                        changed: match.isChanged)
                })
        }
    }
}
