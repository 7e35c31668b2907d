import Foundation
import Testing

@testable import TrawlIngest

/// The ZIP reader on archives built in the test (Python's zipfile wrote the fixtures; these are
/// written by hand so each field can be broken on purpose).
struct ZIPArchiveTests {
    /// A one-member archive, stored (method 0).
    static func storedArchive(name: String, data: [UInt8], flags: UInt16 = 0) -> [UInt8] {
        func u16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
        func u32(_ value: Int) -> [UInt8] { u16(value & 0xFFFF) + u16(value >> 16) }
        let nameBytes = Array(name.utf8)
        var archive: [UInt8] = [0x50, 0x4B, 3, 4] + u16(20) + u16(Int(flags)) + u16(0) + u32(0) + u32(0)
        archive += u32(data.count) + u32(data.count) + u16(nameBytes.count) + u16(0) + nameBytes + data
        let directoryOffset = archive.count
        var directory: [UInt8] = [0x50, 0x4B, 1, 2] + u16(20) + u16(20) + u16(Int(flags)) + u16(0)
        directory +=
            u32(0) + u32(0) + u32(data.count) + u32(data.count) + u16(nameBytes.count) + u16(0) + u16(0)
        directory += u16(0) + u16(0) + u32(0) + u32(0) + nameBytes
        archive += directory
        archive += [0x50, 0x4B, 5, 6] + u16(0) + u16(0) + u16(1) + u16(1) + u32(directory.count)
        archive += u32(directoryOffset) + u16(0)
        return archive
    }

    @Test func aStoredMemberIsReadBack() throws {
        let archive = try ZIPArchive(Self.storedArchive(name: "a.xml", data: Array("<a/>".utf8)))
        #expect(try archive.contents(of: "a.xml", limit: 100) == Array("<a/>".utf8))
        #expect(try archive.contents(of: "b.xml", limit: 100) == nil)
    }

    @Test func aMemberOverTheLimitIsRefused() throws {
        let archive = try ZIPArchive(
            Self.storedArchive(name: "a.xml", data: Array(repeating: 0x20, count: 200)))
        #expect(throws: ZIPArchive.Problem.tooLarge("a.xml", limit: 100)) {
            try archive.contents(of: "a.xml", limit: 100)
        }
    }

    @Test func anEncryptedMemberIsRefused() throws {
        let archive = try ZIPArchive(Self.storedArchive(name: "a.xml", data: [1, 2, 3], flags: 1))
        #expect(throws: ZIPArchive.Problem.encrypted("a.xml")) {
            try archive.contents(of: "a.xml", limit: 100)
        }
    }

    @Test(arguments: [0, 10, 30, 60])
    func aCutArchiveIsRefusedNotMisread(keeping bytes: Int) {
        let whole = Self.storedArchive(name: "a.xml", data: Array("<a>text</a>".utf8))
        #expect(throws: ZIPArchive.Problem.noDirectory) { try ZIPArchive(Array(whole.prefix(bytes))) }
    }
}
