import Foundation

/// Where the index lives: `--db`, else `$TRAWL_DB`, else `$XDG_DATA_HOME/trawl/index.sqlite`,
/// else `~/.local/share/trawl/index.sqlite`.
enum IndexLocation {
    static func resolve(
        _ option: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    )
        -> String
    {
        if let option, !option.isEmpty { return absolute(option) }
        if let path = environment["TRAWL_DB"], !path.isEmpty { return absolute(path) }
        let dataHome =
            environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.local/share")
        return absolute(dataHome + "/trawl/index.sqlite")
    }

    /// What is wrong with `path` as an index file, if something is that SQLite would word
    /// obscurely ("unable to open database file"): it is a folder.
    static func problem(at path: String) -> String? {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
            return nil
        }
        return "The index \(path) is a folder; give the index file, e.g. --db \(path)/index.sqlite."
    }

    static func absolute(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return expanded }
        return FileManager.default.currentDirectoryPath + "/" + expanded
    }
}
