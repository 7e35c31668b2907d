import Foundation
import Testing
import TrawlText

@testable import TrawlIndex

/// Regrouping after a run looks only at the documents that changed and their groups, and grouping
/// afresh a large index reads the signatures band by band: after any run of additions, edits and
/// removals, the groups must be those of grouping every document from scratch in memory.
struct IncrementalRegroupingTests {
    /// A small deterministic generator (SplitMix64).
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    static let vocabulary = (0..<400).map { "w\($0)" }

    /// A story of about 40 words, and versions of it with a few words changed, added or cut.
    static func story(_ random: inout Generator) -> [String] {
        (0..<(30 + random.next(20))).map { _ in vocabulary[random.next(vocabulary.count)] }
    }

    static func version(of words: [String], _ random: inout Generator) -> [String] {
        var words = words
        for _ in 0..<random.next(4) {
            switch random.next(3) {
            case 0: words[random.next(words.count)] = vocabulary[random.next(vocabulary.count)]
            case 1: words.insert(vocabulary[random.next(vocabulary.count)], at: random.next(words.count))
            default: if words.count > 20 { words.remove(at: random.next(words.count)) }
            }
        }
        return words
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func afterEveryRunTheGroupsAreThoseOfGroupingFromScratch(seed: UInt64) throws {
        var random = Generator(state: seed)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trawl-regroup-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try IndexStore(path: folder.appendingPathComponent("index.sqlite").path)
        var stories = (0..<40).map { _ in Self.story(&random) }
        var serial = 0
        func record(_ words: [String]) -> DocumentRecord {
            serial += 1
            let body = words.joined(separator: " ")
            // Most within a day of each other; some days apart; a few undated.
            let date: Double? =
                random.next(12) == 0
                ? nil
                : 1_700_000_000
                    + Double(random.next(4) == 0 ? random.next(10) * 86_400 : random.next(30) * 3_600)
            var record = DocumentRecord(
                path: "/r/\(serial).txt", title: "T\(serial)", body: body, size: Int64(body.utf8.count),
                modificationTime: 1, inode: UInt64(serial), contentHash: UInt64(serial), date: date)
            record.signature = ShingleSignature(text: body)
            return record
        }
        func someVersion() -> [String] {
            let index = random.next(stories.count)
            return Self.version(of: stories[index], &random)
        }
        try store.apply((0..<150).map { _ in .add(record(someVersion())) }, run: 1)
        for run in 1...6 {
            if run > 1 {
                let files = try store.storedFiles(under: "/r", after: nil, limit: 10_000)
                var changes: [DocumentChange] = []
                for file in files {
                    switch random.next(10) {
                    case 0: changes.append(.remove(id: file.id))
                    case 1: changes.append(.replace(id: file.id, record(someVersion())))
                    case 2: changes.append(.replace(id: file.id, record(Self.story(&random))))
                    default: break
                    }
                }
                if run == 4 { stories.append(contentsOf: (0..<5).map { _ in Self.story(&random) }) }
                changes += (0..<15).map { _ in .add(record(someVersion())) }
                try store.apply(changes, run: Int64(run))
            }
            // The first run groups everything; the later ones only what changed, however much.
            try store.regroupNearDuplicatesIfStale(everythingAbove: run == 1 ? 0 : 2)
            let incremental = try #require(try store.nearDuplicateGroupMap())
            let documents = try store.storedFiles(under: "/r", after: nil, limit: 10_000).compactMap {
                file -> (id: Int64, signature: ShingleSignature, date: Double)? in
                guard let document = try store.documents(withIDs: [file.id]).first, let date = document.date,
                    let signature = ShingleSignature(text: document.body)
                else { return nil }
                return (file.id, signature, date)
            }
            let scratch = NearDuplicateGrouping.groups(documents)
            #expect(incremental == scratch, "seed \(seed), run \(run)")
            // Grouping afresh band by band (large indexes) gives the same groups.
            try store.database.write { db in try IndexStore.regroupNearDuplicatesBandByBand(db) }
            #expect(try store.nearDuplicateGroupMap() == scratch, "seed \(seed), run \(run), band by band")
            #expect(Set(scratch.values).count >= 8, "seed \(seed), run \(run): the test makes groups")
        }
    }

    /// A scoring pass counts its matches' groups by merging their ids with the grouped documents,
    /// and probes the ids the merge has not reached once it has run four steps an id: for any
    /// set of ids, dense or sparse, few or all, the counts must be those of the group map.
    @Test func matchesGroupsAreCountedAsTheGroupMapHasThem() throws {
        var random = Generator(state: 7)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trawl-grouped-count-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try IndexStore(path: folder.appendingPathComponent("index.sqlite").path)
        let stories = (0..<30).map { _ in Self.story(&random) }
        let records = (1...300).map { serial in
            let words = Self.version(of: stories[random.next(stories.count)], &random)
            let body = (random.next(3) == 0 ? Self.story(&random) : words).joined(separator: " ")
            var record = DocumentRecord(
                path: "/r/\(serial).txt", title: "T\(serial)", body: body, size: Int64(body.utf8.count),
                modificationTime: 1, inode: UInt64(serial), contentHash: UInt64(serial),
                date: 1_700_000_000 + Double(random.next(30) * 3_600))
            record.signature = ShingleSignature(text: body)
            return record
        }
        try store.apply(records.map { .add($0) }, run: 1)
        try store.regroupNearDuplicatesIfStale(everythingAbove: 0)
        let groups = try #require(try store.nearDuplicateGroupMap())
        #expect(groups.count > 100 && Set(groups.values).count > 10, "the test makes groups")
        let ids = try store.storedFiles(under: "/r", after: nil, limit: 1_000).map(\.id).sorted()
        for (size, trial) in [1, 2, 5, 20, 60, 150, 299, 300].flatMap({ size in (0..<3).map { (size, $0) } })
        {
            // Dense sets, sparse sets, and sets of documents alone.
            var chosen = Set<Int64>()
            while chosen.count < size {
                let id = ids[random.next(ids.count)]
                if trial == 2, size < 100, groups[id] != nil, chosen.count < size / 2 { continue }
                chosen.insert(id)
            }
            let ascending = chosen.sorted()
            let counted = try store.database.read { db in
                try IndexStore.groupedMatchCount(db, of: ascending)
            }
            let expected = GroupedMatchCount(groupsOfDocuments: ascending.compactMap { groups[$0] })
            #expect(counted == expected, "\(size) ids, trial \(trial)")
            // Looked up one by one up to `idsLookedUpOneByOne` ids, in one statement above that.
            #expect(
                try store.nearDuplicateGroups(of: ascending) == groups.filter { chosen.contains($0.key) },
                "\(size) ids, trial \(trial)")
        }
        #expect(
            try store.database.read { db in try IndexStore.groupedMatchCount(db, of: []) }
                == GroupedMatchCount(groupedDocuments: 0, groups: 0))
    }

    /// A document added in the run that removed the newest one takes the removed one's id, below
    /// the ids the groups were computed with: it must still be compared with the others.
    @Test func aNewDocumentTakingARemovedOnesIDIsGrouped() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trawl-regroup-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try IndexStore(path: folder.appendingPathComponent("index.sqlite").path)
        func record(_ name: String, _ words: ArraySlice<String>) -> DocumentRecord {
            let body = words.joined(separator: " ")
            var record = DocumentRecord(
                path: "/r/\(name).txt", title: name, body: body, size: Int64(body.utf8.count),
                modificationTime: 1, inode: 1, contentHash: UInt64(body.hashValue.magnitude),
                date: 1_700_000_000)
            record.signature = ShingleSignature(text: body)
            return record
        }
        let story = Self.vocabulary[0..<60]
        try store.apply(
            [
                .add(record("story", story)), .add(record("other", Self.vocabulary[100..<160])),
                .add(record("newest", Self.vocabulary[200..<260])),
            ], run: 1)
        try store.regroupNearDuplicatesIfStale(everythingAbove: 2)
        #expect(try store.nearDuplicateGroupMap() == [:])
        let files = try store.storedFiles(under: "/r", after: nil, limit: 10)
        let newest = try #require(files.first { $0.path == "/r/newest.txt" }).id
        var update = Array(story)
        update[59] = "w399"
        try store.apply([.remove(id: newest), .add(record("update", update[...]))], run: 2)
        let added = try #require(
            try store.storedFiles(under: "/r", after: nil, limit: 10).first { $0.path == "/r/update.txt" }
        ).id
        #expect(added == newest, "the case needs the removed document's id reused")
        try store.regroupNearDuplicatesIfStale(everythingAbove: 2)
        let story1 = try #require(files.first { $0.path == "/r/story.txt" }).id
        #expect(try store.nearDuplicateGroupMap() == [story1: story1, added: story1])
    }
}
