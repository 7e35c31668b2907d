/// Where the three indexed fields sit among `document_fts`'s columns.
///
/// Since schema v18 the body comes first: `fts5(body, title, meta, …)`. In each term's entry
/// for a document FTS5 writes a column number (two bytes) before the positions of every column
/// but the first, so the column most terms occur in alone goes first. On Reuters this took the
/// postings from 13.0 to 9.8 MB (1.68 M entries of a term in a body, 0.13 M in a title).
///
/// Only what reads FTS5 by column number deals with this order: the auxiliary functions, the
/// averages and document-size records, and `bm25()`'s weights. Everything above them (`ScoredRow`,
/// `trawl_occurrences`' result, `CollectionStatistics`, `FieldWeights`) keeps the field order
/// title (0), body (1), meta (2).
enum FullTextColumns {
    /// The column list of `CREATE VIRTUAL TABLE document_fts USING fts5(…)`: "body, title, meta".
    static let declaration = inColumnOrder(title: "title", body: "body", meta: "meta").joined(separator: ", ")

    /// The three fields' values in column order (`bm25()`'s weights, the declaration).
    static func inColumnOrder<Value>(title: Value, body: Value, meta: Value) -> [Value] {
        let fields = [title, body, meta]
        return fields.indices.map { fields[swapped($0)] }
    }

    /// The field (0 title, 1 body, 2 meta) an FTS5 column holds; also the column that holds a
    /// field, since the order only swaps the first two.
    static func swapped(_ index: Int) -> Int { index < 2 ? 1 - index : index }

    /// Puts a row's items, which FTS5 gives by column (body, then title, then meta), in field
    /// order (title, then body, then meta), keeping the order within each field; `field` tells an
    /// item's field. Moves nothing when the row has no body item before a title item. In place:
    /// this runs for every row a search scores.
    static func sortByField<Item>(_ items: inout [Item], field: (Item) -> Int) {
        var bodyEnd = 0
        while bodyEnd < items.count, field(items[bodyEnd]) == 1 { bodyEnd += 1 }
        guard bodyEnd > 0 else { return }
        var titleEnd = bodyEnd
        while titleEnd < items.count, field(items[titleEnd]) == 0 { titleEnd += 1 }
        guard titleEnd > bodyEnd else { return }
        // Rotates [body…, title…] into [title…, body…].
        reverse(&items, through: bodyEnd - 1)
        reverse(&items, from: bodyEnd, through: titleEnd - 1)
        reverse(&items, through: titleEnd - 1)
    }

    /// Watches a row's fields go by in FTS5's order and tells whether the row needs
    /// `sortByField`: only when a title item follows a body one (a word in both), so most rows
    /// are handed on as FTS5 gives them.
    struct OrderCheck {
        private var sawBody = false
        private(set) var needsSorting = false

        mutating func see(field: Int) {
            if field == 1 {
                sawBody = true
            } else if field == 0, sawBody {
                needsSorting = true
            }
        }
    }

    /// Reverses `items[start…end]` by swapping ends.
    private static func reverse<Item>(_ items: inout [Item], from start: Int = 0, through end: Int) {
        var (low, high) = (start, end)
        while low < high {
            items.swapAt(low, high)
            low += 1
            high -= 1
        }
    }
}
