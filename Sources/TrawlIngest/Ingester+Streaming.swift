import TrawlIndex

extension Ingester {
    /// JSON and JSON Lines files from this size on are read a window of records at a time
    /// (`RecordStream`) rather than whole, so a file of half a million small records never has
    /// them all in memory at once.
    static let streamingThreshold: Int64 = 4 << 20

    /// Whether `file` is read as a stream of record windows rather than whole.
    static func streams(_ file: FoundFile) -> Bool {
        (file.format == .jsonLines || file.format == .json) && file.stat.size >= streamingThreshold
    }

    /// The modification time a streamed file's documents carry until its last record is written
    /// (`DocumentChange.settle`): no file has it, so a run killed in between reads the file again.
    static let unsettledModificationTime = Int64.min
}

extension Ingester.RunState {
    /// Reads a large JSON or JSON Lines file window by window and applies each window's records
    /// as it comes, in the run's ordinary batches.
    ///
    /// The records are written under a placeholder stat and the file's own stat is set on all of
    /// them by one last change, so a run killed midway leaves the file to be read again (the
    /// records already written are then found unchanged). Stored records the file no longer holds
    /// are removed only once it has been read to the end, unchanged.
    mutating func processStreamed(_ candidate: ChangePlan.Candidate) throws(IngestError) {
        let file = candidate.file
        reading.journal?.willRead(file, worker: 0)
        defer {
            reading.journal?.didRead(worker: 0)
            reading.journal?.clear()
        }
        let sniff: (UnsafeBufferPointer<UInt8>) -> Bool = { !Ingester.isBinary($0) }
        let context = ExtractionContext(
            path: file.path, modificationTime: Double(file.stat.modificationTime) / 1e9,
            recordFields: reading.recordFields)
        if file.format == .jsonLines {
            switch FileSystem.openFile(file.path, limit: reading.limit, accepts: sniff) {
            case .failure(let error): try apply(Ingester.result(of: error), for: candidate)
            case .success(let opened):
                var stream = JSONLinesStream(file: opened, context: context)
                try apply(&stream, for: candidate, status: opened.status, isUnchanged: opened.isUnchanged)
            }
            return
        }
        // A `.json` file is read whole (within the size limit) and its records parsed one by one.
        switch FileSystem.contents(ofFile: file.path, limit: reading.limit, accepts: sniff) {
        case .failure(let error): try apply(Ingester.result(of: error), for: candidate)
        case .success(let (bytes, status)):
            if Ingester.isBlank(bytes) { return try apply(.skip("empty file"), for: candidate) }
            switch JSONRecordsStream.open(bytes, context: context) {
            case .invalid(let reason): try apply(.skip(reason), for: candidate)
            case .wholeFile:
                // A single record or value: read as a small file is, from the bytes already read.
                let result = Ingester.documents(in: bytes, status: status, of: file, settings: reading)
                try apply(result, for: candidate)
            case .records(var stream):
                try apply(&stream, for: candidate, status: status, isUnchanged: { true })
            }
        }
    }

    /// Applies the records of `stream` as they come, then removes the file's stored records it
    /// no longer holds and settles the stat of the rest (see `processStreamed`).
    private mutating func apply<Stream: RecordStream>(
        _ stream: inout Stream, for candidate: ChangePlan.Candidate, status: FileStat, isUnchanged: () -> Bool
    ) throws(IngestError) {
        let path = candidate.file.path
        var knownByRecord = Dictionary(
            candidate.known.map { ($0.record, $0) }, uniquingKeysWith: { first, _ in first })
        let compressor = BodyCompressor(dictionary: reading.dictionary)
        while let documents = stream.next() {
            for document in documents {
                var record = Ingester.documentRecord(
                    document, file: candidate.file, size: status.size, status: status,
                    contentHash: ContentHash.of(document))
                record.modificationTime = Ingester.unsettledModificationTime
                Ingester.prepare(&record, compressor: compressor, settings: reading)
                try apply(record, replacing: knownByRecord.removeValue(forKey: record.record))
            }
            try writer.commitIfDue()
        }
        for warning in stream.warnings {
            problems.append(IngestProblem(path: path, reason: warning, isWarning: true))
        }
        if let failure = stream.failure { return try apply(Ingester.result(of: failure), for: candidate) }
        guard isUnchanged() else {
            let changed = FileSystemError(message: "changed while being read", kind: .changed)
            return try apply(Ingester.result(of: changed), for: candidate)
        }
        if let reason = stream.emptyReason { return try apply(.skip(reason), for: candidate) }
        // Records no longer in the file.
        for known in candidate.known where knownByRecord[known.record] != nil {
            try writer.remove(known)
        }
        try writer.append(
            .settle(
                path: path, size: status.size, modificationTime: status.modificationTime, inode: status.inode),
            planned: nil)
    }
}
