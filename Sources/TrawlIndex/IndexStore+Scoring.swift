import Foundation
import GRDB
import GRDBSQLite

/// What a scoring pass found: the best matches by the caller's score, best first, and how many
/// documents match in all.
public struct ScoredMatches: Sendable {
    /// The best `keep` matches (fewer when fewer match): id and score, best first, equal scores
    /// by id.
    public var best: [(id: Int64, score: Double)]
    /// Every matching document.
    public var total: Int
    /// With `countingGroups`: how many matches belong to near-duplicate groups, and to how many.
    public var grouped: GroupedMatchCount?
}

extension IndexStore {
    /// Scores every match of `query` with `score` in one pass over the MATCH, and keeps the best
    /// `keep` by that score — with the match count and, with `countingGroups`, the matches'
    /// near-duplicate groups.
    ///
    /// `score` sees each matching row's occurrences of the query's terms (`query.terms`, by
    /// index) and may ask for its field lengths (a document-size lookup). It is told the score
    /// to beat (the `keep`-th best so far, −∞ until `keep` rows are scored); for a row that
    /// cannot reach it, it may return any value below it (a bound), so that it need not compute
    /// that row's score exactly.
    ///
    /// The rows are not stored: `trawl_score` hands each to the pass, which keeps the best in a
    /// heap (and, with `countingGroups`, the matching ids), while SQLite only counts them. The
    /// subquery's `LIMIT` keeps it a co-routine, since FTS5 does not let an auxiliary function
    /// run inside an aggregate:
    ///
    ///     SELECT count(score) FROM (
    ///         SELECT trawl_score(document_fts, :pass) AS score FROM document_fts
    ///         WHERE document_fts MATCH :match <filter> LIMIT -1)
    ///
    /// `:match` is the query's own MATCH when its phrases are the terms themselves (`"oil" AND
    /// "prices"`); otherwise the terms are appended, `(<query>) AND ("t1" OR "t2" OR "p" * …)`,
    /// which matches the same rows and gives each row the positions of every term. The groups
    /// are counted from the matching ids (`groupedMatchCount(_:of:)`).
    public func scoredMatches(
        _ query: BoundQuery, keep: Int, countingGroups: Bool = false,
        score: (ScoredRow, _ lengths: () -> ScoredRow.Lengths, _ toBeat: Double) -> Double
    ) throws(IndexError) -> ScoredMatches {
        let scoring = Self.scoringMatch(query)
        let filter = query.filter.sqlConditions(rowid: "document_fts.rowid")
        var arguments: StatementArguments = [nil, scoring.text]
        arguments += filter.arguments
        return try wrap {
            try withoutActuallyEscaping(score) { score in
                let pass = UnsafeMutablePointer<FTS5Scoring.Pass>.allocate(capacity: 1)
                pass.initialize(
                    to: FTS5Scoring.Pass(
                        termOfPhrase: scoring.termOfPhrase, appended: scoring.appended,
                        termCount: query.terms.count, keep: keep, keepingIDs: countingGroups,
                        score: score))
                defer {
                    pass.deinitialize(count: 1)
                    pass.deallocate()
                }
                return try reading { db in
                    let statement = try db.cachedStatement(
                        sql: """
                            SELECT count(score) FROM (
                                SELECT \(FTS5Scoring.functionName)(document_fts, ?) AS score FROM document_fts
                                WHERE document_fts MATCH ?\(filter.sql) LIMIT -1)
                            """)
                    try statement.setArguments(arguments)
                    // The pass, as a pointer only `trawl_score` reads; unbound again after.
                    sqlite3_bind_pointer(
                        statement.sqliteStatement, 1, UnsafeMutableRawPointer(pass),
                        FTS5Scoring.pointerType.utf8Start, nil)
                    defer {
                        sqlite3_reset(statement.sqliteStatement)
                        sqlite3_bind_null(statement.sqliteStatement, 1)
                    }
                    let total = try Int.fetchOne(statement) ?? 0
                    let grouped =
                        countingGroups
                        ? try Self.groupedMatchCount(db, of: pass.pointee.ids ?? []) : nil
                    return ScoredMatches(best: pass.pointee.best.descending(), total: total, grouped: grouped)
                }
            }
        }
    }

    /// The MATCH a scoring pass runs for `query`, and the query term each of its scored phrases
    /// stands for: the query's own MATCH when it is words joined by AND, OR and NOT, every
    /// term's index terms among them (each phrase then maps to its term, or to none when it is
    /// an excluded word); otherwise the query's MATCH with every term's index terms and prefixes
    /// appended as phrases (`appended`). An index term stands for the first query term that
    /// holds it (`year-on-year`: the second `year` is the first's), as `Ranker.termIndex(of:)`.
    static func scoringMatch(_ query: BoundQuery) -> (text: String, termOfPhrase: [Int?], appended: Bool) {
        var termOfIndexTerm: [String: Int] = [:]
        for (index, term) in query.terms.enumerated() {
            for text in term.terms where termOfIndexTerm[text] == nil { termOfIndexTerm[text] = index }
        }
        let hasPrefixes = query.terms.contains { !$0.prefixes.isEmpty }
        if !hasPrefixes, let phrases = query.match.wordPhrases,
            Set(phrases).isSuperset(of: termOfIndexTerm.keys)
        {
            return (query.match.text, phrases.map { termOfIndexTerm[$0] }, false)
        }
        var listed: [String] = []
        var termOfPhrase: [Int?] = []
        for (index, term) in query.terms.enumerated() {
            // An index term counts for the first query term that holds it (as the ranker reads it).
            for text in term.terms.sorted() where termOfIndexTerm[text] == index {
                listed.append(FTS5QueryCompiler.quoted([text]))
                termOfPhrase.append(index)
            }
            for prefix in term.prefixes.sorted() {
                listed.append(FTS5QueryCompiler.quoted([prefix]) + " *")
                termOfPhrase.append(index)
            }
        }
        guard !listed.isEmpty else { return (query.match.text, [], false) }
        return ("(\(query.match.text)) AND (\(listed.joined(separator: " OR ")))", termOfPhrase, true)
    }
}
