import Foundation

/// The one JSON encoding every front end writes: keys sorted, slashes unescaped, and DEL and the
/// C1 controls escaped like the C0 controls.
public enum JSONContract {
    /// `value` as the bytes of one JSON document (no trailing newline). A search response is
    /// written by `JSONWriter`, to the same bytes.
    public static func encode<Value: Encodable>(_ value: Value) throws -> Data {
        if let response = value as? SearchJSON {
            var json = JSONWriter()
            try response.write(to: &json)
            return Data(json.bytes)
        }
        return try encodeWithJSONEncoder(value)
    }

    /// `value` as `JSONEncoder` writes it, with the contract's options.
    static func encodeWithJSONEncoder<Value: Encodable>(_ value: Value) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return escapingControls(try encoder.encode(value))
    }

    /// `json` with DEL and the C1 controls, which `JSONEncoder` writes as they are, escaped
    /// (`\u007f`, `\u0080`…`\u009f`) like the C0 controls it already escapes, so JSON shown on
    /// a terminal is as safe as text. Outside strings JSON is ASCII without DEL, so every such
    /// byte sequence is inside a string.
    public static func escapingControls(_ json: Data) -> Data {
        guard json.contains(where: { $0 == 0x7F || $0 == 0xC2 }) else { return json }
        var result = Data(capacity: json.count + 16)
        var index = json.startIndex
        while index < json.endIndex {
            let byte = json[index]
            let next = json.index(after: index)
            if byte == 0x7F {
                result.append(contentsOf: Array("\\u007f".utf8))
            } else if byte == 0xC2, next < json.endIndex, (0x80...0x9F).contains(json[next]) {
                result.append(contentsOf: Array("\\u00\(String(json[next], radix: 16))".utf8))
                index = json.index(after: next)
                continue
            } else {
                result.append(byte)
            }
            index = next
        }
        return result
    }
}
