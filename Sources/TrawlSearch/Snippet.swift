import TrawlIndex
import TrawlText

/// A short window of a document's text around the matched words, with the matches marked.
public struct Snippet: Sendable, Hashable, Codable {
    /// The window's text, whitespace collapsed, with `…` where the document was cut.
    public var text: String
    /// Half-open ranges of matched words, as Unicode code-point offsets into `text`.
    public var highlights: [Range<Int>]

    public init(text: String, highlights: [Range<Int>]) {
        self.text = text
        self.highlights = highlights
    }
}

/// Decides which words a highlighter marks: the bound query's highlight patterns — terms and
/// prefixes wherever they occur, sequences (phrases, hyphenated words) only where they stand whole.
public struct TermMatcher: Sendable {
    public let patterns: HighlightPatterns
    /// Every term the patterns name (alone or in a sequence) and every prefix.
    private let wantedTerms: Set<String>
    private let wantedPrefixes: [String]
    private let sequencePrefixes: Set<String>
    /// Length and first byte of every term, so most tokens are rejected without a `String`.
    private let shapes: TermShapes

    /// The same terms for the tokenizer, so that other words are not stemmed.
    let wanted: WantedTerms

    public init(_ patterns: HighlightPatterns) {
        self.patterns = patterns
        var terms = patterns.terms
        var prefixes = patterns.prefixes
        var sequencePrefixes: Set<String> = []
        for sequence in patterns.sequences {
            if sequence.endsWithPrefix, let last = sequence.terms.last {
                terms.formUnion(sequence.terms.dropLast())
                sequencePrefixes.insert(last)
            } else {
                terms.formUnion(sequence.terms)
            }
        }
        prefixes.formUnion(sequencePrefixes)
        self.sequencePrefixes = sequencePrefixes
        wantedTerms = terms
        wantedPrefixes = Array(prefixes)
        wanted = WantedTerms(terms: Array(terms), prefixes: Array(prefixes))
        shapes = TermShapes(terms)
    }

    /// Marks `terms` and words starting with `prefixes` wherever they occur.
    public init(terms: Set<String>, prefixes: Set<String>) {
        self.init(HighlightPatterns(terms: terms, prefixes: prefixes))
    }

    /// Whether `term` is marked on its own, wherever it occurs.
    func matchesAlone(_ term: String) -> Bool {
        patterns.terms.contains(term) || patterns.prefixes.contains { term.hasPrefix($0) }
    }

    /// The term for a token's bytes when some pattern names it, or nil; builds a `String` only for
    /// tokens whose length and first byte could match, so most tokens cost no allocation.
    func match(_ term: UnsafeBufferPointer<UInt8>) -> String? {
        guard let first = term.first else { return nil }
        let couldMatch =
            shapes.mayContain(length: term.count, first: first)
            || wantedPrefixes.contains {
                $0.utf8.count <= term.count && $0.utf8.elementsEqual(term.prefix($0.utf8.count))
            }
        guard couldMatch else { return nil }
        let text = String(decoding: term, as: UTF8.self)
        return wantedTerms.contains(text) || wantedPrefixes.contains(where: { text.hasPrefix($0) })
            ? text : nil
    }

    /// For each position that names terms (in ascending order of position), the terms that count
    /// as matches there: those marked alone, and those of a sequence that stands whole from some
    /// position. Positions that name no term (most of a text) are left out of both.
    func matchedTerms(atPositions named: [(position: Int, terms: [String])]) -> [[String]] {
        var matched = named.map { $0.terms.filter(matchesAlone) }
        for sequence in patterns.sequences {
            let count = sequence.terms.count
            guard let first = sequence.terms.first else { continue }
            for entry in named.indices {
                // A sequence has two terms or more; the first is never a prefix.
                guard named[entry].terms.contains(first) else { continue }
                let start = named[entry].position
                // Position `start + offset` is named only as the entry `offset` further on.
                let whole = sequence.terms.indices.allSatisfy { offset in
                    let next = entry + offset
                    guard next < named.count, named[next].position == start + offset else { return false }
                    let wantedTerm = sequence.terms[offset]
                    if sequence.endsWithPrefix, offset == count - 1 {
                        return named[next].terms.contains { $0.hasPrefix(wantedTerm) }
                    }
                    return named[next].terms.contains(wantedTerm)
                }
                guard whole else { continue }
                for offset in 0..<count where !matched[entry + offset].contains(sequence.terms[offset]) {
                    matched[entry + offset].append(sequence.terms[offset])
                }
            }
        }
        return matched
    }
}

