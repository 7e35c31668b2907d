import Foundation
import Testing
import TrawlIndex
import TrawlSearch

/// Champion lists (issue 7): a very common single-word query re-scores its stored best documents
/// instead of every match, and must rank exactly as scoring every match does.
struct ChampionListTests {
    let folder: URL
    let store: IndexStore

    /// 1,500 documents containing "report" (more than the champion threshold) with varied
    /// frequencies and lengths, in title and body, and 100 without it; every fourth also says
    /// "barley".
    init() throws {
        var documents: [(title: String, body: String)] = []
        for number in 0..<1_600 {
            let filler = Array(repeating: "grain", count: number % 37).joined(separator: " ")
            let hits =
                number < 1_500 ? Array(repeating: "report", count: 1 + number % 5).joined(separator: " ") : ""
            let title = number % 11 == 0 && number < 1_500 ? "Report \(number)" : "Note \(number)"
            documents.append(
                (title, "\(filler) \(hits) wheat \(number)\(number % 4 == 0 ? " barley" : "")"))
        }
        (folder, store) = try temporaryIndex(named: "trawl-champ", folder: "c", documents: documents)
    }

    func search(_ request: SearchRequest) throws -> [String] { try rankedLines(store, request) }

    @Test func championListRanksExactlyAsScoringEveryMatch() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        var request = SearchRequest(query: "report", limit: 20)
        request.includesSnippets = false
        let first = try search(request)  // computes and stores the list
        let second = try search(request)  // reads the stored list
        var exhaustive = request
        exhaustive.parameters.candidateDepth = 5_000  // deeper than a list: every match is scored
        #expect(first == second)
        #expect(first == (try search(exhaustive)))
        #expect(try Searcher(store: store).search(request).total == 1_500)
    }

    /// `report -barley` takes the list without the barley documents (enough are left);
    /// `report -grain` leaves too few of the list and is ranked the usual way. Both rank exactly
    /// as scoring every match does.
    @Test(arguments: [("report -barley", 1_125), ("report -grain", 41)])
    func aCommonWordMinusExclusionsRanksExactlyAsScoringEveryMatch(query: String, total: Int) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        var request = SearchRequest(query: query, limit: 20)
        request.includesSnippets = false
        let first = try search(request)  // computes and stores the list of "report"
        let version = try store.indexVersion() ^ RankingParameters.revision
        #expect(store.championList(of: "report", indexVersion: version) != nil)
        let second = try search(request)  // reads the stored list
        var exhaustive = request
        exhaustive.parameters.candidateDepth = 5_000
        #expect(first.count == 20)
        #expect(first == second)
        #expect(first == (try search(exhaustive)))
        let response = try Searcher(store: store).search(request)
        #expect(response.total == total)
        let excluded = query.hasSuffix("barley") ? "barley" : "grain"
        for hit in response.hits {
            let number = Int(hit.path.dropFirst(3).dropLast(4))!
            #expect(
                excluded == "barley" ? number % 4 != 0 : number % 37 == 0, "\(hit.path) should be excluded")
        }
    }

    @Test func aWriteToTheIndexMakesStoredListsStale() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let before = try store.indexVersion()
        let posting = TermPosting(
            documentID: 7, titleFrequency: 1, bodyFrequency: 2, titleLength: 3, bodyLength: 40)
        let list = ChampionList(documentFrequency: 9, postings: [posting])
        #expect(store.storeChampionList(list, of: "report", indexVersion: before))
        #expect(store.championList(of: "report", indexVersion: before) == list)
        try store.apply([
            .add(
                DocumentRecord(
                    path: "/c/new.txt", title: "Report", body: "report", size: 1, modificationTime: 1,
                    inode: 1,
                    contentHash: 1, date: 0))
        ])
        let after = try store.indexVersion()
        #expect(after != before)
        #expect(store.championList(of: "report", indexVersion: after) == nil)
    }

    /// A list stored under older ranking defaults (another `RankingParameters.revision`) ranks by
    /// other scores: search ignores it and ranks exactly as scoring every match does.
    @Test func aListStoredUnderOtherRankingDefaultsIsNotUsed() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let posting = TermPosting(
            documentID: 7, titleFrequency: 1, bodyFrequency: 2, titleLength: 3, bodyLength: 40)
        let stale = ChampionList(documentFrequency: 1_500, postings: Array(repeating: posting, count: 200))
        #expect(store.storeChampionList(stale, of: "report", indexVersion: try store.indexVersion()))
        var request = SearchRequest(query: "report", limit: 20)
        request.includesSnippets = false
        var exhaustive = request
        exhaustive.parameters.candidateDepth = 5_000
        #expect(try search(request) == (try search(exhaustive)))
    }
}

/// Champion lists of prefixes (issue 20): a prefix alone whose terms are in very many documents
/// (`pro*`) re-scores its stored best documents, and must rank exactly as re-tokenizing and
/// scoring every match does, including words whose stems, accent-folded forms or hyphen parts
/// start with the prefix where the word itself does not.
struct PrefixChampionListTests {
    let folder: URL
    let store: IndexStore

