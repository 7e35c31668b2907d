// glibc's allocator settings (`mallopt`), for TrawlSearch: <malloc.h> is outside Swift's Glibc module.
#include <malloc.h>