/// The lengths and first bytes of a set of terms, looked up with two loads and a shift: a
/// highlighter asks for every token of a text whether it could be one of the terms.
struct TermShapes: Sendable {
    /// For each first byte, a bit for each length (lengths of 63 bytes or more share bit 63).
    private var lengthsByFirstByte = [UInt64](repeating: 0, count: 256)

    init(_ terms: Set<String>) {
        for term in terms {
            guard let first = term.utf8.first else { continue }
            lengthsByFirstByte[Int(first)] |= Self.bit(term.utf8.count)
        }
    }

    /// Whether some term has this length and first byte (or, past 62 bytes, is as long).
    func mayContain(length: Int, first: UInt8) -> Bool {
        lengthsByFirstByte[Int(first)] & Self.bit(length) != 0
    }

    private static func bit(_ length: Int) -> UInt64 { 1 << UInt64(min(length, 63)) }
}

/// Cuts snippets: finds the window of about `windowWords` words with the most distinct matched
/// terms and marks every match inside it.
public struct SnippetCutter: Sendable {
    public var windowWords: Int
    private let tokenizer = Tokenizer()

    public init(windowWords: Int = 30) {
        self.windowWords = windowWords
    }

    /// The best snippet of `text` for `matcher`; the opening words when nothing matches.
    public func snippet(of text: String, matching matcher: TermMatcher) -> Snippet {
        let words = self.words(of: text, matcher: matcher)
        guard !words.isEmpty else { return Snippet(text: "", highlights: []) }
        let span = min(windowWords, words.count)
        var bestStart = 0
        // Windows are compared by distinct matched terms, then by matched words standing next to
        // each other (a phrase as typed), then by all matched words.
        let adjacent = words.indices.map { index in
            index + 1 < words.count && !words[index].matchedTerms.isEmpty
                && !words[index + 1].matchedTerms.isEmpty
                && words[index].matchedTerms != words[index + 1].matchedTerms
        }
        var bestScore = (-1, -1, -1)
        // Slide the window one word at a time, keeping counts of the terms inside it.
        var termCounts: [String: Int] = [:]
        var total = 0
        var pairs = 0
        func add(_ index: Int, _ delta: Int) {
            guard !words[index].matchedTerms.isEmpty else { return }
            total += delta
            for term in words[index].matchedTerms {
                termCounts[term, default: 0] += delta
                if termCounts[term] == 0 { termCounts[term] = nil }
            }
        }
        for index in 0..<span { add(index, 1) }
        pairs = adjacent[0..<max(0, span - 1)].filter { $0 }.count
        for start in 0...(words.count - span) {
            if start > 0 {
                add(start - 1, -1)
                add(start + span - 1, 1)
                if adjacent[start - 1] { pairs -= 1 }
                if span >= 2, adjacent[start + span - 2] { pairs += 1 }
            }
            let score = (termCounts.count, pairs, total)
            if score > bestScore {
                bestScore = score
                bestStart = start
            }
        }
        // Give the first match a little leading context when the window can move back.
        if let firstMatch = words[bestStart..<bestStart + span].firstIndex(where: { !$0.matchedTerms.isEmpty }
        ) {
            let lead = 4
            if firstMatch - bestStart < lead { bestStart = max(0, firstMatch - lead) }
            bestStart = min(bestStart, words.count - span)
        }
        let window = words[bestStart..<bestStart + span]
        return render(
            text, from: window.first!.start,
            to: Self.endOfWord(in: text, after: words[bestStart + span - 1].end),
            cutBefore: bestStart > 0, cutAfter: bestStart + span < words.count,
            highlights: window.filter { !$0.matchedTerms.isEmpty }.map { $0.start..<$0.end })
    }

