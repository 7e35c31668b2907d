import Testing

@testable import TrawlIngest

struct DocumentTextTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var title: String
        var body: String
        var testDescription: String { text.debugDescription }

        init(_ text: String, _ title: String, _ body: String) {
            self.text = text
            self.title = title
            self.body = body
        }
    }

    @Test(arguments: [
        Case("", "", ""),
        Case(" \n\t\n", "", ""),
        Case("Title", "Title", ""),
        Case("Title\n", "Title", ""),
        Case("\n\n  Title  \n\nBody one.\nBody two.\n\n", "Title", "Body one.\nBody two."),
        Case("Title\r\n\r\nBody\r\n", "Title", "Body"),
        Case("\u{A0}\u{2003}Tête\u{3000}\n\u{2028}Corps é\u{85}", "Tête", "Corps é"),
        Case("naïve café\nbody", "naïve café", "body"),
        Case("# not a heading\nbody", "# not a heading", "body"),
    ])
    func firstNonBlankLineIsTheTitleAndTheRestTheBody(_ example: Case) {
        let parts = TitleSplit.split(example.text)
        #expect(parts.title == example.title)
        #expect(parts.body == example.body)
    }

    @Test func trimmingRemovesUnicodeWhitespaceOnly() {
        #expect("\u{2009} a b \u{202F}\r\n".trimmingWhitespace() == "a b")
        #expect("\u{1680}\u{85}".trimmingWhitespace() == "")
        #expect("é".trimmingWhitespace() == "é")
    }
}
