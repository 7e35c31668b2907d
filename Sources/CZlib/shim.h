// zlib, as a Swift module for TrawlIndex's stored-text compression.
#include <zlib.h>
