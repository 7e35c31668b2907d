/// Turns text into the terms Trawl indexes; the same code serves indexing, querying and
/// highlighting.
///
/// CONTRACT STUB — replaced by the real implementation.
public struct Tokenizer: Sendable {
    /// The first byte of a transliteration-variant key term (`~hzbl`), so that keys never
    /// collide with ordinary words.
    public static let variantKeyMarker: UInt8 = UInt8(ascii: "~")

    public init() {}

    /// Calls `body` for every token of `text`, in order. `term` is valid only during the call.
    /// Return `false` from `body` to stop early.
    public func tokenize(
        utf8 text: UnsafeBufferPointer<UInt8>,
        _ body: (_ term: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ colocated: Bool) -> Bool
    ) {
        var i = 0
        var term: [UInt8] = []
        while i < text.count {
            while i < text.count, !isWordByte(text[i]) { i += 1 }
            let start = i
            term.removeAll(keepingCapacity: true)
            while i < text.count, isWordByte(text[i]) {
                let b = text[i]
                term.append(b >= 65 && b <= 90 ? b + 32 : b)
                i += 1
            }
            if !term.isEmpty {
                let keepGoing = term.withUnsafeBufferPointer { body($0, start, i, false) }
                if !keepGoing { return }
            }
        }
    }

    /// All tokens of `text`.
    public func tokens(in text: String) -> [Token] {
        var result: [Token] = []
        var copy = text
        copy.withUTF8 { bytes in
            tokenize(utf8: bytes) { term, start, end, colocated in
                result.append(
                    Token(term: String(decoding: term, as: UTF8.self), start: start, end: end, colocated: colocated))
                return true
            }
        }
        return result
    }

    private func isWordByte(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b >= 128
    }
}
