import CZlib

/// A ZIP archive held in memory, as `.docx` and `.odt` files are: its central directory, and each
/// member inflated on demand with a cap on the size it may grow to.
///
/// Only what office documents use is read: stored (0) and deflated (8) members, no ZIP64, no
/// encryption. The cap makes a zip bomb (a small member that inflates to gigabytes) cost at most
/// `limit` bytes of memory before it is refused.
struct ZIPArchive {
    /// One member as the central directory describes it.
    struct Member {
        var name: String
        var method: UInt16
        var flags: UInt16
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
    }

    /// Why an archive or one of its members cannot be read; `description` completes
    /// "cannot read it: …".
    enum Problem: Error, Equatable, CustomStringConvertible {
        /// No end-of-central-directory record: the file was cut short or is not a ZIP archive.
        case noDirectory
        /// The directory or a member points past the end of the file.
        case truncated
        /// A member is encrypted (ZIP's own encryption).
        case encrypted(String)
        /// A member is compressed with a method other than stored or deflate.
        case unsupportedMethod(String, UInt16)
        /// A member inflates to more than the cap.
        case tooLarge(String, limit: Int)
        /// A member's compressed data is damaged.
        case damaged(String)

        var description: String {
            switch self {
            case .noDirectory: "not a complete ZIP archive (no central directory: truncated?)"
            case .truncated: "the ZIP archive is truncated"
            case .encrypted(let name): "\(name) is encrypted"
            case .unsupportedMethod(let name, let method): "\(name) uses ZIP compression method \(method)"
            case .tooLarge(let name, let limit):
                "\(name) inflates to more than \(limit / (1024 * 1024)) MiB (a zip bomb?)"
            case .damaged(let name): "\(name) is damaged (its compressed data does not inflate)"
            }
        }
    }

    let bytes: [UInt8]
    private(set) var members: [String: Member] = [:]

    /// Reads the central directory of the archive in `bytes`.
    init(_ bytes: [UInt8]) throws(Problem) {
        self.bytes = bytes
        // The end record is 22 bytes plus a comment of at most 65,535 bytes, at the very end.
        let lowest = max(0, bytes.count - 22 - 65_535)
        var end = bytes.count - 22
        while end >= lowest,
            !(bytes[end] == 0x50 && bytes[end + 1] == 0x4B && bytes[end + 2] == 5 && bytes[end + 3] == 6)
        {
            end -= 1
        }
        guard end >= lowest else { throw .noDirectory }
        let count = Int(Self.u16(bytes, end + 10))
        let directorySize = Int(Self.u32(bytes, end + 12))
        var offset = Int(Self.u32(bytes, end + 16))
        guard offset + directorySize <= end else { throw .truncated }
        for _ in 0..<count {
            guard offset + 46 <= end, Self.u32(bytes, offset) == 0x0201_4B50 else { throw .truncated }
            let nameLength = Int(Self.u16(bytes, offset + 28))
            let extraLength = Int(Self.u16(bytes, offset + 30))
            let commentLength = Int(Self.u16(bytes, offset + 32))
            guard offset + 46 + nameLength <= end else { throw .truncated }
            let name = String(decoding: bytes[(offset + 46)..<(offset + 46 + nameLength)], as: UTF8.self)
            members[name] = Member(
                name: name, method: Self.u16(bytes, offset + 10), flags: Self.u16(bytes, offset + 8),
                compressedSize: Int(Self.u32(bytes, offset + 20)),
                uncompressedSize: Int(Self.u32(bytes, offset + 24)),
                localHeaderOffset: Int(Self.u32(bytes, offset + 42)))
            offset += 46 + nameLength + extraLength + commentLength
        }
    }

    /// The bytes of the member called `name`, or nil when the archive has none.
    func contents(of name: String, limit: Int) throws(Problem) -> [UInt8]? {
        guard let member = members[name] else { return nil }
        if member.flags & 1 != 0 { throw .encrypted(name) }
        let header = member.localHeaderOffset
        guard header + 30 <= bytes.count, Self.u32(bytes, header) == 0x0403_4B50 else { throw .truncated }
        let start = header + 30 + Int(Self.u16(bytes, header + 26)) + Int(Self.u16(bytes, header + 28))
        guard start + member.compressedSize <= bytes.count else { throw .truncated }
        switch member.method {
        case 0:
            guard member.compressedSize <= limit else { throw .tooLarge(name, limit: limit) }
            return Array(bytes[start..<(start + member.compressedSize)])
        case 8:
            return try inflate(start..<(start + member.compressedSize), name: name, limit: limit)
        default:
            throw .unsupportedMethod(name, member.method)
        }
    }

    /// Raw-inflates `range` of the archive in 64 KiB steps, refusing to grow past `limit`.
    private func inflate(_ range: Range<Int>, name: String, limit: Int) throws(Problem) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else { throw .damaged(name) }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var status: Int32 = Z_OK
        var overLimit = false
        bytes.withUnsafeBufferPointer { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + range.lowerBound)
            stream.avail_in = uInt(range.count)
            chunk.withUnsafeMutableBufferPointer { buffer in
                repeat {
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = uInt(buffer.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    let produced = buffer.count - Int(stream.avail_out)
                    if output.count + produced > limit {
                        overLimit = true
                        return
                    }
                    output.append(contentsOf: buffer[0..<produced])
                } while status == Z_OK && (stream.avail_in > 0 || stream.avail_out == 0)
            }
        }
        if overLimit { throw .tooLarge(name, limit: limit) }
        // A member cut short (no end of stream) is damaged, not silently partial.
        guard status == Z_STREAM_END else { throw .damaged(name) }
        return output
    }

    private static func u16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
        UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    private static func u32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3])
            << 24
    }
}
