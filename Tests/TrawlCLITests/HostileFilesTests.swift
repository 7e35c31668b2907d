import Foundation
import Testing

/// Issue #13: a single file or pattern must not stop indexing. Each input here once crashed a
/// run, ran out of memory or took minutes; each test bounds the peak memory of the real binary
/// (`/usr/bin/time`) under `ulimit -v`, so a regression fails instead of taking the machine.
@Suite(.serialized) struct HostileFilesTests {
    static let hostile = TrawlBinary.packageRoot.appendingPathComponent("Fixtures/hostile")
    static let report = "Red Sea shipping\n\nTankers resumed the route on Monday.\n"

    /// Runs `trawl` under `ulimit -v` (GiB) and returns its outcome and peak resident memory in MiB.
    static func runMeasured(_ arguments: [String], virtualGiB: Int = 4) throws -> (
        outcome: TrawlBinary.Outcome, peakMiB: Int
    ) {
        let stats = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-time-\(UUID()).txt")
        defer { try? FileManager.default.removeItem(at: stats) }
        let script = "ulimit -v \(virtualGiB * 1024 * 1024); exec /usr/bin/time -f %M -o \"$0\" \"$@\""
        let outcome = try TrawlBinary.runProcess(
            URL(fileURLWithPath: "/bin/bash"),
            ["-c", script, stats.path, TrawlBinary.executable.path] + arguments)
        let lines = (try? String(contentsOf: stats, encoding: .utf8)) ?? ""
        // The last line is the peak in KiB; a line before it may say the command was killed.
        let kib = lines.split(separator: "\n").last.flatMap { Int($0) } ?? Int.max / 1024
        return (outcome, kib / 1024)
    }

    static func folder(with files: [String: String]) throws -> URL {
        let folder = try TrawlBinary.temporaryFolder()
        for (name, text) in files { try folder.write(text, to: "docs/" + name) }
        return folder
    }

