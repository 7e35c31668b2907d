import ArgumentParser
import Foundation
import TrawlIndex

/// `--indexed-since last-run|RUN-ID|DATE|7d|24h`: which index runs count as recent.
enum IndexedSinceArgument: ExpressibleByArgument, Sendable, Equatable {
    /// The last recorded run.
    case lastRun
    /// The run with this id (`trawl status` shows them) and every later one.
    case run(Int64)
    /// Runs that wrote documents at or after this time (seconds since 1970).
    case date(Double)

    /// Reads `last-run`, a run id (digits alone: `12`), or a date as `--since` takes it
    /// (`2025-11-18`, `7d`, `24h`, `yesterday`); nil for anything else. A year alone reads as
    /// a run id: write `2025-01` for a month.
    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces)
        if text.lowercased() == "last-run" {
            self = .lastRun
        } else if !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), let run = Int64(text),
            run > 0
        {
            self = .run(run)
        } else if let date = DateArgument(argument: text) {
            self = .date(date.start)
        } else {
            return nil
        }
    }
}

/// `--new` and `--indexed-since`, shared by `search` and `watch`: documents added or updated by
/// recent index runs.
struct IndexedWindowOptions: ParsableArguments {
    @Flag(
        name: .long,
        help: "Only documents the last index run added or changed (same as --indexed-since last-run).")
    var new = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Only documents added or changed by this index run and later ones (last-run, a run id from "
                + "`trawl status`), or indexed since a date (2025-11-18, 7d, 24h, yesterday).",
            valueName: "run|date"))
    var indexedSince: IndexedSinceArgument?

    /// Whether either option was given.
    var isGiven: Bool { new || indexedSince != nil }

    func validate() throws {
        if new && indexedSince != nil {
            throw ValidationError("--new is --indexed-since last-run; give one of them.")
        }
    }

    /// The window the options ask for, resolved against the index's runs.
    func window(in store: IndexStore) throws -> IndexedWindow? {
        let argument = new ? .lastRun : indexedSince
        switch argument {
        case nil: return nil
        case .lastRun: return .run(try store.lastRunID() ?? 1)
        case .run(let run):
            guard try store.hasRun(run) else {
                let last = try store.lastRunID()
                throw UsageError(
                    message: "There is no index run \(run); "
                        + (last.map { "runs are numbered 1 to \($0) (see `trawl status`)." }
                            ?? "the index has no runs yet."))
            }
            return .run(run)
        case .date(let date): return .date(date)
        }
    }
}
