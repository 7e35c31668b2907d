import Foundation
import Testing
import TrawlIndex
import TrawlQuery
import TrawlSearch
import TrawlText

/// Issue 12's properties, checked in-process on indexes the `trawl` binary built: `~w` finds a
/// superset of `w`; every hit of `a AND b` holds both words and the total does not depend on the
/// page; every highlighted span is a match of the query.
@Suite(.serialized)
struct QueryMeaningPropertyTests {
    /// A deterministic generator (SplitMix64), so failures reproduce.
    struct Random {
        var state: UInt64
        mutating func next(below bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    /// Words of the first `files` Reuters articles, by article, in reading order.
    static func reutersWords(files: Int) throws -> [[String]] {
        let names = try FileManager.default.contentsOfDirectory(atPath: ReutersTests.articles.path).sorted()
            .prefix(files)
        return try names.map { name in
            let text = try String(
                contentsOf: ReutersTests.articles.appendingPathComponent(name), encoding: .utf8)
            return text.split(whereSeparator: { !$0.isLetter }).map(String.init)
        }
    }

    @Test(.reutersArticles)
    func variantsFindASupersetOfTheWordOnReuters() throws {
        _ = try ReutersTests.ensureIndexed()
        let store = try IndexStore(path: ReutersTests.db, access: .readOnly)
        var capitalised: [String] = []
        var seen: Set<String> = []
        for words in try Self.reutersWords(files: 3_000) {
            for word in words
            where word.count >= 4 && word.first!.isUppercase && word.dropFirst().allSatisfy(\.isLowercase) {
                if seen.insert(word).inserted { capitalised.append(word) }
            }
        }
        var random = Random(state: 12)
        let sample = (0..<500).map { _ in capitalised[random.next(below: capitalised.count)] }
        var checked = 0
        for word in Set(sample) {
            let plain = try store.matchingIDs(BoundQuery(.word(word)).match)
            let variants = try store.matchingIDs(BoundQuery(.variants(word)).match)
            #expect(
                plain.isSubset(of: variants), "~\(word) misses \(plain.subtracting(variants).count) documents"
            )
            checked += 1
        }
        #expect(checked > 300)
    }

    @Test(.reutersArticles)
    func everyHitOfAnAndHoldsBothWordsAndTheTotalIgnoresThePageOnReuters() throws {
        _ = try ReutersTests.ensureIndexed()
        let searcher = Searcher(store: try IndexStore(path: ReutersTests.db, access: .readOnly))
        let tokenizer = Tokenizer()
        let articles = try Self.reutersWords(files: 2_000).filter { $0.count > 40 }
        var random = Random(state: 7)
        for _ in 0..<200 {
            // Two words of one article, so that some queries match and some pairs are rare.
            let words = articles[random.next(below: articles.count)].filter { $0.count >= 3 }
            let (a, b) = (words[random.next(below: words.count)], words[random.next(below: words.count)])
            let query = "\(a) AND \(b)"
            var totals: Set<Int> = []
            for limit in [1, 10, 100] {
                let response = try searcher.search(SearchRequest(query: query, limit: limit))
                totals.insert(response.total)
                guard limit == 100 else { continue }
                let wanted = [a, b].map { tokenizer.tokens(in: $0).first { !$0.colocated }?.term ?? "" }
                for hit in response.hits {
                    let document = try #require(try searcher.store.document(atPath: hit.path, record: ""))
                    let terms = Set(tokenizer.tokens(in: document.title + "\n" + document.body).map(\.term))
                    #expect(wanted.allSatisfy(terms.contains), "\(query): \(hit.path) lacks a word")
                }
            }
            #expect(totals.count == 1, "\(query): totals \(totals)")
        }
    }

    @Test(.reutersArticles)
    func pagesJoinIntoTheWholeListWithoutGapsOrRepeatsOnReuters() throws {
        _ = try ReutersTests.ensureIndexed()
        let searcher = Searcher(store: try IndexStore(path: ReutersTests.db, access: .readOnly))
        for query in ["oil", "oil prices", "said -oil", "export*", "wheat OR corn"] {
            let whole = try searcher.search(SearchRequest(query: query, limit: 300))
            var paged: [String] = []
            for offset in stride(from: 0, to: 300, by: 70) {
                let page = try searcher.search(SearchRequest(query: query, limit: 70, offset: offset))
                #expect(page.total == whole.total, "\(query) at \(offset)")
                paged += page.hits.map(\.path)
            }
            #expect(Array(paged.prefix(300)) == whole.hits.map(\.path), "\(query)")
            #expect(Set(whole.hits.map(\.path)).count == whole.hits.count, "\(query) repeats a document")
            #expect(whole.hits.count == min(300, whole.total), "\(query)")
        }
    }

    @Test(.reutersArticles)
    func prefixesThatStandForTooManyWordsAreRefusedOnReuters() throws {
        _ = try ReutersTests.ensureIndexed()
        let searcher = Searcher(store: try IndexStore(path: ReutersTests.db, access: .readOnly))
        #expect(try searcher.search(SearchRequest(query: "pro*")).total > 1_000)
        #expect(throws: SearchError.self) { try searcher.search(SearchRequest(query: "a* s* c*")) }
        let refused = try TrawlBinary.run(["search", "a* s* c*", "--db", ReutersTests.db])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("‘a*’ stands for too many words"), "\(refused.stderr)")
    }

