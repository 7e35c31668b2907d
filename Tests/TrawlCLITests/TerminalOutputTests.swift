import Foundation
import Testing

/// Issue 13: output a terminal can trust. Titles, bodies and file names holding escape sequences
/// (window title, clear screen, OSC 52 clipboard write, C1 CSI, DEL) or newlines reach the
/// terminal with every control character made visible, in every command and on both streams;
/// JSON escapes them and gives back the original characters.
@Suite struct TerminalOutputTests {
    let folder: URL
    let docs: URL
    let db: String

    static let title = "Oil \u{1B}]0;pwned\u{07}tanker\u{1B}[2J seized \u{9B}31m\u{7F}"
    static let body = "The oil\u{1B}]52;c;ZXZpbA==\u{07} tanker was seized.\n\tSecond line \u{1B}[1A up."
    /// A file name that would print a line of its own, in red.
    static let forgedName = "forged\n\u{1B}[31mFORGED line: oil.txt"
    /// An empty file (a recorded failure) with a forged line in its name.
    static let emptyName = "empty\nFORGED failure\u{1B}]0;x\u{07}.txt"

    init() throws {
        folder = try TrawlBinary.temporaryFolder()
        docs = folder.appendingPathComponent("docs")
        db = folder.appendingPathComponent("index.sqlite").path
        try docs.write("\(Self.title)\n\n\(Self.body)\n", to: "hostile.txt")
        try docs.write("Plain oil report\n\nOil prices rose.\n", to: Self.forgedName)
        try Data().write(to: docs.appendingPathComponent(Self.emptyName))
    }

    /// No raw control byte (but newline and tab), and no line Trawl did not write.
    func expectSafe(_ outcome: TrawlBinary.Outcome, _ label: String) {
        for (stream, text) in [("stdout", outcome.stdout), ("stderr", outcome.stderr)] {
            let bytes = Array(text.utf8)
            let raw = bytes.indices.contains { index in
                let byte = bytes[index]
                return (byte < 0x20 && byte != 0x0A && byte != 0x09) || byte == 0x7F
                    || (byte == 0xC2 && index + 1 < bytes.count && (0x80...0x9F).contains(bytes[index + 1]))
            }
            #expect(!raw, "\(label): a raw control character on \(stream): \(text.debugDescription)")
            let forged = text.split(separator: "\n").contains { $0.hasPrefix("FORGED") }
            #expect(!forged, "\(label): a forged line on \(stream): \(text.debugDescription)")
        }
    }

    @Test func controlCharactersInTitlesBodiesAndFileNamesAreShownVisiblyByEveryCommand() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let index = try TrawlBinary.run(["index", docs.path, "--db", db])
        expectSafe(index, "index")
        #expect(index.stderr.contains("FORGED failure"), "the empty file is named: \(index.stderr)")
        let hostile = docs.appendingPathComponent("hostile.txt").path
        let forged = docs.appendingPathComponent(Self.forgedName).path
        for arguments in [
            ["search", "oil"], ["search", "oil", "--color", "always"],
            ["search", "tanker", "--color", "never"],
            ["show", hostile], ["show", hostile, "--query", "oil", "--color", "never"], ["show", forged],
            ["status"], ["stats"], ["check"], ["index", docs.path, "--dry-run"], ["search", "oil\u{1B}[2J"],
        ] {
            let outcome = try TrawlBinary.run(arguments + ["--db", db])
            if arguments.contains("always") {
                // Trawl's own colours only: no OSC, no clear-screen, no cursor movement.
                for sequence in ["\u{1B}]", "\u{1B}[2J", "\u{1B}[1A", "\u{9B}", "\u{07}"] {
                    #expect(
                        !outcome.stdout.contains(sequence), "\(arguments): \(outcome.stdout.debugDescription)"
                    )
                }
                continue
            }
            expectSafe(outcome, arguments.joined(separator: " "))
        }
        let search = try TrawlBinary.run(["search", "tanker", "--db", db, "--color", "never"])
        #expect(search.stdout.contains("Oil \\x1b]0;pwned\\x07tanker\\x1b[2J seized \\u009b31m\\x7f"))
        let show = try TrawlBinary.run(["show", hostile, "--db", db, "--color", "never"])
        #expect(show.stdout.contains("The oil\\x1b]52;c;ZXZpbA==\\x07 tanker was seized.\n\tSecond line"))
        let status = try TrawlBinary.run(["status", "--db", db])
        #expect(status.stdout.contains("empty\\x0aFORGED failure\\x1b]0;x\\x07.txt"), "\(status.stdout)")
    }

    @Test func jsonOutputEscapesControlCharactersAndGivesBackTheOriginalText() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        // 1: the empty file with the forged name is newly skipped.
        #expect(try TrawlBinary.run(["index", docs.path, "--db", db]).status == 1)
        struct Search: Decodable {
            struct Result: Decodable { var path: String, title: String }
            var results: [Result]
        }
        struct Show: Decodable { var title: String, body: String }
        struct Status: Decodable {
            struct Failure: Decodable { var path: String }
            var failures: [Failure]
        }
        let hostile = docs.appendingPathComponent("hostile.txt").path
        let search = try TrawlBinary.run(["search", "oil", "--db", db, "--format", "json"])
        let show = try TrawlBinary.run(["show", hostile, "--db", db, "--format", "json"])
        let status = try TrawlBinary.run(["status", "--db", db, "--format", "json"])
        for (name, outcome) in [("search", search), ("show", show), ("status", status)] {
            expectSafe(outcome, "\(name) --format json")
        }
        let results = try JSONDecoder().decode(Search.self, from: Data(search.stdout.utf8)).results
        #expect(results.contains { $0.title == Self.title && $0.path == hostile })
        #expect(results.contains { $0.path == docs.appendingPathComponent(Self.forgedName).path })
        let shown = try JSONDecoder().decode(Show.self, from: Data(show.stdout.utf8))
        #expect(shown.title == Self.title)
        #expect(shown.body == Self.body)
        let failures = try JSONDecoder().decode(Status.self, from: Data(status.stdout.utf8)).failures
        #expect(failures.map(\.path) == [docs.appendingPathComponent(Self.emptyName).path])
    }
}
