import Foundation
import Testing

@testable import TrawlIndex

/// A search reads everything it reports — counts, pages, documents — from one snapshot of the
/// index (`IndexStore.readingOneSnapshot`), so a `trawl index` that commits in the middle of it
/// cannot make its total disagree with its hits; the next search sees the commit.
struct OneSnapshotTests {
    @Test func readsInOneSnapshotDoNotSeeACommitMadeMeanwhile() throws {
        let scratch = ScratchIndex("snapshot")
        defer { scratch.remove() }
        let path = scratch.path
        let writer = try IndexStore(path: path)
        try writer.apply((0..<5).map { _ in .add(scratch.record("tanker seized near Hormuz")) }, run: 1)
        let reader = try IndexStore(path: path, access: .readOnly)
        let tanker = try BoundQuery(.word("tanker"), tokenizer: .init())

        let (before, after, nestedAfter) = try reader.readingOneSnapshot { () throws(IndexError) in
            let before = (try reader.collectionStatistics().documentCount, try reader.matchCount(tanker))
            try writer.apply((0..<3).map { _ in .add(scratch.record("another tanker report")) }, run: 2)
            let after = (try reader.collectionStatistics().documentCount, try reader.matchCount(tanker))
            // A snapshot taken inside another on the same store is the same snapshot.
            let nested = try reader.readingOneSnapshot { () throws(IndexError) in
                try reader.matchCount(tanker)
            }
            return (before, after, nested)
        }
        #expect(before == (5, 5) && after == (5, 5) && nestedAfter == 5)
        // Outside the snapshot, the commit is seen.
        #expect(try reader.collectionStatistics().documentCount == 8)
        #expect(try reader.matchCount(tanker) == 8)
        #expect(try reader.readingOneSnapshot { () throws(IndexError) in try reader.matchCount(tanker) } == 8)
    }
}
