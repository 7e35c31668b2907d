/// A small pull scanner over the UTF-8 XML parts of office documents: start tags (with their
/// attributes), end tags and text, with the five predefined entities and character references
/// decoded.
///
/// It validates nothing and resolves no DTD: `<!DOCTYPE …>` and its internal subset are skipped,
/// so no entity can expand (no "billion laughs"); comments and processing instructions are
/// skipped; CDATA sections are text. Names keep their prefix (`w:p`); `XMLScanner.localName`
/// drops it. Written for Trawl rather than taken from FoundationXML, which needs libxml2 and
/// would keep `trawl` from being one static executable (docs/ARCHITECTURE.md).
struct XMLScanner {
    /// One thing the scanner found.
    enum Event {
        /// `<name a="v">` or `<name/>` (then an `.end` follows at once).
        case start(name: String, attributes: [String: String])
        case end(name: String)
        /// Character data between tags, entities decoded; may come in several pieces.
        case text(String)
    }

    /// Scans `bytes`, handing each event to `handle` in document order. A document cut short ends
    /// where its bytes do.
    static func scan(_ bytes: [UInt8], _ handle: (Event) -> Void) {
        bytes.withUnsafeBufferPointer { buffer in
            var index = 0
            let end = buffer.count
            // A UTF-8 byte order mark is not text.
            if end >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { index = 3 }
            while index < end {
                if buffer[index] != UInt8(ascii: "<") {
                    var stop = index
                    while stop < end && buffer[stop] != UInt8(ascii: "<") { stop += 1 }
                    handle(.text(decodeEntities(buffer[index..<stop])))
                    index = stop
                    continue
                }
                if starts(buffer, at: index, with: "<!--") {
                    index = find(buffer, "-->", from: index + 4).map { $0 + 3 } ?? end
                } else if starts(buffer, at: index, with: "<![CDATA[") {
                    let close = find(buffer, "]]>", from: index + 9) ?? end
                    handle(.text(String(decoding: buffer[(index + 9)..<close], as: UTF8.self)))
                    index = min(end, close + 3)
                } else if starts(buffer, at: index, with: "<?") {
                    index = find(buffer, "?>", from: index + 2).map { $0 + 2 } ?? end
                } else if starts(buffer, at: index, with: "<!") {
                    index = skipDeclaration(buffer, from: index)
                } else if index + 1 < end && buffer[index + 1] == UInt8(ascii: "/") {
                    var stop = index + 2
                    while stop < end && buffer[stop] != UInt8(ascii: ">") { stop += 1 }
                    let name = String(decoding: buffer[(index + 2)..<stop], as: UTF8.self)
                    handle(.end(name: name.trimmingWhitespace()))
                    index = stop + 1
                } else {
                    index = startTag(buffer, from: index, handle)
                }
            }
        }
    }

    /// `w:p` → `p`.
    static func localName(_ name: String) -> Substring {
        guard let colon = name.firstIndex(of: ":") else { return name[...] }
        return name[name.index(after: colon)...]
    }

    /// Reads `<name attr="value" …>` or `<name …/>` at `start`; returns the index after it.
    private static func startTag(
        _ buffer: UnsafeBufferPointer<UInt8>, from start: Int, _ handle: (Event) -> Void
    ) -> Int {
        let end = buffer.count
        var index = start + 1
        let nameStart = index
        while index < end && !isSpace(buffer[index]) && buffer[index] != UInt8(ascii: ">")
            && buffer[index] != UInt8(ascii: "/")
        {
            index += 1
        }
        let name = String(decoding: buffer[nameStart..<index], as: UTF8.self)
        var attributes: [String: String] = [:]
        var selfClosing = false
        while index < end {
            let byte = buffer[index]
            if byte == UInt8(ascii: ">") {
                index += 1
                break
            }
            if byte == UInt8(ascii: "/") {
                selfClosing = true
                index += 1
                continue
            }
            if isSpace(byte) {
                index += 1
                continue
            }
            let keyStart = index
            while index < end && buffer[index] != UInt8(ascii: "=") && !isSpace(buffer[index])
                && buffer[index] != UInt8(ascii: ">")
            {
                index += 1
            }
            let key = String(decoding: buffer[keyStart..<index], as: UTF8.self)
            while index < end && isSpace(buffer[index]) { index += 1 }
            guard index < end, buffer[index] == UInt8(ascii: "=") else { continue }
            index += 1
            while index < end && isSpace(buffer[index]) { index += 1 }
            guard index < end, buffer[index] == UInt8(ascii: "\"") || buffer[index] == UInt8(ascii: "'")
            else { continue }
            let quote = buffer[index]
            let valueStart = index + 1
            index = valueStart
            while index < end && buffer[index] != quote { index += 1 }
            attributes[key] = decodeEntities(buffer[valueStart..<index])
            index += 1
        }
        handle(.start(name: name, attributes: attributes))
        if selfClosing { handle(.end(name: name)) }
        return index
    }

    /// Skips `<!DOCTYPE …>` (with an internal subset in brackets) or another `<!…>` declaration.
    private static func skipDeclaration(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var depth = 0
        var index = start + 2
        while index < buffer.count {
            switch buffer[index] {
            case UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: ">") where depth <= 0: return index + 1
            default: break
            }
            index += 1
        }
        return buffer.count
    }

    /// The text of `bytes` with `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&#N;` and `&#xH;`
    /// decoded; any other reference is kept as written.
    static func decodeEntities(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        guard bytes.contains(UInt8(ascii: "&")) else { return String(decoding: bytes, as: UTF8.self) }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "&"),
                let semicolon = bytes[index..<min(bytes.endIndex, index + 12)].firstIndex(
                    of: UInt8(ascii: ";"))
            else {
                output.append(byte)
                index += 1
                continue
            }
            let name = String(decoding: bytes[(index + 1)..<semicolon], as: UTF8.self)
            var scalar: Unicode.Scalar?
            switch name {
            case "amp": scalar = "&"
            case "lt": scalar = "<"
            case "gt": scalar = ">"
            case "quot": scalar = "\""
            case "apos": scalar = "'"
            default:
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    scalar = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if name.hasPrefix("#") {
                    scalar = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init)
                }
            }
            if let scalar {
                output.append(contentsOf: Array(String(Character(scalar)).utf8))
                index = semicolon + 1
            } else {
                output.append(byte)
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func starts(_ buffer: UnsafeBufferPointer<UInt8>, at index: Int, with text: StaticString)
        -> Bool
    {
        let count = text.utf8CodeUnitCount
        guard index + count <= buffer.count else { return false }
        for offset in 0..<count where buffer[index + offset] != text.utf8Start[offset] { return false }
        return true
    }

    private static func find(_ buffer: UnsafeBufferPointer<UInt8>, _ text: StaticString, from start: Int)
        -> Int?
    {
        var index = start
        while index + text.utf8CodeUnitCount <= buffer.count {
            if starts(buffer, at: index, with: text) { return index }
            index += 1
        }
        return nil
    }
}
