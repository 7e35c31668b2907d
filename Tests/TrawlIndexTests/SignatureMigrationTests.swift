import Foundation
import GRDB
import Testing
import TrawlText

@testable import TrawlIndex

/// Signatures stored with 32-bit values (schema v10 to v16) are cut to the 16 bits this version
/// keeps when the index is opened (v17), and the near-duplicate groups stay as they were.
struct SignatureMigrationTests {
    @Test func storedSignaturesKeepTheLowHalfOfEachValueAndTheGroupsStay() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trawl-v17-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("index.sqlite").path
        let story = """
            DUBAI, Nov 14 (Trawl Wire) - Iran's Revolutionary Guards seized a tanker carrying fuel oil \
            near the Strait of Hormuz on Friday, accusing its crew of smuggling, Iranian state media said. \
            The IRGC navy said the vessel had been escorted to a port on Qeshm island and that its 18 crew \
            members were being questioned.
            """
        let bodies = [
            story, story + " Shipping resumed.",
            "BEIRUT, Nov 18 - Lebanon's cabinet approved a wheat import plan on Tuesday to rebuild reserves "
                + "after the port's silos were destroyed, officials said.",
        ]
        var ids: [Int64] = []
        do {
            let store = try IndexStore(path: path)
            try store.apply(
                bodies.enumerated().map { number, body in
                    var record = DocumentRecord(
                        path: "/r/\(number).txt", title: "T\(number)", body: body,
                        size: Int64(body.utf8.count),
                        modificationTime: 1, inode: UInt64(number), contentHash: UInt64(number),
                        date: 1_700_000_000)
                    record.signature = ShingleSignature(text: body)
                    return .add(record)
                }, run: 1)
            _ = try store.regroupNearDuplicatesIfStale()
            ids = try store.storedFiles(under: "/r", after: nil, limit: 10).map(\.id)
        }
        let store = try IndexStore(path: path)
        let signatures = try store.signatures(of: ids)
        let groups = try store.nearDuplicateGroups(of: ids)
        #expect(signatures.count == 3)
        #expect(Set(groups.values).count == 1 && groups.count == 2, "the flash and its update are one group")

        // The index as v16 left it: 32-bit values, whose low halves are this version's.
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            for (id, signature) in signatures {
                let wide = signature.values.enumerated().flatMap { index, value in
                    let high = UInt16(truncatingIfNeeded: index &* 40_503 &+ Int(id))
                    return [UInt8(value & 0xff), UInt8(value >> 8), UInt8(high & 0xff), UInt8(high >> 8)]
                }
                try db.execute(
                    sql: "UPDATE document_signature SET signature = ? WHERE id = ?",
                    arguments: [Data(wide), id])
            }
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier LIKE 'v17:%'")
        }
        try queue.close()

        let migrated = try IndexStore(path: path)
        #expect(try migrated.signatures(of: ids) == signatures)
        #expect(try migrated.nearDuplicateGroups(of: ids) == groups)
        let sizes = try DatabaseQueue(path: path).read { db in
            try Int.fetchAll(db, sql: "SELECT length(signature) FROM document_signature")
        }
        #expect(sizes == [64, 64, 64])
    }
}
