import ArgumentParser
import TrawlIngest

/// Which files `trawl index` reads and how (hidden files, size limit, globs, records' fields) and
/// how many missing documents it may remove: shared by `trawl index` and `trawl cron`, whose lines
/// must index exactly what the same options given by hand do.
struct FileSelection: ParsableArguments {
    @Flag(name: .long, help: "Also index hidden files and folders (names starting with '.').")
    var hidden = false

    @Option(name: .long, help: ArgumentHelp("Skip files larger than this many megabytes.", valueName: "MB"))
    var maxFileSize: Double = Self.defaultMaxFileSize

    /// Megabytes.
    static let defaultMaxFileSize: Double = 50

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Skip files and folders matching a glob (a name, or a path below the folder if it has a '/'); repeatable.",
            valueName: "glob"))
    var exclude: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp("Index only files matching a glob (as --exclude); repeatable.", valueName: "glob"))
    var include: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Read files matching a glob as plain text whatever their extension (as --exclude, e.g. '*.log'); repeatable.",
            valueName: "glob"))
    var asText: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Keep every document under a folder when more than this many of its documents are missing: a share (20%) or a number (500).",
            valueName: "percent|count"))
    var maxRemovals: String = RemovalLimit.standard.description

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Which keys of JSON records hold a field, e.g. body=story,text (fields: \(RecordFields.fieldNames.joined(separator: ", "))); repeatable.",
            valueName: "field=keys"))
    var field: [String] = []

    func validate() throws {
        guard maxFileSize > 0 else { throw ValidationError("--max-file-size must be positive.") }
        guard RemovalLimit(argument: maxRemovals) != nil else {
            throw ValidationError(
                "--max-removals \(maxRemovals): expected a share like 20% or a count like 500.")
        }
        _ = try recordFields()
    }

    /// The record field mapping `--field` asks for.
    func recordFields() throws -> RecordFields {
        var fields = RecordFields()
        for mapping in field {
            let parts = mapping.split(separator: "=", maxSplits: 1)
            let keys =
                parts.count == 2
                ? parts[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } : []
            guard parts.count == 2, !keys.isEmpty, !keys.contains(where: \.isEmpty),
                fields.set(String(parts[0]), keys: keys)
            else {
                throw ValidationError(
                    "--field \(mapping): expected FIELD=KEY[,KEY...] with FIELD one of \(RecordFields.fieldNames.joined(separator: ", "))."
                )
            }
        }
        return fields
    }

    /// Ingest options holding this selection (globs that do not compile are reported and left out).
    func ingestOptions() throws -> IngestOptions {
        var options = IngestOptions()
        options.filter = WalkFilter(
            includeHidden: hidden, excludes: globs(exclude, option: "--exclude"),
            includes: globs(include, option: "--include"), asText: globs(asText, option: "--as-text"))
        options.maxFileSize = Int64(maxFileSize * 1024 * 1024)
        options.maxRemovals = RemovalLimit(argument: maxRemovals) ?? .standard
        options.recordFields = try recordFields()
        return options
    }

    /// The options as `trawl index` arguments, those left at their defaults omitted (for the
    /// lines `trawl cron` prints).
    var arguments: [String] {
        var arguments: [String] = []
        if hidden { arguments.append("--hidden") }
        if maxFileSize != Self.defaultMaxFileSize {
            arguments += [
                "--max-file-size",
                maxFileSize == maxFileSize.rounded() ? "\(Int(maxFileSize))" : "\(maxFileSize)",
            ]
        }
        for (option, values) in [("--exclude", exclude), ("--include", include), ("--as-text", asText)] {
            for value in values { arguments += [option, value] }
        }
        if maxRemovals != RemovalLimit.standard.description { arguments += ["--max-removals", maxRemovals] }
        for mapping in field { arguments += ["--field", mapping] }
        return arguments
    }

    /// The patterns of `option` that compile; the others are reported and left out.
    private func globs(_ patterns: [String], option: String) -> [Glob] {
        patterns.compactMap { pattern in
            do {
                return try Glob(validating: pattern)
            } catch {
                printError("trawl: warning: \(option) '\(pattern)' is ignored: \(error)")
                return nil
            }
        }
    }
}