    /// The snippet of a stored body: cut from the story after its header block; when nothing in
    /// the story matches but header lines do (the query found the document by its tags, author
    /// or source), those lines come first, their matches marked, then ` · ` and the story's
    /// snippet, so the result shows why it matched:
    ///
    ///     Tags: [nuclear], iran, iaea · Agency inspectors returned to the site on Monday …
    public func snippet(ofBody body: String, matching matcher: TermMatcher) -> Snippet {
        let header = HeaderBlock(splitting: body)
        let story = snippet(of: header.lines.isEmpty ? body : String(header.story), matching: matcher)
        guard story.highlights.isEmpty, !header.lines.isEmpty else { return story }
        var text = ""
        var highlights: [Range<Int>] = []
        var length = 0
        for line in header.lines {
            // Whitespace folded first, as a snippet's is, so the ranges count the shown text.
            let shown = line.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            let marks = self.highlights(in: shown, matching: matcher)
            guard !marks.isEmpty else { continue }
            if !text.isEmpty {
                text += Self.lineSeparator
                length += Self.lineSeparator.unicodeScalars.count
            }
            highlights += marks.map { (length + $0.lowerBound)..<(length + $0.upperBound) }
            text += shown
            length += shown.unicodeScalars.count
        }
        guard !text.isEmpty else { return story }
        if !story.text.isEmpty { text += Self.lineSeparator + story.text }
        return Snippet(text: text, highlights: highlights)
    }

    /// What stands between a matched header line and what follows it in a snippet.
    static let lineSeparator = " · "

    /// Extends a cut to the next whitespace so trailing punctuation (`said.`) stays with its word.
    private static func endOfWord(in text: String, after end: Int) -> Int {
        let utf8 = text.utf8
        var offset = end
        var index = utf8.index(utf8.startIndex, offsetBy: end)
        while index < utf8.endIndex, offset - end < 8 {
            let byte = utf8[index]
            if byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D || byte >= 0x80 { break }
            offset += 1
            index = utf8.index(after: index)
        }
        return offset
    }

    /// The matched words of a short text (a title), as code-point ranges, without cutting it.
    public func highlights(in text: String, matching matcher: TermMatcher) -> [Range<Int>] {
        let words = self.words(of: text, matcher: matcher)
        guard let first = words.first, let last = words.last else { return [] }
        let prefix = text.utf8.prefix(first.start)
        let lead = String(decoding: prefix, as: UTF8.self).unicodeScalars.count
        return render(
            text, from: first.start, to: last.end, cutBefore: false, cutAfter: false,
            highlights: words.filter { !$0.matchedTerms.isEmpty }.map { $0.start..<$0.end }
        ).highlights.map { (lead + $0.lowerBound)..<(lead + $0.upperBound) }
    }

    /// The matched words of a whole text as it is (no cutting, no whitespace folding), as
    /// code-point ranges.
    public func highlightsInWholeText(_ text: String, matching matcher: TermMatcher) -> [Range<Int>] {
        let spans = words(of: text, matcher: matcher).filter { !$0.matchedTerms.isEmpty }
        guard !spans.isEmpty else { return [] }
        // Byte offsets to code-point offsets, in one pass: a code point starts at every byte that
        // is not a UTF-8 continuation byte.
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(spans.count)
        var scalarOffset = 0
        var byteOffset = 0
        var utf8 = text.utf8.makeIterator()
        func advance(to target: Int) {
            while byteOffset < target, let byte = utf8.next() {
                if byte & 0xC0 != 0x80 { scalarOffset += 1 }
                byteOffset += 1
            }
        }
        for span in spans {
            advance(to: span.start)
            let start = scalarOffset
            advance(to: span.end)
            ranges.append(start..<scalarOffset)
        }
        return ranges
    }

    /// One word of the text: its byte span and the query terms it matched.
    private struct Word {
        var start: Int
        var end: Int
        var matchedTerms: [String]
    }

