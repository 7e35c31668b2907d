import TrawlIndex

// Collapsing near-duplicates: a page of results shows one hit per near-duplicate group (see
// `NearDuplicateGrouping`), the others listed with it.

/// A page of results with near-duplicates collapsed, and how many groups matched in all.
struct CollapsedPage {
    var entries: [(document: MatchedDocument, explanation: ScoreExplanation?, duplicates: [DocumentHead])]
    /// Matching documents counted once per group (a document in no group is a group of one).
    var groupTotal: Int
}

extension Searcher {
    /// Under relevance order, a group shows its newest matching version unless that scores more
    /// than this share below the group's best (then the best is shown). Measured on Reuters:
    /// docs/RANKING.md, "Near-duplicate groups".
    public static let newestVersionMargin = 0.25

    /// The requested page of groups: each group takes the place of its best-ranked matching
    /// member and is shown by its representative (`representative(of:sort:)`), the other
    /// matching members listed as its duplicates. The group total counts the whole match set, so
    /// it does not depend on the page. Nil when the search does not collapse (no groups counted,
    /// or no match in a group).
    func collapsedPage(_ request: SearchRequest, bound: BoundQuery, evaluated: EvaluatedQuery)
        throws(IndexError) -> CollapsedPage?
    {
        guard let grouped = evaluated.grouped, grouped.count.groupedDocuments > 0 else { return nil }
        let groupTotal = evaluated.total - grouped.count.groupedDocuments + grouped.count.groups
        let wanted = request.offset + request.limit
        guard request.offset < groupTotal else { return CollapsedPage(entries: [], groupTotal: groupTotal) }
        // Rank deep enough for the page's groups: Trawl's ranking scores its candidates whatever
        // part of them is asked for, so all of them are taken at once; deeper only when groups
        // folded too many of them away (or every match is there).
        var end: Int
        switch evaluated.strategy {
        case .fts5Order, .dateOrder: end = max(2 * wanted, 20)
        case .championList, .scored: end = max(2 * wanted, request.parameters.candidateDepth)
        }
        end = min(evaluated.total, end)
        var list: RankedList
        var slots: [[RankedEntry]]
        var groupOf: [Int64: Int64]
        repeat {
            list = try rankedList(request, bound: bound, evaluated: evaluated, from: 0, through: end)
            let ids = list.entries.map(\.id)
            if let members = grouped.members {
                groupOf = Dictionary(
                    ids.compactMap { id in members[id].map { (id, $0) } },
                    uniquingKeysWith: { first, _ in first })
            } else {
                groupOf = try store.nearDuplicateGroups(of: ids)
            }
            slots = []
            var slotOfGroup: [Int64: Int] = [:]
            for entry in list.entries {
                if let group = groupOf[entry.id] {
                    if let slot = slotOfGroup[group] {
                        slots[slot].append(entry)
                        continue
                    }
                    slotOfGroup[group] = slots.count
                }
                slots.append([entry])
            }
            if slots.count >= wanted || end >= evaluated.total || list.entries.count < end { break }
            end = min(evaluated.total, end * 2)
        } while true
        let page = slots.dropFirst(request.offset).prefix(request.limit)
        // Members of the page's groups that matched but were not ranked this deep.
        let pageGroups = Set(page.compactMap { slot in groupOf[slot[0].id] })
        let ranked = Set(list.entries.map(\.id))
        var unranked: Set<Int64>
        var members: [Int64: [Int64]]
        if let matching = grouped.members {
            members = [:]
            for (id, group) in matching where pageGroups.contains(group) {
                members[group, default: []].append(id)
            }
            unranked = Set(members.values.joined().filter { !ranked.contains($0) })
        } else {
            members = try store.nearDuplicateMembers(ofGroups: pageGroups)
            unranked = try store.matchingIDs(
                bound, among: members.values.flatMap { $0 }.filter { !ranked.contains($0) })
        }
        let heads = try store.documentHeads(
            of: page.flatMap { $0.map(\.id) } + Array(unranked))
        // A group's newest member may stand for it: when that one was not ranked this deep, it is
        // scored here, so that which member stands for a group does not depend on how deep the
        // page's ranking went.
        let unrankedMembers = page.map { slot -> [Int64] in
            guard let group = groupOf[slot[0].id] else { return [] }
            return (members[group] ?? []).filter { unranked.contains($0) }.sorted()
        }
        var unrankedEntries: [Int64: RankedEntry] = [:]
        if let ranker = list.ranker, request.sort == .relevance {
            // By index, not `zip`: a `Zip2Sequence` of these types has its metadata made at run
            // time (0.4 M instructions a search).
            let newestUnranked = unrankedMembers.indices.compactMap { index -> Int64? in
                let ids = page[page.startIndex + index].map(\.id) + unrankedMembers[index]
                return Self.newest(of: ids, heads: heads).flatMap { unranked.contains($0) ? $0 : nil }
            }
            for document in try store.documents(withIDs: newestUnranked) {
                unrankedEntries[document.id] = (document, document.id, explanation(of: document, by: ranker))
            }
        }
        var chosen: [RankedEntry] = []
        var duplicates: [[DocumentHead]] = []
        for index in unrankedMembers.indices {
            let (slot, unrankedMembers) = (page[page.startIndex + index], unrankedMembers[index])
            let representative = Self.representative(
                of: slot + unrankedMembers.compactMap { unrankedEntries[$0] }, sort: request.sort,
                heads: heads)
            var others = slot.filter { $0.id != representative.id }.compactMap { heads[$0.id] }
            others += unrankedMembers.filter { $0 != representative.id }.compactMap { heads[$0] }
            chosen.append(representative)
            duplicates.append(
                others.sorted { ($0.date ?? -.infinity, $0.id) > ($1.date ?? -.infinity, $1.id) })
        }
        let documents = try loaded(chosen[...], ranker: list.ranker)
        return CollapsedPage(
            entries: zip(documents, duplicates).map { ($0.0.document, $0.0.explanation, $0.1) },
            groupTotal: groupTotal)
    }

    /// The newest of `ids` by their heads' dates (undated as 1970), the larger id among equals.
    static func newest(of ids: [Int64], heads: [Int64: DocumentHead]) -> Int64? {
        ids.max { left, right in
            let (l, r) = (heads[left]?.date ?? 0, heads[right]?.date ?? 0)
            return l != r ? l < r : left < right
        }
    }

    /// Which of a group's members stands for it (`slot`: the ranked ones in their order, then
    /// the others scored): under date order the first (the newest); under relevance order the
    /// newest, unless it scores more than ``newestVersionMargin`` below the best (the first),
    /// whose place the group takes.
    static func representative(of slot: [RankedEntry], sort: ResultOrder, heads: [Int64: DocumentHead])
        -> RankedEntry
    {
        let best = slot[0]
        guard sort == .relevance, slot.count > 1 else { return best }
        func score(_ entry: RankedEntry) -> Double? { entry.explanation?.total ?? entry.document?.score }
        guard let newestID = newest(of: slot.map(\.id), heads: heads),
            let newest = slot.first(where: { $0.id == newestID }), let bestScore = score(best),
            let newestScore = score(newest)
        else { return best }
        return newestScore >= bestScore - abs(bestScore) * newestVersionMargin ? newest : best
    }
}
