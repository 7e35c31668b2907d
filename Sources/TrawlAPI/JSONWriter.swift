/// Writes JSON byte for byte as `JSONContract.encode` writes it through `JSONEncoder` (compact,
/// slashes unescaped, DEL and the C1 controls escaped, a `Double` as its shortest description
/// without a trailing `.0`), for the responses written on every search, where `JSONEncoder`'s
/// generic path costs as much as a fifth of a cheap search.
///
/// Writing keys in order is the caller's part: `JSONEncoder` sorts them by their UTF-8 bytes.
/// `JSONWriterTests` holds the writer and the types written with it to `JSONEncoder`'s bytes.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    /// A value was written at this level: the next key or array element needs a comma first.
    private var needsComma = false
    /// A key was just written: the value follows its colon, without a comma.
    private var afterKey = false

    init(capacity: Int = 4_096) {
        bytes.reserveCapacity(capacity)
    }

    mutating func beginObject() { open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    private mutating func open(_ bracket: UInt8) {
        beginValue()
        bytes.append(bracket)
        needsComma = false
    }

    private mutating func close(_ bracket: UInt8) {
        bytes.append(bracket)
        needsComma = true
    }

    /// An object's key; its value is the next thing written.
    mutating func key(_ key: String) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        appendQuoted(key)
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
    }

    mutating func string(_ value: String) {
        beginValue()
        appendQuoted(value)
        needsComma = true
    }

    mutating func string(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    mutating func number(_ value: Int) {
        beginValue()
        bytes.append(contentsOf: String(value).utf8)
        needsComma = true
    }

    /// `JSONEncoder` refuses infinities and NaN; so does this.
    mutating func number(_ value: Double) throws(EncodingError) {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value, EncodingError.Context(codingPath: [], debugDescription: "\(value) is not valid JSON."))
        }
        beginValue()
        let text = value.description
        bytes.append(contentsOf: text.hasSuffix(".0") ? text.utf8.dropLast(2) : text.utf8[...])
        needsComma = true
    }

    mutating func null() {
        beginValue()
        bytes.append(contentsOf: "null".utf8)
        needsComma = true
    }

    mutating func strings(_ values: [String]) {
        beginArray()
        for value in values { string(value) }
        endArray()
    }

    /// A key and its value.
    mutating func field(_ key: String, _ value: String?) {
        self.key(key)
        string(value)
    }

    mutating func field(_ key: String, _ value: Int) {
        self.key(key)
        number(value)
    }

    mutating func field(_ key: String, _ value: Double) throws(EncodingError) {
        self.key(key)
        try number(value)
    }

    mutating func field(_ key: String, _ values: [String]) {
        self.key(key)
        strings(values)
    }

    private mutating func beginValue() {
        if afterKey {
            afterKey = false
        } else if needsComma {
            bytes.append(UInt8(ascii: ","))
        }
    }

    /// `"value"`, escaped as `JSONEncoder` and `JSONContract.escapingControls` together escape:
    /// quote and backslash; `\b \t \n \f \r`; the other C0 controls, DEL and the C1 controls as
    /// `\u00xx` (lower-case hex). Every other character as its UTF-8 bytes, `/` included.
    private mutating func appendQuoted(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            var index = 0
            while index < utf8.count {
                let byte = utf8[index]
                let escapeLength: Int
                if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") && byte < 0x7F {
                    index += 1
                    continue
                } else if byte == 0xC2, index + 1 < utf8.count, (0x80...0x9F).contains(utf8[index + 1]) {
                    escapeLength = 2
                } else if byte >= 0x80 {
                    index += 1
                    continue
                } else {
                    escapeLength = 1
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                appendEscape(escapeLength == 2 ? utf8[index + 1] : byte)
                index += escapeLength
                start = index
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<utf8.count]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// The escape of the control, quote or backslash whose code point is `code`.
    private mutating func appendEscape(_ code: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch code {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(code)
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        default:
            bytes.append(contentsOf: "u00".utf8)
            bytes.append(Self.hexDigits[Int(code >> 4)])
            bytes.append(Self.hexDigits[Int(code & 0x0F)])
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