    @Test func aliasBombLosesItsFrontMatterAndTheFolderIsIndexed() throws {
        let folder = try Self.folder(with: ["report.txt": Self.report])
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(
            at: Self.hostile.appendingPathComponent("alias-bomb.md"),
            to: folder.appendingPathComponent("docs/alias-bomb.md"))
        let db = folder.appendingPathComponent("index.db").path
        let (outcome, peak) = try Self.runMeasured([
            "index", folder.appendingPathComponent("docs").path, "--db", db,
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(peak < 256)
        #expect(outcome.stdout.contains("2 added"))
        #expect(outcome.stderr.contains("alias-bomb.md: warning: front matter would expand"))
        let search = try TrawlBinary.run(["search", "laughter", "--db", db])
        #expect(search.stdout.contains("alias-bomb.md"))
    }

    @Test func backwardsRangeInTrawlignoreIsReportedWithFileAndLineAndTheRunGoesOn() throws {
        let folder = try Self.folder(with: [
            "report.txt": Self.report, "notes.txt": Self.report, "old-draft.txt": Self.report,
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(
            at: Self.hostile.appendingPathComponent("bad-range.trawlignore"),
            to: folder.appendingPathComponent("docs/.trawlignore"))
        let outcome = try TrawlBinary.run([
            "index", folder.appendingPathComponent("docs").path, "--db",
            folder.appendingPathComponent("i.db").path,
        ])
        // Reported once (exit 1: something new went wrong), then known: the next run is quiet.
        #expect(outcome.status == 1, "\(outcome.stderr)")
        #expect(outcome.stderr.contains(".trawlignore: warning: line 3: pattern '[z-a]' is ignored"))
        #expect(outcome.stdout.contains("2 added"))
        let again = try TrawlBinary.run([
            "index", folder.appendingPathComponent("docs").path, "--db",
            folder.appendingPathComponent("i.db").path, "--quiet",
        ])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.isEmpty)
    }

    @Test func invalidAndPathologicalExcludesAreHandledByTheOption() throws {
        let name = String(repeating: "a", count: 60) + ".txt"
        let folder = try Self.folder(with: [name: Self.report, "kept.txt": Self.report])
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try TrawlBinary.run([
            "index", folder.appendingPathComponent("docs").path, "--db",
            folder.appendingPathComponent("i.db").path,
            "--exclude", "[z-a]", "--exclude", "*a*a*a*a*a*a*a*a*b", "--exclude", "**/**/**/**/**/**/**/**/x",
            "--include", "*.txt",
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("warning: --exclude '[z-a]' is ignored"))
        #expect(outcome.stdout.contains("2 added"))
    }

    @Test func docxZipBombIsRefusedAtTheCapInBoundedMemory() throws {
        // Issue #15: a .docx whose document part inflates to 256 MiB (about 250 KB compressed).
        let folder = try Self.folder(with: ["report.txt": Self.report])
        defer { try? FileManager.default.removeItem(at: folder) }
        let bomb = folder.appendingPathComponent("docs/bomb.docx").path
        let write = """
            import sys, zipfile
            with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
                with z.open("word/document.xml", "w", force_zip64=False) as part:
                    part.write(b"<w:document><w:body>")
                    for _ in range(256): part.write(b" " * (1024 * 1024 - 1) + b"x")
            """
        let made = try TrawlBinary.runProcess(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", write, bomb])
        try #require(made.status == 0, "python3 could not write the zip bomb: \(made.stderr)")
        let (outcome, peak) = try Self.runMeasured([
            "index", folder.appendingPathComponent("docs").path, "--db",
            folder.appendingPathComponent("i.db").path,
        ])
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains("1 added"))
        #expect(
            outcome.stderr.contains(
                "bomb.docx: cannot read it: word/document.xml inflates to more than 64 MiB"))
        #expect(peak < 192)
    }

    @Test func longHyphenChainIsIndexedInBoundedMemory() throws {
        // 4 MB: 2 million parts in one word, which took hundreds of MiB of scratch memory.
        let chain = String(repeating: "a-", count: 2 * 1024 * 1024) + "a\n"
        let folder = try Self.folder(with: ["chain.txt": "A chain\n\n" + chain, "report.txt": Self.report])
        defer { try? FileManager.default.removeItem(at: folder) }
        let (outcome, peak) = try Self.runMeasured([
            "index", folder.appendingPathComponent("docs").path, "--db",
            folder.appendingPathComponent("i.db").path,
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("2 added"))
        #expect(peak < 128)
    }

    @Test func largeSparseFileIsFoundBinaryWithoutBeingRead() throws {
        let folder = try Self.folder(with: ["report.txt": Self.report])
        defer { try? FileManager.default.removeItem(at: folder) }
        let sparse = folder.appendingPathComponent("docs/sparse.txt")
        #expect(FileManager.default.createFile(atPath: sparse.path, contents: nil))
        let handle = try FileHandle(forWritingTo: sparse)
        try handle.truncate(atOffset: 1 << 30)
        try handle.close()
        let (outcome, peak) = try Self.runMeasured([
            "index", folder.appendingPathComponent("docs").path, "--db",
            folder.appendingPathComponent("i.db").path,
            "--max-file-size", "2000",
        ])
        // A skipped file makes the run's status 1; what matters is that the run finished.
        #expect(outcome.status == 1, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("sparse.txt: binary file"))
        #expect(outcome.stdout.contains("1 added"))
        #expect(peak < 256)
    }

    /// `count` records of about 90 bytes numbered from 1, as JSON Lines or as one JSON array;
    /// `changed` gets a new body.
    static func tinyRecords(_ count: Int, changed: Int? = nil, asArray: Bool) -> String {
        var text = asArray ? "[\n" : ""
        text.reserveCapacity(count * 90)
        for number in 1...count {
            let body =
                number == changed
                ? "Convoys halted on day \(number)." : "Tankers resumed the route on day \(number)."
            text += "{\"id\": \(number), \"title\": \"Report \(number)\", \"body\": \"\(body)\"}"
            text += asArray && number < count ? ",\n" : "\n"
        }
        return text + (asArray ? "]\n" : "")
    }

    @Test(arguments: ["feed.jsonl", "feed.json"])
    func manyTinyRecordsAreStreamedInBoundedMemoryAndSettle(file: String) throws {
        // 12 MB, 140,000 records. Held whole, each JSON Lines record cost about 600 bytes (a 48 MB
        // file peaked at 304 MiB) and a JSON array was parsed into objects all at once (1.9 GB
        // for 48 MB); streamed, memory holds one window of records.
        let count = 140_000
        let asArray = file.hasSuffix(".json")
        let folder = try Self.folder(with: [file: Self.tinyRecords(count, asArray: asArray)])
        defer { try? FileManager.default.removeItem(at: folder) }
        let docs = folder.appendingPathComponent("docs").path
        let db = folder.appendingPathComponent("i.db").path
        let (outcome, peak) = try Self.runMeasured(["index", docs, "--db", db])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.hasPrefix("\(count) added, 0 updated, 0 moved, 0 removed, 0 unchanged"))
        #expect(peak < 96, "peak \(peak) MiB")
        let found = try TrawlBinary.run([
            "search", "title:\"Report 139999\"", "--db", db, "--format", "paths",
        ])
        #expect(found.stdout == docs + "/\(file)#139999\n")
        // The records were written over several transactions; the file's stat is set on all of
        // them at the end, so the next run finds the file unchanged without reading it.
        let again = try TrawlBinary.run(["index", docs, "--db", db])
        #expect(again.stdout.hasPrefix("0 added, 0 updated, 0 moved, 0 removed, \(count) unchanged"))
        // One record edited and the last two dropped: one update, two removals.
        try Self.tinyRecords(count - 2, changed: 7, asArray: asArray).write(
            toFile: docs + "/" + file, atomically: false, encoding: .utf8)
        let edited = try TrawlBinary.run(["index", docs, "--db", db])
        #expect(edited.status == 0, "\(edited.stderr)")
        #expect(edited.stdout.hasPrefix("0 added, 1 updated, 0 moved, 2 removed, \(count - 3) unchanged"))
        let convoys = try TrawlBinary.run(["search", "convoys", "--db", db, "--format", "paths"])
        #expect(convoys.stdout == docs + "/\(file)#7\n")
    }
}
