import TrawlIndex

/// Reads `.html` and `.htm` files: the visible text of the article, its title and `<meta>` data.
///
/// Navigation, headers and footers outside the article, sidebars, forms, buttons, scripts, styles
/// and elements whose `id` or `class` names boilerplate (menu, cookie banner, share bar, ...) are
/// left out. When the page has an `<article>`, only the first one is read (a listing page of
/// several articles then yields its first); else the first `<main>`; else the whole `<body>`.
enum HTMLReader {
    /// The page's document, or a skip reason when it has no visible text.
    static func extract(_ bytes: [UInt8], context: ExtractionContext) -> Extraction {
        let decoded = decodeToUTF8(bytes)
        let page = HTMLPage(parsing: decoded.utf8)
        var warnings = decoded.note.map { [$0] } ?? []
        warnings += page.warnings
        var document = page.document()
        if document.title.isEmpty && document.body.isEmpty {
            return Extraction(warnings: warnings, skipReason: "the HTML has no visible text")
        }
        document.title = document.title.trimmingWhitespace()
        return Extraction(documents: [document], warnings: warnings)
    }

    /// The visible text of an HTML document (boilerplate left out), for readers that meet HTML
    /// inside another format, such as an e-mail's `text/html` part.
    static func visibleText(of html: String) -> String {
        HTMLPage(parsing: html).contentText
    }

    /// Decodes the file: a page that declares Windows-1252 or ISO-8859-1 (`<meta charset>` or
    /// `http-equiv` Content-Type) and is not valid UTF-8 is read in that charset; anything else
    /// goes through `TextDecoding.decodeToUTF8`. Gives the UTF-8 bytes, without copying a file that already is UTF-8.
    static func decodeToUTF8(_ bytes: [UInt8]) -> (utf8: [UInt8], note: String?) {
        let decoded = TextDecoding.decodeToUTF8(bytes)
        guard decoded.note != nil, let charset = declaredCharset(in: bytes), MIME.knowsCharset(charset),
            charset.lowercased() != "utf-8", charset.lowercased() != "utf8"
        else { return decoded }
        let (text, note) = MIME.decode(bytes, charset: charset)
        return (Array(text.utf8), note)
    }

    /// The `charset=` the first 4 KB of the page declare, lower-cased.
    static func declaredCharset(in bytes: [UInt8]) -> String? {
        let head = bytes.prefix(4096).map(ASCII.lowercased)
        let key = Array("charset".utf8)
        var cursor = 0
        while cursor + key.count < head.count, let found = head[cursor...].firstIndex(of: key[0]) {
            cursor = found + 1
            guard found + key.count < head.count, head[found..<(found + key.count)].elementsEqual(key) else {
                continue
            }
            var index = found + key.count
            func skip(_ allowed: Set<UInt8>) {
                while index < head.count, allowed.contains(head[index]) { index += 1 }
            }
            skip([0x20, 0x09, 0x0A, 0x0D])
            guard index < head.count, head[index] == UInt8(ascii: "=") else { continue }
            index += 1
            skip([0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "\""), UInt8(ascii: "'")])
            let start = index
            while index < head.count,
                ASCII.isLetter(head[index]) || ASCII.isDigit(head[index])
                    || [UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: ".")].contains(
                        head[index])
            {
                index += 1
            }
            if index > start { return String(decoding: head[start..<index], as: UTF8.self) }
        }
        return nil
    }
}

/// What one pass over an HTML page collects: the text of the body, of its first `<article>` and
/// first `<main>`, the `<title>`, the first `<h1>` and the `<meta>` data.
struct HTMLPage {
    private(set) var title = ""
    private(set) var firstHeading = ""
    private(set) var language = ""
    private(set) var canonicalURL = ""
    /// `<meta>` contents by lower-cased `name`, `property` or `http-equiv`, in file order.
    private(set) var meta: [String: [String]] = [:]
    private(set) var articleTime: String?
    private(set) var bodyTime: String?
    private(set) var warnings: [String] = []

    /// Every visible text of the body, boilerplate included.
    private var allText = TextBuilder()
    /// The body without boilerplate.
    private var bodyText = TextBuilder()
    private var articleText = TextBuilder()
    private var mainText = TextBuilder()
    private var headingText = TextBuilder()

