#!/usr/bin/env python3
"""Validate the second seed-corpus dev set (dev2.jsonl: written 2026-11-27 from public phrasings, apart from train/dev/test). Stdlib only.

Adapted from check_test.py: same schema and quote/key checks, with the
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
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[2] / "corpus"          # /work/main/corpus
TEST = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "dev2.jsonl"
EXISTING = ["train.jsonl", "dev.jsonl", "test.jsonl"]   # compared, never modified
SIM_MAX = 0.5                                           # bigram Jaccard limit
MIN_QUESTIONS, MIN_EVERYDAY, MIN_OOS, MIN_URL, MIN_PER_DOC = 80, 0.50, 0.30, 0.30, 10

KINDS = {"target", "fact", "eligibility", "procedure", "multi", "out_of_scope"}
STYLES = {"everyday", "formal"}
FIELDS = ["id", "question", "kind", "style", "answer_keys", "sources", "origin"]
FORBIDDEN = set("\ufffd*$\\")
WS = re.compile(r"\s+")


def norm(s):
    return WS.sub("", s)


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


def load_docs():
    docs = {}
    for p in sorted(CORPUS.glob("*.txt")):
        raw = p.read_text(encoding="utf-8", errors="replace")
        docs[p.name] = [norm(line) for line in raw.split("\n")]
    return docs


def main():
    docs = load_docs()
    assert docs, f"no corpus files under {CORPUS}"
    errors = []
    rows = []
    with TEST.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                errors.append(f"line {n}: blank line")
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                errors.append(f"line {n}: bad JSON ({e})")

    ids = Counter(r.get("id") for r in rows)
    for i, c in ids.items():
        if c > 1:
            errors.append(f"duplicate id {i}")

    by_kind, by_style, by_doc, origins = Counter(), Counter(), Counter(), Counter()
    for r in rows:
        rid = r.get("id", "?")
        missing = [k for k in FIELDS if k not in r]
        if missing:
            errors.append(f"{rid}: missing fields {missing}")
            continue
        extra = set(r) - set(FIELDS)
        if extra:
            errors.append(f"{rid}: unexpected fields {sorted(extra)}")
        elif list(r) != FIELDS:
            errors.append(f"{rid}: fields out of order {list(r)}")
        if not re.fullmatch(r"f\d{3}", r["id"]):
            errors.append(f"{rid}: id format")
        if not isinstance(r["question"], str) or len(r["question"].strip()) < 4:
            errors.append(f"{rid}: question empty/short")
        if r["kind"] not in KINDS:
            errors.append(f"{rid}: bad kind {r['kind']!r}")
        if r["style"] not in STYLES:
            errors.append(f"{rid}: bad style {r['style']!r}")
        o = r["origin"]
        if not isinstance(o, str) or not (o == "written" or re.match(r"https?://\S+$", o)):
            errors.append(f"{rid}: bad origin {o!r}")
        by_kind[r["kind"]] += 1
        by_style[r["style"]] += 1
        origins["url" if o != "written" else "written"] += 1

        keys, srcs = r["answer_keys"], r["sources"]
        if not isinstance(keys, list) or not isinstance(srcs, list):
            errors.append(f"{rid}: answer_keys/sources must be lists")
            continue
        if r["kind"] == "out_of_scope":
            if keys or srcs:
                errors.append(f"{rid}: out_of_scope must have empty keys and sources")
            continue
        if not 1 <= len(keys) <= 3:
            errors.append(f"{rid}: needs 1-3 answer_keys, has {len(keys)}")
        if not 1 <= len(srcs) <= 3:
            errors.append(f"{rid}: needs 1-3 sources, has {len(srcs)}")

        quoted_lines = []
        cited = set()
        for s in srcs:
            doc, quote = s.get("doc"), s.get("quote")
            if set(s) != {"doc", "quote"}:
                errors.append(f"{rid}: source fields {sorted(s)}")
            if doc not in docs:
                errors.append(f"{rid}: unknown doc {doc!r}")
                continue
            if not isinstance(quote, str):
                errors.append(f"{rid}: quote not a string")
                continue
            if FORBIDDEN & set(quote):
                errors.append(f"{rid}: quote has forbidden char: {quote!r}")
            q = norm(quote)
            if not 6 <= len(q) <= 50:
                errors.append(f"{rid}: quote length {len(q)} not in 6..50: {quote!r}")
            hits = [ln for ln in docs[doc] if q and q in ln]
            if not hits:
                errors.append(f"{rid}: quote not found in one line of {doc}: {quote!r}")
            quoted_lines.extend(hits)
            cited.add(doc)
        for d in cited:
            by_doc[d] += 1
        for k in keys:
            if not isinstance(k, str) or not 1 <= len(norm(k)) <= 15:
                errors.append(f"{rid}: bad key {k!r}")
                continue
            if not any(norm(k) in ln for ln in quoted_lines):
                errors.append(f"{rid}: key {k!r} not in any quoted line")

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


def finish(errors: list[str]) -> None:
    """Print the problems found and exit 1, or print OK."""
    if errors:
        print(f"\nFAILED: {len(errors)} problem(s)")
        for e in errors:
            print("  -", e)
        sys.exit(1)
    print("\nOK")


if __name__ == "__main__":
    main()
