import Foundation

/// Finds where the values of a JSON text start and end without building them: the members of
/// an object, the elements of an array. A large `.json` file of records is read record by record
/// this way, each record parsed on its own (`JSONSerialization` builds the whole file's values at
/// once otherwise: 1.9 GB for a 48 MB array of small records).
///
/// Only the structure is checked (strings closed, brackets balanced and matched); what a value
/// holds is checked when it is parsed.
struct JSONStructure {
    let bytes: [UInt8]

    /// Nesting deeper than this is refused, as `JSONSerialization` refuses it.
    static let depthLimit = 512

    /// The range of the one value of the text (after a byte order mark and whitespace), or why
    /// the text is not one JSON value.
    func topValue() -> Result<Range<Int>, JSONStructureError> {
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        start = skippingWhitespace(from: start)
        guard start < bytes.count else { return .failure(JSONStructureError("the file holds no value")) }
        let end: Int
        switch valueEnd(from: start) {
        case .failure(let error): return .failure(error)
        case .success(let found): end = found
        }
        let rest = skippingWhitespace(from: end)
        guard rest == bytes.count else {
            return .failure(JSONStructureError("unexpected text after the value at byte \(rest)"))
        }
        return .success(start..<end)
    }

    /// The first byte of `range`: `{`, `[`, `"` or the start of a number or literal.
    func opening(_ range: Range<Int>) -> UInt8 { bytes[range.lowerBound] }

    /// The members of the object in `range` (from `{` to `}`), keys decoded, in file order.
    func members(ofObject range: Range<Int>) -> [(key: String, value: Range<Int>)] {
        var members: [(key: String, value: Range<Int>)] = []
        var position = skippingWhitespace(from: range.lowerBound + 1)
        while position < range.upperBound - 1 {
            guard case .success(let keyEnd) = valueEnd(from: position) else { break }
            let key =
                (try? JSONSerialization.jsonObject(
                    with: Data(bytes[position..<keyEnd]), options: [.fragmentsAllowed])) as? String ?? ""
            position = skippingWhitespace(from: keyEnd)
            guard position < range.upperBound, bytes[position] == UInt8(ascii: ":") else { break }
            position = skippingWhitespace(from: position + 1)
            guard case .success(let valueEnd) = valueEnd(from: position) else { break }
            members.append((key, position..<valueEnd))
            position = skippingWhitespace(from: valueEnd)
            if position < range.upperBound, bytes[position] == UInt8(ascii: ",") {
                position = skippingWhitespace(from: position + 1)
            }
        }
        return members
    }

    /// The elements of the array in `range` (from `[` to `]`), in order.
    func elements(ofArray range: Range<Int>) -> [Range<Int>] {
        var elements: [Range<Int>] = []
        var position = skippingWhitespace(from: range.lowerBound + 1)
        while position < range.upperBound - 1 {
            guard case .success(let end) = valueEnd(from: position) else { break }
            elements.append(position..<end)
            position = skippingWhitespace(from: end)
            if position < range.upperBound, bytes[position] == UInt8(ascii: ",") {
                position = skippingWhitespace(from: position + 1)
            }
        }
        return elements
    }

    /// Whether some element of the array in `range` is an object (stops at the first one).
    func arrayHoldsObject(_ range: Range<Int>) -> Bool {
        var position = skippingWhitespace(from: range.lowerBound + 1)
        while position < range.upperBound - 1 {
            if bytes[position] == UInt8(ascii: "{") { return true }
            guard case .success(let end) = valueEnd(from: position) else { return false }
            position = skippingWhitespace(from: end)
            if position < range.upperBound, bytes[position] == UInt8(ascii: ",") {
                position = skippingWhitespace(from: position + 1)
            }
        }
        return false
    }

    /// Where the value starting at `start` ends: after its closing quote or bracket, or after the
    /// last byte of a number or literal.
    func valueEnd(from start: Int) -> Result<Int, JSONStructureError> {
        bytes.withUnsafeBufferPointer { buffer in
            var position = start
            var open: [UInt8] = []
            repeat {
                guard position < buffer.count else {
                    return .failure(
                        JSONStructureError("the text ends inside a value (opened at byte \(start))"))
                }
                let byte = buffer[position]
                switch byte {
                case UInt8(ascii: "\""):
                    position += 1
                    while position < buffer.count && buffer[position] != UInt8(ascii: "\"") {
                        position += buffer[position] == UInt8(ascii: "\\") ? 2 : 1
                    }
                    guard position < buffer.count else {
                        return .failure(
                            JSONStructureError("a string opened before byte \(start) is never closed"))
                    }
                    position += 1
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    guard open.count < Self.depthLimit else {
                        return .failure(
                            JSONStructureError("too many nested arrays and objects at byte \(position)"))
                    }
                    open.append(byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]"))
                    position += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    guard open.last == byte else {
                        return .failure(
                            JSONStructureError(
                                "unexpected '\(Character(Unicode.Scalar(byte)))' at byte \(position)"))
                    }
                    open.removeLast()
                    position += 1
                default:
                    if open.isEmpty {
                        // A number or literal: up to the next separator.
                        while position < buffer.count && !Self.endsScalar(buffer[position]) { position += 1 }
                        guard position > start else {
                            return .failure(
                                JSONStructureError(
                                    "unexpected '\(Character(Unicode.Scalar(byte)))' at byte \(position)"))
                        }
                    } else {
                        position += 1
                    }
                }
            } while !open.isEmpty
            return .success(position)
        }
    }

    private static func endsScalar(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: ":"), 0x20, 0x09, 0x0A,
            0x0D:
            true
        default: false
        }
    }

    func skippingWhitespace(from start: Int) -> Int {
        var position = start
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return position
            }
        }
        return position
    }
}

/// Why a text is not one JSON value, for the reason a file is skipped.
struct JSONStructureError: Error, Sendable {
    var message: String
    init(_ message: String) { self.message = message }
}
