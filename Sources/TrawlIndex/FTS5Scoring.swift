import Foundation
import GRDB
import GRDBSQLite

/// One matching document as a scoring pass sees it (`IndexStore.scoredMatches`): where the
/// query's terms occur in it, as FTS5 stores them. Its field lengths are read only when asked
/// for (a document-size lookup per row, which a scorer that can bound the row's score first may
/// skip).
public struct ScoredRow: Sendable {
    /// One occurrence of a query term: which term (its index in the bound query's `terms`), the
    /// field (0 title, 1 body, 2 header lines) and the token position in that field.
    public struct Occurrence: Sendable, Hashable {
        public var term: Int
        public var field: Int
        public var position: Int

        public init(term: Int, field: Int, position: Int) {
            self.term = term
            self.field = field
            self.position = position
        }
    }

    /// Tokens in the title, the body and the header lines (colocated alternatives count once).
    public typealias Lengths = (title: Int, body: Int, meta: Int)

    /// The document's rowid.
    public internal(set) var documentID: Int64 = 0
    /// Every occurrence, ordered by field and position; a term occurs at most once at a position.
    public internal(set) var occurrences: [Occurrence] = []

    /// A row with these occurrences (ordered by field and position).
    public init(documentID: Int64 = 0, occurrences: [Occurrence] = []) {
        self.documentID = documentID
        self.occurrences = occurrences
    }
}

/// `trawl_score(document_fts, :pass)`, an FTS5 auxiliary function registered on every
/// connection: hands each matching row's query-term occurrences (and its field lengths, when the
/// scorer asks for them) to the Swift scorer of a scoring pass (`IndexStore.scoredMatches`) and
/// returns the score it gives.
///
/// The pass reaches the function as an SQLite pointer value (`sqlite3_bind_pointer`, type
/// `pointerType`), bound only by `scoredMatches` for the length of one statement: called
/// without one, the function fails instead of reading memory it was not given.
enum FTS5Scoring {
    static let functionName = "trawl_score"
    static let pointerType: StaticString = "trawl_scoring_pass"

    /// What one statement's rows are scored with: the scorer, and which of the MATCH's phrases
    /// stand for which query term, and what the pass keeps from row to row. `trawl_score` reaches
    /// it through a pointer (see `scoredMatches`), so that touching it costs no check of
    /// exclusive access, as a class's properties or a closure's captured variables would.
    struct Pass {
        /// The query term each phrase of the MATCH counts for (nil: a phrase the scorer ignores,
        /// such as an excluded word).
        let termOfPhrase: [Int?]
        /// Whether the phrases of `termOfPhrase` were appended after the query's own (which are
        /// then skipped) rather than being the query's own.
        let appended: Bool
        /// Phrases of the MATCH before the first listed in `termOfPhrase`, once known.
        var skippedPhrases: Int?
        let score: (ScoredRow, () -> ScoredRow.Lengths, Double) -> Double
        /// The storage of every row's occurrences, reused from row to row.
        var occurrences: [ScoredRow.Occurrence] = []
        /// The last position recorded for each term (field × 2³² + position), to keep one
        /// occurrence per term and position.
        var lastPosition: [Int]
        /// Why the pass failed, when it did.
        var failure: String?
        /// The best rows so far, by the score given.
        var best: BestMatches
        /// Every row's id, in the order scored, when asked for.
        var ids: [Int64]?

        init(
            termOfPhrase: [Int?], appended: Bool, termCount: Int, keep: Int, keepingIDs: Bool,
            score: @escaping (ScoredRow, () -> ScoredRow.Lengths, Double) -> Double
        ) {
            self.termOfPhrase = termOfPhrase
            self.appended = appended
            self.score = score
            lastPosition = Array(repeating: -1, count: termCount)
            best = BestMatches(capacity: keep)
            ids = keepingIDs ? [] : nil
        }
    }

    /// Registers the function on the connection of `api` (`FTS5.api(db)`, from GRDB).
    static func register(with api: UnsafePointer<fts5_api>) throws {
        guard api.pointee.iVersion >= 2,
            api.pointee.xCreateFunction(UnsafeMutablePointer(mutating: api), functionName, nil, scored, nil)
                == SQLITE_OK
        else {
            throw DatabaseError(resultCode: .SQLITE_ERROR, message: "cannot register \(functionName)")
        }
    }

