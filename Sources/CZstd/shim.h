// zstd and its dictionary trainer, as a Swift module for TrawlIndex's stored-text compression.
// ZDICT_STATIC_LINKING_ONLY: the trainer with explicit parameters (fastCover), which the Debian
// library exports.
#define ZDICT_STATIC_LINKING_ONLY
#include <zstd.h>
#include <zdict.h>
