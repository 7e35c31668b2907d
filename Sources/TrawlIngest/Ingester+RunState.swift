import TrawlIndex

extension Ingester {
    /// What a run has done so far, and the group-by-group work that moves it on.
    struct RunState {
        var writer: BatchWriter
        var reading: ReadSettings
        var problems: [IngestProblem] = []
        /// Every failure of this run, new or known, to be recorded.
        var failures: [FileFailure] = []
        /// Stored documents of files that were found by the walk but gone when read: removed only
        /// if the removal rules allow.
        var goneWhileReading: [StoredFile] = []
        /// Vanished documents by content hash: where a new file with the same bytes came from.
        var moveSources: [UInt64: [StoredFile]] = [:]
        var moved: Set<Int64> = []
        var filesRead = 0
        /// PDFs left unread because pdftotext is missing (one notice per run says so).
        var unconvertedPDFs = 0
        /// Files without an extension that turned out not to be text.
        var unread: [UnreadFile] = []

        init(writer: BatchWriter, reading: ReadSettings) {
            self.writer = writer
            self.reading = reading
        }

        /// Reads a group of candidates and turns each into changes (or a problem).
        mutating func process(_ group: [ChangePlan.Candidate]) throws(IngestError) {
            let streamed = group.filter { Ingester.streams($0.file) }
            let whole = streamed.isEmpty ? group : group.filter { !Ingester.streams($0.file) }
            // An index without a dictionary trains one on the first group with enough text.
            let trains = reading.dictionary == nil && writer.store != nil
            var results = Ingester.read(whole, settings: reading, compressing: !trains)
            if trains { results = try trainDictionary(on: results) }
            for (candidate, result) in zip(whole, results) {
                try apply(result, for: candidate)
            }
            for candidate in streamed { try processStreamed(candidate) }
            filesRead += group.count
            try writer.commitIfDue()
        }

        /// Trains the index's dictionary for bodies on the bodies of `results` (read without
        /// compressing them) when they are enough (`BodyDictionary.trained(from:)`), keeps it
        /// in the index for this run's later groups and every later run, and returns `results`
        /// with their bodies compressed: with the new dictionary, or with deflate when there is
        /// too little text yet (the next group tries again).
        private mutating func trainDictionary(on results: [ReadResult]) throws(IngestError) -> [ReadResult] {
            var bodies: [String] = []
            for case .documents(let records, _) in results { bodies += records.map(\.body) }
            if let store = writer.store, let bytes = BodyDictionary.trained(from: bodies) {
                do { reading.dictionary = try store.keepBodyDictionary(bytes) } catch { throw .index(error) }
            }
            return Ingester.compressBodies(of: results, dictionary: reading.dictionary)
        }

        mutating func apply(_ result: ReadResult, for candidate: ChangePlan.Candidate)
            throws(IngestError)
        {
            let path = candidate.file.path
            switch result {
            case .vanished:
                problems.append(IngestProblem(path: path, reason: "vanished during the run", isWarning: true))
                goneWhileReading += candidate.known
            case .failure(let reason):
                // Known documents are kept: the file may be readable again next time.
                record(reason, kind: .unreadable, for: candidate, skipped: false)
            case .notText:
                unread.append(UnreadFile(path: path, type: UnreadFile.noExtension))
                for known in candidate.known { try writer.remove(known) }
            case .unconverted:
                unconvertedPDFs += 1
                writer.run.skipped += 1
            case .skip(let reason):
                record(
                    reason, kind: reason.hasPrefix(Ingester.tooLargeReason) ? .tooLarge : .content,
                    for: candidate,
                    skipped: true)
                for known in candidate.known { try writer.remove(known) }
            case .documents(let records, let warnings):
                for warning in warnings {
                    problems.append(IngestProblem(path: path, reason: warning, isWarning: true))
                }
                var knownByRecord = Dictionary(
                    candidate.known.map { ($0.record, $0) }, uniquingKeysWith: { first, _ in first })
                for record in records {
                    try apply(record, replacing: knownByRecord.removeValue(forKey: record.record))
                }
                // Records no longer in the file.
                for known in candidate.known where knownByRecord[known.record] != nil {
                    try writer.remove(known)
                }
            }
        }

        /// Records a file's failure; it is reported and counted (as skipped or failed) only when it
        /// did not fail the same way, in the same state, before.
        private mutating func record(
            _ reason: String, kind: FailureKind, for candidate: ChangePlan.Candidate, skipped: Bool
        ) {
            let now = writer.run.startedAt
            let failure = FileFailure(
                path: candidate.file.path, reason: reason, firstSeen: now, lastSeen: now, kind: kind,
                state: candidate.file.stat.failedState)
            failures.append(failure)
            if failure.repeats(candidate.failure) {
                writer.run.knownFailures += 1
            } else {
                problems.append(IngestProblem(path: failure.path, reason: reason))
                if skipped { writer.run.skipped += 1 } else { writer.run.failed += 1 }
            }
        }

        /// Adds, replaces or moves one document read from a file.
        mutating func apply(_ record: DocumentRecord, replacing known: StoredFile?)
            throws(IngestError)
        {
            if let known {
                if known.contentHash == record.contentHash {
                    try writer.append(
                        .refreshStat(
                            id: known.id, size: record.size, modificationTime: record.modificationTime,
                            inode: record.inode), planned: nil)
                    writer.run.unchanged += 1
                } else {
                    try writer.append(
                        .replace(id: known.id, record),
                        planned: PlannedChange(kind: .update, path: record.location))
                    writer.run.updated += 1
                }
            } else if let source = Ingester.takeMoveSource(for: record, from: &moveSources) {
                moved.insert(source.id)
                let target = StoredFile(
                    id: source.id, path: record.path, record: record.record, size: record.size,
                    modificationTime: record.modificationTime, inode: record.inode,
                    contentHash: record.contentHash)
                try writer.append(
                    .move(id: source.id, to: target),
                    planned: PlannedChange(kind: .move, path: record.location, from: source.location))
                writer.run.moved += 1
            } else {
                try writer.append(.add(record), planned: PlannedChange(kind: .add, path: record.location))
                writer.run.added += 1
            }
        }
    }

    /// The first vanished document with the same content as `record`, removed from `sources`.
    private static func takeMoveSource(for record: DocumentRecord, from sources: inout [UInt64: [StoredFile]])
        -> StoredFile?
    {
        guard var candidates = sources[record.contentHash],
            let index = candidates.firstIndex(where: { $0.size == record.size })
        else { return nil }
        let source = candidates.remove(at: index)
        sources[record.contentHash] = candidates.isEmpty ? nil : candidates
        return source
    }
}
