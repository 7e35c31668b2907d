/// Cuts a text at code-point offsets taken in increasing order — the offsets snippet, title and
/// document highlights are given in — each piece a copy of the bytes between two offsets rather
/// than code points appended one by one (which costs hundreds of instructions a code point).
public struct ScalarPieces {
    /// The text's length in code points.
    public let count: Int
    private let scalars: String.UnicodeScalarView
    private var offset = 0
    private var index: String.Index

    public init(_ text: String) {
        scalars = text.unicodeScalars
        count = scalars.count
        index = scalars.startIndex
    }

    /// The code points `range` covers. Ranges must come in increasing order and not overlap
    /// (`range.lowerBound` at least the last piece's upper bound), within `0...count`.
    public mutating func piece(_ range: Range<Int>) -> String {
        precondition(range.lowerBound >= offset && range.upperBound <= count, "pieces out of order")
        let start = scalars.index(index, offsetBy: range.lowerBound - offset)
        let end = scalars.index(start, offsetBy: range.count)
        index = end
        offset = range.upperBound
        return String(scalars[start..<end])
    }

    /// `text` cut into its pieces between `marks` (code-point ranges) and the marked pieces, in
    /// order; a range that overlaps an earlier one or falls outside the text is left unmarked.
    public static func pieces(of text: String, marking marks: [Range<Int>]) -> [(
        text: String, isMarked: Bool
    )] {
        var pieces = ScalarPieces(text)
        var result: [(text: String, isMarked: Bool)] = []
        var position = 0
        for range in marks where range.lowerBound >= position && range.upperBound <= pieces.count {
            result.append((pieces.piece(position..<range.lowerBound), false))
            result.append((pieces.piece(range), true))
            position = range.upperBound
        }
        result.append((pieces.piece(position..<pieces.count), false))
        return result
    }
}
