import Foundation
import Testing

/// `trawl analyze` shows the terms Trawl indexes: report text, run through the real binary.
struct AnalyzeTests {
    struct Output: Decodable {
        struct Token: Decodable {
            var term: String
            var start: Int
            var end: Int
            var colocated: Bool
        }
        var tokens: [Token]
    }

    func terms(_ text: String) throws -> [String] {
        let outcome = try TrawlBinary.run(["analyze", text, "--format", "json"])
        #expect(outcome.status == 0)
        return try JSONDecoder().decode(Output.self, from: Data(outcome.stdout.utf8)).tokens.map {
            $0.colocated ? "+" + $0.term : $0.term
        }
    }

    @Test(arguments: [
        ("al-Sudani", ["al", "+alsudani", "sudani", "+~sadana"]),
        ("cease-fire", ["ceas", "+ceasefir", "fire"]),
        ("IRGC-QF", ["irgc", "+irgcqf", "qf"]),
        ("U.S.", ["us"]),
        ("US", ["us"]),
        ("Tehran’s", ["tehran", "+~tahran"]),
        ("Tehran's", ["tehran", "+~tahran"]),
        ("Kata'ib", ["kataib", "+~katab"]),
        ("l'issue", ["issu"]),
        ("don't", ["dont"]),
        ("150,000", ["150000"]),
        ("$3.5 billion", ["3.5", "billion"]),
        ("2025-11-11", ["2025-11-11", "+2025"]),
        ("Resolution 1701", ["resolut", "+~rasalatan", "1701"]),
        ("F-35", ["f35"]),
        ("réunion", ["reunion"]),
        ("İstanbul", ["istanbul", "+~istanbal"]),
        ("straße", ["strass"]),
        ("Teh\u{200B}ran", ["tehran", "+~tahran"]),
        ("\u{202B}abc\u{202C}", ["abc"]),
        ("مُحَمَّد", ["محمد"]),
        ("مدرسة", ["مدرسه"]),
        ("הַפְסָקַת", ["הפסקת"]),
        ("آمریکا", ["امريكا"]),
        ("能源政策", ["能源", "源政", "政策"]),
        ("💥 blast", ["blast"]),
        ("ＡＢＣ", ["abc"]),
    ])
    func reportTextBecomesTheseTerms(text: String, expected: [String]) throws {
        #expect(try terms(text) == expected, "\(text)")
    }

    @Test func offsetsAreBytesIntoTheUTF8Text() throws {
        let outcome = try TrawlBinary.run(["analyze", "Tehran’s al-Sudani", "--format", "json"])
        let tokens = try JSONDecoder().decode(Output.self, from: Data(outcome.stdout.utf8)).tokens
        #expect(tokens.map(\.start) == [0, 0, 11, 11, 14, 14])
        #expect(tokens.map(\.end) == [10, 10, 13, 20, 20, 20])
    }

    @Test func textOutputMarksColocatedTerms() throws {
        let outcome = try TrawlBinary.run(["analyze", "al-Sudani"])
        #expect(outcome.stdout.contains("  + alsudani"))
    }
}