    private struct OpenElement {
        var name: String
        var drops: Bool
        var isContentRoot: Bool
    }

    private var stack: [OpenElement] = []
    private var openCounts: [String: Int] = [:]
    private var droppedDepth = 0
    private var contentRootDepth = 0
    private var preDepth = 0
    private var inHead = false
    /// Stack positions of the first `<article>`, `<main>` and `<h1>` while they are open.
    private var articleLevel: Int?
    private var mainLevel: Int?
    private var headingLevel: Int?
    private var sawArticle = false
    private var sawMain = false
    private var sawHeading = false
    private var sawTitle = false
    private var sawDocumentStart = false
    private var sawDocumentEnd = false

    init(parsing html: String) {
        self.init(parsing: Array(html.utf8))
    }

    init(parsing bytes: [UInt8]) {
        var tokenizer = HTMLTokenizer(bytes)
        var chunk: [UInt8] = []
        while let token = tokenizer.next() {
            switch token {
            case .text(let range):
                chunk.removeAll(keepingCapacity: true)
                HTMLEntities.decode(bytes[range], into: &chunk)
                appendText(chunk)
            case .literalText(let range):
                appendText(bytes[range])
            case .startTag(let tag):
                open(tag)
            case .endTag(let name):
                close(name)
            case .rawText(let element, let range):
                if element == "title" && !sawTitle {
                    sawTitle = true
                    title = collapsedText(HTMLEntities.decode(bytes[range]))
                }
                if element == "textarea" || element == "xmp" { appendText(bytes[range]) }
            }
        }
        if tokenizer.endedInsideMarkup {
            warnings.append("the HTML ends in the middle of a tag; indexed the text before it")
        } else if sawDocumentStart && !sawDocumentEnd {
            warnings.append(
                "the HTML ends before </body> or </html> (the file looks cut short); indexed the text before the cut"
            )
        }
    }

    // MARK: Elements

