/// Precomputed Porter2 stems of the most frequent English words (`the`, `said`, `company`).
///
/// About a third of the words in news text are among these few hundred; looking them up in a
/// small open-addressing table of packed 8-byte words is much cheaper than running the stemmer.
/// The words and their stems are written out in `wordsAndStems`; `CommonStemsTests` checks every
/// stem there against `EnglishStemmer`, so the table agrees with the stemmer.
struct CommonStems: Sendable {
    /// The table, built once; immutable afterwards.
    static let shared = CommonStems()

    /// The longest word the table holds: a word packs into one `UInt64`.
    static let maximumWordLength = 8

    private static let slotBits = 10
    private var words: [UInt64]
    private var stems: [UInt64]

    /// Builds the table from `wordsAndStems`, reading its bytes in place.
    init() {
        let slotCount = 1 << Self.slotBits
        var words = [UInt64](repeating: 0, count: slotCount)
        var stems = [UInt64](repeating: 0, count: slotCount)
        Self.forEachWordAndStem { packedWord, packedStem in
            var slot = Self.slot(of: packedWord)
            while words[slot] != 0, words[slot] != packedWord { slot = (slot + 1) & (slotCount - 1) }
            words[slot] = packedWord
            stems[slot] = packedStem
        }
        self.words = words
        self.stems = stems
    }

    /// Calls `body` with each word of `wordsAndStems` and its stem, packed.
    static func forEachWordAndStem(_ body: (_ word: UInt64, _ stem: UInt64) -> Void) {
        wordsAndStems.withUTF8Buffer { text in
            var word: UInt64 = 0
            var stem: UInt64 = 0
            var shift: UInt64 = 0
            var inStem = false
            func finish() {
                if word != 0 { body(word, inStem ? stem : word) }
                (word, stem, shift, inStem) = (0, 0, 0, false)
            }
            for byte in text {
                switch byte {
                case UInt8(ascii: " "), UInt8(ascii: "\n"):
                    finish()
                case UInt8(ascii: ":"):
                    (inStem, shift) = (true, 0)
                default:
                    if inStem { stem |= UInt64(byte) << shift } else { word |= UInt64(byte) << shift }
                    shift += 8
                }
            }
            finish()
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

    /// Frequent words of news text, three to eight letters long, with their stems: `word` where
    /// the stem is the word itself, `word:stem` where it is not. Written out rather than stemmed
    /// when the table is built: every process that tokenizes builds the table, and splitting a
    /// word list into arrays and stemming each word was 0.8 M of the 9.6 M instructions of a
    /// whole `trawl search palladium`. `CommonStemsTests` checks every stem against
    /// `EnglishStemmer`.
    static let wordsAndStems: StaticString = """
        the and said for mln dlrs date places:place pct that from its:it will march with year was billion
        has new company:compani would cts april not inc bank net which but are corp this have were market
        last one had stock loss trade shares:share also about they two share been oil may sales:sale debt
        first more earn june after york exchange:exchang dlr over than interest group other prices:price
        profit price three banks:bank per their ltd rate foreign week some told under could tax
        february:februari quarter tonnes:tonn five today dollar expected:expect against there all oct offer
        month money unit due january:januari total west london world common economic:econom years:year into
        added:add rates:rate board trading:trade end rose increase:increas because:becaus meeting:meet
        capital:capit american issue:issu between current six when made record industry:industri system four
        earlier rise now major business:busi growth federal:feder credit while general time official:offici
        months:month chairman through national:nation any:ani note sources:sourc his finance:financ next
        only:onli markets:market should out nine minister:minist united:unit state plan loan exports:export
        cash report since:sinc who term down earnings:earn analysts:analyst products:product sale
        before:befor pay budget further bond states:state cut set buy offering:offer agreed:agre central
        plans:plan lower period higher wheat contract talks:talk fell long program export can gas public
        south currency:currenc deficit such grain high december:decemb based:base day crude loans:loan
        compared:compar union house:hous take most reported:report each dividend domestic:domest sell
        during:dure futures:futur non make around policy:polici firm did ago economy:economi lead
        treasury:treasuri both annual european seven same however:howev assets:asset dealers:dealer demand
        being:be bonds:bond ministry:ministri terms:term proposed:propos part imports:import country:countri
        ended:end off still early:earli owned:own service:servic fall sugar gold recent stake income:incom
        sold reserves:reserv prior systems:system likely:like used:use private:privat banking:bank
        supply:suppli second issues:issu notes:note well continue:continu july:juli expects:expect what
        these our you she her him them then where how here very:veri just people:peopl security:secur
        military:militari police:polic news reuters:reuter says:say saying:say called:call within without
        nations:nation members:member party:parti leader leaders:leader war peace:peac forces:forc attack
        attacks:attack killed:kill city:citi region deal support
        """
}
