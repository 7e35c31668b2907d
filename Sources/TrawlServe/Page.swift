import TrawlAPI
import TrawlIndex
import TrawlSearch

/// The server-rendered pages of `trawl serve`: the search page and the document page. Every
/// value from the index or the request is escaped (`HTML`); the only script is `/assets/trawl.js`.
enum Page {
    /// The results page's size.
    static let pageSize = 10

    /// The search page for `parameters`: the form, and — when there is something to search for —
    /// the results, paging and the facet counts of the whole result set; or the error.
    static func search(
        _ parameters: SearchParameters, response: SearchResponse?, suggestion: SearchJSON.Suggestion?,
        error: ErrorJSON?
    ) -> String {
        var main = ""
        var aside = ""
        if let error {
            main += "<p class=\"error\" role=\"alert\">\(HTML.escape(error.error))</p>"
        } else if let response {
            main += results(response, parameters: parameters, suggestion: suggestion)
            aside = facets(response, parameters: parameters)
        } else {
            main +=
                "<p class=\"hint\">Type words to search the indexed reports; open “Query syntax” for more.</p>"
        }
        let title = parameters.query.isEmpty ? "Trawl" : "\(parameters.query.prefix(80)) – Trawl"
        return document(
            title: title, header: form(parameters), main: main, aside: aside)
    }

    /// The document page: metadata, then the whole text with every match of `query` marked and
    /// numbered for "next match".
    static func document(_ shown: ShownDocument, query: String, back: String) -> String {
        let marks = shown.bodyHighlights.count
        var main = "<article aria-labelledby=\"doc-title\">"
        main += "<p><a href=\"\(HTML.escape(back))\">← Back to results</a></p>"
        main += "<h1 id=\"doc-title\">\(HTML.marking(shown.title, shown.titleHighlights))</h1>"
        main += "<dl class=\"meta\">"
        var rows = [
            ("Path", HTML.escape(shown.location)), ("Date", HTML.escape(DocumentJSON.shownDay(shown.date))),
        ]
        let metadata = shown.metadata
        if !metadata.source.isEmpty { rows.append(("Source", HTML.escape(metadata.source))) }
        if !metadata.author.isEmpty { rows.append(("Author", HTML.escape(metadata.author))) }
        if !metadata.tags.isEmpty {
            rows.append(("Tags", HTML.escape(metadata.tags.joined(separator: ", "))))
        }
        if !metadata.language.isEmpty { rows.append(("Language", HTML.escape(metadata.language))) }
        if !metadata.url.isEmpty { rows.append(("URL", link(metadata.url))) }
        for (label, value) in rows { main += "<dt>\(label)</dt><dd>\(value)</dd>" }
        main += "</dl>"
        if !query.isEmpty {
            main += "<nav class=\"matches\" aria-label=\"Matches\">"
            main +=
                "<span id=\"match-count\" role=\"status\">\(marks) match\(marks == 1 ? "" : "es") of "
                + "<q>\(HTML.escape(query))</q></span>"
            if marks > 0 {
                main += " <a id=\"next-match\" class=\"button\" href=\"#m1\">Next match</a>"
            }
            main += "</nav>"
        }
        main +=
            "<div class=\"body\" id=\"body\">\(HTML.marking(shown.body, shown.bodyHighlights, numbered: true))</div>"
        main += "</article>"
        var parameters = SearchParameters()
        parameters.query = query
        return document(
            title: "\(shown.title.prefix(80)) – Trawl", header: form(parameters), main: main, aside: "")
    }

    /// A page holding only `message` (a document not found, a bad request).
    static func failure(_ error: ErrorJSON, query: String) -> String {
        var parameters = SearchParameters()
        parameters.query = query
        return document(
            title: "Trawl", header: form(parameters),
            main: "<p class=\"error\" role=\"alert\">\(HTML.escape(error.error))</p>", aside: "")
    }

    // MARK: Parts

