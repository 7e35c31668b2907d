import Foundation
import Testing

@testable import TrawlIngest

struct LanguageGuessTests {
    /// Every report and the first language of its "Lang" column in Fixtures/README.md.
    @Test(arguments: [
        ("levant/beirut-border-talks-resume.txt", "en"),
        ("levant/unifil-patrols-south-lebanon.txt", "en"),
        ("levant/israel-northern-front-quiet.txt", "en"),
        ("levant/syria-reconstruction-brief.md", "en"),
        ("levant/lebanon-wheat-imports.txt", "en"),
        ("levant/beirut-port-hazardous-cargo-audit.txt", "en"),
        ("gulf/hormuz-tanker-seizure.txt", "en"),
        ("gulf/qods-force-commander-baghdad.txt", "en"),
        ("gulf/saudi-solar-water-plants.md", "en"),
        ("gulf/iaea-report-access-iran.txt", "en"),
        ("gulf/qatar-north-field-startup.txt", "en"),
        ("markets/weekly-energy-digest.md", "en"),
        ("markets/black-sea-grain-corridor.txt", "en"),
        ("markets/brazil-soy-exports-record.txt", "en"),
        ("markets/yuan-crude-settlement.txt", "en"),
        ("markets/swiss-franc-safe-haven.txt", "en"),
        ("markets/us-oil-sanctions-shadow-fleet.txt", "en"),
        ("markets/latam-bond-spreads.txt", "en"),
        ("opec-plus-output-pause.txt", "en"),
        ("iraq-budget-sudani-arabic.txt", "en"),
        ("iraq-drone-strike-soudani.txt", "en"),
        ("al-qaeda-sahel-outlook.md", "en"),
        ("yemen-red-sea-shipping.txt", "en"),
        ("somalia-offensive-shabaab.txt", "en"),
        ("ukraine-power-cuts-social-media.txt", "en"),
        ("cote-divoire-accord-cacao.txt", "fr"),
        ("schweiz-banken-zuerich.txt", "de"),
        ("colombia-cese-al-fuego-bogota.txt", "es"),
        ("japan-lng-winter-stocks.txt", "en"),
        ("reunion-cyclone-preparations.txt", "en"),
        ("turkey-f35-talks.txt", "en"),
        ("iran-two-track-diplomacy.md", "en"),
        ("hezbollah-finance-networks.md", "en"),
        ("un-colombia-mission-renewal.txt", "en"),
    ])
    func fixtureReportsGetTheirMainLanguage(_ path: String, _ expected: String) throws {
        let text = try String(contentsOf: FixtureFiles.reports.appending(path: path), encoding: .utf8)
        #expect(LanguageGuess.language(of: text) == expected)
    }

