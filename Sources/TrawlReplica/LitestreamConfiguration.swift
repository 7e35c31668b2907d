/// The Litestream configuration (YAML) that replicates one index to one location.
///
/// ```yaml
/// dbs:
///   - path: "/home/me/.local/share/trawl/index.sqlite"
///     replica:
///       type: file
///       path: "/srv/trawl-replica"
///       sync-interval: 1s
/// ```
/// Strings are double-quoted YAML scalars, and Litestream runs with `-no-expand-env`, so a `$` in
/// a path stays as it is; S3 and other stores take their credentials from Litestream's usual
/// environment variables.
public struct LitestreamConfiguration: Equatable, Sendable {
    /// The index file to replicate, absolute.
    public var indexPath: String
    /// Where the replica goes.
    public var location: ReplicaLocation
    /// How often Litestream ships the WAL frames committed since the last time, in seconds.
    public var syncInterval: Double

    public init(indexPath: String, location: ReplicaLocation, syncInterval: Double) {
        self.indexPath = indexPath
        self.location = location
        self.syncInterval = syncInterval
    }

    /// The YAML text.
    public var yaml: String {
        var lines = [
            "# Written by `trawl replicate` for \(Self.commentSafe(indexPath)).",
            "# Run: litestream replicate -no-expand-env -config THIS-FILE (what `trawl replicate` does).",
            "dbs:",
            "  - path: \(Self.quoted(indexPath))",
            "    replica:",
        ]
        switch location {
        case .folder(let path):
            lines += ["      type: file", "      path: \(Self.quoted(path))"]
        case .url(let url):
            lines += ["      url: \(Self.quoted(url))"]
        }
        lines.append("      sync-interval: \(Self.duration(syncInterval))")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A Go duration ("1s", "250ms") for `seconds`.
    static func duration(_ seconds: Double) -> String {
        let milliseconds = Int((seconds * 1000).rounded())
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
    }

    /// `text` as a double-quoted YAML scalar.
    static func quoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    output += "\\x" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 2)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output + "\""
    }

    private static func commentSafe(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
