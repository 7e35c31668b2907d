import Foundation

/// Where Litestream keeps an index's replica: a local folder, or a URL of a storage Litestream
/// writes to (`s3://bucket/path`, `gs://…`, `abs://…`, `sftp://…`).
public enum ReplicaLocation: Equatable, Sendable {
    /// A folder on this machine (or a mounted share), as an absolute path.
    case folder(String)
    /// A URL Litestream understands; Trawl checks only its form, Litestream the rest.
    case url(String)

    /// Reads a `--to`/`--from` value: `scheme://rest` is a URL (`file://` a folder), anything else
    /// a folder path, made absolute against `currentDirectory`.
    public init(_ text: String, currentDirectory: String) throws(ReplicaError) {
        guard !text.isEmpty else { throw .invalidLocation(text, reason: "it is empty.") }
        if let separator = text.range(of: "://") {
            let scheme = text[..<separator.lowerBound]
            let rest = text[separator.upperBound...]
            guard let first = scheme.first, first.isASCII, first.isLetter,
                scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
            else {
                throw .invalidLocation(text, reason: "‘\(scheme)’ is not a URL scheme.")
            }
            guard !rest.isEmpty else { throw .invalidLocation(text, reason: "it names no bucket or path.") }
            if scheme.lowercased() == "file" {
                guard rest.hasPrefix("/") else {
                    throw .invalidLocation(text, reason: "a file:// URL needs an absolute path (file:///…).")
                }
                self = .folder(String(rest))
            } else {
                self = .url(text)
            }
            return
        }
        let expanded = (text as NSString).expandingTildeInPath
        let absolute = expanded.hasPrefix("/") ? expanded : currentDirectory + "/" + expanded
        self = .folder((absolute as NSString).standardizingPath)
    }

    /// The location as Litestream's command line takes it (`file:///…` for a folder, percent-encoded).
    public var litestreamURL: String {
        switch self {
        case .folder(let path): return URL(fileURLWithPath: path, isDirectory: true).absoluteString
        case .url(let url): return url
        }
    }
}
