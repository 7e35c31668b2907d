"""The Python half of scripts/shard-prototype: Xapian shards built from Trawl's own terms.

usage: /usr/bin/python3 scripts/shard-prototype.py --terms FILE --query-terms FILE --work DIR
                                                  [--shards 3] [--runs 20]

--terms is `trawl-bench terms CORPUS` (one JSON line per file: path, title, and the title's and the
body's terms with their positions, from Trawl's tokenizer through TermStream); --query-terms is
`trawl-bench query-terms` of every word of the benchmark queries. Builds one combined Xapian
database and N shards (a document goes to shard FNV-1a(path) mod N, as `trawl index --shard K/N`
would), with the same document ids in both (a document's id in the N-shard union is
(its number in its shard - 1) * N + shard + 1, and the combined database is written with those ids),
serves the shards and the combined database with `xapian-tcpsrv` on loopback, checks that the top 10
and their BM25 weights for the 20 queries are the same from the N remote shards as from the one
combined database, and times the searches. Needs python3-xapian and xapian-tools (Debian).
"""
import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time

import xapian

# The 20 queries of scripts/bench, in Trawl's query syntax.
QUERIES = [
    "palladium", "oil", "said", "oil prices", "bank interest rates", "wheat OR corn", "gold OR silver OR copper",
    "oil -opec", "said -oil", '"interest rates"', '"crude oil"', '"federal reserve board"', '"mln dlrs in"',
    "export*", "pro*", "U.S.", "U.S. trade", "year-on-year", "Coca-Cola", "Hewlett-Packard",
]
TITLE_PREFIX = "S"       # Xapian's convention for a subject/title field
ID_PREFIX = "Q"          # the unique id term replace_document() finds a document by
TITLE_WDF = 4            # a title occurrence also counts 4 times in the body terms (Trawl's title weight)
BODY_OFFSET = 1000       # body positions start here, so no phrase spans the title and the body


def fnv1a(text):
    """FNV-1a 64 of the UTF-8 bytes, the hash Trawl uses for content (TrawlIndex.FNV1a)."""
    value = 0xcbf29ce484222325
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return value


def document(record):
    """The Xapian document of one exported file."""
    doc = xapian.Document()
    for position, term in record["title_terms"]:
        doc.add_posting(TITLE_PREFIX + term, position + 1)
        doc.add_posting(term, position + 1, TITLE_WDF)
    for position, term in record["body_terms"]:
        doc.add_posting(term, BODY_OFFSET + position + 1)
    doc.add_boolean_term(ID_PREFIX + record["path"])
    doc.set_data(json.dumps({"path": record["path"], "title": record["title"]}))
    doc.add_value(0, record["path"])
    return doc


