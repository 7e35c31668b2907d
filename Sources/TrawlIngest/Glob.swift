/// A shell-style file-name pattern: `*` (any run of characters but `/`), `**` (any run,
/// including `/`), `?` (one character but `/`), `[abc]`, `[a-z]`, `[!abc]`, and `\x` for a
/// literal `x`.
///
/// Matching works on UTF-8 bytes, so it never allocates per file.
public struct Glob: Sendable, Hashable {
    /// The pattern as written.
    public let pattern: String
    private let bytes: [UInt8]

    public init(_ pattern: String) {
        self.pattern = pattern
        bytes = Array(pattern.utf8)
    }

    /// Whether the pattern contains a `/` (then it is matched against a relative path, not a name).
    var containsSlash: Bool { bytes.contains(UInt8(ascii: "/")) }

    /// Whether `text` matches the whole pattern.
    public func matches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { subject in
            bytes.withUnsafeBufferPointer { pattern in Self.match(pattern, 0, subject, 0) }
        }
    }

    private static let star = UInt8(ascii: "*")
    private static let slash = UInt8(ascii: "/")

    private static func match(
        _ pattern: UnsafeBufferPointer<UInt8>, _ p: Int, _ text: UnsafeBufferPointer<UInt8>, _ t: Int
    ) -> Bool {
        var p = p
        var t = t
        while p < pattern.count {
            let byte = pattern[p]
            switch byte {
            case star:
                if p + 1 < pattern.count && pattern[p + 1] == star {
                    // `**`: any run including slashes; `**/` may also match nothing.
                    var next = p + 2
                    if next < pattern.count && pattern[next] == slash {
                        next += 1
                        if match(pattern, next, text, t) { return true }
                    }
                    var candidate = t
                    while candidate < text.count {
                        if match(pattern, next, text, candidate) { return true }
                        candidate += 1
                    }
                    return match(pattern, next, text, text.count)
                }
                var candidate = t
                while true {
                    if match(pattern, p + 1, text, candidate) { return true }
                    if candidate >= text.count || text[candidate] == slash { return false }
                    candidate += 1
                }
            case UInt8(ascii: "?"):
                guard t < text.count, text[t] != slash else { return false }
                p += 1
                t += 1
            case UInt8(ascii: "["):
                guard t < text.count, text[t] != slash else { return false }
                guard let (matched, end) = matchClass(pattern, p, text[t]) else {
                    // An unclosed `[` is a literal.
                    guard text[t] == byte else { return false }
                    p += 1
                    t += 1
                    continue
                }
                guard matched else { return false }
                p = end
                t += 1
            case UInt8(ascii: "\\") where p + 1 < pattern.count:
                guard t < text.count, text[t] == pattern[p + 1] else { return false }
                p += 2
                t += 1
            default:
                guard t < text.count, text[t] == byte else { return false }
                p += 1
                t += 1
            }
        }
        return t == text.count
    }

    /// Matches one byte against the class starting at `start` (`[`); nil when it is not closed.
    private static func matchClass(_ pattern: UnsafeBufferPointer<UInt8>, _ start: Int, _ byte: UInt8) -> (
        Bool, Int
    )? {
        var index = start + 1
        var negated = false
        if index < pattern.count
            && (pattern[index] == UInt8(ascii: "!") || pattern[index] == UInt8(ascii: "^"))
        {
            negated = true
            index += 1
        }
        var matched = false
        var first = true
        while index < pattern.count {
            let low = pattern[index]
            if low == UInt8(ascii: "]") && !first { return (matched != negated, index + 1) }
            first = false
            if index + 2 < pattern.count && pattern[index + 1] == UInt8(ascii: "-")
                && pattern[index + 2] != UInt8(ascii: "]")
            {
                if (low...pattern[index + 2]).contains(byte) { matched = true }
                index += 3
            } else {
                if low == byte { matched = true }
                index += 1
            }
        }
        return nil
    }
}

/// One line of a `.trawlignore` (gitignore syntax), or an `--exclude` pattern.
struct IgnoreRule: Sendable, Hashable {
    /// The folder the rule was written in (absolute, without trailing slash).
    var base: String
    var glob: Glob
    /// `!pattern`: re-includes what an earlier rule ignored.
    var isNegation: Bool
    /// `pattern/`: matches folders only.
    var directoryOnly: Bool
    /// A pattern with a `/` before its end is matched against the path below `base`; one without
    /// is matched against the name at any depth.
    var isAnchored: Bool

    /// Parses a `.trawlignore` written in `base`: globs, `dir/`, `!negation`, `#` comments, `/anchored`.
    static func parse(_ text: String, base: String) -> [IgnoreRule] {
        var rules: [IgnoreRule] = []
        for rawLine in text.split(
            omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" })
        {
            var line = Substring(rawLine)
            // Trailing spaces are ignored unless escaped.
            while line.hasSuffix(" ") && !line.hasSuffix("\\ ") { line = line.dropLast() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            var isNegation = false
            if line.hasPrefix("!") {
                isNegation = true
                line = line.dropFirst()
            } else if line.hasPrefix("\\!") || line.hasPrefix("\\#") {
                line = line.dropFirst()
            }
            var directoryOnly = false
            if line.hasSuffix("/") {
                directoryOnly = true
                line = line.dropLast()
            }
            var isAnchored = line.contains("/")
            if line.hasPrefix("/") {
                line = line.dropFirst()
                isAnchored = true
            }
            if line.isEmpty { continue }
            rules.append(
                IgnoreRule(
                    base: base, glob: Glob(String(line)), isNegation: isNegation,
                    directoryOnly: directoryOnly,
                    isAnchored: isAnchored))
        }
        return rules
    }

    /// Whether this rule's pattern matches the entry at `path` (named `name`).
    func matches(path: String, name: String, isDirectory: Bool) -> Bool {
        if directoryOnly && !isDirectory { return false }
        guard isAnchored else { return glob.matches(name) }
        guard path.utf8.count > base.utf8.count + 1, path.hasPrefix(base + "/") else { return false }
        return glob.matches(String(path.utf8.dropFirst(base.utf8.count + 1))!)
    }
}

/// The ignore rules in force in one folder: those of its ancestors' `.trawlignore` files and its
/// own, in order; the last rule that matches decides (as in git).
struct IgnoreRules: Sendable {
    var rules: [IgnoreRule] = []

    /// True when the entry is ignored.
    func ignores(path: String, name: String, isDirectory: Bool) -> Bool {
        for rule in rules.reversed() where rule.matches(path: path, name: name, isDirectory: isDirectory) {
            return !rule.isNegation
        }
        return false
    }
}
