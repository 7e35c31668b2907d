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
        let values = signature.values
        return (0..<bands).map { band in
            BandKey(band: band, values: UInt64(values[band * rows]) << 32 | UInt64(values[band * rows + 1]))
        }
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
        // Per band, the documents sorted by the band's two values: equal bands become neighbours
        // (a sort costs less than a dictionary of arrays).
        var keyed = [(key: UInt64, index: Int)](repeating: (0, 0), count: documents.count)
        for band in 0..<bands {
            for (index, document) in documents.enumerated() {
                let values = document.signature.values
                keyed[index] = (UInt64(values[band * rows]) << 32 | UInt64(values[band * rows + 1]), index)
            }
            keyed.sort { $0.key < $1.key }
            var runStart = 0
            while runStart < keyed.count {
                var runEnd = runStart + 1
                while runEnd < keyed.count && keyed[runEnd].key == keyed[runStart].key { runEnd += 1 }
                let members = keyed[runStart..<runEnd].map(\.index)
                runStart = runEnd
                guard members.count > 1 else { continue }
                for (position, member) in members.enumerated() {
                    for other in members[..<position] {
                        let (a, b) = (components.root(member), components.root(other))
                        guard a != b,
                            arePair(
                                documents[member].signature, documents[member].date,
                                documents[other].signature,
                                documents[other].date)
                        else { continue }
                        components.join(roots: a, b)
                    }
                }
            }
        }
        var groupID: [Int: Int64] = [:]
        var size: [Int: Int] = [:]
        for index in documents.indices {
            let top = components.root(index)
            size[top, default: 0] += 1
            groupID[top] = min(groupID[top] ?? documents[index].id, documents[index].id)
        }
        var result: [Int64: Int64] = [:]
        for index in documents.indices {
            let top = components.root(index)
            if size[top, default: 0] > 1 { result[documents[index].id] = groupID[top] }
        }
        return result
    }
}
