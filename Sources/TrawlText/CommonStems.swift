/// Precomputed Porter2 stems of the most frequent English words (`the`, `said`, `company`).
///
/// About a third of the words in news text are among these few hundred; looking them up in a
/// small open-addressing table of packed 8-byte words is much cheaper than running the stemmer.
/// The stems come from `EnglishStemmer` itself when the table is built, so the table can only
/// ever agree with it.
struct CommonStems: Sendable {
    /// The table, built once; immutable afterwards.
    static let shared = CommonStems(stemmer: EnglishStemmer())

    /// The longest word the table holds: a word packs into one `UInt64`.
    static let maximumWordLength = 8

    private static let slotBits = 10
    private var words: [UInt64]
    private var stems: [UInt64]

    init(stemmer: EnglishStemmer) {
        let slotCount = 1 << Self.slotBits
        words = Array(repeating: 0, count: slotCount)
        stems = Array(repeating: 0, count: slotCount)
        for word in Self.commonWords {
            var bytes = word
            let packedWord = Self.pack(bytes[...])
            stemmer.stem(&bytes)
            var slot = Self.slot(of: packedWord)
            while words[slot] != 0, words[slot] != packedWord { slot = (slot + 1) & (slotCount - 1) }
            words[slot] = packedWord
            stems[slot] = Self.pack(bytes[...])
        }
    }

    /// Replaces `word` (lower-case) with its stem and returns true, or returns false if the word
    /// is not in the table.
    @inline(__always)
    func stem(_ word: inout TermBuffer) -> Bool {
        let count = word.count
        guard count <= Self.maximumWordLength else { return false }
        let packedWord = Self.pack(word.bytes)
        var slot = Self.slot(of: packedWord)
        while true {
            let stored = words[slot]
            if stored == packedWord { break }
            if stored == 0 { return false }
            slot = (slot + 1) & ((1 << Self.slotBits) - 1)
        }
        var packedStem = stems[slot]
        var length = 0
        while packedStem != 0 {
            word.set(UInt8(truncatingIfNeeded: packedStem), at: length)
            packedStem >>= 8
            length += 1
        }
        word.truncate(to: length)
        return true
    }

    @inline(__always)
    private static func pack<Bytes: Sequence<UInt8>>(_ word: Bytes) -> UInt64 {
        var packed: UInt64 = 0
        var shift: UInt64 = 0
        for byte in word {
            packed |= UInt64(byte) << shift
            shift += 8
        }
        return packed
    }

    @inline(__always)
    private static func slot(of packedWord: UInt64) -> Int {
        Int(truncatingIfNeeded: (packedWord &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - slotBits))
    }

    /// Frequent words of news text, three to eight letters long, as bytes (split on the bytes:
    /// every process that tokenizes builds this table, and splitting on `Character.isWhitespace`
    /// was most of that cost).
    private static let commonWords: [[UInt8]] = """
        the and said for mln dlrs date places pct that from its will march with year was billion has new
        company would cts april not inc bank net which but are corp this have were market last one had stock
        loss trade shares also about they two share been oil may sales debt first more earn june after york
        exchange dlr over than interest group other prices profit price three banks per their ltd rate
        foreign week some told under could tax february quarter tonnes five today dollar expected against
        there all oct offer month money unit due january total west london world common economic years into
        added rates board trading end rose increase because meeting capital american issue between current
        six when made record industry system four earlier rise now major business growth federal credit
        while general time official months chairman through national any note sources his finance next only
        markets should out nine minister united state plan loan exports cash report since who term down
        earnings analysts products sale before pay budget further bond states cut set buy offering agreed
        central plans lower period higher wheat contract talks fell long program export can gas public south
        currency deficit such grain high december based day crude loans compared union house take most
        reported each dividend domestic sell during futures non make around policy firm did ago economy lead
        treasury both annual european seven same however assets dealers demand being bonds ministry terms
        proposed part imports country ended off still early owned service fall sugar gold recent stake
        income sold reserves prior systems likely used private banking supply second issues notes well
        continue july expects what these our you she her him them then where how there here very just
        people government president officials security military police news reuters told says saying
        called including against within without between united nations members party leader leaders
        minister war peace forces attack attacks killed city region country countries talks deal support
        """.utf8.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") }).map(
            Array.init
        )
        .filter { (3...8).contains($0.count) }
}