    @Test func everyHighlightedSpanIsAMatchOfTheQueryOnTheFixtures() throws {
        let folder = try TrawlBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("fixtures.sqlite").path
        let indexed = try TrawlBinary.run(["index", TrawlBinary.fixtures.path, "--db", db, "--quiet"])
        #expect(indexed.status == 0, "\(indexed.stderr)")
        let searcher = Searcher(store: try IndexStore(path: db, access: .readOnly))
        let tokenizer = Tokenizer()
        // Queries: single words, hyphenated and dotted words, phrases of neighbouring words,
        // prefixes and variants, drawn from the reports themselves.
        let files = try FileManager.default.subpathsOfDirectory(atPath: TrawlBinary.fixtures.path)
            .filter { $0.hasSuffix(".txt") || $0.hasSuffix(".md") }.sorted()
        var words: [String] = []
        for file in files {
            let text = try String(
                contentsOf: TrawlBinary.fixtures.appendingPathComponent(file), encoding: .utf8)
            words += text.split(whereSeparator: { $0.isWhitespace }).map {
                String(
                    $0.trimmingCharacters(
                        in: .punctuationCharacters.subtracting(CharacterSet(charactersIn: "-"))))
            }.filter { $0.count >= 3 && !$0.contains("\"") && !$0.contains(":") && !$0.hasPrefix("-") }
        }
        var random = Random(state: 99)
        var queries = ["al-Sudani", "\"prime minister\"", "U.S.-brokered", "cease-fire"]
        while queries.count < 100 {
            let index = random.next(below: words.count - 1)
            let word = words[index]
            switch queries.count % 5 {
            case 0: queries.append(word)
            case 1: queries.append("\"\(word) \(words[index + 1])\"")
            case 2: queries.append(String(word.prefix(4)) + "*")
            case 3: if word.contains("-") || word.contains(".") { queries.append(word) } else { continue }
            default: queries.append(word.first!.isUppercase ? "~" + word : word + " " + words[index + 1])
            }
        }
        var spans = 0
        for query in queries {
            guard let parsed = try? QueryParser().parse(query), let bound = try? BoundQuery(parsed) else {
                continue
            }
            let response = try searcher.search(SearchRequest(query: query, limit: 20))
            for hit in response.hits {
                // The snippet's word positions and the index terms at each, independently of the
                // highlighter.
                let tokens = tokenizer.tokens(in: hit.snippet.text)
                var positions: [(start: Int, end: Int, terms: Set<String>)] = []
                for token in tokens {
                    if token.colocated, !positions.isEmpty {
                        positions[positions.count - 1].terms.insert(token.term)
                        positions[positions.count - 1].end = max(
                            positions[positions.count - 1].end, token.end)
                    } else {
                        positions.append((token.start, token.end, [token.term]))
                    }
                }
                // A sequence may run past either end of the snippet: words outside it are unseen, so
                // only the words inside are checked.
                func isWhole(_ sequence: HighlightPatterns.Sequence, at start: Int) -> Bool {
                    return sequence.terms.indices.allSatisfy { offset in
                        guard positions.indices.contains(start + offset) else { return true }
                        let here = positions[start + offset].terms
                        return sequence.endsWithPrefix && offset == sequence.terms.count - 1
                            ? here.contains { $0.hasPrefix(sequence.terms[offset]) }
                            : here.contains(sequence.terms[offset])
                    }
                }
                let scalars = Array(hit.snippet.text.unicodeScalars)
                for range in hit.snippet.highlights {
                    var before = ""
                    before.unicodeScalars.append(contentsOf: scalars[..<range.lowerBound])
                    var span = ""
                    span.unicodeScalars.append(contentsOf: scalars[range])
                    let (start, end) = (before.utf8.count, before.utf8.count + span.utf8.count)
                    let covered = positions.indices.filter {
                        positions[$0].start >= start && positions[$0].end <= end
                    }
                    let isMatch = covered.contains { index in
                        let terms = positions[index].terms
                        if !terms.isDisjoint(with: bound.highlights.terms) { return true }
                        if terms.contains(where: { term in
                            bound.highlights.prefixes.contains { term.hasPrefix($0) }
                        }) {
                            return true
                        }
                        return bound.highlights.sequences.contains { sequence in
                            (0..<sequence.terms.count).contains { isWhole(sequence, at: index - $0) }
                        }
                    }
                    #expect(isMatch, "\(query): ‘\(span)’ in \(hit.path): \(hit.snippet.text)")
                    spans += 1
                }
            }
        }
        #expect(spans > 100)
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs a test only where ../shared/corpora holds the Reuters articles, saying so otherwise.
    static var reutersArticles: Self {
        .enabled(
            if: TrawlBinary.corporaAvailable,
            "needs ../shared/corpora/reuters21578/articles beside the checkout (not found)")
    }
}
