/// The transliteration key of a word: a consonant skeleton shared by the usual Latin spellings
/// of one Arabic or Persian name (`Hezbollah`, `Hizballah`, `Hizbullah` → `~hazbala`).
///
/// Rules, applied to the folded word (`a`…`z` only):
/// 1. Digraphs: `ph`→`f`, `kh`→`k`, `gh`→`g`, `th`→`t`, `dh`→`z` (so `Kadhim` = `Kazem`),
///    `sh` and `ch`→`x`, `ck`→`k`, `dj`→`j`; then `q`→`k`, `c`→`s` before `e i y`, else `k`;
///    `x`→`ks`.
/// 2. The first letter stays; if it is a vowel it keeps its class: `a`; `e i` → `i`; `o u` → `u`
///    (`Osama` = `Usama`, `Esmail` = `Ismail`, but `Iran` ≠ `Oran`).
/// 3. After the first letter every run of vowels becomes one `a`; `w` and `y` vanish; a final
///    `h` after a vowel vanishes (`Makkah` = `Mecca`); other `h` stay (`Mahmoud` ≠ `Mohammed`).
/// 4. Doubled symbols collapse (`Qassem` = `Qasem`).
///
/// The key keeps the *places* of vowels, so `Sudan` (`~sadan`) and `Sudani` (`~sadana`),
/// `Hamas` and `Homs`, `Iran` and `Iraq` stay apart.
enum VariantKey {
    /// The fewest letters a word needs to get a key.
    static let minimumLetterCount = 4

    /// Appends `~` and the key of `word` (lower-case ASCII letters) to `output`.
    static func append(keyOf word: ArraySlice<UInt8>, to output: inout [UInt8]) {
        output.append(Tokenizer.variantKeyMarker)
        let keyStart = output.count
        let letters = Array(word)
        let count = letters.count
        let vowelSymbol = UInt8(ascii: "a")

        func push(_ symbol: UInt8) {
            if output.count > keyStart, output[output.count - 1] == symbol { return }
            output.append(symbol)
        }

        var index = 0
        while index < count {
            let letter = letters[index]
            let next: UInt8 = index + 1 < count ? letters[index + 1] : 0
            let isFirst = index == 0
            switch (letter, next) {
            case (UInt8(ascii: "p"), UInt8(ascii: "h")):
                push(UInt8(ascii: "f"))
                index += 2
                continue
            case (UInt8(ascii: "k"), UInt8(ascii: "h")), (UInt8(ascii: "c"), UInt8(ascii: "k")):
                push(UInt8(ascii: "k"))
                index += 2
                continue
            case (UInt8(ascii: "g"), UInt8(ascii: "h")), (UInt8(ascii: "t"), UInt8(ascii: "h")):
                push(letter)
                index += 2
                continue
            case (UInt8(ascii: "d"), UInt8(ascii: "h")):
                push(UInt8(ascii: "z"))
                index += 2
                continue
            case (UInt8(ascii: "s"), UInt8(ascii: "h")), (UInt8(ascii: "c"), UInt8(ascii: "h")):
                push(UInt8(ascii: "x"))
                index += 2
                continue
            case (UInt8(ascii: "d"), UInt8(ascii: "j")):
                push(UInt8(ascii: "j"))
                index += 2
                continue
            default:
                break
            }
            switch letter {
            case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "o"),
                UInt8(ascii: "u"):
                if isFirst {
                    switch letter {
                    case UInt8(ascii: "a"): push(UInt8(ascii: "a"))
                    case UInt8(ascii: "e"), UInt8(ascii: "i"): push(UInt8(ascii: "i"))
                    default: push(UInt8(ascii: "u"))
                    }
                } else if !(output.count > keyStart && isVowelSymbol(output[output.count - 1])) {
                    push(vowelSymbol)
                }
            case UInt8(ascii: "w"), UInt8(ascii: "y"):
                if isFirst { push(letter) }
            case UInt8(ascii: "h"):
                let isFinalAfterVowel = index == count - 1 && index > 0 && isVowel(letters[index - 1])
                if !isFinalAfterVowel { push(letter) }
            case UInt8(ascii: "q"):
                push(UInt8(ascii: "k"))
            case UInt8(ascii: "c"):
                let isSoft =
                    next == UInt8(ascii: "e") || next == UInt8(ascii: "i") || next == UInt8(ascii: "y")
                push(isSoft ? UInt8(ascii: "s") : UInt8(ascii: "k"))
            case UInt8(ascii: "x"):
                push(UInt8(ascii: "k"))
                push(UInt8(ascii: "s"))
            default:
                push(letter)
            }
            index += 1
        }
    }

    private static func isVowel(_ letter: UInt8) -> Bool {
        switch letter {
        case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "u"):
            true
        default: false
        }
    }

    /// Vowel symbols in a key: the placeholder `a`, and the first-letter classes `i` and `u`.
    private static func isVowelSymbol(_ symbol: UInt8) -> Bool {
        symbol == UInt8(ascii: "a") || symbol == UInt8(ascii: "i") || symbol == UInt8(ascii: "u")
    }
}
