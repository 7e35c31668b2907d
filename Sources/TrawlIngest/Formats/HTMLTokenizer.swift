/// One piece of an HTML document, as `HTMLTokenizer` finds it.
enum HTMLToken: Equatable {
    /// Character data (entities not yet decoded), as a range of the tokenizer's bytes.
    case text(Range<Int>)
    /// The content of a `<![CDATA[ ... ]]>` section: literal text, no entities.
    case literalText(Range<Int>)
    /// `<name attributes...>`; `name` is lower-cased.
    case startTag(HTMLTag)
    /// `</name>`; `name` is lower-cased.
    case endTag(String)
    /// The content of a raw-text element (`script`, `style`, `title`, ...) up to its end tag,
    /// which follows as an `endTag` when the file has one.
    case rawText(element: String, Range<Int>)
}

/// A start tag: its lower-cased name and attributes.
struct HTMLTag: Equatable {
    var name: String
    /// Attribute names lower-cased, values with character references decoded, in file order.
    var attributes: [(name: String, value: String)] = []
    var selfClosing = false

    /// The value of the first attribute named `name` (lower-case), or nil.
    func attribute(_ name: String) -> String? {
        attributes.first(where: { $0.name == name })?.value
    }

    static func == (lhs: HTMLTag, rhs: HTMLTag) -> Bool {
        lhs.name == rhs.name && lhs.selfClosing == rhs.selfClosing
            && lhs.attributes.elementsEqual(
                rhs.attributes, by: { $0.name == $1.name && $0.value == $1.value })
    }
}

/// A tolerant, linear-time HTML tokenizer over UTF-8 bytes.
///
/// It knows tags with quoted and unquoted attributes, comments, `<!DOCTYPE>` and other `<!...>` or
/// `<?...>` declarations (skipped), CDATA sections, and raw-text elements whose content is not
/// markup. A stray `<` that starts no tag is text. Input cut in the middle of a tag, comment or
/// raw-text element ends the tokens there and sets `endedInsideMarkup`.
struct HTMLTokenizer {
    /// Elements whose content is read up to their end tag without looking for markup.
    static let rawTextElements: Set<String> = [
        "script", "style", "noscript", "template", "svg", "iframe", "title", "textarea", "xmp", "noembed",
        "noframes", "math",
    ]

    private let bytes: [UInt8]
    private var index = 0
    /// The raw-text element whose content comes next, once its start tag was returned.
    private var pendingRawText: String?
    /// Whether the input ended inside a tag, a comment or a raw-text element.
    private(set) var endedInsideMarkup = false

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The next token, or nil at the end of the input.
    mutating func next() -> HTMLToken? {
        if let element = pendingRawText {
            pendingRawText = nil
            return rawText(of: element)
        }
        while index < bytes.count {
            if bytes[index] != lessThan {
                let start = index
                index = bytes[(start + 1)...].firstIndex(of: lessThan) ?? bytes.count
                return .text(start..<index)
            }
            if let token = markup() { return token }
        }
        return nil
    }

    // MARK: Markup

    /// Reads the markup at `index` (a `<`): a token, or nil when it was skipped (comment,
    /// declaration, cut-off tag). A `<` that starts no markup comes back as one byte of text.
    private mutating func markup() -> HTMLToken? {
        let start = index
        let next = start + 1 < bytes.count ? bytes[start + 1] : 0
        if next == UInt8(ascii: "!") {
            if hasPrefix("<!--", at: start) {
                skip(past: Array("-->".utf8), from: start + 4)
                return nil
            }
            if hasPrefix("<![CDATA[", at: start) {
                let contentStart = start + 9
                let end = find(Array("]]>".utf8), from: contentStart)
                index = end.map { $0 + 3 } ?? bytes.count
                if end == nil { endedInsideMarkup = true }
                return .literalText(contentStart..<(end ?? bytes.count))
            }
            skip(past: [greaterThan], from: start + 2)
            return nil
        }
        if next == UInt8(ascii: "?") {
            skip(past: [greaterThan], from: start + 2)
            return nil
        }
        if next == UInt8(ascii: "/") {
            let nameStart = start + 2
            guard nameStart < bytes.count, ASCII.isLetter(bytes[nameStart]) else {
                if nameStart < bytes.count, bytes[nameStart] == greaterThan {
                    index = nameStart + 1  // `</>` is dropped
                    return nil
                }
                if nameStart >= bytes.count {
                    index = bytes.count
                    endedInsideMarkup = true
                    return nil
                }
                skip(past: [greaterThan], from: nameStart)  // `</ 3>` is a bogus comment
                return nil
            }
            var cursor = nameStart
            while cursor < bytes.count, !isNameEnd(bytes[cursor]) { cursor += 1 }
            let name = lowercasedName(nameStart..<cursor)
            guard let close = bytes[cursor...].firstIndex(of: greaterThan) else {
                index = bytes.count
                endedInsideMarkup = true
                return nil
            }
            index = close + 1
            return .endTag(name)
        }
        guard ASCII.isLetter(next) else {
            index = start + 1
            return .text(start..<(start + 1))
        }
        guard let tag = startTag(from: start + 1) else { return nil }
        if HTMLTokenizer.rawTextElements.contains(tag.name), !tag.selfClosing || tag.name != "svg" {
            pendingRawText = tag.name
        }
        return .startTag(tag)
    }

