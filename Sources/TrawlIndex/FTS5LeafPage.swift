/// The terms of one leaf page of an FTS5 index segment, read from the page's own term index
/// without decoding any posting list.
///
/// FTS5's file format (`fts5_index.c`, stable since SQLite 3.10): a segment's leaf page is a row
/// of `<table>_data` with id `segid << 37 | page`. It starts with two big-endian 16-bit numbers —
/// where its first rowid is, and where its footer starts — and its footer lists, as SQLite
/// varints, the offset of the first term that starts on the page and then the distance from each
/// term to the next. The first term is written whole (`varint length, bytes`), every later one
/// against the term before it (`varint shared prefix, varint suffix length, suffix`). Terms of the
/// main index start with the byte `0`. `<table>_idx` has one row per segment page on which a term
/// starts (`segid, first term or a shorter separator, page << 1 | flag`).
///
/// Used to list the index's terms in a range (spelling suggestions) at a cost independent of how
/// many documents hold them, where `fts5vocab` reads every posting of every term it lists.
enum FTS5LeafPage {
    /// The byte every term of FTS5's main index starts with (prefix indexes use others).
    static let mainIndexMarker = UInt8(ascii: "0")

    /// The `<table>_data` id of `page` of segment `segment`.
    static func rowID(segment: Int64, page: Int64) -> Int64 {
        segment << 37 | page
    }

    /// The page number a `<table>_idx` row's `pgno` value names.
    static func page(idxValue: Int64) -> Int64 {
        idxValue >> 1
    }

    /// Calls `body` with each term starting on the page `bytes`, in order, as stored (marker
    /// byte first), in one buffer reused from term to term (nothing is allocated per term, and
    /// the bytes are valid only during the call), and how many of its first bytes it shares with
    /// the term before it on the page (0 for the first); false when the page is not laid out as
    /// described above (`body` may have seen some terms).
    static func forEachTerm(
        in bytes: UnsafeRawBufferPointer, _ body: (UnsafeBufferPointer<UInt8>, Int) -> Void
    ) -> Bool {
        guard bytes.count >= 4, let base = bytes.baseAddress else { return false }
        let footerStart = Int(bytes[2]) << 8 | Int(bytes[3])
        guard footerStart >= 4, footerStart <= bytes.count else { return false }
        var footer = footerStart
        var offset = 0
        // One buffer for every term of the page, grown when a term (its shared prefix and the
        // bytes stored for it) outgrows it.
        var capacity = max(footerStart, 256)
        var term = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { term.deallocate() }
        var termLength = 0
        var isFirst = true
        while footer < bytes.count {
            guard let (distance, next) = SQLiteVarint.decode(bytes, at: footer, end: bytes.count) else {
                return false
            }
            footer = next
            offset += Int(distance)
            guard offset >= 4, offset < footerStart else { return false }
            var position = offset
            var shared = 0
            if !isFirst {
                guard let (prefix, afterPrefix) = SQLiteVarint.decode(bytes, at: position, end: footerStart)
                else {
                    return false
                }
                shared = Int(prefix)
                position = afterPrefix
            }
            guard let (length, start) = SQLiteVarint.decode(bytes, at: position, end: footerStart),
                shared <= termLength, length <= footerStart - start
            else { return false }
            if shared + Int(length) > capacity {
                capacity = 2 * (shared + Int(length))
                let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
                larger.initialize(from: term, count: shared)
                term.deallocate()
                term = larger
            }
            UnsafeMutableRawPointer(term + shared).copyMemory(from: base + start, byteCount: Int(length))
            termLength = shared + Int(length)
            body(UnsafeBufferPointer(start: term, count: termLength), shared)
            isFirst = false
        }
        return true
    }
}