def build(terms_file, work, shards):
    """Writes work/combined and work/shard-K; returns (documents, seconds per database build)."""
    combined = xapian.WritableDatabase(os.path.join(work, "combined"), xapian.DB_CREATE_OR_OVERWRITE)
    parts = [xapian.WritableDatabase(os.path.join(work, f"shard-{k}"), xapian.DB_CREATE_OR_OVERWRITE)
             for k in range(shards)]
    counts = [0] * shards
    documents = 0
    started = time.perf_counter()
    with open(terms_file, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            shard = fnv1a(record["path"]) % shards
            doc = document(record)
            counts[shard] += 1
            # As trawl index --shard K/N would: replace_document by the id term, so a reindex
            # of a changed file replaces its document in place.
            parts[shard].replace_document(ID_PREFIX + record["path"], doc)
            combined.replace_document((counts[shard] - 1) * shards + shard + 1, doc)
            documents += 1
    for database in parts + [combined]:
        database.commit()
        database.close()
    return documents, counts, time.perf_counter() - started


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(path):
    """Starts xapian-tcpsrv for `path` on a free loopback port; returns (process, port)."""
    for _ in range(20):
        port = free_port()
        # A session of its own: on SIGTERM xapian-tcpsrv signals its whole process group (its
        # forked connection handlers), which would otherwise be this script and its caller.
        process = subprocess.Popen(["xapian-tcpsrv", "--interface", "127.0.0.1", "--port", str(port), path],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return process, port
            except OSError:
                if process.poll() is not None:
                    break
                time.sleep(0.05)
        process.kill()
        process.wait()
    sys.exit(f"error: xapian-tcpsrv did not start for {path}")


def word_query(word, query_terms):
    """A typed word as Trawl indexes it: its terms in a row (a phrase when there are several
    positions), colocated terms at one position as alternatives (`U.S.`: u.s. or us)."""
    positions = {}
    for position, term in query_terms[word]:
        positions.setdefault(position, []).append(term)
    parts = []
    for position in sorted(positions):
        terms = positions[position]
        parts.append(xapian.Query(terms[0]) if len(terms) == 1 else
                     xapian.Query(xapian.Query.OP_OR, [xapian.Query(t) for t in terms]))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else xapian.Query(xapian.Query.OP_PHRASE, parts)


def words(text):
    """Splits a query into words and quoted phrases ('"a b"' stays one item)."""
    items, current, quoted = [], "", False
    for char in text:
        if char == '"':
            if quoted:
                items.append('"' + current + '"')
                current = ""
            quoted = not quoted
        elif char == " " and not quoted:
            if current:
                items.append(current)
            current = ""
        else:
            current += char
    if current:
        items.append(current)
    return items


def xapian_query(text, query_terms, database):
    """The 20 benchmark queries' syntax: words (all required), OR, -word, "phrases", prefix*.

    A prefix is expanded here over `database`'s terms (for N shards, the union's: one list) into
    OP_OR, as Trawl would expand it: Xapian 1.4.22's own OP_WILDCARD never returned over the
    remote backend (the search hung), and an expansion Trawl makes keeps its limits Trawl's.
    OP_OR rather than OP_SYNONYM: a synonym's frequency is an estimate of the union, made per
    shard and summed, so `pro*` as OP_SYNONYM weighed 2e-4 apart from one combined database."""
    required, excluded, alternatives = [], [], []
    items = words(text)
    joined_by_or = "OR" in items
    for item in items:
        if item == "OR":
            continue
        if item.startswith('"'):
            inner = [word_query(w, query_terms) for w in item.strip('"').split()]
            query = xapian.Query(xapian.Query.OP_PHRASE, [q for q in inner if q is not None])
        elif item.endswith("*"):
            expansion = [xapian.Query(entry.term) for entry in database.allterms(item[:-1].lower())]
            query = xapian.Query(xapian.Query.OP_OR, expansion)
        elif item.startswith("-"):
            excluded.append(word_query(item[1:], query_terms))
            continue
        else:
            query = word_query(item, query_terms)
        (alternatives if joined_by_or else required).append(query)
    query = (xapian.Query(xapian.Query.OP_OR, alternatives) if joined_by_or
             else required[0] if len(required) == 1 else xapian.Query(xapian.Query.OP_AND, required))
    for exclusion in excluded:
        query = xapian.Query(xapian.Query.OP_AND_NOT, query, exclusion)
    return query


def top(database, query, count=10):
    enquire = xapian.Enquire(database)
    enquire.set_query(query)
    matches = enquire.get_mset(0, count)
    return matches.get_matches_estimated(), [
        (json.loads(match.document.get_data())["path"], match.weight, match.docid) for match in matches]


def timed(database, text, query_terms, runs):
    """Median ms of compiling `text` for `database` (a prefix's expansion is a round trip) and
    fetching its top 10 with their stored data."""
    samples = []
    top(database, xapian_query(text, query_terms, database))
    for _ in range(runs):
        started = time.perf_counter()
        top(database, xapian_query(text, query_terms, database))
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms")
    parser.add_argument("--query-terms")
    parser.add_argument("--work")
    parser.add_argument("--print-query-words", action="store_true",
                        help="print the words of the 20 queries to export with trawl-bench query-terms")
    parser.add_argument("--shards", type=int, default=3)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--reuse", action="store_true", help="use the databases already in --work")
    args = parser.parse_args()
    if args.print_query_words:
        for word in sorted({item.lstrip("-") for text in QUERIES for item in text.replace('"', " ").split()
                            if item != "OR" and not item.endswith("*")}):
            print(word)
        return 0
    if not (args.terms and args.query_terms and args.work):
        parser.error("--terms, --query-terms and --work are required")
    query_terms = {}
    with open(args.query_terms, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            query_terms[record["text"]] = record["terms"]

    if args.reuse:
        counts = [xapian.Database(os.path.join(args.work, f"shard-{k}")).get_doccount() for k in range(args.shards)]
        documents, seconds = sum(counts), float("nan")
    else:
        documents, counts, seconds = build(args.terms, args.work, args.shards)
    print(f"Built one combined database and {args.shards} shards of {documents:,} documents "
          f"({', '.join(f'{c:,}' for c in counts)}) in {seconds:.1f} s (Xapian {xapian.version_string()}).\n")

    servers, databases = [], []
    try:
        shard_ports = []
        for k in range(args.shards):
            process, port = serve(os.path.join(args.work, f"shard-{k}"))
            servers.append(process)
            shard_ports.append(port)
        process, combined_port = serve(os.path.join(args.work, "combined"))
        servers.append(process)

        sharded = xapian.Database()
        for port in shard_ports:
            # 10 s per request and 5 s to connect: a server that stops answering is an error, not a hang.
            sharded.add_database(xapian.remote_open("127.0.0.1", port, 10000, 5000))
        combined_remote = xapian.remote_open("127.0.0.1", combined_port, 10000, 5000)
        combined_local = xapian.Database(os.path.join(args.work, "combined"))
        databases += [sharded, combined_remote, combined_local]
        if sharded.get_doccount() != combined_local.get_doccount():
            sys.exit("error: the shards and the combined database hold different numbers of documents")

        print(f"| query | matches (est.) | top 10 equal | largest weight difference | "
              f"{args.shards} remote shards (ms) | 1 remote database (ms) | ratio | 1 local database (ms) |")
        print("|---|---:|---|---:|---:|---:|---:|---:|")
        equal_all, ratios, shard_ms, single_ms = True, [], [], []
        for text in QUERIES:
            count_s, hits_s = top(sharded, xapian_query(text, query_terms, sharded))
            count_c, hits_c = top(combined_local, xapian_query(text, query_terms, combined_local))
            same = [(p, d) for p, _, d in hits_s] == [(p, d) for p, _, d in hits_c]
            difference = max((abs(a[1] - b[1]) for a, b in zip(hits_s, hits_c)), default=0.0)
            same = same and difference <= 1e-9 * max(1.0, max((w for _, w, _ in hits_c), default=1.0))
            equal_all = equal_all and same and len(hits_s) == len(hits_c)
            t_shards = timed(sharded, text, query_terms, args.runs)
            t_remote = timed(combined_remote, text, query_terms, args.runs)
            t_local = timed(combined_local, text, query_terms, args.runs)
            shard_ms.append(t_shards)
            single_ms.append(t_remote)
            ratios.append(t_shards / t_remote)
            cell = text.replace("|", "\\|")
            print(f"| `{cell}` | {count_c:,} | {'yes' if same else 'NO'} | {difference:.2e} | {t_shards:.2f} | "
                  f"{t_remote:.2f} | {t_shards / t_remote:.2f}× | {t_local:.2f} |")
        print(f"\nMedians of {args.runs} runs per query after one warm-up, one client process on loopback. "
              f"Median over the 20 queries: {statistics.median(shard_ms):.2f} ms across {args.shards} shards, "
              f"{statistics.median(single_ms):.2f} ms on one remote database "
              f"(median ratio {statistics.median(ratios):.2f}×, slowest {max(ratios):.2f}×).")
        print("\nTop 10 and weights equal to the combined database for all 20 queries: "
              + ("yes" if equal_all else "NO"))
        return 0 if equal_all else 1
    finally:
        # Close the connections first, so each server's forked connection handler ends too.
        for database in databases:
            database.close()
        for process in servers:
            process.terminate()
        for process in servers:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


if __name__ == "__main__":
    sys.exit(main())
