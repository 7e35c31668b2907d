import Testing
import TrawlIndex

@testable import TrawlIngest

struct RTFReaderTests {
    static func read(_ rtf: String) -> Extraction {
        RTFReader.extract(
            Array(rtf.utf8), context: ExtractionContext(path: "/tmp/x.rtf", modificationTime: 0))
    }

    /// What the body holds after the title line "T".
    @Test(arguments: [
        (#"{\rtf1\ansi T\par caf\'e9\par}"#, "café"),
        // The code page named by \ansicpg decodes \'hh.
        (#"{\rtf1\ansi\ansicpg1251 T\par \'cf\'f0\'e8\'e2\'e5\'f2\par}"#, "Привет"),
        // \uc2: two fallback characters are skipped after each \u, and a \'hh counts as one.
        (#"{\rtf1\uc2 T\par \u20320\'c4\'e3\u22909??\par}"#, "你好"),
        // A negative \u is UTF-16 above 32767.
        (#"{\rtf1 T\par \u-3584?\par}"#, "\u{F200}"),
        // Unknown {\* } destinations, fonts, colours, stylesheets and pictures are not text.
        (
            #"{\rtf1{\fonttbl{\f0 Arial;}}{\colortbl;\red1;}{\stylesheet{\s0 Normal;}}{\*\unknownthing hidden}T\par {\pict\wmetafile8 0102ff}seen\par}"#,
            "seen"
        ),
        // \bin skips its bytes, whatever they are.
        (#"{\rtf1 T\par before{\pict\bin4 }}{{} after\par}"#, "before after"),
        // Escaped braces and backslashes, \~ and \_ .
        (#"{\rtf1 T\par a\{b\}c\\d\~e\_f\par}"#, #"a{b}c\d e-f"#),
        // A file cut short keeps what was read.
        (#"{\rtf1 T\par cut off here"#, "cut off here"),
    ])
    func bodyTextIsDecoded(_ rtf: String, _ body: String) throws {
        let document = try #require(Self.read(rtf).documents.first)
        #expect(document.title == "T")
        #expect(document.body == body)
    }

    @Test func infoGivesTitleAuthorKeywordsAndDate() throws {
        let rtf = #"""
            {\rtf1{\info{\title Memo}{\author Ana Ruiz}{\keywords ports, grain}{\creatim\yr2025\mo11\dy3\hr14\min5}}Memo\par Body.\par}
            """#
        let document = try #require(Self.read(rtf).documents.first)
        #expect(document.title == "Memo")
        #expect(document.body == "Body.")
        #expect(document.metadata.author == "Ana Ruiz")
        #expect(document.metadata.tags == ["ports", "grain"])
        #expect(document.date == DateParsing.parse("2025-11-03T14:05:00Z"))
    }

    @Test func deepNestingStopsTheReadWithAWarning() {
        let rtf = "{\\rtf1 T\\par kept\\par " + String(repeating: "{", count: 100_000) + "lost"
        let extraction = Self.read(rtf)
        #expect(extraction.documents.first?.body == "kept")
        #expect(extraction.warnings == ["groups nested deeper than 1000; the rest is not read"])
    }

    @Test func aFileThatIsNotRTFIsSkipped() {
        #expect(Self.read("Just text").skipReason == "not an RTF file (it does not start with {\\rtf)")
    }
}