    /// Parses a start tag whose name begins at `nameStart`; nil when the input ends first.
    private mutating func startTag(from nameStart: Int) -> HTMLTag? {
        var cursor = nameStart
        while cursor < bytes.count, !isNameEnd(bytes[cursor]) { cursor += 1 }
        var tag = HTMLTag(name: lowercasedName(nameStart..<cursor))
        while true {
            while cursor < bytes.count, isSpace(bytes[cursor]) || bytes[cursor] == slash {
                tag.selfClosing = bytes[cursor] == slash
                cursor += 1
            }
            guard cursor < bytes.count else { break }
            if bytes[cursor] == greaterThan {
                index = cursor + 1
                return tag
            }
            tag.selfClosing = false
            let attributeStart = cursor
            cursor += 1  // an attribute name may start with `=`
            while cursor < bytes.count, !isNameEnd(bytes[cursor]), bytes[cursor] != equals { cursor += 1 }
            let name = lowercasedName(attributeStart..<cursor)
            var valueStart = cursor
            while valueStart < bytes.count, isSpace(bytes[valueStart]) { valueStart += 1 }
            guard valueStart < bytes.count, bytes[valueStart] == equals else {
                tag.attributes.append((name, ""))
                continue
            }
            valueStart += 1
            while valueStart < bytes.count, isSpace(bytes[valueStart]) { valueStart += 1 }
            guard valueStart < bytes.count else { break }
            let quote = bytes[valueStart]
            let valueRange: Range<Int>
            if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                guard let close = bytes[(valueStart + 1)...].firstIndex(of: quote) else { break }
                valueRange = (valueStart + 1)..<close
                cursor = close + 1
            } else {
                cursor = valueStart
                while cursor < bytes.count, !isSpace(bytes[cursor]), bytes[cursor] != greaterThan {
                    cursor += 1
                }
                valueRange = valueStart..<cursor
            }
            let value = String(decoding: HTMLEntities.decode(bytes[valueRange]), as: UTF8.self)
            tag.attributes.append((name, value))
        }
        index = bytes.count
        endedInsideMarkup = true
        return nil
    }

    /// The content of raw-text `element` up to (not including) its end tag.
    private mutating func rawText(of element: String) -> HTMLToken {
        let start = index
        var cursor = start
        let name = Array(element.utf8)
        while let open = bytes[cursor...].firstIndex(of: lessThan) {
            let nameStart = open + 2
            if nameStart + name.count <= bytes.count, bytes[open + 1] == slash,
                zip(bytes[nameStart..<(nameStart + name.count)], name).allSatisfy({ $0 | 0x20 == $1 }),
                nameStart + name.count == bytes.count || isNameEnd(bytes[nameStart + name.count])
            {
                index = open
                return .rawText(element: element, start..<open)
            }
            cursor = open + 1
        }
        index = bytes.count
        endedInsideMarkup = true
        return .rawText(element: element, start..<bytes.count)
    }

    // MARK: Bytes

    private mutating func skip(past terminator: [UInt8], from start: Int) {
        if let found = find(terminator, from: min(start, bytes.count)) {
            index = found + terminator.count
        } else {
            index = bytes.count
            endedInsideMarkup = true
        }
    }

    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        var cursor = start
        while cursor + needle.count <= bytes.count, let first = bytes[cursor...].firstIndex(of: needle[0]) {
            guard first + needle.count <= bytes.count else { return nil }
            if bytes[first..<(first + needle.count)].elementsEqual(needle) { return first }
            cursor = first + 1
        }
        return nil
    }

    private func hasPrefix(_ prefix: StaticString, at start: Int) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard start + count <= bytes.count else { return false }
        return prefix.withUTF8Buffer { expected in
            zip(bytes[start..<(start + count)], expected).allSatisfy { $0 == $1 || $0 | 0x20 == $1 | 0x20 }
        }
    }

    private func lowercasedName(_ range: Range<Int>) -> String {
        String(decoding: bytes[range].map(ASCII.lowercased), as: UTF8.self)
    }

    private func isNameEnd(_ byte: UInt8) -> Bool { isSpace(byte) || byte == slash || byte == greaterThan }
    private func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }

    private let lessThan = UInt8(ascii: "<")
    private let greaterThan = UInt8(ascii: ">")
    private let slash = UInt8(ascii: "/")
    private let equals = UInt8(ascii: "=")
}
