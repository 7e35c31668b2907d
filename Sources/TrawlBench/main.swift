// trawl-bench: in-process measurements used by scripts/bench. Filled in by the benchmark work.
print("usage: trawl-bench <tokenize|fts-insert|warm-search> ...")
