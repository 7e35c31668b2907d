import ArgumentParser

/// `--db PATH`, shared by every command that opens an index.
struct IndexOption: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Index file (default: $TRAWL_DB, else $XDG_DATA_HOME/trawl/index.sqlite).", valueName: "path"))
    var db: String?

    var path: String { IndexLocation.resolve(db) }

    func validate() throws {
        if let problem = IndexLocation.problem(at: path) { throw ValidationError(problem) }
    }
}

extension OutputFormat: ExpressibleByArgument {}
extension ColorChoice: ExpressibleByArgument {}
