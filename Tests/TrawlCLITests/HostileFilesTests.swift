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
}
