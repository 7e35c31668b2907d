import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `trawl index` killed at random moments never damages the index, and the next run converges;
/// searches running during indexing never fail.
@Suite(.serialized) struct CrashSafetyTests {
    let folder: URL
    let corpus: URL
    let db: String

    init() throws {
        folder = try TrawlBinary.temporaryFolder()
        corpus = folder.appendingPathComponent("corpus")
        db = folder.appendingPathComponent("index.sqlite").path
    }

    @Test func killingIndexAtRandomMomentsNeverDamagesTheIndexAndTheNextRunConverges() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        var generator = SyntheticCorpus(seed: 7)
        try generator.write(count: 3000, into: corpus)
        // How long an uninterrupted run takes here, to aim the kills inside it.
        let timed = Date()
        let probe = try BackgroundTrawl([
            "index", corpus.path, "--db", folder.appendingPathComponent("probe.sqlite").path,
        ])
        probe.waitUntilExit()
        let fullRun = max(0.3, Date().timeIntervalSince(timed))

        var random = SeededRandom(seed: 42)
        for round in 0..<20 {
            // Change the folder between kills so every run has work: edits, additions, deletions, moves.
            if round > 0 { try generator.mutate(corpus, random: &random) }
            let run = try BackgroundTrawl(["index", corpus.path, "--db", db])
            Thread.sleep(forTimeInterval: Double.random(in: 0.02...fullRun, using: &random))
            run.kill()
            run.waitUntilExit()
            let check = try TrawlBinary.run(["check", "--db", db])
            if FileManager.default.fileExists(atPath: db) {
                #expect(check.status == 0, "round \(round): \(check.stdout) \(check.stderr)")
            }
        }

