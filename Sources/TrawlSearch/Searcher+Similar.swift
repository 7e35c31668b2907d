import Foundation
import TrawlIndex
import TrawlText

/// The documents most like one document, for `trawl similar`.
public struct SimilarDocuments: Sendable {
    /// The document they are like (its location), or nil for a text given directly.
    public var source: String?
    /// The distinctive words searched for, strongest first (each as the text first wrote it,
    /// lower-cased).
    public var terms: [String]
    /// The most similar documents, best first; none of them in the source's near-duplicate group.
    public var hits: [SearchHit]
}

extension Searcher {
    /// How many of a document's most distinctive terms `similar` searches for.
    public static let similarityTermCount = 30

    /// The documents most like the stored document at one of `candidates` (path and record key,
    /// as `show` takes them), or nil when none is stored. The document and the other members of
    /// its near-duplicate group are left out.
    public func similar(to candidates: [(path: String, record: String)], limit: Int) throws(SearchError)
        -> SimilarDocuments?
    {
        guard limit >= 1 else { throw .limitBelowOne }
        guard limit <= Self.maximumLimit else { throw .limitTooLarge(maximum: Self.maximumLimit) }
        do {
            var found: MatchedDocument?
            for candidate in candidates {
                if let document = try store.document(atPath: candidate.path, record: candidate.record) {
                    found = document
                    break
                }
            }
            guard let document = found else { return nil }
            var excluded: Set<Int64> = [document.id]
            if let group = try store.nearDuplicateGroups(of: [document.id])[document.id] {
                excluded.formUnion(try store.nearDuplicateMembers(ofGroups: [group])[group] ?? [])
            }
            var result = try similar(
                title: document.title, body: document.body, excluding: excluded, signature: nil,
                minimumFrequency: 2, limit: limit)
            result.source = document.location
            return result
        } catch {
            throw .index(error)
        }
    }

    /// The documents most like a text that need not be in the index (`trawl similar --file`);
    /// stored documents that are near-duplicates of it, and their groups, are left out.
    public func similar(title: String, body: String, limit: Int) throws(SearchError) -> SimilarDocuments {
        guard limit >= 1 else { throw .limitBelowOne }
        guard limit <= Self.maximumLimit else { throw .limitTooLarge(maximum: Self.maximumLimit) }
        do {
            return try similar(
                title: title, body: body, excluding: [], signature: ShingleSignature(text: body),
                minimumFrequency: 1, limit: limit)
        } catch {
            throw .index(error)
        }
    }

    /// Ranks the index against the text's ``similarityTermCount`` most distinctive terms — by
    /// (1 + ln tf) × idf, terms in fewer than `minimumFrequency` documents left out (a stored
    /// document's own terms are in at least itself) — each weighted by its frequency in the text
    /// as a word typed that often is (BM25's saturating query-term weight); leaves out
    /// `excluding`, documents whose signature is a near-duplicate of `signature`, and all but the
    /// best of each near-duplicate group.
    private func similar(
        title: String, body: String, excluding: Set<Int64>, signature: ShingleSignature?,
        minimumFrequency: Int, limit: Int
    ) throws(IndexError) -> SimilarDocuments {
        var counts: [String: Int] = [:]
        var written: [String: String] = [:]
        let text = title + "\n" + body
        let utf8 = Array(text.utf8)
        for token in tokenizer.tokens(in: text) where !token.colocated {
            let term = token.term
            guard term.count > 2, !Stopwords.english.contains(term), !term.allSatisfy(\.isNumber),
                term.utf8.first != Tokenizer.variantKeyMarker
            else { continue }
            counts[term, default: 0] += 1
            if written[term] == nil, token.start < token.end, token.end <= utf8.count {
                written[term] = String(decoding: utf8[token.start..<token.end], as: UTF8.self).lowercased()
            }
        }
        let frequencies = try store.documentFrequencies(of: Set(counts.keys))
        let documentCount = max(1, try store.collectionStatistics().documentCount)
        let strongest = counts.compactMap { term, count -> (term: String, count: Int, weight: Double)? in
            guard let frequency = frequencies[term], frequency >= minimumFrequency else { return nil }
            let idf = Ranker.inverseDocumentFrequency(
                documentFrequency: frequency, documentCount: documentCount)
            return (term, count, (1 + log(Double(count))) * idf)
        }.sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.term < $1.term }
            .prefix(Self.similarityTermCount)
        guard !strongest.isEmpty else { return SimilarDocuments(source: nil, terms: [], hits: []) }
        let bound = BoundQuery(anyOf: strongest.map { ($0.term, $0.count) })
        var request = SearchRequest(query: "", limit: limit, wordJoin: .any)
        request.parameters.feedbackDocuments = 0
        let evaluated = try evaluate(bound, request: request)
        var end = min(evaluated.total, limit + excluding.count + 10)
        var kept: [RankedEntry] = []
        var list = RankedList(entries: [], ranker: nil)
        while true {
            list = try rankedList(request, bound: bound, evaluated: evaluated, from: 0, through: end)
            let ids = list.entries.map(\.id)
            let groups = try store.nearDuplicateGroups(of: ids)
            let copies: Set<Int64> =
                if let signature {
                    Set(
                        try store.signatures(of: ids).filter {
                            $0.value.similarity(to: signature) >= NearDuplicateGrouping.threshold
                        }.keys)
                } else { [] }
            // A copy's whole group goes: a flash is left out with the UPDATE 2 given as --file.
            let copyGroups = Set(copies.compactMap { groups[$0] })
            var seenGroups: Set<Int64> = []
            kept = list.entries.filter { entry in
                guard !excluding.contains(entry.id), !copies.contains(entry.id) else { return false }
                if let group = groups[entry.id], copyGroups.contains(group) { return false }
                guard let group = groups[entry.id] else { return true }
                return seenGroups.insert(group).inserted
            }
            if kept.count >= limit || end >= evaluated.total || list.entries.count < end { break }
            end = min(evaluated.total, end * 2)
        }
        let matcher = TermMatcher(bound.highlights)
        let hits = try loaded(kept.prefix(limit), ranker: list.ranker).enumerated().map { position, entry in
            hit(
                entry.document, rank: position + 1, score: entry.explanation?.total ?? entry.document.score,
                explanation: entry.explanation, matching: matcher, request: request)
        }
        return SimilarDocuments(source: nil, terms: strongest.map { written[$0.term] ?? $0.term }, hits: hits)
    }
}
