import Testing

@testable import TrawlIngest

struct DocumentTextTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var format: DocumentFormat
        var text: String
        var title: String
        var body: String
        var testDescription: String { "\(format): \(text.debugDescription)" }

        init(_ format: DocumentFormat, _ text: String, _ title: String, _ body: String) {
            self.format = format
            self.text = text
            self.title = title
            self.body = body
        }
    }

    @Test(arguments: [
        Case(.plainText, "", "", ""),
        Case(.plainText, " \n\t\n", "", ""),
        Case(.plainText, "Title", "Title", ""),
        Case(.plainText, "Title\n", "Title", ""),
        Case(.plainText, "\n\n  Title  \n\nBody one.\nBody two.\n\n", "Title", "Body one.\nBody two."),
        Case(.plainText, "Title\r\n\r\nBody\r\n", "Title", "Body"),
        Case(.plainText, "\u{A0}\u{2003}Tête\u{3000}\n\u{2028}Corps é\u{85}", "Tête", "Corps é"),
        Case(.plainText, "naïve café\nbody", "naïve café", "body"),
        Case(.plainText, "# not a heading\nbody", "# not a heading", "body"),
        Case(.markdown, "# Heading\n\nBody text.\n", "Heading", "Body text."),
        Case(.markdown, "Intro line\n\n## Second\nMore\n", "Second", "Intro line\n\nMore"),
        Case(.markdown, "Intro line\n# Last", "Last", "Intro line"),
        Case(.markdown, "No heading here\nbody", "No heading here", "body"),
        Case(.markdown, "---\ntitle: \"Quoted\"\ntags: x\n---\n# Heading\nBody", "Quoted", "Body"),
        Case(.markdown, "---\ntitle: Plain\n---\n\nJust body\nmore", "Plain", "Just body\nmore"),
        Case(.markdown, "---\nauthor: me\n---\nFirst\nrest", "First", "rest"),
        Case(.markdown, "---\ntitle: Unclosed\nFirst", "---", "title: Unclosed\nFirst"),
        Case(.markdown, "---\ntitle: 'Only'\n---", "Only", ""),
        Case(.markdown, "  ---  \ntitle: A\ntitle: B\n ---\n#Heading", "B", ""),
    ])
    func titleAndBodyAreSplitLikeTheFormatSays(_ example: Case) {
        let parts = example.format.split(example.text)
        #expect(parts.title == example.title)
        #expect(parts.body == example.body)
    }

    @Test func trimmingRemovesUnicodeWhitespaceOnly() {
        #expect("\u{2009} a b \u{202F}\r\n".trimmingWhitespace() == "a b")
        #expect("\u{1680}\u{85}".trimmingWhitespace() == "")
        #expect("é".trimmingWhitespace() == "é")
    }
}
