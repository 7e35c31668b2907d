/// The English Snowball (Porter2) stemmer.
///
/// CONTRACT STUB — replaced by the real implementation.
public struct EnglishStemmer: Sendable {
    public init() {}

    /// Stems a lower-case word in place (UTF-8 bytes).
    public func stem(_ word: inout [UInt8]) {}

    /// Stems a lower-case word.
    public func stem(_ word: String) -> String {
        var bytes = Array(word.utf8)
        stem(&bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
