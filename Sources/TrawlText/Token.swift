/// One indexed term with its place in the source text.
///
/// `start` and `end` are byte offsets into the UTF-8 text the token came from. A token is
/// `colocated` when it is indexed at the same position as the token before it (an alternative
/// form such as the joined `alsudani` of `al-Sudani`, or a transliteration key).
public struct Token: Hashable, Sendable, Codable {
    public var term: String
    public var start: Int
    public var end: Int
    public var colocated: Bool

    public init(term: String, start: Int, end: Int, colocated: Bool) {
        self.term = term
        self.start = start
        self.end = end
        self.colocated = colocated
    }
}