    /// Groups tokens into words (a token and its colocated alternatives form one word), each
    /// with the query terms that match there (see `TermMatcher.matchedTerms(atPositions:)`).
    private func words(of text: String, matcher: TermMatcher) -> [Word] {
        var words: [Word] = []
        // The words that name terms, in order, with the terms: a few among thousands of words, so
        // no array is made (and counted) for the others.
        var named: [(position: Int, terms: [String])] = []
        var text = text
        text.withUTF8 { bytes in
            tokenizer.tokenize(utf8: bytes, lookingFor: matcher.wanted) { term, start, end, colocated in
                if colocated, !words.isEmpty {
                    words[words.count - 1].end = max(words[words.count - 1].end, end)
                } else {
                    words.append(Word(start: start, end: end, matchedTerms: []))
                }
                if let matched = matcher.match(term) {
                    // A colocated term joins the terms its word already names.
                    if named.last?.position == words.count - 1 {
                        named[named.count - 1].terms.append(matched)
                    } else {
                        named.append((words.count - 1, [matched]))
                    }
                }
                return true
            }
        }
        if !named.isEmpty {
            let matched = matcher.matchedTerms(atPositions: named)
            for entry in named.indices {
                words[named[entry].position].matchedTerms = matched[entry]
            }
        }
        // Parts of one hyphenated word share a span; merge a word into the previous one if inside
        // it (in place: the kept words move to the front).
        var kept = 0
        for index in words.indices {
            if kept > 0, words[index].start < words[kept - 1].end {
                if !words[index].matchedTerms.isEmpty {
                    words[kept - 1].matchedTerms += words[index].matchedTerms
                }
                words[kept - 1].end = max(words[kept - 1].end, words[index].end)
            } else {
                if kept != index { words.swapAt(kept, index) }
                kept += 1
            }
        }
        words.removeLast(words.count - kept)
        return words
    }

    /// Builds the snippet text from a byte range, collapsing whitespace and mapping byte ranges
    /// of highlights to code-point offsets.
    private func render(
        _ text: String, from start: Int, to end: Int, cutBefore: Bool, cutAfter: Bool,
        highlights: [Range<Int>]
    ) -> Snippet {
        // On the UTF-8 bytes: appending code points one by one to a string cost about 400
        // instructions a character, a tenth of a short `trawl search`. A code point starts at
        // every byte that is not a continuation byte, which is how `offset` counts them.
        var text = text
        return text.withUTF8 { bytes in
            var output: [UInt8] = []
            output.reserveCapacity(min(end, bytes.count) - min(start, end) + 8)
            var offset = 0
            var ranges: [Range<Int>] = []
            var openHighlight: (byteEnd: Int, start: Int)?
            var pendingSpace = false
            var nextHighlight = 0
            if cutBefore {
                output += Self.ellipsis
                offset += 1
            }
            var byteOffset = start
            while byteOffset < bytes.count, bytes[byteOffset] & 0xC0 == 0x80 { byteOffset += 1 }
            while byteOffset < end, byteOffset < bytes.count {
                let byte = bytes[byteOffset]
                let (value, width) = byte < 0x80 ? (UInt32(byte), 1) : decodeScalar(bytes, at: byteOffset)
                if let open = openHighlight, byteOffset >= open.byteEnd {
                    ranges.append(open.start..<offset)
                    openHighlight = nil
                }
                // ASCII first: Unicode's property lookup is a table search per character.
                if byte < 0x80
                    ? (byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0x0B
                        || byte == 0x0C)
                    : Unicode.Scalar(value)?.properties.isWhitespace == true
                {
                    pendingSpace = true
                } else {
                    if pendingSpace {
                        output.append(0x20)
                        offset += 1
                        pendingSpace = false
                    }
                    while nextHighlight < highlights.count, highlights[nextHighlight].lowerBound <= byteOffset
                    {
                        if openHighlight == nil, highlights[nextHighlight].upperBound > byteOffset {
                            openHighlight = (highlights[nextHighlight].upperBound, offset)
                        }
                        nextHighlight += 1
                    }
                    if width == 1 {
                        output.append(byte)
                    } else {
                        output += bytes[byteOffset..<(byteOffset + width)]
                    }
                    offset += 1
                }
                byteOffset += width
            }
            if let open = openHighlight { ranges.append(open.start..<offset) }
            if cutAfter { output += Self.ellipsis }
            return Snippet(text: String(decoding: output, as: UTF8.self), highlights: ranges)
        }
    }

    /// What stands for text cut off a snippet.
    private static let ellipsis = Array("…".utf8)
}
