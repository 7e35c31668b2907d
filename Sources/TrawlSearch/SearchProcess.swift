#if canImport(Glibc)
    import CMalloc
#endif

/// Settings for a process that answers many searches, one after another, for as long as it runs:
/// `trawl serve`, `trawl mcp` and `trawl-bench warm-search`.
public enum SearchProcess {
    /// Free memory each of the allocator's heaps keeps for reuse (bytes), where glibc's malloc
    /// keeps 128 KB.
    static let keptFreeMemory: Int32 = 32 << 20

    /// Keeps the memory a search frees for the next search, instead of handing it back to the
    /// system after each one. With glibc's default, the next search's allocations (SQLite's page
    /// cache for its sorts, the arrays of matches) fault the pages in again: about 50 page faults
    /// a search on Reuters, 7% of a warm search's time. Call once, before the first search.
    public static func keepFreedMemory() {
        #if canImport(Glibc)
            _ = mallopt(M_TRIM_THRESHOLD, keptFreeMemory)
        #endif
    }
}