    private static func document(title: String, header: String, main: String, aside: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTML.escape(title))</title>
        <link rel="stylesheet" href="/assets/trawl.css">
        <script src="/assets/trawl.js" defer></script>
        </head><body>
        <a class="skip" href="#main">Skip to results</a>
        <header>\(header)</header>
        <div class="layout"><main id="main" tabindex="-1">\(main)</main>\(aside)</div>
        <footer><p>Trawl — local full-text search. <a href="/api/stats">Index statistics (JSON)</a></p></footer>
        </body></html>
        """
    }

    /// The search form: query, help, dates, sort, and the active facet filters (each removable).
    private static func form(_ parameters: SearchParameters) -> String {
        var html = "<form role=\"search\" action=\"/\" method=\"get\" class=\"search\">"
        html += "<a class=\"brand\" href=\"/\">Trawl</a>"
        html += "<label for=\"q\" class=\"visually-hidden\">Search query</label>"
        html +=
            "<input id=\"q\" name=\"q\" type=\"search\" maxlength=\"10000\" autocomplete=\"off\" "
            + "value=\"\(HTML.escape(parameters.query))\" aria-describedby=\"syntax-help\">"
        html += "<button type=\"submit\">Search</button>"
        html += help
        html += "<fieldset class=\"options\"><legend class=\"visually-hidden\">Dates and order</legend>"
        html +=
            "<label>From <input name=\"since\" id=\"since\" inputmode=\"numeric\" size=\"10\" placeholder=\"2025-11\" "
            + "value=\"\(HTML.escape(parameters.since))\"></label>"
        html +=
            "<label>To <input name=\"until\" id=\"until\" inputmode=\"numeric\" size=\"10\" placeholder=\"2025-12-31\" "
            + "value=\"\(HTML.escape(parameters.until))\"></label>"
        html += "<label>Sort <select name=\"sort\" id=\"sort\">"
        for order in ResultOrder.allCases {
            let selected = order == parameters.sort ? " selected" : ""
            let label = order == .relevance ? "Relevance" : "Date (newest first)"
            html += "<option value=\"\(order.rawValue)\"\(selected)>\(label)</option>"
        }
        html += "</select></label></fieldset>"
        let active = [
            ("source", "Source", parameters.source), ("author", "Author", parameters.author),
            ("tag", "Tag", parameters.tag), ("folder", "Folder", parameters.folder),
        ].filter { !$0.2.isEmpty }
        if !active.isEmpty {
            html += "<ul class=\"active-filters\" aria-label=\"Active filters\">"
            for (name, label, value) in active {
                html += "<li><input type=\"hidden\" name=\"\(name)\" value=\"\(HTML.escape(value))\">"
                var without = parameters
                switch name {
                case "source": without.source = ""
                case "author": without.author = ""
                case "tag": without.tag = ""
                default: without.folder = ""
                }
                without.offset = 0
                html +=
                    "\(label): <strong>\(HTML.escape(value))</strong> "
                    + "<a href=\"/?\(HTML.escape(link(to: without)))\" aria-label=\"Remove filter \(label) \(HTML.escape(value))\">remove</a></li>"
            }
            html += "</ul>"
        }
        return html + "</form>"
    }

    /// The query syntax, in a disclosure the keyboard and screen readers can open.
    private static let help = """
        <details class="help" id="syntax-help"><summary>Query syntax</summary><div>
        <table><caption class="visually-hidden">Query syntax</caption>
        <tr><th scope="row"><code>iran talks</code></th><td>both words</td></tr>
        <tr><th scope="row"><code>"prime minister"</code></th><td>the exact phrase</td></tr>
        <tr><th scope="row"><code>oil OR gas</code></th><td>either word</td></tr>
        <tr><th scope="row"><code>-word</code>, <code>NOT word</code></th><td>without the word</td></tr>
        <tr><th scope="row"><code>negot*</code></th><td>words starting with negot</td></tr>
        <tr><th scope="row"><code>~Hezbollah</code></th><td>every transliteration</td></tr>
        <tr><th scope="row"><code>title:iran</code></th><td>only in the title (or <code>body:</code>)</td></tr>
        <tr><th scope="row"><code>author:smith</code>, <code>source:reuters</code>, <code>tag:energy</code></th><td>only documents with that metadata</td></tr>
        <tr><th scope="row"><code>path:gulf</code>, <code>lang:fr</code></th><td>below a folder; in a language</td></tr>
        </table><p>From/To take 2025, 2025-11 or 2025-11-18.</p></div></details>
        """

    private static func results(
        _ response: SearchResponse, parameters: SearchParameters, suggestion: SearchJSON.Suggestion?
    ) -> String {
        var html = ""
        for note in response.notes { html += "<p class=\"note\">\(HTML.escape(note.description))</p>" }
        if let suggestion {
            var other = parameters
            other.query = suggestion.query
            other.offset = 0
            html +=
                "<p class=\"note\">Other spellings find more: <a href=\"/?\(HTML.escape(link(to: other)))\">"
                + "\(HTML.escape(suggestion.query))</a> (\(suggestion.total) document\(suggestion.total == 1 ? "" : "s"))</p>"
        }
        guard response.total > 0 else {
            return html
                + "<p role=\"status\" id=\"result-count\">No documents match <q>\(HTML.escape(String(response.query.prefix(80))))</q>.</p>"
        }
        if response.relaxedToAnyWord {
            html +=
                "<p class=\"note\">No document contains all of the words; showing those with most of them.</p>"
        }
        let first = response.hits.first?.rank ?? 0
        let last = response.hits.last?.rank ?? 0
        let shown = response.hits.isEmpty ? "none" : "\(first)–\(last)"
        html +=
            "<p role=\"status\" id=\"result-count\">\(response.total) matching document\(response.total == 1 ? "" : "s"); "
            + "showing \(shown).</p>"
        html += "<ol class=\"results\" start=\"\(max(first, 1))\">"
        for hit in response.hits {
            let target = "/doc?" + HTML.query([("path", hit.path), ("q", parameters.fullQuery)])
            html += "<li class=\"result\"><h2><a href=\"\(HTML.escape(target))\">"
            html += HTML.marking(hit.title.isEmpty ? hit.path : hit.title, hit.titleHighlights) + "</a></h2>"
            var meta = ["<span class=\"path\">\(HTML.escape(hit.path))</span>"]
            if let date = hit.date {
                meta.append("<time datetime=\"\(DocumentJSON.day(date))\">\(DocumentJSON.day(date))</time>")
            } else {
                meta.append("<span class=\"undated\">undated</span>")
            }
            if !hit.metadata.source.isEmpty {
                meta.append("<span class=\"source\">\(HTML.escape(hit.metadata.source))</span>")
            }
            if !hit.metadata.author.isEmpty {
                meta.append("<span class=\"author\">\(HTML.escape(hit.metadata.author))</span>")
            }
            html += "<p class=\"meta\">" + meta.joined(separator: " · ") + "</p>"
            if !hit.snippet.text.isEmpty {
                html += "<p class=\"snippet\">\(HTML.marking(hit.snippet.text, hit.snippet.highlights))</p>"
            }
            html += "</li>"
        }
        html += "</ol>"
        html += paging(response, parameters: parameters)
        return html
    }

    private static func paging(_ response: SearchResponse, parameters: SearchParameters) -> String {
        let offset = parameters.offset
        var links: [String] = []
        if offset > 0 {
            var previous = parameters
            previous.offset = max(0, offset - parameters.limit)
            links.append("<a rel=\"prev\" href=\"/?\(HTML.escape(link(to: previous)))\">← Previous</a>")
        }
        if offset + parameters.limit < response.total {
            var next = parameters
            next.offset = offset + parameters.limit
            links.append("<a rel=\"next\" href=\"/?\(HTML.escape(link(to: next)))\">Next →</a>")
        }
        guard !links.isEmpty else { return "" }
        let page = offset / max(parameters.limit, 1) + 1
        let pages = (response.total + parameters.limit - 1) / max(parameters.limit, 1)
        return "<nav class=\"paging\" aria-label=\"Result pages\">" + links.joined(separator: " ")
            + " <span>Page \(page) of \(pages)</span></nav>"
    }

    /// The facet counts of the whole result set, each value a link that adds it as a filter.
    private static func facets(_ response: SearchResponse, parameters: SearchParameters) -> String {
        let shown = response.facets.filter { !$0.values.isEmpty }
        guard !shown.isEmpty else { return "" }
        var html =
            "<aside class=\"facets\" aria-labelledby=\"facets-title\"><h2 id=\"facets-title\">Refine</h2>"
        for counts in shown {
            let label =
                switch counts.facet {
                case .source: "Sources"
                case .author: "Authors"
                case .tag: "Tags"
                case .year: "Years"
                case .month: "Months"
                case .lang: "Languages"
                case .folder: "Folders"
                }
            html += "<section aria-label=\"\(label)\"><h3>\(label)</h3><ul>"
            for value in counts.values {
                var narrowed = parameters
                narrowed.offset = 0
                switch counts.facet {
                case .source: narrowed.source = value.value
                case .author: narrowed.author = value.value
                case .tag: narrowed.tag = value.value
                case .folder: narrowed.folder = value.value
                case .year, .month:
                    narrowed.since = value.value
                    narrowed.until = value.value
                case .lang: narrowed.query += " lang:" + value.value
                }
                html +=
                    "<li><a href=\"/?\(HTML.escape(link(to: narrowed)))\" data-facet=\"\(counts.facet.rawValue)\">"
                    + "<span class=\"value\">\(HTML.escape(value.value))</span> <span class=\"count\">\(value.count)</span></a></li>"
            }
            html += "</ul></section>"
        }
        return html + "</aside>"
    }

    /// The query string of the search page for `parameters` (defaults left out).
    static func link(to parameters: SearchParameters) -> String {
        HTML.query([
            ("q", parameters.query), ("since", parameters.since), ("until", parameters.until),
            ("sort", parameters.sort == .relevance ? "" : parameters.sort.rawValue),
            ("source", parameters.source), ("author", parameters.author), ("tag", parameters.tag),
            ("folder", parameters.folder),
            ("offset", parameters.offset == 0 ? "" : String(parameters.offset)),
        ])
    }

    /// A document's URL as a link when it is `http:` or `https:`, as text otherwise (a
    /// `javascript:` address never becomes a link).
    private static func link(_ url: String) -> String {
        let lowered = url.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else { return HTML.escape(url) }
        return "<a href=\"\(HTML.escape(url))\" rel=\"noopener noreferrer\">\(HTML.escape(url))</a>"
    }
}
