import Foundation
import GRDB
import Testing

@testable import TrawlIndex

/// A large document frequency is counted once per index version and read back after: the count
/// a search uses is always that of the index as it is, whether it was kept or counted.
struct DocumentFrequencyCacheTests {
    @Test func aLargeCountIsKeptForItsIndexVersionAndCountedAgainAfterAChange() throws {
        let scratch = ScratchIndex("frequency-cache")
        defer { scratch.remove() }
        let store = try IndexStore(path: scratch.path)
        let common = IndexStore.keptFrequencyMinimum + 3
        try store.apply((0..<common).map { .add(scratch.record("common word \($0) unique\($0)")) })
        try store.apply([.add(scratch.record("rare"))])

        #expect(
            try store.documentFrequencies(of: ["common", "rare", "absent"]) == ["common": common, "rare": 1])
        let kept = try store.database.read { db in
            try Row.fetchAll(db, sql: "SELECT match_text, index_version, documents FROM term_frequency")
        }
        #expect(kept.count == 1, "only the count above the minimum is kept")
        #expect(kept.first?["match_text"] == "\"common\"")
        #expect(kept.first?["index_version"] == (try store.indexVersion()))

        // The kept row is what the next count reads (a tampered row shows it).
        try store.database.write { db in try db.execute(sql: "UPDATE term_frequency SET documents = 7") }
        #expect(try store.documentFrequencies(of: ["common"]) == ["common": 7])
        #expect(try store.documentFrequency(ofAnyOf: ["common"]) == 7)

        // Any change to the full-text index changes its version: the count is made afresh.
        try store.apply([.add(scratch.record("common again"))])
        #expect(try store.documentFrequencies(of: ["common"]) == ["common": common + 1])
        #expect(
            try store.database.read { db in try Int.fetchOne(db, sql: "SELECT documents FROM term_frequency")
            }
                == common + 1)
    }

    /// A search that keeps a count through a read-only store leaves no write-ahead log behind:
    /// every later search process would read all of it again when it opens the index.
    @Test func aCountKeptByAReaderLeavesNoWriteAheadLog() throws {
        let scratch = ScratchIndex("frequency-no-log")
        defer { scratch.remove() }
        let count = IndexStore.keptFrequencyMinimum + 1
        do {
            let store = try IndexStore(path: scratch.path)
            try store.apply((0..<count).map { .add(scratch.record("common \($0) harbor")) })
        }
        func logBytes() -> Int {
            let attributes = try? FileManager.default.attributesOfItem(atPath: scratch.path + "-wal")
            return (attributes?[.size] as? NSNumber)?.intValue ?? 0
        }
        #expect(logBytes() == 0, "a closed writer leaves no log")
        // The reader stays open, as `trawl search` keeps its store until it exits.
        let reader = try IndexStore(path: scratch.path, access: .readOnly)
        #expect(
            try reader.readingOneSnapshot { try reader.documentFrequencies(of: ["common"]) } == [
                "common": count
            ])
        #expect(logBytes() == 0, "the count kept inside a search's snapshot")
        #expect(try reader.documentFrequencies(of: ["harbor"]) == ["harbor": count])
        #expect(logBytes() == 0, "the count kept outside one")
        let kept = try IndexStore(path: scratch.path, access: .readOnly).database.read { db in
            try String.fetchAll(db, sql: "SELECT match_text FROM term_frequency ORDER BY match_text")
        }
        #expect(kept == ["\"common\"", "\"harbor\""], "both counts are in the index itself")
    }

    /// A log longer than a search's own writes is a running `trawl index`'s: the search leaves
    /// it to the indexer rather than copy it into the file itself.
    @Test func aLongLogIsLeftToTheIndexerThatWroteIt() throws {
        let scratch = ScratchIndex("frequency-long-log")
        defer { scratch.remove() }
        let count = IndexStore.keptFrequencyMinimum + 1
        let filler = (0..<300).map { "filler\($0)" }.joined(separator: " ")
        // The indexer stays open: its log is not checkpointed below 32 MB.
        let indexer = try IndexStore(path: scratch.path)
        try indexer.apply((0..<count).map { .add(scratch.record("common \($0) \(filler)")) })
        func logBytes() -> Int {
            let attributes = try? FileManager.default.attributesOfItem(atPath: scratch.path + "-wal")
            return (attributes?[.size] as? NSNumber)?.intValue ?? 0
        }
        #expect(logBytes() > IndexStore.largestLogEmptiedByASearch, "the indexer's log is long")
        let reader = try IndexStore(path: scratch.path, access: .readOnly)
        #expect(try reader.documentFrequencies(of: ["common"]) == ["common": count])
        #expect(logBytes() > IndexStore.largestLogEmptiedByASearch, "the search left the log as it was")
        #expect(try indexer.documentCount() == count)
    }

    @Test(.enabled(if: BindMount.available, BindMount.reason))
    func anIndexOnAReadOnlyDiskIsCountedWithoutBeingWritten() throws {
        let scratch = ScratchIndex("frequency-read-only")
        defer { scratch.remove() }
        let count = IndexStore.keptFrequencyMinimum + 1
        let source = scratch.folder.appendingPathComponent("source")
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
        let path = source.appendingPathComponent("index.sqlite").path
        do {
            let store = try IndexStore(path: path)
            try store.apply((0..<count).map { .add(scratch.record("common \($0)")) })
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let mount = try BindMount(source, at: scratch.folder.appendingPathComponent("read-only"))
        defer { mount.unmount() }
        let reader = try IndexStore(
            path: mount.mountPoint.appendingPathComponent("index.sqlite").path, access: .readOnly)
        #expect(try reader.documentFrequencies(of: ["common"]) == ["common": count])
        #expect(try reader.documentFrequencies(of: ["common"]) == ["common": count])
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }
}