    private static let scored: fts5_extension_function = { api, fts, context, argumentCount, arguments in
        guard argumentCount == 1, let argument = arguments?[0],
            let pointer = sqlite3_value_pointer(argument, FTS5Scoring.pointerType.utf8Start)
        else {
            sqlite3_result_error(context, "\(FTS5Scoring.functionName) is called only by Trawl", -1)
            return
        }
        let pass = pointer.assumingMemoryBound(to: Pass.self)
        guard let api = api?.pointee, let xColumnSize = api.xColumnSize, let xInstCount = api.xInstCount,
            let xInst = api.xInst, let xRowid = api.xRowid, let xPhraseCount = api.xPhraseCount
        else {
            sqlite3_result_error(context, "FTS5 API missing", -1)
            return
        }
        var count: Int32 = 0
        guard xInstCount(fts, &count) == SQLITE_OK else {
            sqlite3_result_error(context, "FTS5 instances unavailable", -1)
            return
        }
        let skipped: Int
        if let known = pass.pointee.skippedPhrases {
            skipped = known
        } else {
            skipped = pass.pointee.appended ? Int(xPhraseCount(fts)) - pass.pointee.termOfPhrase.count : 0
            pass.pointee.skippedPhrases = skipped
        }
        let documentID = xRowid(fts)
        // The row's occurrences are gathered in the pass's storage, reused from row to row.
        pass.pointee.occurrences.removeAll(keepingCapacity: true)
        for index in pass.pointee.lastPosition.indices { pass.pointee.lastPosition[index] = -1 }
        // FTS5 gives the body's instances first (`FullTextColumns`).
        var order = FullTextColumns.OrderCheck()
        let read = FTS5Occurrences.forEachInstance(count, of: fts, xInst) { phrase, column, offset in
            let listed = Int(phrase) - skipped
            guard listed >= 0, listed < pass.pointee.termOfPhrase.count,
                let term = pass.pointee.termOfPhrase[listed]
            else { return }
            // Instances come ordered by column and offset: a repeat of a term's position (two
            // alternatives of one word, or a phrase listed twice) is the one just recorded.
            let field = min(FullTextColumns.swapped(Int(column)), 2)
            order.see(field: field)
            let key = field << 32 | Int(offset)
            guard pass.pointee.lastPosition[term] != key else { return }
            pass.pointee.lastPosition[term] = key
            pass.pointee.occurrences.append(
                ScoredRow.Occurrence(term: term, field: field, position: Int(offset)))
        }
        guard read else {
            sqlite3_result_error(context, "FTS5 instance unavailable", -1)
            return
        }
        if order.needsSorting { FullTextColumns.sortByField(&pass.pointee.occurrences) { $0.field } }
        let row = ScoredRow(documentID: documentID, occurrences: pass.pointee.occurrences)
        /// The row's field lengths, read when the scorer asks (a document-size lookup).
        func lengths() -> ScoredRow.Lengths {
            var sizes: (Int32, Int32, Int32) = (0, 0, 0)
            let column = { (field: Int) in Int32(FullTextColumns.swapped(field)) }
            guard xColumnSize(fts, column(0), &sizes.0) == SQLITE_OK,
                xColumnSize(fts, column(1), &sizes.1) == SQLITE_OK,
                xColumnSize(fts, column(2), &sizes.2) == SQLITE_OK
            else {
                pass.pointee.failure = "FTS5 column sizes unavailable"
                return (0, 0, 0)
            }
            return (Int(sizes.0), Int(sizes.1), Int(sizes.2))
        }
        let score = pass.pointee.score(row, lengths, pass.pointee.best.threshold)
        if let failure = pass.pointee.failure {
            sqlite3_result_error(context, failure, -1)
            return
        }
        // NaN would rank nowhere: such a row ranks last instead.
        let kept = score.isNaN ? -.infinity : score
        pass.pointee.best.offer(id: documentID, score: kept)
        pass.pointee.ids?.append(documentID)
        sqlite3_result_double(context, kept)
    }
}

/// The best `capacity` rows offered, by score and, for equal scores, by smaller id: a heap whose
/// root is the worst row kept.
struct BestMatches {
    let capacity: Int
    private var heap: [(id: Int64, score: Double)] = []

    init(capacity: Int) {
        self.capacity = max(0, capacity)
        heap.reserveCapacity(self.capacity)
    }

    /// The score to beat: the worst kept once `capacity` are kept, −∞ before.
    var threshold: Double { heap.count < capacity ? -.infinity : heap[0].score }

    /// Whether `a` ranks below `b`.
    private static func isWorse(_ a: (id: Int64, score: Double), _ b: (id: Int64, score: Double)) -> Bool {
        a.score < b.score || (a.score == b.score && a.id > b.id)
    }

    /// Keeps the row if it ranks among the best `capacity` offered so far.
    mutating func offer(id: Int64, score: Double) {
        let row = (id: id, score: score)
        if heap.count < capacity {
            heap.append(row)
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard Self.isWorse(heap[child], heap[parent]) else { break }
                heap.swapAt(child, parent)
                child = parent
            }
            return
        }
        guard capacity > 0, Self.isWorse(heap[0], row) else { return }
        heap[0] = row
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { break }
            let right = left + 1
            let worse = right < heap.count && Self.isWorse(heap[right], heap[left]) ? right : left
            guard Self.isWorse(heap[worse], heap[parent]) else { break }
            heap.swapAt(worse, parent)
            parent = worse
        }
    }

    /// The rows kept, best first.
    func descending() -> [(id: Int64, score: Double)] {
        heap.sorted { Self.isWorse($1, $0) }
    }
}
