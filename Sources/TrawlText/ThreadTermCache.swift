#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One `TermCache`'s slots per thread, for the `Tokenizer` calls that take no cache.
///
/// Searching tokenizes the candidate documents again to find where the query's words occur, and
/// highlighting tokenizes the shown ones: without a cache every word of them went through the
/// stemmer again (13% of a warm two-word search). The slots are allocated zeroed on a thread's
/// first such call (`calloc`: the kernel zeroes only the pages that are touched) and freed when the
/// thread ends. Sharing them between unrelated texts is safe because a slot holds the word it
/// describes and is checked before use; tokens are the same with or without the cache.
enum ThreadTermCache {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { slots in free(slots) }
        precondition(status == 0, "pthread_key_create failed: \(status)")
        return key
    }()

    /// The calling thread's slots, allocated on first use.
    static func slots() -> UnsafeMutableRawPointer {
        if let slots = pthread_getspecific(key) { return slots }
        guard let slots = calloc(TermCache.slotSize << TermCache.slotBits, 1) else {
            fatalError("cannot allocate the term cache")
        }
        pthread_setspecific(key, slots)
        return slots
    }
}
