#!/usr/bin/env python3
"""Helpers of scripts/eval-ranking (Python 3 standard library only).

Subcommands:
  write-docs --docs docs.jsonl --out DIR
      One DIR/<id>.json record per document, {"title": title, "body": text}. An untitled document
      (NPL's abstracts) gets the title "—", which holds no word: Trawl's readers make the first
      line of an untitled document its title, and this keeps the whole text as body instead.
  baseline --docs docs.jsonl --queries queries.jsonl --out run.txt [--depth 1000]
      The SQLite FTS5 bm25 baseline as a TREC run (`qid Q0 docid rank score tag`, score = -bm25).
  metrics --run run.txt --queries queries.jsonl --qrels qrels.tsv
      Cross-check scorer: the EvaluationReport JSON keys computed in Python with the definitions of
      Sources/TrawlSearch/Evaluation.swift (trec_eval ndcg_cut_10, map, P_10, recall_100).
  table --collection NAME --command CMD --baseline LABEL=report.json [LABEL=report.json ...]
        [--summary FILE --best-other NDCG --floor NDCG]
      One Markdown table of the reports; the relative nDCG@10 change is against --baseline. With
      --summary, appends the first report's row and the targets to FILE (JSON Lines).
  summary --summary FILE
      One Markdown table of every collection appended to FILE: nDCG@10 against the baseline, the
      ratio, and whether each target is met.
"""

import argparse
import datetime
import json
import math
import os
import re
import sqlite3
import sys


def read_jsonl(path):
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as error:
                    sys.exit(f"{path}:{number}: not valid JSON ({error.msg})")


def identifier(value):
    return value if isinstance(value, str) else str(value)


# --- write-docs -----------------------------------------------------------------------------------

# The title of an untitled document: a dash, which the tokenizer drops, so the title field has
# no words and the text is indexed as body (as FTS5's bm25() baseline below inserts it).
UNTITLED = "\u2014"


def write_docs(args):
    os.makedirs(args.out, exist_ok=True)
    count = 0
    for doc in read_jsonl(args.docs):
        doc_id = identifier(doc["id"])
        if not doc_id or "/" in doc_id or doc_id.startswith("."):
            sys.exit(f"{args.docs}: document id {doc_id!r} cannot be a file name")
        text = doc.get("text") or ""
        title = (doc.get("title") or "").strip()
        if not title and not text.strip():
            continue  # nothing to index (two of Cranfield's): Trawl would skip the file
        title = title or UNTITLED
        with open(os.path.join(args.out, doc_id + ".json"), "w", encoding="utf-8") as handle:
            json.dump({"title": title, "body": text}, handle, ensure_ascii=False)
            handle.write("\n")
        count += 1
    print(count)


# --- baseline -------------------------------------------------------------------------------------

def query_terms(text):
    """Lower-cased alphanumeric words, de-duplicated in order of first appearance."""
    seen = []
    for term in re.findall(r"[^\W_]+", text.lower()):
        if term not in seen:
            seen.append(term)
    return seen


def baseline(args):
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize='porter unicode61')")
    doc_ids = []
    with connection:
        for doc in read_jsonl(args.docs):
            doc_ids.append(identifier(doc["id"]))
            connection.execute(
                "INSERT INTO t(rowid, title, body) VALUES (?, ?, ?)",
                (len(doc_ids), doc.get("title", ""), doc.get("text", "")),
            )
    with open(args.out, "w", encoding="utf-8") as run:
        for query in read_jsonl(args.queries):
            terms = query_terms(query["text"])
            if not terms:
                continue
            match = " OR ".join('"' + term + '"' for term in terms)
            rows = connection.execute(
                "SELECT rowid, bm25(t) FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT ?",
                (match, args.depth),
            ).fetchall()
            for rank, (rowid, score) in enumerate(rows, 1):
                run.write(f"{identifier(query['id'])} Q0 {doc_ids[rowid - 1]} {rank} {-score!r} fts5-bm25\n")


# --- metrics (cross-check of the Swift scorer) ------------------------------------------------------

def read_qrels(path):
    grades = {}
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            fields = line.split()
            if not fields:
                continue
            if len(fields) == 3:
                query_id, doc_id, grade = fields
            elif len(fields) == 4:
                query_id, _, doc_id, grade = fields
            else:
                sys.exit(f"{path}:{number}: expected 3 or 4 columns")
            try:
                grades.setdefault(query_id, {})[doc_id] = int(grade)
            except ValueError:
                if number == 1:
                    continue  # header
                sys.exit(f"{path}:{number}: grade {grade!r} is not an integer")
    return grades


def read_run(path):
    """Rankings per query, ordered as trec_eval does: score descending, then docid descending."""
    entries = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            fields = line.split()
            if fields:
                entries.setdefault(fields[0], []).append((float(fields[4]), fields[2]))
    return {
        query_id: [doc for _, doc in sorted(rows, key=lambda row: (row[0], row[1].encode()), reverse=True)]
        for query_id, rows in entries.items()
    }


def score_query(ranking, grades):
    relevant = sorted((grade for grade in grades.values() if grade > 0), reverse=True)
    dcg = precision_sum = 0.0
    found = in_top = in_hundred = 0
    for rank, doc in enumerate(ranking, 1):
        grade = grades.get(doc, 0)
        if grade <= 0:
            continue
        found += 1
        precision_sum += found / rank
        if rank <= 10:
            dcg += grade / math.log2(rank + 1)
            in_top += 1
        if rank <= 100:
            in_hundred += 1
    ideal = sum(grade / math.log2(rank + 1) for rank, grade in enumerate(relevant[:10], 1))
    return {
        "ndcgAt10": dcg / ideal,
        "map": precision_sum / len(relevant),
        "precisionAt10": in_top / 10,
        "recallAt100": in_hundred / len(relevant),
    }


