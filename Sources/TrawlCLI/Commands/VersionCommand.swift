import ArgumentParser

/// `trawl version`: the version, as `trawl --version` prints it.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version", abstract: "Print Trawl's version (the same as trawl --version).")

    func run() throws {
        print(Trawl.configuration.version)
    }
}
