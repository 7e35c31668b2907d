/// A parsed search query: what the user asked for, before it meets the index.
///
/// Words are kept as typed (`U.S.`, `al-Sudani`); turning them into index terms is the
/// tokenizer's job when the query is bound to the index.
public indirect enum Query: Hashable, Sendable {
    /// A bare word as typed, e.g. `Tehran’s`.
    case word(String)
    /// The text between double quotes, matched word for word.
    case phrase(String)
    /// `negot*`: every term starting with the word (the text without the `*`).
    case prefix(String)
    /// `~Hezbollah`: every transliteration variant of the word.
    case variants(String)
    /// `field:query`, e.g. `title:iran` (field names are checked when the query is bound).
    case field(String, Query)
    /// Every part must match (words side by side, or `AND`).
    case all([Query])
    /// Any part may match (`OR`).
    case any([Query])
    /// `include` must match and none of `exclude` (`NOT word`, `-word`).
    case excluding(Query, [Query])
}
