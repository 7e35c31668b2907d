import TrawlText

/// Groups documents whose texts are near-identical, from their MinHash signatures.
///
/// Two documents are near-duplicates when their signatures agree on at least ``threshold`` of
/// their values (an estimated Jaccard similarity of their word shingles) and they are dated at
/// most ``maximumDateGap`` apart: versions of one story are filed within hours, while a daily or
/// weekly report (Treasury balances, a central bank's operations) repeats its wording with other
/// figures days apart (how both were chosen: docs/RANKING.md, "Near-duplicate groups"). A group is a connected set of such pairs, so a
/// flash, its UPDATE 1 and its UPDATE 2 form one group even when the flash and UPDATE 2 share
/// less. Candidate pairs come from locality-sensitive hashing: the signature is cut into
/// ``bands`` bands of ``rows`` values, and documents equal on a whole band are compared (a pair
/// at similarity 0.5 is compared with probability 1 − (1 − 0.5²)¹⁶ = 0.99).
public enum NearDuplicateGrouping {
    /// The estimated similarity from which two documents are near-duplicates (24 of 32 values).
    public static let threshold = 0.75
    /// The largest difference of dates, in seconds, between two near-duplicates (36 hours).
    public static let maximumDateGap = 36 * 3600.0
    /// Values per band (the key below packs two).
    static let rows = 2
    static let bands = ShingleSignature.count / rows

    /// One band of a signature: which band, and its two values.
    struct BandKey: Hashable {
        var band: Int
        var values: UInt64
    }

    /// The bands of `signature` (documents equal on one are compared).
    static func bandKeys(of signature: ShingleSignature) -> [BandKey] {
        (0..<bands).map { band in BandKey(band: band, values: bandKey(of: signature, band: band)) }
    }

    /// Whether two signed, dated documents are near-duplicates.
    static func arePair(_ a: ShingleSignature, _ aDate: Double, _ b: ShingleSignature, _ bDate: Double)
        -> Bool
    {
        abs(aDate - bDate) <= maximumDateGap && a.similarity(to: b) >= threshold
    }

    /// Connected sets of indices (union-find): each set's root is its smallest index.
    struct Components {
        private var parent: [Int]

        init(count: Int) { parent = Array(0..<count) }

        /// The smallest index of `index`'s set.
        mutating func root(_ index: Int) -> Int {
            var index = index
            while parent[index] != index {
                parent[index] = parent[parent[index]]
                index = parent[index]
            }
            return index
        }

        /// Joins the sets whose roots are `a` and `b`.
        mutating func join(roots a: Int, _ b: Int) { parent[max(a, b)] = min(a, b) }
    }

    /// Each grouped document's group: the smallest id in it. Documents alone are left out.
    public static func groups(_ documents: [(id: Int64, signature: ShingleSignature, date: Double)])
        -> [Int64: Int64]
    {
        var components = Components(count: documents.count)
        var runs = EqualKeyRuns(count: documents.count)
        var keys = [UInt64](repeating: 0, count: documents.count)
        for band in 0..<bands {
            for index in documents.indices {
                keys[index] = bandKey(of: documents[index].signature, band: band)
            }
            runs.forEachRun(of: keys) { members in
                for (position, member) in members.enumerated() {
                    for other in members[..<position] {
                        let (a, b) = (components.root(member), components.root(other))
                        guard a != b,
                            arePair(
                                documents[member].signature, documents[member].date,
                                documents[other].signature, documents[other].date)
                        else { continue }
                        components.join(roots: a, b)
                    }
                }
            }
        }
        var size = [Int32](repeating: 0, count: documents.count)
        var smallest = documents.map(\.id)
        for index in documents.indices {
            let top = components.root(index)
            size[top] += 1
            smallest[top] = min(smallest[top], documents[index].id)
        }
        var result: [Int64: Int64] = [:]
        for index in documents.indices {
            let top = components.root(index)
            if size[top] > 1 { result[documents[index].id] = smallest[top] }
        }
        return result
    }

    /// Band `band` of `signature`: its two values packed in one key, the first in the high half.
    static func bandKey(of signature: ShingleSignature, band: Int) -> UInt64 {
        signature.values.withUnsafeBufferPointer { values in
            UInt64(values[band * rows]) << 16 | UInt64(values[band * rows + 1])
        }
    }
}

/// The runs of equal keys among one band's keys (one per document): which documents to compare.
/// Found with an open-addressing hash table of each key's first document and a chain of the
/// others, rather than by sorting the keys: grouping looks at 16 bands of every document.
struct EqualKeyRuns {
    /// Per slot, the first document with the slot's key; -1 when empty.
    private var slots: [Int32]
    /// Per document, the next one with the same key; -1 for the last.
    private var next: [Int32]
    private let shift: UInt64
    private var members: [Int] = []

    /// Runs over `count` keys at a time.
    init(count: Int) {
        var bits: UInt64 = 4
        while (1 << bits) < 2 * count { bits += 1 }
        slots = [Int32](repeating: -1, count: 1 << bits)
        next = [Int32](repeating: -1, count: max(count, 1))
        shift = 64 - bits
    }

    /// Calls `body` with the documents (indices of `keys`) of each key held by two or more.
    mutating func forEachRun(of keys: [UInt64], _ body: ([Int]) throws -> Void) rethrows {
        precondition(keys.count <= next.count && keys.count <= Int(Int32.max))
        let mask = slots.count - 1
        for index in slots.indices { slots[index] = -1 }
        keys.withUnsafeBufferPointer { keys in
            for index in keys.indices {
                let key = keys[index]
                var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
                while true {
                    let first = Int(slots[slot])
                    if first < 0 {
                        slots[slot] = Int32(index)
                        next[index] = -1
                        break
                    }
                    if keys[first] == key {
                        next[index] = next[first]
                        next[first] = Int32(index)
                        break
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
        for slot in slots.indices {
            let first = Int(slots[slot])
            guard first >= 0, next[first] >= 0 else { continue }
            members.removeAll(keepingCapacity: true)
            var member = first
            while member >= 0 {
                members.append(member)
                member = Int(next[member])
            }
            try body(members)
        }
    }
}
