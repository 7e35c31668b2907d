import Foundation
import Testing

/// Issue 14: a match is reported at least once per watch even when `trawl watch run` is killed
/// (`kill -9`) at a random moment — before printing, between printing and remembering, or after —
/// with the same entry id every time, and once remembered never again.
@Suite(.serialized) struct WatchDeliveryTests {
    let folder: URL
    let corpus: URL

    init() throws {
        folder = try TrawlBinary.temporaryFolder()
        corpus = folder.appendingPathComponent("corpus")
    }

    /// The entry ids of a `--format json` run's output, by watch; nil when the output is not one
    /// whole JSON document (the run was killed before it printed).
    func entryIDs(_ output: String) -> [String: Set<String>]? {
        guard let run = try? JSONDecoder().decode(WatchRunOutput.self, from: Data(output.utf8)) else {
            return nil
        }
        return Dictionary(uniqueKeysWithValues: run.watches.map { ($0.name, Set($0.new.map(\.id))) })
    }

    func union(_ parts: [[String: Set<String>]]) -> [String: Set<String>] {
        parts.reduce(into: [:]) { total, part in
            for (name, ids) in part { total[name, default: []].formUnion(ids) }
        }
    }

    @Test func killingWatchRunAtRandomMomentsNeitherLosesNorRenamesAReport() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        var generator = SyntheticCorpus(seed: 14)
        try generator.write(count: 40, into: corpus, subfolder: "before")
        let pristine = folder.appendingPathComponent("pristine.sqlite").path
        #expect(try TrawlBinary.run(["index", corpus.path, "--db", pristine, "--quiet"]).status == 0)
        for word in ["oil", "grain", "harbour"] {
            #expect(try TrawlBinary.run(["watch", "add", word, word, "--db", pristine]).status == 0)
        }
        try generator.write(count: 80, into: corpus, subfolder: "after")
        #expect(try TrawlBinary.run(["index", corpus.path, "--db", pristine, "--quiet"]).status == 0)
        // One file, no write-ahead log: each trial starts from a copy of it.
        #expect(try TrawlBinary.run(["optimize", "--db", pristine]).status == 0)
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: pristine + suffix) }

        func copy(_ name: String) throws -> String {
            let path = folder.appendingPathComponent(name).path
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            try FileManager.default.copyItem(atPath: pristine, toPath: path)
            return path
        }

        // What an uninterrupted run reports, and how long it takes here (to aim the kills).
        let reference = try copy("reference.sqlite")
        let started = Date()
        let whole = try TrawlBinary.run(["watch", "run", "--format", "json", "--db", reference])
        let duration = max(0.05, Date().timeIntervalSince(started))
        let expected = try #require(entryIDs(whole.stdout))
        #expect(expected.values.reduce(0) { $0 + $1.count } > 60)
        #expect(
            entryIDs(try TrawlBinary.run(["watch", "run", "--format", "json", "--db", reference]).stdout)?
                .values
                .allSatisfy(\.isEmpty) == true)

        var random = SeededRandom(seed: 2026)
        var outcomes: [String: Int] = [:]
        for trial in 0..<20 {
            let db = try copy("trial.sqlite")
            let killed = try BackgroundTrawl(["watch", "run", "--format", "json", "--db", db])
            if trial.isMultiple(of: 2) {
                // Anywhere in the run.
                Thread.sleep(forTimeInterval: Double.random(in: 0...(duration * 1.2), using: &random))
            } else {
                // Just after it started printing: between printing and remembering, or just after.
                let deadline = Date().addingTimeInterval(duration * 5 + 5)
                while killed.isRunning, killed.stdout.isEmpty, Date() < deadline {
                    Thread.sleep(forTimeInterval: 0.001)
                }
                Thread.sleep(forTimeInterval: Double.random(in: 0...0.004, using: &random))
            }
            killed.kill()
            killed.waitUntilExit()
            let first = entryIDs(killed.stdout)
            let second = try TrawlBinary.run(["watch", "run", "--format", "json", "--db", db])
            #expect(second.status == 0, "trial \(trial): \(second.stderr)")
            let next = try #require(entryIDs(second.stdout), "trial \(trial): \(second.stdout)")
            // Everything is reported, under the ids an uninterrupted run gives, and nothing else.
            let seen = union([first ?? [:], next]).flatMap { name, ids in ids.map { "\(name) \($0)" } }
            let all = expected.flatMap { name, ids in ids.map { "\(name) \($0)" } }
            let lost = Set(all).subtracting(seen).count
            let unexpected = Set(seen).subtracting(all).count
            #expect(
                lost == 0 && unexpected == 0, "trial \(trial): \(lost) reports lost, \(unexpected) unexpected"
            )
            // Once a run finished, nothing is reported again.
            let third = try TrawlBinary.run(["watch", "run", "--format", "json", "--db", db])
            #expect(entryIDs(third.stdout)?.values.allSatisfy(\.isEmpty) == true, "trial \(trial)")
            #expect(try TrawlBinary.run(["check", "--db", db]).status == 0, "trial \(trial)")
            let moment =
                first == nil
                ? "before printing" : next.values.allSatisfy(\.isEmpty) ? "after remembering" : "between"
            outcomes[moment, default: 0] += 1
        }
        // Which moments the kills hit (for the record; the seed fixes the delays, not the timing).
        print("watch run killed: \(outcomes.sorted { $0.key < $1.key })")
    }
}