    private static let voidElements: Set<String> = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
        "track", "wbr", "keygen",
    ]

    /// Elements that start and end a paragraph.
    private static let blockElements: Set<String> = [
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
        "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
        "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol",
        "p", "pre", "section", "summary", "table", "tbody", "tfoot", "thead", "tr", "ul", "option",
    ]

    /// Elements allowed in `<head>`; any other start tag ends it.
    private static let headElements: Set<String> = [
        "meta", "link", "title", "style", "script", "base", "noscript", "template",
    ]

    /// Raw-text elements whose content is never text.
    private static let hiddenRawText: Set<String> = [
        "script", "style", "noscript", "template", "svg", "iframe", "title", "noembed", "noframes", "math",
    ]

    private static let alwaysDropped: Set<String> = ["nav", "aside", "form", "button", "dialog", "select"]

    private static let droppedRoles: Set<String> = [
        "navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alertdialog",
    ]

    private mutating func open(_ tag: HTMLTag) {
        let name = tag.name
        switch name {
        case "html":
            sawDocumentStart = true
            if let lang = tag.attribute("lang") { language = HTMLPage.primaryLanguage(lang) }
            return
        case "head":
            inHead = true
            return
        case "body":
            sawDocumentStart = true
            inHead = false
            return
        case "meta":
            readMeta(tag)
            return
        case "link":
            let rel = tag.attribute("rel")?.lowercased().split(separator: " ") ?? []
            if rel.contains("canonical"), canonicalURL.isEmpty, let href = tag.attribute("href") {
                canonicalURL = href.trimmingWhitespace()
            }
            return
        default:
            break
        }
        if inHead && !HTMLPage.headElements.contains(name) { inHead = false }
        if inHead { return }
        if name == "time", droppedDepth == 0, let datetime = tag.attribute("datetime") {
            if articleLevel != nil || mainLevel != nil, articleTime == nil { articleTime = datetime }
            if bodyTime == nil { bodyTime = datetime }
        }
        if name == "br" {
            forEachBuilder { $0.lineBreak() }
            return
        }
        let isBlock = HTMLPage.blockElements.contains(name)
        if isBlock {
            closeImplicitly(before: name)
            forEachBuilder { $0.paragraphBreak() }
        } else if name == "td" || name == "th" {
            closeImplicitly(before: name)
            forEachBuilder { $0.space() }
        }
        if HTMLPage.voidElements.contains(name) || tag.selfClosing { return }
        if HTMLTokenizer.rawTextElements.contains(name) { return }  // its content and end tag follow

        let role = tag.attribute("role")?.lowercased() ?? ""
        let isContentRoot = name == "article" || name == "main" || role == "main"
        let drops =
            !isContentRoot
            && (HTMLPage.alwaysDropped.contains(name)
                || ((name == "header" || name == "footer") && contentRootDepth == 0)
                || HTMLPage.droppedRoles.contains(role)
                || tag.attribute("hidden") != nil
                || HTMLPage.namesBoilerplate(tag.attribute("id"))
                || HTMLPage.namesBoilerplate(tag.attribute("class")))
        stack.append(OpenElement(name: name, drops: drops, isContentRoot: isContentRoot))
        openCounts[name, default: 0] += 1
        if drops { droppedDepth += 1 }
        if isContentRoot { contentRootDepth += 1 }
        if name == "pre" { preDepth += 1 }
        if droppedDepth == 0 {
            if name == "article" && !sawArticle {
                sawArticle = true
                articleLevel = stack.count - 1
            } else if (name == "main" || role == "main") && !sawMain {
                sawMain = true
                mainLevel = stack.count - 1
            } else if name == "h1" && !sawHeading {
                sawHeading = true
                headingLevel = stack.count - 1
            }
        }
    }

    /// Ends an open `<p>` before a block, and an open list item or cell before the next one, as
    /// browsers do, so that a boilerplate item left open does not swallow its siblings.
    private mutating func closeImplicitly(before name: String) {
        guard let top = stack.last?.name else { return }
        let closes: Bool
        switch name {
        case "li": closes = top == "li" || top == "p"
        case "dt", "dd": closes = top == "dt" || top == "dd" || top == "p"
        case "tr": closes = top == "tr" || top == "td" || top == "th"
        case "td", "th": closes = top == "td" || top == "th"
        case "option": closes = top == "option"
        default: closes = top == "p"
        }
        if closes { popLast() }
        if name == "tr", stack.last.map({ $0.name == "tr" }) == true { popLast() }
    }

    private mutating func close(_ name: String) {
        switch name {
        case "html", "body":
            sawDocumentEnd = true
            return
        case "head":
            inHead = false
            return
        default:
            break
        }
        if name == "br" {  // `</br>` is read as `<br>`, as browsers do
            forEachBuilder { $0.lineBreak() }
            return
        }
        guard openCounts[name, default: 0] > 0 else {
            if HTMLPage.blockElements.contains(name) { forEachBuilder { $0.paragraphBreak() } }
            return
        }
        while let top = stack.last {
            popLast()
            if top.name == name { break }
        }
        if HTMLPage.blockElements.contains(name) { forEachBuilder { $0.paragraphBreak() } }
    }

    private mutating func popLast() {
        guard let top = stack.popLast() else { return }
        openCounts[top.name, default: 1] -= 1
        if top.drops { droppedDepth -= 1 }
        if top.isContentRoot { contentRootDepth -= 1 }
        if top.name == "pre" { preDepth -= 1 }
        if articleLevel == stack.count { articleLevel = nil }
        if mainLevel == stack.count { mainLevel = nil }
        if headingLevel == stack.count { headingLevel = nil }
        if HTMLPage.blockElements.contains(top.name) { forEachBuilder { $0.paragraphBreak() } }
    }

    /// Whether an `id` or `class` value names a boilerplate block: `site-nav`, `mainMenu`,
    /// `cookie-banner`, `share-bar`, `ad-slot`, ... (matched per word, so `headline` or `shadow`
    /// are not taken for `ad`).
    static func namesBoilerplate(_ value: String?) -> Bool {
        guard let value, !value.isEmpty else { return false }
        let lowered = value.lowercased()
        for word in lowered.split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
            if word == "ad" || word == "ads" || word.hasPrefix("advert") || word.hasPrefix("nav")
                || word.hasSuffix("nav") || word.hasPrefix("menu") || word.hasSuffix("menu")
            {
                return true
            }
            for marker in boilerplateWords where word.contains(marker) { return true }
        }
        return false
    }

    private static let boilerplateWords = [
        "footer", "cookie", "banner", "sidebar", "share", "social", "subscribe", "newsletter", "related",
        "breadcrumb", "navigation", "navbar", "consent", "promo",
    ]

    // MARK: Text

    private mutating func appendText<C: Collection<UInt8>>(_ text: C) where C.Index == Int {
        guard !inHead else { return }
        let preformatted = preDepth > 0
        allText.append(text, preformatted: preformatted)
        guard droppedDepth == 0 else { return }
        bodyText.append(text, preformatted: preformatted)
        if articleLevel != nil { articleText.append(text, preformatted: preformatted) }
        if mainLevel != nil { mainText.append(text, preformatted: preformatted) }
        if headingLevel != nil { headingText.append(text, preformatted: false) }
    }

    private mutating func forEachBuilder(_ change: (inout TextBuilder) -> Void) {
        change(&allText)
        change(&bodyText)
        change(&articleText)
        change(&mainText)
    }

    private func collapsedText(_ bytes: [UInt8]) -> String {
        var builder = TextBuilder()
        builder.append(bytes, preformatted: false)
        return builder.string
    }

    // MARK: Meta

    private mutating func readMeta(_ tag: HTMLTag) {
        guard let content = tag.attribute("content") else { return }
        for key in ["name", "property", "http-equiv", "itemprop"] {
            if let name = tag.attribute(key) {
                meta[name.trimmingWhitespace().lowercased(), default: []].append(content.trimmingWhitespace())
            }
        }
    }

    private func firstMeta(_ names: [String]) -> String? {
        for name in names {
            if let value = meta[name]?.first(where: { !$0.isEmpty }) { return value }
        }
        return nil
    }

    /// `fr` for `fr-FR`, `fr_FR` or `FR`.
    static func primaryLanguage(_ tag: String) -> String {
        let trimmed = tag.trimmingWhitespace()
        let primary = trimmed.split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == "," }).first ?? ""
        return primary.allSatisfy({ $0.isASCII && $0.isLetter }) ? primary.lowercased() : ""
    }

    // MARK: Result

    /// The text of the first `<article>`, else of the first `<main>`, else of the body without
    /// boilerplate, else all of the body's text.
    var contentText: String {
        for builder in [articleText, mainText, bodyText, allText] where !builder.isEmpty {
            return builder.string
        }
        return ""
    }

    /// The page as a document: title, body (without a heading repeating the title) and metadata.
    func document() -> ExtractedDocument {
        let siteName = firstMeta(["og:site_name"]) ?? ""
        var title = HTMLPage.removingSiteSuffix(from: title, siteName: siteName)
        if title.isEmpty { title = firstMeta(["og:title", "twitter:title"]).map(collapsed) ?? "" }
        if title.isEmpty { title = headingText.string }
        var body = contentText
        if title.isEmpty {
            let parts = TitleSplit.split(body)
            title = parts.title
            body = parts.body
        } else {
            body = HTMLPage.removingLeadingTitle(title, from: body)
        }
        var document = ExtractedDocument(title: title, body: body)
        let dateText =
            firstMeta([
                "article:published_time", "og:published_time", "date", "dc.date", "dc.date.issued",
                "dcterms.date", "dcterms.issued", "pubdate", "publish-date", "sailthru.date",
            ]) ?? articleTime ?? (sawArticle || sawMain ? nil : bodyTime)
        if let dateText, let date = DateParsing.parse(dateText) {
            document.date = date
            document.metadata.dateSource = .metadata
        }
        document.metadata.author = author()
        document.metadata.source =
            firstMeta(["og:site_name", "dc.publisher", "dcterms.publisher", "application-name"]) ?? ""
        document.metadata.tags = tags()
        if !language.isEmpty {
            document.metadata.language = language
        } else if let declared = firstMeta(["dc.language", "dcterms.language", "content-language"]) {
            document.metadata.language = HTMLPage.primaryLanguage(declared)
        }
        document.metadata.url = canonicalURL.isEmpty ? (firstMeta(["og:url"]) ?? "") : canonicalURL
        return document
    }

    /// The author: every `author` (or the first of `article:author`, `dc.creator`, `byline` given),
    /// joined with ", "; profile URLs are skipped.
    private func author() -> String {
        for name in ["author", "article:author", "dc.creator", "dcterms.creator", "byline"] {
            let names = HTMLPage.uniqueTrimmed(
                (meta[name] ?? []).filter { !$0.hasPrefix("http://") && !$0.hasPrefix("https://") })
            if !names.isEmpty { return names.joined(separator: ", ") }
        }
        return ""
    }

    private func tags() -> [String] {
        let keywords = (meta["keywords"] ?? []).flatMap { $0.split(separator: ",").map(String.init) }
        return HTMLPage.uniqueTrimmed(keywords + (meta["article:tag"] ?? []))
    }

    static func uniqueTrimmed(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        var result: [String] = []
        for value in values {
            let trimmed = value.trimmingWhitespace()
            if !trimmed.isEmpty && seen.insert(trimmed).inserted { result.append(trimmed) }
        }
        return result
    }

    private func collapsed(_ text: String) -> String { collapsedText(Array(text.utf8)) }

    /// "Headline | Site" → "Headline" when "Site" is the page's `og:site_name`.
    static func removingSiteSuffix(from title: String, siteName: String) -> String {
        let site = siteName.trimmingWhitespace()
        guard !site.isEmpty else { return title }
        for separator in [" | ", " - ", " – ", " — ", " · ", " :: "] {
            let suffix = separator + site
            if title.count > suffix.count, title.lowercased().hasSuffix(suffix.lowercased()) {
                return String(title.dropLast(suffix.count)).trimmingWhitespace()
            }
        }
        return title
    }

    /// The body without its first paragraph when that repeats the title (an `<h1>` over the
    /// article), or the title's part before a " | Site" suffix.
    static func removingLeadingTitle(_ title: String, from body: String) -> String {
        let firstLineEnd = body.firstIndex(of: "\n") ?? body.endIndex
        let firstLine = body[..<firstLineEnd].trimmingWhitespace().lowercased()
        guard !firstLine.isEmpty else { return body }
        let loweredTitle = title.lowercased()
        let repeatsTitle =
            firstLine == loweredTitle
            || [" | ", " - ", " – ", " — "].contains { loweredTitle.hasPrefix(firstLine + $0) }
        guard repeatsTitle else { return body }
        return body[firstLineEnd...].trimmingWhitespace()
    }
}

