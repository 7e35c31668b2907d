import TrawlIndex

/// Decides a document's date from the evidence it and its file give, strongest first (README,
/// "Dates"): its metadata; a dateline at the top of the text, its year written there or taken from
/// the strongest other evidence; a full date written near the top; a day in the file or folder
/// name. A document with none of these is undated: a file's modification time only says when a
/// file was copied, and serves only to place a dateline that names no year.
enum DocumentDate {
    /// How many bytes of the body (after a header block, which `Dateline` skips) count as "near
    /// the top" for a written date: the first paragraph or two.
    static let topBytes = 600

    /// The strongest evidence of a date, chosen once.
    enum Evidence: Sendable, Hashable {
        /// A date from the document's metadata (seconds since 1970), taken as it is.
        case metadata(Double)
        /// A dateline whose year is written.
        case datelineWithYear(Dateline.Parts)
        /// A dateline without a year, and the days the strongest other evidence covers (a full date
        /// near the top, else a day, month or year in the path): the year nearest to them.
        case datelineNear(Dateline.Parts, anchor: ClosedRange<Int>)
        /// A dateline without a year and no other evidence: the latest such day on or before the
        /// file's modification time (seconds since 1970) + 1 day.
        case datelineBefore(Dateline.Parts, modified: Double)
        /// A full date written near the top of the text (days since 1970).
        case written(Int)
        /// A day in the file or folder name (days since 1970).
        case path(Int)
        /// Nothing: the document is undated.
        case none

        /// The strongest evidence `document` (read from the file at `path`, modified at
        /// `modified`) gives.
        static func strongest(for document: ExtractedDocument, path: String, modified: Double) -> Evidence {
            if let date = document.date { return .metadata(date) }
            let dateline = Dateline.monthAndDay(in: document.body)
            if let dateline, dateline.writtenDay != nil { return .datelineWithYear(dateline) }
            let written = WrittenDate.firstDay(in: DocumentDate.top(of: document))
            let pathDate = PathDate.evidence(in: path)
            if let dateline {
                if let written { return .datelineNear(dateline, anchor: written...written) }
                if let pathDate { return .datelineNear(dateline, anchor: pathDate.days) }
                return .datelineBefore(dateline, modified: modified)
            }
            if let written { return .written(written) }
            if case .day(let day)? = pathDate { return .path(day) }
            return .none
        }

        /// The date (seconds since 1970; nil when undated) and where it came from.
        var date: (seconds: Double?, source: DateSource) {
            func seconds(_ day: Int?) -> Double? { day.map { Double($0) * 86_400 } }
            switch self {
            case .metadata(let date): return (date, .metadata)
            case .datelineWithYear(let parts): return (seconds(parts.writtenDay), .dateline)
            case .datelineNear(let parts, let anchor): return (seconds(parts.day(nearest: anchor)), .dateline)
            case .datelineBefore(let parts, let modified):
                guard let day = parts.day(onOrBefore: modified) else { return (nil, .none) }
                return (seconds(day), .dateline)
            case .written(let day): return (seconds(day), .text)
            case .path(let day): return (seconds(day), .path)
            case .none: return (nil, .none)
            }
        }
    }

    /// The title and the first `topBytes` of the body, where a written date counts.
    static func top(of document: ExtractedDocument) -> String {
        document.title + "\n" + String(decoding: document.body.utf8.prefix(topBytes), as: UTF8.self)
    }
}
