import Foundation
import Testing

/// Issue 18: `scripts/install --prefix` puts a working `trawl`, its man page and its completions
/// where the shell and `man` find them, and `--uninstall` takes exactly those away.
struct InstallTests {
    /// The release build and the generate-manual tool `scripts/install --skip-build` uses
    /// (`scripts/test` builds the tool; a release build takes minutes, so the test does not make one).
    static let prerequisites: String? = {
        let root = TrawlBinary.packageRoot.path
        guard FileManager.default.isExecutableFile(atPath: root + "/.build/release/trawl") else {
            return "no release build (.build/release/trawl): run scripts/install or scripts/demo once"
        }
        let tools = (try? FileManager.default.contentsOfDirectory(atPath: root + "/.build")) ?? []
        let hasTool = tools.contains { triple in
            ["debug", "release"].contains {
                FileManager.default.isExecutableFile(
                    atPath: "\(root)/.build/\(triple)/\($0)/generate-manual-tool")
            }
        }
        guard hasTool else {
            return "no generate-manual tool: run swift package plugin generate-manual --configuration debug"
        }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/man") else { return "no man command" }
        return nil
    }()

    @Test(.enabled(if: prerequisites == nil, "\(prerequisites ?? "")"))
    func installPutsTrawlItsManPageAndCompletionsWhereTheyAreFoundAndUninstallRemovesThem() throws {
        let prefix = try TrawlBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: prefix) }
        try prefix.write("left alone\n", to: "share/other/file")
        let before = try Self.listing(prefix)

        let install = try Shell.run(
            "scripts/install --prefix \"$PREFIX\" --skip-build", environment: ["PREFIX": prefix.path])
        #expect(install.status == 0, "\(install.stderr)")
        for place in [
            "bin/trawl", "share/man/man1/trawl.1", "share/bash-completion/completions/trawl",
            "share/zsh/site-functions/_trawl", "share/fish/vendor_completions.d/trawl.fish",
        ] {
            #expect(install.stdout.contains(prefix.path + "/" + place), "\(place)")
        }

        // As README says: bin first on PATH (man derives …/share/man from it; MANPATH set as well).
        let check = try Shell.run(
            """
            export PATH="$PREFIX/bin:$PATH" MANPATH="$PREFIX/share/man:"
            trawl --version
            man -w trawl
            source "$PREFIX/share/bash-completion/completions/trawl"
            function=$(complete -p trawl | sed -E 's/.*-F ([^ ]+).*/\\1/')
            COMP_WORDS=(trawl se) COMP_CWORD=1 COMP_LINE='trawl se' COMP_POINT=8
            "$function" trawl se trawl
            echo "completions: ${COMPREPLY[*]}"
            """, environment: ["PREFIX": prefix.path])
        #expect(check.status == 0, "\(check.stderr)")
        let lines = check.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == (try TrawlBinary.run(["--version"])).stdout.trimmingCharacters(in: .newlines))
        #expect(lines.contains(prefix.path + "/share/man/man1/trawl.1"))
        #expect(lines.last == "completions: search serve")
        let manPage = try String(
            contentsOf: prefix.appendingPathComponent("share/man/man1/trawl.1"), encoding: .utf8)
        #expect(manPage.contains(".Nm trawl") || manPage.contains("trawl"))
        #expect(manPage.contains("search"))

        let uninstall = try Shell.run(
            "scripts/install --prefix \"$PREFIX\" --uninstall", environment: ["PREFIX": prefix.path])
        #expect(uninstall.status == 0, "\(uninstall.stderr)")
        #expect(try Self.listing(prefix) == before)
    }

    @Test func readmeQuickStartKeepsItsTwoSetUpCommandsAndInstallComesFirst() throws {
        let readme = try String(
            contentsOf: TrawlBinary.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let quickStart = readme.components(separatedBy: "## Quick start").last ?? ""
        let block = quickStart.components(separatedBy: "```").dropFirst().first ?? ""
        let commands = block.split(separator: "\n").filter { !$0.hasPrefix("sh") && !$0.isEmpty }
        #expect(commands.count == 2)
        #expect(commands.first?.hasPrefix("scripts/demo") == true)
        #expect(commands.last?.hasPrefix("scripts/test") == true)
        let install = try #require(readme.range(of: "\n## Install"))
        let commandsSection = try #require(readme.range(of: "\n## Commands"))
        #expect(install.lowerBound < commandsSection.lowerBound)
        #expect(readme.contains("scripts/install --uninstall"))
    }

    /// Every file and folder below `folder`, as relative paths.
    static func listing(_ folder: URL) throws -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: folder.path)
        return (enumerator?.allObjects as? [String] ?? []).sorted()
    }
}