        var final = try TrawlBinary.run(["index", corpus.path, "--db", db])
        // A file being read when a round was killed is skipped until it changes (issue 13): every
        // failure left must be one of those; touched, they are read again.
        let left = try StatusOutput(json: TrawlBinary.run(["status", "--db", db, "--format", "json"]).stdout)
        for failure in left.failures {
            #expect(failure.kind == "interrupted", "\(failure.path): \(failure.reason)")
            try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: failure.path)
        }
        if !left.failures.isEmpty { final = try TrawlBinary.run(["index", corpus.path, "--db", db]) }
        #expect(final.status == 0, "\(final.stderr)")
        #expect(try TrawlBinary.run(["check", "--db", db]).status == 0)
        let again = try TrawlBinary.run(["index", corpus.path, "--db", db])
        #expect(
            again.stdout.hasPrefix(
                "0 added, 0 updated, 0 moved, 0 removed, \(generator.files.count) unchanged"))

        let stats = try TrawlBinary.run(["stats", "--db", db, "--format", "json"])
        struct Stats: Decodable { var documents: Int }
        let documents = try JSONDecoder().decode(Stats.self, from: Data(stats.stdout.utf8)).documents
        #expect(documents == generator.files.count, "no ghosts and nothing lost")
        for (path, marker) in generator.files.sorted(by: { $0.key < $1.key }).prefix(40) {
            let found = try SearchOutput(
                json: TrawlBinary.run(["search", marker, "--db", db, "--format", "json"]).stdout)
            #expect(found.results.map(\.path) == [corpus.appendingPathComponent(path).path], "\(marker)")
        }
        for marker in generator.removedMarkers.prefix(40) {
            #expect(try TrawlBinary.run(["search", marker, "--db", db]).status == 1, "ghost \(marker)")
        }
    }

    @Test func aRunKilledWhileReadingAFileSkipsItUntilItChanges() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        var generator = SyntheticCorpus(seed: 17)
        try generator.write(count: 20, into: corpus)
        // Large enough that reading it takes a while, so the kill lands inside the read.
        let big = corpus.appendingPathComponent("big.txt")
        let line = "Oil grain market report from Basra and Odesa, prices rose and fell.\n"
        try ("Big report\n\n" + String(repeating: line, count: 250_000)).write(
            to: big, atomically: true, encoding: .utf8)
        let journal = db + ".reading"
        let run = try BackgroundTrawl(["index", corpus.path, "--db", db])
        var seen = false
        for _ in 0..<60_000 where run.isRunning {
            if let data = FileManager.default.contents(atPath: journal),
                String(decoding: data, as: UTF8.self).contains(" \(big.path)\0")
            {
                seen = true
                break
            }
            usleep(1000)
        }
        run.kill()
        run.waitUntilExit()
        try #require(seen, "the journal named the big file while it was read")

        let next = try TrawlBinary.run(["index", corpus.path, "--db", db])
        #expect(next.status == 1)
        // The other reader thread may have been inside a small file too: it is skipped the same way.
        let lines = next.stderr.split(separator: "\n")
        #expect(
            lines.contains(
                "trawl: \(big.path): trawl stopped while reading this file (crashed or killed); skipped until it changes"
            ), "\(next.stderr)")
        #expect(
            lines.allSatisfy {
                $0.hasSuffix(
                    "trawl stopped while reading this file (crashed or killed); skipped until it changes")
            })
        #expect(next.stdout.contains("\(lines.count) failed"), "\(next.stdout)")
        let status = try StatusOutput(
            json: TrawlBinary.run(["status", "--db", db, "--format", "json"]).stdout)
        #expect(status.failures.map(\.path).contains(big.path))
        #expect(status.failures.count == lines.count)
        #expect(status.failures.allSatisfy { $0.kind == "interrupted" })
        let quiet = try TrawlBinary.run(["index", corpus.path, "--db", db, "--quiet"])
        #expect(quiet.status == 0, "\(quiet.stderr)")
        #expect(quiet.stdout.isEmpty && quiet.stderr.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: journal), "a run that ends removes its journal")

        try "Big report\n\nNow a short one about saffron.\n".write(to: big, atomically: true, encoding: .utf8)
        for failure in status.failures where failure.path != big.path {
            try FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: failure.path)
        }
        #expect(try TrawlBinary.run(["index", corpus.path, "--db", db]).status == 0)
        let found = try SearchOutput(
            json: TrawlBinary.run(["search", "saffron", "--db", db, "--format", "json"]).stdout)
        #expect(found.results.map(\.path) == [big.path])
    }

    @Test func searchesRunningDuringIndexingNeverFail() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        var generator = SyntheticCorpus(seed: 11)
        try generator.write(count: 40, into: corpus, subfolder: "seed")
        #expect(try TrawlBinary.run(["index", corpus.path, "--db", db]).status == 0)
        try generator.write(count: 3000, into: corpus, subfolder: "bulk")

        let run = try BackgroundTrawl(["index", corpus.path, "--db", db])
        var searches = 0
        repeat {
            let outcome = try TrawlBinary.run(["search", "report OR market", "--db", db, "--limit", "3"])
            #expect([0, 1].contains(outcome.status), "\(outcome.stderr)")
            searches += 1
        } while run.isRunning
        run.waitUntilExit()
        #expect(run.status == 0)
        #expect(searches > 1)
    }

    @Test(arguments: [false, true])
    func twoConcurrentIndexRunsLetExactlyOneWrite(secondThroughASymbolicLink: Bool) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        var generator = SyntheticCorpus(seed: 3)
        try generator.write(count: 1500, into: corpus)
        let link = folder.appendingPathComponent("link.sqlite").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: db)
        let first = try BackgroundTrawl(["index", corpus.path, "--db", db])
        let second = try BackgroundTrawl([
            "index", corpus.path, "--db", secondThroughASymbolicLink ? link : db,
        ])
        first.waitUntilExit()
        second.waitUntilExit()
        let outcomes = [first, second]
        let writers = outcomes.filter { $0.status == 0 && $0.stdout.hasPrefix("1500 added") }
        let others = outcomes.filter { !($0.status == 0 && $0.stdout.hasPrefix("1500 added")) }
        #expect(writers.count == 1, "\(outcomes.map { ($0.status, $0.stdout, $0.stderr) })")
        for other in others {
            // Either it found the lock taken, or it ran strictly after the writer and had nothing to do.
            #expect(
                (other.status == 75 && other.stderr.contains("Another `trawl index` (pid "))
                    || other.stdout.hasPrefix("0 added"),
                "status \(other.status), stdout \(other.stdout), stderr \(other.stderr)")
        }
        #expect(try TrawlBinary.run(["check", "--db", db]).status == 0)
    }
}

/// A `trawl` process running in the background, its output collected in files.
final class BackgroundTrawl {
    private let process = Process()
    private let outURL: URL
    private let errURL: URL