    /// 2,000 documents mixing forms that match `happi*`, `report*` and `rep*` in different ways
    /// (`happy` is stemmed to `happi`; `Répertoire` folds to `repertoire`; `re-port` is also
    /// `report`), with varied counts and lengths in title and body; 50 with `Reportage` only
    /// (`report*` but not `report`), and 50 with none of them.
    init() throws {
        let forms = [
            "report", "reports", "reporting", "Reporter's", "re-port", "Répertoire", "repository", "happy",
            "happiness", "Happily", "reps", "Repositories",
        ]
        var documents: [(title: String, body: String)] = []
        for number in 0..<2_100 {
            var words = Array(repeating: "grain", count: number % 23)
            if number >= 2_000, number < 2_050 {
                words += ["Reportage", "reportage", "reportage"]  // `report*` only, not `report`
            } else if number < 2_000 {
                for index in 0..<(1 + number % 4) {
                    words.append(forms[(number / 3 + index * 7) % forms.count])
                }
            }
            let title =
                number % 9 == 0 && number < 2_000
                ? "\(forms[number % forms.count]) \(number)" : "Note \(number)"
            documents.append(
                (title, words.joined(separator: number % 2 == 0 ? " " : " wheat ") + " \(number)"))
        }
        (folder, store) = try temporaryIndex(named: "trawl-prefix-champ", folder: "p", documents: documents)
    }

    func search(_ request: SearchRequest) throws -> [String] { try rankedLines(store, request) }

    /// Whether two rankings ("path score" lines) agree: the same score at every place, and the same
    /// documents at each score but the last (many documents here score alike, and the order among
    /// equal scores, or which of them a page cuts, is not part of the ranking).
    func agree(_ left: [String], _ right: [String]) -> Bool {
        func byScore(_ lines: [String]) -> [String: Set<String>] {
            Dictionary(grouping: lines, by: { String($0.split(separator: " ")[1]) }).mapValues(Set.init)
        }
        let scores = left.map { $0.split(separator: " ")[1] }
        guard scores == right.map({ $0.split(separator: " ")[1] }), let last = scores.last else {
            return left == right
        }
        let (leftGroups, rightGroups) = (byScore(left), byScore(right))
        return leftGroups.keys.allSatisfy { $0 == String(last) || leftGroups[$0] == rightGroups[$0] }
    }

    @Test(arguments: ["rep*", "report*", "happi*"])
    func aPrefixListRanksExactlyAsScoringEveryMatch(query: String) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        var request = SearchRequest(query: query, limit: 30)
        request.includesSnippets = false
        var exhaustive = request
        exhaustive.parameters.candidateDepth = 5_000  // every match is re-tokenized and scored
        let expected = try search(exhaustive)
        let exhaustiveTotal = try Searcher(store: store).search(exhaustive).total
        let first = try search(request)  // computes and stores the list
        let version = try store.indexVersion() ^ RankingParameters.revision
        let prefix = String(query.dropLast())
        let list = store.championList(of: IndexStore.championKey(ofPrefix: prefix), indexVersion: version)
        let second = try search(request)  // reads the stored list
        #expect(list?.documentFrequency == exhaustiveTotal)
        #expect(exhaustiveTotal >= 1_000)  // enough for a list
        #expect(first.count == 30)
        #expect(agree(first, expected), "\(first) against \(expected)")
        #expect(second == first)
        #expect(try Searcher(store: store).search(request).total == exhaustiveTotal)
    }

    /// The list of a prefix is not the list of the word it spells: `report*` and `report` are
    /// stored apart, and each ranks as scoring its own matches does.
    @Test func aPrefixAndTheWordItSpellsKeepTheirOwnLists() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        var word = SearchRequest(query: "report", limit: 10)
        word.includesSnippets = false
        var prefix = word
        prefix.query = "report*"
        let version = try store.indexVersion() ^ RankingParameters.revision
        for var request in [word, prefix] {
            let ranked = try search(request)  // computes and stores the list
            request.parameters.candidateDepth = 5_000
            #expect(agree(ranked, try search(request)))
        }
        let wordList = store.championList(of: "report", indexVersion: version)
        let prefixList = store.championList(
            of: IndexStore.championKey(ofPrefix: "report"), indexVersion: version)
        #expect(wordList?.documentFrequency == (try Searcher(store: store).search(word).total))
        #expect(prefixList?.documentFrequency == (try Searcher(store: store).search(prefix).total))
        #expect(wordList?.documentFrequency ?? 0 < prefixList?.documentFrequency ?? 0)
    }
}

/// A new index in a folder of its own under the temporary directory (`named-UUID`), holding the
/// documents in order at `/<folder>/<number>.txt`.
func temporaryIndex(named name: String, folder: String, documents: [(title: String, body: String)])
    throws -> (URL, IndexStore)
{
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
        "\(name)-\(UUID().uuidString)")
    let store = try IndexStore(path: directory.appendingPathComponent("index.sqlite").path)
    try store.apply(
        documents.enumerated().map { number, document in
            .add(
                DocumentRecord(
                    path: "/\(folder)/\(number).txt", title: document.title, body: document.body, size: 1,
                    modificationTime: 1, inode: UInt64(number), contentHash: UInt64(number), date: 0))
        })
    return (directory, store)
}

/// The hits of `request` as "path score" lines, the score to nine decimals.
private func rankedLines(_ store: IndexStore, _ request: SearchRequest) throws -> [String] {
    try Searcher(store: store).search(request).hits.map { "\($0.path) \(String(format: "%.9f", $0.score))" }
}
