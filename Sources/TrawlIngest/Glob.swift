/// A shell-style file-name pattern: `*` (any run of characters but `/`), `**` (any run,
/// including `/`; `**/` matches nothing or a run that ends with `/`), `?` (one character but
/// `/`), `[abc]`, `[a-z]`, `[!abc]`, and `\x` for a literal `x`.
///
/// The pattern is compiled once into steps; matching follows every step a prefix of the name can
/// have reached at once, a byte at a time, so it visits at most (steps + 1) × (bytes + 1) states
/// whatever the stars (backtracking, as before, took exponential time on `*a*a*a*a*b`). Matching
/// works on UTF-8 bytes and never allocates per file.
public struct Glob: Sendable, Hashable {
    /// The pattern as written.
    public let pattern: String
    /// The compiled pattern; nil when it is invalid, and then it matches nothing.
    private let steps: [Step]?

    /// One compiled element of a pattern.
    private enum Step: Sendable, Hashable {
        /// One byte, as written or escaped.
        case byte(UInt8)
        /// `?`: one byte but `/`.
        case any
        /// `[...]`: one byte but `/` in the set.
        case set(ByteSet)
        /// `*`: any run of bytes but `/`.
        case star
        /// `**`: any run of bytes.
        case globstar
        /// Where `**/` starts: goes on, without reading a byte, both to `foldersRun` and past it
        /// (`**/` matching nothing).
        case folders
        /// The rest of `**/`: any run of bytes that ends with `/`.
        case foldersRun

        var isRun: Bool {
            switch self {
            case .star, .globstar: true
            default: false
            }
        }
    }

    /// A set of byte values, one bit each.
    private struct ByteSet: Sendable, Hashable {
        var words: [UInt64] = [0, 0, 0, 0]

        mutating func insert(_ byte: UInt8) { words[Int(byte >> 6)] |= 1 << UInt64(byte & 63) }
        func contains(_ byte: UInt8) -> Bool { words[Int(byte >> 6)] & (1 << UInt64(byte & 63)) != 0 }
        mutating func invert() { words = words.map { ~$0 } }
    }

    /// Compiles `pattern`, or throws when it cannot mean anything (a range such as `[z-a]`).
    public init(validating pattern: String) throws(GlobError) {
        self.pattern = pattern
        steps = try Self.compile(Array(pattern.utf8))
    }

    /// Compiles `pattern`; a pattern that `init(validating:)` refuses matches nothing.
    public init(_ pattern: String) {
        self.pattern = pattern
        steps = try? Self.compile(Array(pattern.utf8))
    }

    /// Whether the pattern contains a `/` (then it is matched against a relative path, not a name).
    var containsSlash: Bool { pattern.utf8.contains(Self.slash) }

    /// Whether `text` matches the whole pattern.
    public func matches(_ text: String) -> Bool {
        var visits = 0
        return matches(text, visits: &visits)
    }

    /// Whether `text` matches, adding to `visits` the number of states followed (tests bound it).
    func matches(_ text: String, visits: inout Int) -> Bool {
        guard let steps else { return false }
        var text = text
        let stateCount = steps.count + 1
        return text.withUTF8 { subject in
            withUnsafeTemporaryAllocation(of: Bool.self, capacity: 2 * stateCount) { buffer in
                buffer.initialize(repeating: false)
                var current = UnsafeMutableBufferPointer(rebasing: buffer[0..<stateCount])
                var next = UnsafeMutableBufferPointer(rebasing: buffer[stateCount...])
                current[0] = true
                Self.close(current, steps)
                for byte in subject {
                    next.update(repeating: false)
                    var alive = false
                    for index in 0..<steps.count where current[index] {
                        visits += 1
                        switch steps[index] {
                        case .byte(let expected):
                            if byte == expected { next[index + 1] = true }
                        case .any:
                            if byte != Self.slash { next[index + 1] = true }
                        case .set(let set):
                            if byte != Self.slash && set.contains(byte) { next[index + 1] = true }
                        case .star:
                            if byte != Self.slash { next[index] = true }
                        case .globstar:
                            next[index] = true
                        case .folders:
                            break
                        case .foldersRun:
                            next[index] = true
                            if byte == Self.slash { next[index + 1] = true }
                        }
                        alive = true
                    }
                    guard alive else { return false }
                    Self.close(next, steps)
                    swap(&current, &next)
                }
                return current[steps.count]
            }
        }
    }