/// Builds text from HTML character data: runs of whitespace become one space (kept as written in
/// `<pre>`), block boundaries become "\n\n", `<br>` a "\n"; nothing leads or trails.
struct TextBuilder {
    private(set) var bytes: [UInt8] = []
    private var pendingSpace = false
    /// 0: none, 1: a line break, 2: a paragraph break.
    private var pendingBreak = 0

    var isEmpty: Bool { bytes.isEmpty }
    var string: String { String(decoding: bytes, as: UTF8.self) }

    mutating func space() { pendingSpace = true }
    mutating func lineBreak() { pendingBreak = min(2, pendingBreak + 1) }
    mutating func paragraphBreak() { pendingBreak = 2 }

    mutating func append<C: Collection<UInt8>>(_ text: C, preformatted: Bool) where C.Index == Int {
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            if byte == 0x0A && preformatted {
                lineBreak()
            } else if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D {
                if preformatted && (byte == 0x20 || byte == 0x09) && !bytes.isEmpty {
                    flushPendingSeparator()
                    bytes.append(byte)
                } else {
                    pendingSpace = true
                }
            } else if byte == 0xC2, index + 1 < text.endIndex, text[index + 1] == 0xA0 {
                pendingSpace = true  // no-break space
                index += 1
            } else {
                flushPendingSeparator()
                bytes.append(byte)
            }
            index += 1
        }
    }

    /// Writes the space or break owed before the next character (none at the very start).
    private mutating func flushPendingSeparator() {
        if !bytes.isEmpty {
            if pendingBreak > 0 {
                trimTrailingBlanks()
                bytes.append(contentsOf: pendingBreak == 2 ? [0x0A, 0x0A] : [0x0A])
            } else if pendingSpace {
                bytes.append(0x20)
            }
        }
        pendingSpace = false
        pendingBreak = 0
    }

    private mutating func trimTrailingBlanks() {
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
    }
}
