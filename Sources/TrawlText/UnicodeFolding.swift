import Foundation

/// The slow path for words with non-ASCII characters: compatibility normalisation, case folding,
/// diacritic removal and the Arabic, Persian and Hebrew letter unifications.
///
/// Only words that contain a non-ASCII byte come here; ASCII words are lower-cased through a
/// table by the scanner.
enum UnicodeFolding {
    /// Appends the folded form of the UTF-8 word `raw` to `output`.
    ///
    /// The steps: NFKD (full-width and ligature forms become plain letters, accents split off),
    /// lower-casing plus the few full case foldings lower-casing misses (`ß` → `ss`), dropping
    /// combining marks after Latin and Greek letters, dropping Arabic tashkeel, tatweel and
    /// Hebrew niqqud, unifying Arabic letter variants, turning every decimal digit into ASCII,
    /// dropping anything that is not a letter, mark or number, and finally recomposing (NFC) when
    /// marks were kept (Hangul, kana, Cyrillic `й`).
    static func appendFolded(_ raw: ArraySlice<UInt8>, to output: inout [UInt8]) {
        let decomposed = String(decoding: raw, as: UTF8.self).decomposedStringWithCompatibilityMapping
        var state = State()
        for scalar in decomposed.unicodeScalars {
            if scalar.properties.changesWhenLowercased {
                for lower in scalar.properties.lowercaseMapping.unicodeScalars {
                    state.append(lower)
                }
            } else {
                state.append(scalar)
            }
        }
        if state.needsComposition {
            output.append(contentsOf: String(state.folded).precomposedStringWithCanonicalMapping.utf8)
        } else {
            output.append(contentsOf: String(state.folded).utf8)
        }
    }

    /// Returns NFKC of one ideograph (half-width katakana, kana with a separate sound mark).
    static func appendCompatibilityComposed(_ raw: ArraySlice<UInt8>, to output: inout [UInt8]) {
        let composed = String(decoding: raw, as: UTF8.self).precomposedStringWithCompatibilityMapping
        output.append(contentsOf: composed.utf8)
    }

    /// The script of the last base letter, which decides whether the marks after it go.
    private enum BaseScript {
        case latinOrGreek, cyrillic, other
    }

    private struct State {
        var folded = String.UnicodeScalarView()
        var base = BaseScript.other
        var baseValue: UInt32 = 0
        var needsComposition = false

        mutating func append(_ scalar: Unicode.Scalar) {
            let value = scalar.value
            if let replacement = UnicodeFolding.replacement(for: value) {
                for scalar in replacement.unicodeScalars { appendBase(scalar) }
                return
            }
            if UnicodeFolding.isDropped(value) { return }
            let properties = scalar.properties
            switch properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark:
                switch base {
                case .latinOrGreek:
                    return
                case .cyrillic where value == 0x0308 && (baseValue == 0x0435 || baseValue == 0x0415):
                    return  // ё → е
                default:
                    needsComposition = true
                    folded.append(scalar)
                }
            case .decimalNumber:
                if let digit = properties.numericValue, let ascii = Unicode.Scalar(0x30 + UInt32(digit)) {
                    appendBase(ascii)
                }
            default:
                guard scalar.isWordCharacter else { return }
                appendBase(scalar)
            }
        }

        private mutating func appendBase(_ scalar: Unicode.Scalar) {
            let value = scalar.value
            switch value {
            case 0...0x24F, 0x1E00...0x1EFF, 0x2C60...0x2C7F, 0xA720...0xA7FF, 0xAB30...0xAB6F,
                0x370...0x3FF, 0x1F00...0x1FFF:
                base = .latinOrGreek
            case 0x400...0x52F, 0x1C80...0x1C8F, 0x2DE0...0x2DFF, 0xA640...0xA69F:
                base = .cyrillic
            case 0x1100...0x11FF:
                base = .other
                needsComposition = true  // Hangul syllables were split into jamo by NFKD
            default:
                base = .other
            }
            baseValue = value
            folded.append(scalar)
        }
    }

    /// Letters that fold to other letters: full case folding beyond lower-casing, Latin letters
    /// without a decomposition, Greek final sigma, and Arabic/Persian/Urdu letter variants.
    private static func replacement(for value: UInt32) -> String? {
        switch value {
        case 0x00DF: "ss"  // ß (ẞ lower-cases to ß first)
        case 0x00E6: "ae"  // æ
        case 0x0153: "oe"  // œ
        case 0x00F8: "o"  // ø
        case 0x0142: "l"  // ł
        case 0x0111, 0x00F0: "d"  // đ ð
        case 0x00FE: "th"  // þ
        case 0x0131: "i"  // dotless ı
        case 0x0127: "h"  // ħ
        case 0x03C2: "\u{03C3}"  // final sigma ς → σ
        case 0x0671: "\u{0627}"  // alef wasla ٱ → ا (أ إ آ lose their hamza/madda marks via NFKD)
        case 0x0649, 0x06CC, 0x06D2: "\u{064A}"  // alef maqsura ى, Persian ی, Urdu ے → ي
        case 0x0629, 0x06D5, 0x06C1, 0x06BE, 0x06C3: "\u{0647}"  // ة ە ہ ھ ۃ → ه
        case 0x06A9: "\u{0643}"  // Persian ک → ك
        default: nil
        }
    }

    /// Arabic tashkeel, tatweel and Quranic marks, Hebrew niqqud and cantillation.
    private static func isDropped(_ value: UInt32) -> Bool {
        switch value {
        case 0x0640, 0x064B...0x065F, 0x0670, 0x0610...0x061A, 0x06D6...0x06DC, 0x06DF...0x06E8,
            0x06EA...0x06ED:
            true
        case 0x0591...0x05BD, 0x05BF, 0x05C1, 0x05C2, 0x05C4, 0x05C5, 0x05C7:
            true
        default:
            CharacterKind(scalar: value) == .ignorable
        }
    }
}
