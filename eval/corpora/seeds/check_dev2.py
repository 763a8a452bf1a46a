#!/usr/bin/env python3
"""Validate the second seed-corpus dev set (dev2.jsonl: written 2026-11-27 from public phrasings, apart from train/dev/test). Stdlib only.

Calls check_test.py's schema and quote/key checks (check_rows), with the
fresh set's own shares and an overlap check against the existing sets.

Checks:
  * every line is valid JSON with the required fields and allowed values;
  * ids are unique;
  * each source quote (whitespace removed) is 6-50 chars, free of forbidden
    characters, and occurs inside ONE raw line (whitespace removed) of its doc;
  * each answer key (1-15 chars) occurs, whitespace removed, in a quoted line
    (a raw line that contains one of the entry's quotes);
  * out_of_scope entries have no keys and no sources, and no key/source-free
    entry is labelled anything else;
  * fields appear exactly in the schema order; ids are f001, f002, ...;
  * shares: >=80 questions, >=50% everyday, >=30% out_of_scope,
    >=30% with a URL origin, every corpus document cited by >=10 questions
    (so the small ones, 000/001/003, and 004 are all covered);
  * no question is a near-duplicate (character-bigram Jaccard >= 0.5) of a
    question in train.jsonl, dev.jsonl or test.jsonl, or of another fresh
    question.  Matches in the sealed test set are reported by id and score
    only, never by text.
Prints counts by kind, style, document and origin.

Usage: python3 check_dev2.py [path/to/dev2.jsonl]
"""
import json
import re
import sys
from pathlib import Path

from check_test import check_rows, finish, load_docs, read_rows  # beside this file

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[2] / "corpus"          # /work/main/corpus
TEST = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "dev2.jsonl"
EXISTING = ["train.jsonl", "dev.jsonl", "test.jsonl"]   # compared, never modified
SIM_MAX = 0.5                                           # bigram Jaccard limit
MIN_QUESTIONS, MIN_EVERYDAY, MIN_OOS, MIN_URL, MIN_PER_DOC = 80, 0.50, 0.30, 0.30, 10

PUNCT = re.compile(r"[\s，。？！、；：,.?!;:“”\"'‘’（）()《》<>【】\[\]…—-]+")


def bigrams(q):
    s = PUNCT.sub("", q)
    return {s[i:i + 2] for i in range(len(s) - 1)} or {s}


def jaccard(a, b):
    return len(a & b) / len(a | b) if a | b else 0.0


def load_existing():
    """(set name, id, question, bigrams) for every question already in use."""
    out = []
    for name in EXISTING:
        p = HERE / name
        if not p.exists():
            continue
        with p.open(encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    out.append((name, r.get("id", "?"), r.get("question", ""),
                                bigrams(r.get("question", ""))))
    return out


def overlap_errors(rows):
    """Near-duplicates against the existing sets and within the fresh set."""
    errors = []
    existing = load_existing()
    fresh = [(r.get("id", "?"), r.get("question", "")) for r in rows
             if isinstance(r.get("question"), str)]
    grams = {rid: bigrams(q) for rid, q in fresh}
    worst = 0.0
    for rid, q in fresh:
        for name, oid, oq, og in existing:
            j = jaccard(grams[rid], og)
            worst = max(worst, j)
            if j >= SIM_MAX:
                shown = "" if name == "test.jsonl" else f" {oq!r}"
                errors.append(f"{rid}: near-duplicate of {name}:{oid} "
                              f"(bigram Jaccard {j:.2f}){shown}")
    for i, (rid, _) in enumerate(fresh):
        for oid, _ in fresh[i + 1:]:
            j = jaccard(grams[rid], grams[oid])
            if j >= SIM_MAX:
                errors.append(f"{rid}: near-duplicate of fresh {oid} (bigram Jaccard {j:.2f})")
    print(f"overlap:   highest bigram Jaccard vs train/dev/test {worst:.2f} (limit {SIM_MAX})")
    return errors


def main():
    docs = load_docs()
    assert docs, f"no corpus files under {CORPUS}"
    errors = []
    rows = read_rows(TEST, errors)
    by_kind, by_style, by_doc, origins = check_rows(rows, docs, r"f\d{3}", errors, in_order=True)

    total = len(rows)
    if total < MIN_QUESTIONS:
        errors.append(f"only {total} questions (<{MIN_QUESTIONS})")
    if total and by_style["everyday"] / total < MIN_EVERYDAY:
        errors.append(f"everyday share {by_style['everyday']}/{total} < {MIN_EVERYDAY:.0%}")
    if total and by_kind["out_of_scope"] / total < MIN_OOS:
        errors.append(f"out_of_scope share {by_kind['out_of_scope']}/{total} < {MIN_OOS:.0%}")
    if total and origins["url"] / total < MIN_URL:
        errors.append(f"URL-origin share {origins['url']}/{total} < {MIN_URL:.0%}")
    for d in sorted(docs):
        if by_doc[d] < MIN_PER_DOC:
            errors.append(f"{d} cited by {by_doc[d]} questions (<{MIN_PER_DOC})")
    small = ["000_7a1c3741144be74a.txt", "001_5e7d8dbe92d7f67e.txt", "003_4efb4334face981b.txt"]
    big = ["002_5366459dd2a9c16e.txt", "004_bcb06eedc5e15154.txt"]
    if min(by_doc[d] for d in big) < max(by_doc[d] for d in small):
        errors.append("national/county plans should be cited most")

    print(f"questions: {total}")
    print("by kind:  ", dict(sorted(by_kind.items())))
    print("by style: ", dict(sorted(by_style.items())),
          f"(everyday {by_style['everyday'] / max(total, 1):.1%})")
    print(f"out_of_scope share: {by_kind['out_of_scope'] / max(total, 1):.1%}")
    print("by doc (questions citing it):")
    for d in sorted(docs):
        print(f"   {d}: {by_doc[d]}")
    print("origin:   ", dict(origins), f"(URL {origins['url'] / max(total, 1):.1%})")
    errors.extend(overlap_errors(rows))
    finish(errors)


if __name__ == "__main__":
    main()
