import Testing

@testable import TrawlText

/// Issue 17: MinHash signatures estimate how much of two texts' wording is shared.
struct ShingleSignatureTests {
    static let story = """
        DUBAI, Nov 14 (Trawl Wire) - Iran's Revolutionary Guards seized a tanker carrying fuel oil \
        near the Strait of Hormuz on Friday, accusing its crew of smuggling, Iranian state media said. \
        The IRGC navy said the vessel had been escorted to a port on Qeshm island and that its 18 crew \
        members were being questioned.
        """

    @Test func theSameWordingIsOneWhateverTheCaseAndPunctuation() throws {
        let a = try #require(ShingleSignature(text: Self.story))
        let b = try #require(
            ShingleSignature(text: Self.story.uppercased().replacingOccurrences(of: ",", with: ";")))
        #expect(a.similarity(to: b) == 1)
    }

    /// Signatures are stored in the index and compared with those of documents indexed later:
    /// a change to how they are computed must not change a single value. These are the 32-bit
    /// minima earlier versions stored; this one keeps their low 16 bits, as the migration of
    /// stored signatures does.
    @Test func theValuesStayThoseStoredByEarlierVersions() throws {
        let signature = try #require(ShingleSignature(text: Self.story))
        let stored: [UInt32] = [
            4_204_265, 63_355_885, 1_258_023, 69_498_207, 18_682_910, 42_729_674, 38_324_731, 91_096_029,
            21_590_699, 123_953_275, 63_566_563, 10_877_604, 24_498_487, 4_144_641, 83_135_739,
            45_282_750,
            7_429_760, 45_670_820, 263_393_809, 3_269_621, 20_497_185, 41_543_892, 156_778_069,
            43_091_338,
            33_221_853, 126_077_229, 208_502_788, 90_155_618, 36_129_642, 25_912_619, 962_511,
            146_623_622,
        ]
        #expect(signature.values == stored.map { UInt16(truncatingIfNeeded: $0) })
        let storedBytes = stored.flatMap { value in
            (0..<4).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
        }
        #expect(ShingleSignature.narrowed(storedBytes) == signature.bytes)
        #expect(ShingleSignature.narrowed(signature.bytes) == nil, "only 32-bit signatures are narrowed")
    }

    @Test func aHeaderBlockAtTheTopIsLeftOut() throws {
        let plain = try #require(ShingleSignature(text: Self.story))
        let filed = try #require(
            ShingleSignature(text: "Date: 2025-11-14T13:05:00Z\nTopics: crude, ship\n\n" + Self.story))
        #expect(plain.similarity(to: filed) == 1)
        let header = "Date: 2025-11-14\nSource: Andes Wire\n\nBody"
        #expect(String(header.utf8[ShingleSignature.headerEnd(of: header)...]) == "Body")
        #expect(
            ShingleSignature.headerEnd(of: "DUBAI, Nov 14 - text: more")
                == "DUBAI, Nov 14 - text: more".utf8.startIndex)
    }

    @Test func anUpdateSharesMostShinglesAndAnotherStoryAlmostNone() throws {
        let flash = try #require(ShingleSignature(text: Self.story))
        let update = try #require(
            ShingleSignature(
                text: Self.story
                    + " The ship's manager said it had lost contact with the vessel shortly after noon."))
        let other = try #require(
            ShingleSignature(
                text: """
                    BEIRUT, Nov 18 - Lebanon's cabinet approved a wheat import plan on Tuesday to \
                    rebuild reserves after the port's silos were destroyed, officials said, adding \
                    that shipments from the Black Sea would start next month.
                    """))
        #expect(flash.similarity(to: update) >= 0.6)
        #expect(flash.similarity(to: other) <= 0.1)
    }

    @Test func shortTextsHaveNoSignatureAndSignaturesSurviveStorage() throws {
        #expect(ShingleSignature(text: "Iran seizes tanker near Hormuz") == nil)
        let signature = try #require(ShingleSignature(text: Self.story))
        #expect(signature.bytes.count == ShingleSignature.count * 2)
        #expect(ShingleSignature(bytes: signature.bytes) == signature)
        #expect(ShingleSignature(bytes: [1, 2, 3]) == nil)
    }

    /// The vectorised minima equal the definition computed one function at a time (the low 16
    /// bits of the minimum of the top 32 bits of `a + i·b`), on texts whose hashes carry from the
    /// low half into the high in every lane.
    @Test func theValuesAreTheDefinitionsOnAnyText() throws {
        func mix(_ value: UInt64) -> UInt64 {
            var z = value
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        func reference(_ text: String) -> [UInt16] {
            let words = text.lowercased().split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }.map {
                word in
                word.utf8.reduce(0xCBF2_9CE4_8422_2325 as UInt64) {
                    ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3
                }
            }
            var minima = [UInt32](repeating: .max, count: 32)
            for end in 2..<words.count {
                let shingle =
                    words[end - 2] &* 0x9E37_79B9_7F4A_7C15 ^ words[end - 1] &* 0xC2B2_AE3D_27D4_EB4F
                    ^ words[end]
                let (a, b) = (mix(shingle), mix(shingle ^ 0x5452_4157_4C4D_4853) | 1)
                for function in 0..<32 {
                    minima[function] = min(minima[function], UInt32((a &+ UInt64(function) &* b) >> 32))
                }
            }
            return minima.map { UInt16(truncatingIfNeeded: $0) }
        }
        var state: UInt64 = 7
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for _ in 0..<300 {
            let text = (0..<(12 + next(200))).map { _ in "w\(next(5_000))" }.joined(separator: " ")
            #expect(try #require(ShingleSignature(text: text)).values == reference(text), "\(text)")
        }
    }
}
