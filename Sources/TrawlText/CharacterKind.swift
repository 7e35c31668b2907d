/// What one character means to the tokenizer's scanner.
///
/// ASCII bytes are classified through a 256-entry table; every other scalar through
/// `CharacterKind(scalar:)`, which only non-ASCII text pays for. The scanner's fast path relies on
/// the raw values 1...3 being exactly the ASCII letters and digits.
enum CharacterKind: UInt8, Sendable {
    /// Ends a word: space, punctuation, symbols, emoji.
    case separator = 0
    /// `a`…`z`.
    case lowercaseLetter = 1
    /// `A`…`Z`.
    case uppercaseLetter = 2
    /// `0`…`9`.
    case digit = 3
    /// `'`, `’` (U+2019), `ʼ` (U+02BC): joins `don't`, `Tehran’s`, `l'issue`.
    case apostrophe
    /// `-`, U+2010, U+2011, Hebrew maqaf: joins `al-Sudani`.
    case hyphen
    /// `.`: joins `3.5`, `U.S.`.
    case period
    /// `,`: joins `150,000`.
    case comma
    /// The first byte of a multi-byte UTF-8 sequence (decode and classify the scalar).
    case nonASCII
    /// Any other word character: letters, marks and numbers outside ASCII.
    case letter
    /// Zero-width and bidi controls and the soft hyphen: skipped, even inside a word.
    case ignorable
    /// Han, kana and Hangul: indexed as overlapping bigrams.
    case ideograph

    /// The kind of every byte; bytes 0x80 and above are `.nonASCII`.
    static let byteKinds: [CharacterKind] = (0..<256).map { byte in
        switch byte {
        case 0x61...0x7A: .lowercaseLetter
        case 0x41...0x5A: .uppercaseLetter
        case 0x30...0x39: .digit
        case 0x27: .apostrophe
        case 0x2D: .hyphen
        case 0x2E: .period
        case 0x2C: .comma
        case 0x80...: .nonASCII
        default: .separator
        }
    }

    /// The kind of a non-ASCII scalar.
    init(scalar value: UInt32) {
        switch value {
        case 0x00AD, 0x034F, 0x061C, 0x180E, 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064,
            0x2066...0x2069, 0xFE00...0xFE0F, 0xFEFF:
            self = .ignorable
        case 0x2019, 0x02BC:
            self = .apostrophe
        case 0x2010, 0x2011, 0x05BE:
            self = .hyphen
        case 0x30A0, 0x30FB, 0x309B, 0x309C:
            self = .separator  // katakana double hyphen, middle dot, spacing sound marks
        case 0x1100...0x11FF, 0x2E80...0x2FDF, 0x3005...0x3007, 0x3021...0x3029, 0x3031...0x3035,
            0x303B, 0x3040...0x30FF, 0x3100...0x312F, 0x3130...0x318F, 0x31A0...0x31BF,
            0x31F0...0x31FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA960...0xA97F, 0xAC00...0xD7FF,
            0xF900...0xFAFF, 0xFF66...0xFF9F, 0x20000...0x3FFFF:
            self = .ideograph
        case 0x00C0...0x00D6, 0x00D8...0x00F6, 0x00F8...0x024F, 0x0300...0x036F, 0x0386, 0x0388...0x03F5,
            0x03F7...0x0481, 0x048A...0x052F, 0x0591...0x05BD, 0x05BF, 0x05C1, 0x05C2, 0x05C4, 0x05C5, 0x05C7,
            0x05D0...0x05EA, 0x05F0...0x05F2, 0x0610...0x061A, 0x0620...0x0669, 0x066E...0x06D3,
            0x06D5...0x06DC,
            0x06DF...0x06E8, 0x06EA...0x06FC, 0x0900...0x0963, 0x0966...0x096F, 0x0971...0x097F,
            0x0E01...0x0E3A, 0x0E40...0x0E4E, 0x0E50...0x0E59, 0x1E00...0x1EFF:
            // Letters, marks and digits of common scripts, without the slow category lookup.
            self = .letter
        default:
            guard let scalar = Unicode.Scalar(value) else {
                self = .separator
                return
            }
            self = scalar.isWordCharacter ? .letter : .separator
        }
    }

    /// Whether the kind can start or continue a word (ignorables cannot start one).
    var isWordCharacter: Bool {
        switch self {
        case .lowercaseLetter, .uppercaseLetter, .digit, .letter: true
        default: false
        }
    }
}

extension Unicode.Scalar {
    /// Letters, marks and numbers make words; everything else separates them.
    var isWordCharacter: Bool {
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
            true
        default:
            false
        }
    }

    /// Kana sound marks and the vowel and final jamo of decomposed (NFD) Hangul, which belong
    /// to the character before them.
    var continuesIdeograph: Bool {
        switch value {
        case 0x3099, 0x309A, 0xFF9E, 0xFF9F, 0x1160...0x11FF: true
        default: false
        }
    }
}

/// Decodes the UTF-8 scalar starting at `index`; malformed input decodes as U+FFFD, one byte long.
@inline(__always)
public func decodeScalar(_ text: UnsafeBufferPointer<UInt8>, at index: Int) -> (value: UInt32, length: Int) {
    let lead = UInt32(text[index])
    let count = text.count
    if lead < 0x80 { return (lead, 1) }
    @inline(__always) func continuation(_ offset: Int) -> UInt32? {
        guard index + offset < count else { return nil }
        let byte = text[index + offset]
        return byte & 0xC0 == 0x80 ? UInt32(byte & 0x3F) : nil
    }
    if lead & 0xE0 == 0xC0, lead >= 0xC2, let b1 = continuation(1) {
        return ((lead & 0x1F) << 6 | b1, 2)
    }
    if lead & 0xF0 == 0xE0, let b1 = continuation(1), let b2 = continuation(2) {
        let value = (lead & 0x0F) << 12 | b1 << 6 | b2
        if value >= 0x800, !(0xD800...0xDFFF).contains(value) { return (value, 3) }
    }
    if lead & 0xF8 == 0xF0, let b1 = continuation(1), let b2 = continuation(2), let b3 = continuation(3) {
        let value = (lead & 0x07) << 18 | b1 << 12 | b2 << 6 | b3
        if (0x10000...0x10FFFF).contains(value) { return (value, 4) }
    }
    return (0xFFFD, 1)
}
