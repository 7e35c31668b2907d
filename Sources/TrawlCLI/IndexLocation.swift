import Foundation

/// Where the index lives: `--db`, else `$TRAWL_DB`, else `$XDG_DATA_HOME/trawl/index.sqlite`,
/// else `~/.local/share/trawl/index.sqlite`.
enum IndexLocation {
    /// `environment` defaults to the process's, read only when no `--db` is given (building it
    /// costs a short search about 0.4 M instructions).
    static func resolve(_ option: String?, environment: [String: String]? = nil) -> String {
        if let option, !option.isEmpty { return absolute(option) }
        let environment = environment ?? ProcessInfo.processInfo.environment
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
