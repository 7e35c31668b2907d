// SQLite's process-wide settings, for TrawlIndex. `sqlite3_config` is variadic, which Swift cannot
// call, so each setting Trawl makes is a small function here (as GRDBSQLite's own shim does).
#include <sqlite3.h>

// Turns off SQLite's memory statistics (`SQLITE_CONFIG_MEMSTATUS`), which take one process-wide
// mutex around every allocation SQLite makes: two searches running side by side in `trawl serve`
// wait on it tens of times a request. Must run before SQLite initializes (before the first
// connection opens); returns SQLITE_OK, or SQLITE_MISUSE when SQLite already runs.
static inline int trawl_sqlite3_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