    init(_ arguments: [String]) throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trawl-bg-\(UUID().uuidString)")
        outURL = base.appendingPathExtension("out")
        errURL = base.appendingPathExtension("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.executableURL = TrawlBinary.executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["TRAWL_DB"] = nil
        process.environment = environment
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
    }

    deinit {
        try? FileManager.default.removeItem(at: outURL)
        try? FileManager.default.removeItem(at: errURL)
    }

    var isRunning: Bool { process.isRunning }
    func waitUntilExit() { process.waitUntilExit() }
    /// `kill -9`: no chance to clean up.
    func kill() { sendKill(process.processIdentifier) }
    var status: Int32 { process.terminationStatus }
    var stdout: String { (try? String(contentsOf: outURL, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: errURL, encoding: .utf8)) ?? "" }
}

/// `kill(pid, SIGKILL)`.
private func sendKill(_ pid: Int32) {
    _ = kill(pid, SIGKILL)
}

/// A deterministic random number generator (SplitMix64), so failures can be replayed.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Report-like files, each with a unique marker word, so every file can be searched for.
struct SyntheticCorpus {
    /// Relative path → marker word of every file currently on disk.
    private(set) var files: [String: String] = [:]
    /// Markers of files that were deleted (must not be found).
    private(set) var removedMarkers: [String] = []
    private var random: SeededRandom
    private var serial = 0

    private static let words = [
        "market", "report", "oil", "prices", "government", "minister", "trade", "bank", "shares", "rose",
        "fell", "said", "company", "official", "talks", "exports", "grain", "corridor", "sanctions", "growth",
        "inflation", "budget", "election", "council", "harbour", "shipping", "weather", "harvest", "energy",
        "loan",
    ]

    init(seed: UInt64) { random = SeededRandom(seed: seed) }

    /// A word made of letters only, unique to one file ("qx" + base-26 serial).
    private mutating func nextMarker() -> String {
        serial += 1
        var value = serial
        var marker = "qx"
        repeat {
            marker.unicodeScalars.append(Unicode.Scalar(UInt8(97 + value % 26)))
            value /= 26
        } while value > 0
        return marker + "zq"
    }

    private mutating func text(marker: String) -> String {
        let length = Int.random(in: 80...400, using: &random)
        var body: [String] = []
        for index in 0..<length {
            body.append(index == length / 2 ? marker : Self.words.randomElement(using: &random)!)
        }
        return "Report \(marker)\n\n" + body.joined(separator: " ") + ".\n"
    }

    /// Writes `count` files below `corpus/subfolder`, 500 to a folder.
    mutating func write(count: Int, into corpus: URL, subfolder: String = "") throws {
        let prefix = subfolder.isEmpty ? "" : subfolder + "/"
        for index in 0..<count {
            let marker = nextMarker()
            let relative = "\(prefix)\(index / 500)/r\(serial).txt"
            try corpus.write(text(marker: marker), to: relative)
            files[relative] = marker
        }
    }

    /// Edits, adds, deletes and moves a few percent of the files below `corpus`.
    mutating func mutate(_ corpus: URL, random other: inout SeededRandom) throws {
        var paths = files.keys.sorted()
        for _ in 0..<30 {
            guard let path = paths.randomElement(using: &other) else { break }
            paths.removeAll { $0 == path }
            let url = corpus.appendingPathComponent(path)
            switch Int.random(in: 0..<4, using: &other) {
            case 0:
                let marker = nextMarker()
                try corpus.write(text(marker: marker), to: path)
                removedMarkers.append(files[path]!)
                files[path] = marker
            case 2 where !path.hasPrefix("moved/"):
                let target = "moved/\(url.lastPathComponent)"
                try FileManager.default.createDirectory(
                    at: corpus.appendingPathComponent("moved"), withIntermediateDirectories: true)
                try FileManager.default.moveItem(at: url, to: corpus.appendingPathComponent(target))
                files[target] = files.removeValue(forKey: path)
            case 1, 2:
                try FileManager.default.removeItem(at: url)
                removedMarkers.append(files.removeValue(forKey: path)!)
            default:
                let marker = nextMarker()
                let added = "new/n\(serial).txt"
                try corpus.write(text(marker: marker), to: added)
                files[added] = marker
            }
        }
    }
}
