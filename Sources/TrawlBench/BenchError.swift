/// Why a benchmark could not run.
enum BenchError: Error, CustomStringConvertible {
    /// The command line is not one `trawl-bench` understands; the text says what is wrong.
    case usage(String)
    /// The corpus folder holds no `.txt` files (or cannot be read).
    case emptyCorpus(path: String)
    /// The index or the search failed; the text is the library's own message.
    case failed(String)

    var description: String {
        switch self {
        case .usage(let message):
            return "\(message)\n\(BenchCommand.usage)"
        case .emptyCorpus(let path):
            return "No .txt files could be read under \(path)."
        case .failed(let message):
            return message
        }
    }
}