    @Test(arguments: [
        ("The minister said that the talks with the delegation would resume in the spring.", "en"),
        (
            "Le ministre a déclaré que les discussions avec la délégation reprendront dans les semaines qui viennent.",
            "fr"
        ),
        (
            "Der Minister sagte, dass die Gespräche mit der Delegation im Frühjahr wieder aufgenommen werden und auch die Frist.",
            "de"
        ),
        (
            "El ministro dijo que las conversaciones con la delegación se reanudarán en la primavera, según los medios del país.",
            "es"
        ),
        (
            "Il ministro ha detto che i colloqui con la delegazione riprenderanno nella primavera, anche per questo della crisi.",
            "it"
        ),
        (
            "O ministro disse que as conversas com a delegação serão retomadas na primavera, mas não antes do fim do ano.",
            "pt"
        ),
        (
            "De minister zei dat het overleg met de delegatie in het voorjaar wordt hervat, maar niet voor het einde van het jaar.",
            "nl"
        ),
        ("قال وزير الخارجية إن المحادثات مع الوفد ستستأنف في الربيع المقبل", "ar"),
        ("وزیر امور خارجه گفت که گفتگو با هیئت در بهار آینده از سر گرفته می‌شود و پیشنهاد کرد", "fa"),
        ("وزیر خارجہ نے کہا کہ وفد کے ساتھ بات چیت اگلے موسم بہار میں دوبارہ شروع ہوگی اور یہ بڑے", "ur"),
        ("שר החוץ אמר כי השיחות עם המשלחת יתחדשו באביב", "he"),
        ("Министр иностранных дел заявил, что переговоры возобновятся весной.", "ru"),
        ("Міністр закордонних справ заявив, що переговори відновляться навесні.", "uk"),
        ("Ο υπουργός Εξωτερικών δήλωσε ότι οι συνομιλίες θα συνεχιστούν την άνοιξη.", "el"),
        ("외교부 장관은 대표단과의 회담이 봄에 재개될 것이라고 말했다.", "ko"),
        ("外務大臣は、代表団との協議が春に再開されると述べた。", "ja"),
        ("外交部长表示，与代表团的会谈将于明年春季恢复。", "zh"),
        ("รัฐมนตรีว่าการกระทรวงการต่างประเทศกล่าวว่าการเจรจาจะเริ่มขึ้นอีกครั้ง", "th"),
        ("विदेश मंत्री ने कहा कि प्रतिनिधिमंडल के साथ बातचीत वसंत में फिर से शुरू होगी।", "hi"),
    ])
    func shortTextsGetTheirLanguage(_ text: String, _ expected: String) {
        #expect(LanguageGuess.language(of: text) == expected)
    }

    @Test(arguments: ["Talks resume today", "", "12345 — 678", "Zürich Genève Bogotá São Paulo Kyiv"])
    func textsTooShortOrWithoutStopwordsAreUnsure(_ text: String) {
        #expect(LanguageGuess.language(of: text) == "")
    }

    @Test func onlyTheFirstTwoThousandScalarsCount() {
        let stopwords = "the talks of the week said that the envoy was in the city and that it is over. "
        let filler = String(repeating: "zq ", count: 700)  // 2,100 scalars, no stopword
        #expect(LanguageGuess.language(of: stopwords + filler) == "en")
        #expect(LanguageGuess.language(of: filler + stopwords) == "")
        // Four stopwords, one long word, then a fifth stopword "the" starting at scalar `start`:
        // it counts when it ends by the 2,000th scalar, and a word the limit cuts ("th") does not.
        func text(theAt start: Int) -> String {
            let opening = "the of and to "
            return opening + String(repeating: "z", count: start - opening.count - 1) + " the and more"
        }
        #expect(LanguageGuess.language(of: text(theAt: 1_997)) == "en")
        #expect(LanguageGuess.language(of: text(theAt: 1_998)) == "")
    }

    @Test func aTitleAndBodyReadInPlaceGuessAsTheirJoinedText() {
        let pairs = [
            (
                "Talks resume",
                "The minister said that the talks with the delegation would resume in the spring."
            ),
            ("Le ministre", "Le ministre a déclaré que les discussions avec la délégation reprendront."),
            ("", "Der Minister sagte, dass die Gespräche mit der Delegation im Frühjahr beginnen."),
            // The title's last word ends at the line break: "the" then "of", not "theof".
            ("Of the", "of the and to"),
            (String(repeating: "zq ", count: 700), "the of and to in the city"),
        ]
        for (title, body) in pairs {
            #expect(
                LanguageGuess.language(of: [title, body]) == LanguageGuess.language(of: title + "\n" + body))
        }
        #expect(LanguageGuess.language(of: ["Of the", "of the and to"]) == "en")
    }

    @Test func englishQuotingAPersianPhraseStaysEnglish() {
        let text =
            "The envoy said on Tuesday that the phrase گفتگو با آمریکا had been used in the speech, and that it was a sign of a change in tone."
        #expect(LanguageGuess.language(of: text) == "en")
    }
}
