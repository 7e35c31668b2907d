import Foundation
import Testing
import TrawlIndex

@testable import TrawlIngest

/// `EmailReader`: headers, encoded words, MIME parts, transfer encodings, charsets, broken messages.
@Suite struct EmailReaderTests {
    static let fixtures = FixtureFiles.formats("email")

    static func read(_ name: String) throws -> Extraction {
        try FixtureFiles.extract("email", name, with: EmailReader.extract)
    }

    static func message(_ text: String) -> Extraction {
        EmailReader.extract(
            Array(text.utf8), context: ExtractionContext(path: "/tmp/m.eml", modificationTime: 0))
    }

    static func only(_ extraction: Extraction) throws -> ExtractedDocument {
        try #require(extraction.documents.count == 1)
        return extraction.documents[0]
    }

    /// Warnings other than the one an unreadable Date header gives (RFC 2822 dates arrive with
    /// the dates branch).
    static func otherWarnings(_ extraction: Extraction) -> [String] {
        extraction.warnings.filter { !$0.hasPrefix("the Date header") }
    }

    struct FixtureCase: Sendable, CustomTestStringConvertible {
        var file: String
        var title: String
        var author: String
        var source: String = ""
        var testDescription: String { file }
    }

    @Test(arguments: [
        FixtureCase(
            file: "plain-single-part.eml",
            title: "Beirut port audit finds hazardous cargo still stored near grain silos",
            author: "Layla Nasser <layla.nasser@wire.example.org>", source: "Levant Desk"),
        FixtureCase(
            file: "multipart-alternative-qp.eml", title: "Re: Turkey F-35 talks",
            author: "Berg, Tomas <tomas.berg@wire.example.org>"),
        FixtureCase(
            file: "html-only-base64.eml", title: "Weekly Energy Digest – OPEC+ holds",
            author: "Énergie Hebdo <digest@energy.example.com>"),
        FixtureCase(
            file: "latin1-qp-encoded-subject.eml", title: "Zürcher Banken erwarten starken Franken",
            author: "Jürg Müller <jm@zeitung.example.ch>"),
        FixtureCase(
            file: "attachment-and-text.eml", title: "Fwd: Colombia mission renewal briefing",
            author: "UN Monitoring Desk <monitoring@un-desk.example.org>"),
        FixtureCase(
            file: "broken-missing-boundary.eml", title: "Drone strike near Baghdad airport",
            author: "field.reporter@wire.example.org"),
    ])
    func fixturesGiveTheirSubjectAndSender(_ example: FixtureCase) throws {
        let document = try Self.only(try Self.read(example.file))
        #expect(document.title == example.title)
        #expect(document.metadata.author == example.author)
        #expect(document.metadata.source == example.source)
        #expect(!document.body.isEmpty)
    }

    /// Needs RFC 2822 dates in `DateParsing.parse` (the dates branch); fails until it is merged.
    @Test(arguments: [
        ("plain-single-part.eml", 1_763_551_930.0),
        ("multipart-alternative-qp.eml", 1_763_481_900),
        ("html-only-base64.eml", 1_763_103_600),
        ("latin1-qp-encoded-subject.eml", 1_762_936_200),
        ("attachment-and-text.eml", 1_763_428_500),
        ("broken-missing-boundary.eml", 1_763_235_600),
    ])
    func dateComesFromTheDateHeader(file: String, date: Double) throws {
        let extraction = try Self.read(file)
        let document = try Self.only(extraction)
        #expect(document.date == date)
        #expect(document.metadata.dateSource == .metadata)
        #expect(extraction.warnings.allSatisfy { !$0.hasPrefix("the Date header") })
    }

