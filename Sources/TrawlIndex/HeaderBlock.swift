/// The `Key: value` lines a plain-text report's body starts with (`Date:`, `Author:`, `Tags:`,
/// `Places:` … as the plain-text reader leaves them in the text): metadata. They are indexed with
/// the text, so their words stay searchable, but snippets are cut from the story after them and
/// `trawl show` prints them once, with the metadata.
///
/// ```
/// Date: 26-FEB-1987 15:01:01.79      ← lines
/// Places: el-salvador, usa, uruguay
///
/// SALVADOR, Feb 26 - Showers …       ← story
/// ```
///
/// A block counts only when one of its keys is one Trawl reads as metadata (`metadataKeys`), so a
/// body that merely opens with "Note: …" keeps it. At most 30 lines, each key one word of ASCII
/// letters, digits, `-` or `_` (at most 30 bytes, starting with a letter), then a colon and a
/// space, a tab or the end of the line.
public struct HeaderBlock: Sendable, Hashable {
    /// The header lines, trimmed, in order (empty when the body starts with none).
    public var lines: [String]
    /// The body after the header lines and the blank lines that follow them (the whole body when
    /// there is no header block).
    public var story: Substring

    /// Keys (lower-case) whose values become a document's metadata: date, author, source, tags,
    /// language, URL and title.
    public static let metadataKeys: Set<String> = [
        "date", "published", "author", "by", "from", "source", "tags", "topics", "keywords", "language",
        "lang",
        "url", "title", "subject",
    ]

    /// Splits `body` into its header lines and its story.
    public init(splitting body: String) {
        lines = []
        story = body[...]
        var rest = body[...].drop(while: \.isWhitespace)
        var found: [String] = []
        var hasMetadataKey = false
        while found.count < 30, !rest.isEmpty {
            // By bytes: "\r\n" is one Character.
            let end = rest.utf8.firstIndex(of: UInt8(ascii: "\n")) ?? rest.endIndex
            let line = rest[..<end]
            guard let key = Self.key(of: line) else { break }
            if Self.metadataKeys.contains(key.lowercased()) { hasMetadataKey = true }
            found.append(String(line.trimmingWhitespace()))
            rest = end < rest.endIndex ? rest[rest.index(after: end)...] : rest[end...]
        }
        guard hasMetadataKey else { return }
        lines = found
        story = rest.drop(while: \.isWhitespace)
    }

    /// `body` with a header block of `metadata`'s author, source and tags before it (and a blank
    /// line), so their words are searchable as text in every format, as a `.txt` report's header
    /// lines are; `body` itself when the metadata has none of them.
    ///
    ///     Author: Leila Farahani
    ///     Tags: nuclear, iran, iaea
    ///
    ///     Agency inspectors returned …
    public static func prefixing(_ body: String, with metadata: DocumentMetadata) -> String {
        var block = ""
        func add(_ key: String, _ value: String) {
            // One line each: a value's own line breaks would end the block.
            let line = value.split(whereSeparator: \.isNewline).joined(separator: " ")
            if !line.allSatisfy(\.isWhitespace) { block += key + ": " + line + "\n" }
        }
        add("Author", metadata.author)
        add("Source", metadata.source)
        add("Tags", metadata.tags.joined(separator: ", "))
        return block.isEmpty ? body : block + "\n" + body
    }

    /// The header lines whose key is not one of `metadataKeys` (`Places: usa`): what the metadata
    /// fields do not already show.
    public var otherLines: [String] {
        lines.filter { line in
            guard let key = Self.key(of: line[...]) else { return true }
            return !Self.metadataKeys.contains(key.lowercased())
        }
    }

    /// The key of a `Key: value` line, or nil when the line is not one.
    private static func key(of line: Substring) -> Substring? {
        let bytes = line.utf8
        guard let first = bytes.first, (first | 0x20) >= 0x61, (first | 0x20) <= 0x7A,
            let colon = bytes.prefix(31).firstIndex(of: UInt8(ascii: ":"))
        else { return nil }
        let keyBytes = bytes[bytes.startIndex..<colon]
        guard
            keyBytes.allSatisfy({
                ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D
                    || $0 == 0x5F
            })
        else { return nil }
        let after = bytes.index(after: colon)
        guard after == bytes.endIndex || bytes[after] == 0x20 || bytes[after] == 0x09 || bytes[after] == 0x0D
        else { return nil }
        return Substring(keyBytes)
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> Substring {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
            let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return self[first...last]
    }
}