    /// Adds the states reachable without reading a byte: past every run that may be empty, and
    /// into and past `**/`.
    private static func close(_ states: UnsafeMutableBufferPointer<Bool>, _ steps: [Step]) {
        for index in steps.indices where states[index] {
            if steps[index].isRun {
                states[index + 1] = true
            } else if steps[index] == .folders {
                states[index + 1] = true
                states[index + 2] = true
            }
        }
    }

    private static let star = UInt8(ascii: "*")
    private static let slash = UInt8(ascii: "/")

    /// Turns the pattern's bytes into steps; runs of `**/` and `**` that mean the same collapse
    /// into one.
    private static func compile(_ bytes: [UInt8]) throws(GlobError) -> [Step] {
        var steps: [Step] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case star:
                guard index + 1 < bytes.count, bytes[index + 1] == star else {
                    steps.append(.star)
                    index += 1
                    continue
                }
                index += 2
                while index < bytes.count && bytes[index] == star { index += 1 }
                if index < bytes.count && bytes[index] == slash {
                    index += 1
                    // `**/**/` is `**/`, and `**` followed by `**/` is `**`.
                    if steps.last != .foldersRun && steps.last != .globstar {
                        steps += [.folders, .foldersRun]
                    }
                } else {
                    // `**/**` is `**`.
                    if steps.last == .foldersRun { steps.removeLast(2) }
                    if steps.last != .globstar { steps.append(.globstar) }
                }
            case UInt8(ascii: "?"):
                steps.append(.any)
                index += 1
            case UInt8(ascii: "["):
                if let (set, end) = try compileClass(bytes, index) {
                    steps.append(.set(set))
                    index = end
                } else {
                    // An unclosed `[` is a literal.
                    steps.append(.byte(byte))
                    index += 1
                }
            case UInt8(ascii: "\\") where index + 1 < bytes.count:
                steps.append(.byte(bytes[index + 1]))
                index += 2
            default:
                steps.append(.byte(byte))
                index += 1
            }
        }
        return steps
    }

    /// The class starting at `start` (`[`) and the index after its `]`; nil when it is not closed.
    private static func compileClass(_ bytes: [UInt8], _ start: Int) throws(GlobError) -> (ByteSet, Int)? {
        var index = start + 1
        var negated = false
        if index < bytes.count && (bytes[index] == UInt8(ascii: "!") || bytes[index] == UInt8(ascii: "^")) {
            negated = true
            index += 1
        }
        var set = ByteSet()
        var reversed: (low: UInt8, high: UInt8, column: Int)?
        var first = true
        while index < bytes.count {
            let low = bytes[index]
            if low == UInt8(ascii: "]") && !first {
                if let reversed {
                    throw .reversedRange(
                        String(decoding: [reversed.low, UInt8(ascii: "-"), reversed.high], as: UTF8.self),
                        column: reversed.column)
                }
                if negated { set.invert() }
                return (set, index + 1)
            }
            first = false
            if index + 2 < bytes.count && bytes[index + 1] == UInt8(ascii: "-")
                && bytes[index + 2] != UInt8(ascii: "]")
            {
                let high = bytes[index + 2]
                if low <= high {
                    for member in low...high { set.insert(member) }
                } else if reversed == nil {
                    reversed = (low, high, index + 1)
                }
                index += 3
            } else {
                set.insert(low)
                index += 1
            }
        }
        return nil
    }
}

/// Why a glob pattern cannot be used.
public enum GlobError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A range in `[...]` whose first character comes after its last (`[z-a]`); `column` counts
    /// bytes from 1.
    case reversedRange(String, column: Int)

    public var description: String {
        switch self {
        case .reversedRange(let range, let column):
            return "the range \(range) at column \(column) runs backwards"
        }
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
    ///
    /// A pattern that cannot be compiled is left out and handed to `invalid` with its line number
    /// (from 1).
    static func parse(
        _ text: String, base: String,
        invalid: (_ line: Int, _ pattern: String, _ error: GlobError) -> Void = { _, _, _ in }
    ) -> [IgnoreRule] {
        var rules: [IgnoreRule] = []
        var lineNumber = 0
        for newlineSeparated in text.utf8.split(
            separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        {
            lineNumber += 1
            // A lone carriage return (old Mac files) ends a line too; the count follows `\n`.
            for rawLine in newlineSeparated.split(separator: UInt8(ascii: "\r")) {
                var line = Substring(String(decoding: rawLine, as: UTF8.self))
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
                let glob: Glob
                do {
                    glob = try Glob(validating: String(line))
                } catch {
                    invalid(lineNumber, String(line), error)
                    continue
                }
                rules.append(
                    IgnoreRule(
                        base: base, glob: glob, isNegation: isNegation,
                        directoryOnly: directoryOnly,
                        isAnchored: isAnchored))
            }
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