def metrics(args):
    grades = read_qrels(args.qrels)
    run = read_run(args.run)
    query_ids = [identifier(query["id"]) for query in read_jsonl(args.queries)]
    scores, skipped = [], 0
    for query_id in query_ids:
        judged = grades.get(query_id, {})
        if not any(grade > 0 for grade in judged.values()):
            skipped += 1
            continue
        scores.append(score_query(run.get(query_id, []), judged))
    keys = ["ndcgAt10", "map", "precisionAt10", "recallAt100"]
    report = {"evaluatedQueries": len(scores), "skippedQueries": skipped}
    for key in keys:
        report[key] = sum(score[key] for score in scores) / len(scores) if scores else 0.0
    json.dump(report, sys.stdout, indent=2)
    print()


# --- table ----------------------------------------------------------------------------------------

def table(args):
    reports = []
    for item in [args.baseline] + args.reports:
        label, _, path = item.partition("=")
        with open(path, encoding="utf-8") as handle:
            reports.append((label, json.load(handle)))
    baseline_label, baseline_report = reports[0]
    base = baseline_report["ndcgAt10"]
    print(f"### {args.collection}\n")
    print(f"{datetime.date.today().isoformat()} · `{args.command}` · baseline: {baseline_label}; "
          f"{baseline_report['evaluatedQueries']} queries evaluated, "
          f"{baseline_report['skippedQueries']} skipped (no relevant judgment)\n")
    print("| system | nDCG@10 | MAP | P@10 | R@100 | vs baseline |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, report in reports[1:] + reports[:1]:
        if label == baseline_label:
            change = "—"
        elif base > 0:
            change = f"{(report['ndcgAt10'] - base) / base * 100:+.1f}%"
        else:
            change = "n/a"
        cells = " | ".join(f"{report[key]:.4f}" for key in ["ndcgAt10", "map", "precisionAt10", "recallAt100"])
        print(f"| {label} | {cells} | {change} |")
        if report["evaluatedQueries"] != baseline_report["evaluatedQueries"]:
            print(f"\nWARNING: {label} evaluated {report['evaluatedQueries']} queries, "
                  f"the baseline {baseline_report['evaluatedQueries']}.", file=sys.stderr)
    print()
    if args.summary and len(reports) > 1:
        label, report = reports[1]
        with open(args.summary, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({
                "collection": args.collection, "system": label, "ndcg": report["ndcgAt10"],
                "baselineLabel": baseline_label, "baseline": base,
                "bestOther": float(args.best_other) if args.best_other else None,
                "floor": float(args.floor) if args.floor else None,
            }) + "\n")


# Trawl must beat the reference by this much (relative nDCG@10) on every collection.
REQUIRED_GAIN = 0.05


def summary(args):
    rows = [json.loads(line) for line in open(args.summary, encoding="utf-8") if line.strip()]
    if not rows:
        return
    print("### Targets\n")
    print(f"{rows[0]['system']} against {rows[0]['baselineLabel']} (nDCG@10, top 100); targets: "
          f"at least +{REQUIRED_GAIN:.0%} over it, at least the best other tool measured, Cranfield at least 0.40.\n")
    print("| collection | Trawl | bm25() | ratio | +5% | ≥ best other tool | floor | all met |")
    print("| --- | ---: | ---: | ---: | --- | --- | --- | --- |")
    everywhere = True
    for row in rows:
        ratio = row["ndcg"] / row["baseline"] if row["baseline"] > 0 else float("inf")
        checks = [ratio >= 1 + REQUIRED_GAIN]
        gain = "yes" if checks[0] else "no"
        other = "—"
        if row["bestOther"] is not None:
            checks.append(row["ndcg"] >= row["bestOther"])
            other = f"{'yes' if checks[-1] else 'no'} ({row['bestOther']:.3f})"
        floor = "—"
        if row["floor"] is not None:
            checks.append(row["ndcg"] >= row["floor"])
            floor = f"{'yes' if checks[-1] else 'no'} (≥ {row['floor']:.2f})"
        everywhere = everywhere and all(checks)
        print(f"| {row['collection']} | {row['ndcg']:.4f} | {row['baseline']:.4f} | {ratio:.3f} "
              f"({(ratio - 1) * 100:+.1f}%) | {gain} | {other} | {floor} | {'yes' if all(checks) else '**no**'} |")
    print(f"\nEvery target on every collection: {'met' if everywhere else '**not met**'}.\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="subcommand", required=True)

    command = commands.add_parser("write-docs")
    command.add_argument("--docs", required=True)
    command.add_argument("--out", required=True)
    command.set_defaults(handler=write_docs)

    command = commands.add_parser("baseline")
    command.add_argument("--docs", required=True)
    command.add_argument("--queries", required=True)
    command.add_argument("--out", required=True)
    command.add_argument("--depth", type=int, default=1000)
    command.set_defaults(handler=baseline)

    command = commands.add_parser("metrics")
    command.add_argument("--run", required=True)
    command.add_argument("--queries", required=True)
    command.add_argument("--qrels", required=True)
    command.set_defaults(handler=metrics)

    command = commands.add_parser("table")
    command.add_argument("--collection", required=True)
    command.add_argument("--command", required=True)
    command.add_argument("--baseline", required=True, help="LABEL=report.json")
    command.add_argument("reports", nargs="*", help="LABEL=report.json")
    command.add_argument("--summary")
    command.add_argument("--best-other", default="")
    command.add_argument("--floor", default="")
    command.set_defaults(handler=table)

    command = commands.add_parser("summary")
    command.add_argument("--summary", required=True)
    command.set_defaults(handler=summary)

    args = parser.parse_args()
    args.handler(args)


if __name__ == "__main__":
    main()