    @Test func plainMessageKeepsItsParagraphsAndListHeaders() throws {
        let extraction = try Self.read("plain-single-part.eml")
        #expect(Self.otherWarnings(extraction).isEmpty)
        let document = try Self.only(extraction)
        #expect(
            document.body == """
                BEIRUT, Nov 19 (Trawl Wire) - An audit of Beirut port found several containers of
                hazardous chemicals still stored near the rebuilt grain silos, officials said on Wednesday.

                The report recommends moving the cargo within 30 days and asks customs to publish
                a full inventory.

                Layla
                """)
        #expect(document.metadata.tags == ["Lebanon", "port safety"])
    }

    @Test func alternativePrefersTheQuotedPrintablePlainText() throws {
        let extraction = try Self.read("multipart-alternative-qp.eml")
        #expect(Self.otherWarnings(extraction).isEmpty)
        let document = try Self.only(extraction)
        #expect(
            document.body == """
                Turkey and the United States resumed talks on Ankara’s return to the F-35 programme, officials said on Tuesday.

                A senior Turkish official said the talks were “constructive” but that no date had been set for a second round.
                """)
        #expect(!document.body.contains("HTML-ONLY"))
        #expect(!document.body.contains("multi-part message"))
        #expect(!document.body.contains("Epilogue"))
    }

    @Test func htmlOnlyMessageGivesTheVisibleTextOfItsBase64Part() throws {
        let extraction = try Self.read("html-only-base64.eml")
        #expect(Self.otherWarnings(extraction).isEmpty)
        let document = try Self.only(extraction)
        #expect(
            document.body.hasPrefix("Gulf producers hold output steady\n\nOPEC+ members agreed on 2025-11-11")
        )
        #expect(document.body.hasSuffix("Saudi officials said the market was “well supplied”."))
        for hidden in ["color:red", "Newsletter", "view in browser", "Unsubscribe", "<p>"] {
            #expect(!document.body.contains(hidden), "body contains \(hidden)")
        }
    }

    @Test func latin1QuotedPrintableIsDecodedAndTheLanguageRead() throws {
        let extraction = try Self.read("latin1-qp-encoded-subject.eml")
        #expect(Self.otherWarnings(extraction).isEmpty)
        let document = try Self.only(extraction)
        #expect(
            document.body.hasPrefix(
                "ZÜRICH, 12. Nov. (Trawl) - Die großen Banken in Zürich rechnen mit einem starken Franken"))
        #expect(document.body.hasSuffix("besorgt « wegen der Margen »."))
        #expect(document.metadata.language == "de")
    }

    @Test func attachmentsAreLeftOut() throws {
        let extraction = try Self.read("attachment-and-text.eml")
        #expect(Self.otherWarnings(extraction).isEmpty)
        let document = try Self.only(extraction)
        #expect(document.body.hasPrefix("Forwarding the briefing on the UN mission renewal in Colombia."))
        #expect(document.body.hasSuffix("monitoring component stays in Bogota."))
        #expect(!document.body.contains("ATTACHED NOTES"))
        #expect(!document.body.contains("PDF"))
    }

    @Test func messageCutBeforeItsClosingBoundaryStillGivesItsText() throws {
        let extraction = try Self.read("broken-missing-boundary.eml")
        #expect(
            Self.otherWarnings(extraction) == [
                "the message has no closing MIME boundary (it looks cut short); its last part was read to the end of the file"
            ])
        let document = try Self.only(extraction)
        #expect(document.body.hasPrefix("BAGHDAD, Nov 15 (Trawl Wire) - A drone struck a vehicle"))
        #expect(document.body.hasSuffix("Kata'ib Hezbollah did not comment on the strike."))
    }

    @Test func messageWithOnlyAnAttachmentIsSkipped() throws {
        let extraction = try Self.read("only-attachment.eml")
        #expect(extraction.documents.isEmpty)
        #expect(extraction.skipReason == "no text part (only attachments)")
    }

    @Test(arguments: [
        ("=?UTF-8?B?Q8O0dGU=?= =?UTF-8?Q?_d=27Ivoire?=", "Côte d'Ivoire"),
        ("=?utf-8?q?caf=C3=A9?= au lait", "café au lait"),
        ("Re: =?ISO-8859-15?Q?=A4_prices?=", "Re: € prices"),
        ("plain =? not encoded ?=", "plain =? not encoded ?="),
        ("=?UTF-8?X?abc?=", "=?UTF-8?X?abc?="),
        ("=?UTF-8?B?SGVsbG8?=", "Hello"),
        ("=?koi8-r?Q?abc?=", "abc"),
    ])
    func encodedWordsAreDecoded(raw: String, decoded: String) {
        #expect(MIME.decodeEncodedWords(raw) == decoded)
    }

    @Test(arguments: [
        ("Amina Haddad <a@x.org>", "Amina Haddad <a@x.org>"),
        ("\"Haddad, Amina\" <a@x.org>", "Haddad, Amina <a@x.org>"),
        ("<a@x.org>", "a@x.org"),
        ("a@x.org (Amina Haddad)", "Amina Haddad <a@x.org>"),
        ("=?UTF-8?Q?Ren=C3=A9e?=\n <r@x.org>", "Renée <r@x.org>"),
    ])
    func fromBecomesNameAndAddress(header: String, author: String) {
        #expect(EmailReader.mailbox(header) == author)
    }

    @Test func quotedPrintableHandlesSoftBreaksAndBadEscapes() {
        let decoded = MIME.decodeQuotedPrintable(Array("a=\r\nb=\nc =3D =ZZ =4".utf8))
        #expect(String(decoding: decoded, as: UTF8.self) == "abc = =ZZ =4")
    }

    @Test(arguments: ["Q8O0dGU=", "Q8O0dGU", "Q8O0\r\n dGU=", "Q8O0d GU==="])
    func base64IgnoresWhitespaceAndMissingPadding(encoded: String) {
        #expect(String(decoding: MIME.decodeBase64(Array(encoded.utf8)), as: UTF8.self) == "Côte")
    }

    @Test func unknownCharsetFallsBackWithAWarning() throws {
        let extraction = Self.message(
            "Subject: S\nContent-Type: text/plain; charset=x-klingon\n\nplain words\n")
        #expect(extraction.warnings == ["character set \"x-klingon\" is not supported; decoded as UTF-8"])
        #expect(try Self.only(extraction).body == "plain words")
    }

    @Test func messageWithoutHeadersOrSubjectTakesItsFirstLineAsTitle() throws {
        let document = try Self.only(Self.message("\n\nFirst line here\n\nSecond paragraph.\n"))
        #expect(document.title == "First line here")
        #expect(document.body == "Second paragraph.")
        let mbox = try Self.only(Self.message("From someone Tue Nov 18 2025\nSubject: Mbox\n\nText"))
        #expect(mbox.title == "Mbox")
        #expect(mbox.body == "Text")
    }

    @Test func flowedTextIsJoinedAndNewsgroupsIsTheSource() throws {
        let text = """
            Subject: Flowed
            Newsgroups: alt.news.gulf
            Content-Type: text/plain; charset=utf-8; format=flowed

            One sentence that was \nwrapped by the mailer.

            -- \nSignature
            """
        let document = try Self.only(Self.message(text))
        #expect(document.body == "One sentence that was wrapped by the mailer.\n\n--\nSignature")
        #expect(document.metadata.source == "alt.news.gulf")
    }

    static let hostileParts: [@Sendable (Int) -> String] = [
        // Multiparts nested in multiparts.
        { count in (0..<count).map { "Content-Type: multipart/mixed; boundary=b\($0)\n\n--b\($0)\n" }.joined()
        },
        // Encoded-word openers that never close, in the subject and the body.
        { count in
            let garbage = String(repeating: "=?=?==?UTF-8?B?", count: count)
            return "Subject: " + garbage + "\n\n" + garbage
        },
        // Header lines folded without end.
        { count in "Subject: a" + String(repeating: "\n b", count: count) + "\n\nbody" },
        // Boundaries that never open a part.
        { count in
            "Content-Type: multipart/mixed; boundary=x\n\n" + String(repeating: "--x\n--y\n", count: count)
        },
    ]

    /// Hostile messages, each built at two sizes 16 times apart: reading the larger takes at most a
    /// linear share longer (`WorkGrowth`); a message without a boundary or any text still ends.
    @Test(arguments: hostileParts.indices)
    func hostileMessagesEndInLinearTime(_ index: Int) {
        let build = Self.hostileParts[index]
        let small = build(250)
        let large = build(250 * WorkGrowth.factor)
        let ratio = WorkGrowth.ratio(small: small, large: large) { _ = Self.message($0) }
        #expect(
            ratio < WorkGrowth.linearBound,
            "case \(index): \(ratio)× the time for \(WorkGrowth.factor)× the input")
    }

    @Test func messagesWithoutABoundaryOrTextEnd() {
        #expect(Self.message("Content-Type: multipart/mixed\n\nbody").documents.count <= 1)
        #expect(Self.message("").documents.isEmpty)
    }
}
