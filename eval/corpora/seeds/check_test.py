#!/usr/bin/env python3
"""Validate the sealed seed-corpus TEST set (test.jsonl). Stdlib only.

Checks:
  * every line is valid JSON with the required fields and allowed values;
  * ids are unique;
  * each source quote (whitespace removed) is 6-50 chars, free of forbidden
    characters, and occurs inside ONE raw line (whitespace removed) of its doc;
  * each answer key (1-15 chars) occurs, whitespace removed, in a quoted line
    (a raw line that contains one of the entry's quotes);
  * out_of_scope entries have no keys and no sources, and no key/source-free
    entry is labelled anything else;
  * shares: >=160 questions, >=40% everyday, >=25% out_of_scope,
    each of the three small documents cited by >=12 questions.
Prints counts by kind, style, document and origin.

Usage: python3 check_test.py [path/to/test.jsonl]
"""
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[2] / "corpus"          # /work/main/corpus
TEST = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "test.jsonl"

KINDS = {"target", "fact", "eligibility", "procedure", "multi", "out_of_scope"}
STYLES = {"everyday", "formal"}
FIELDS = ["id", "question", "kind", "style", "answer_keys", "sources", "origin"]
FORBIDDEN = set("\ufffd*$\\")
WS = re.compile(r"\s+")


def norm(s):
    return WS.sub("", s)


def load_docs():
    docs = {}
    for p in sorted(CORPUS.glob("*.txt")):
        raw = p.read_text(encoding="utf-8", errors="replace")
        docs[p.name] = [norm(line) for line in raw.split("\n")]
    return docs


def read_rows(path: Path, errors: list[str]) -> list[dict]:
    """The file's rows; a blank or unreadable line is an error."""
    rows = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                errors.append(f"line {n}: blank line")
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                errors.append(f"line {n}: bad JSON ({e})")
    return rows


def check_rows(rows: list[dict], docs: dict, id_pattern: str, errors: list[str], *,
               in_order: bool = False) -> tuple[Counter, Counter, Counter, Counter]:
    """Every row against the schema (fields in FIELDS' order too, with `in_order`; ids matching
    `id_pattern`) and its quotes and keys against `docs`; returns the counts by kind, style,
    document cited and origin."""
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
        elif in_order and list(r) != FIELDS:
            errors.append(f"{rid}: fields out of order {list(r)}")
        if not re.fullmatch(id_pattern, r["id"]):
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
    return by_kind, by_style, by_doc, origins


def main():
    docs = load_docs()
    assert docs, f"no corpus files under {CORPUS}"
    errors = []
    rows = read_rows(TEST, errors)
    by_kind, by_style, by_doc, origins = check_rows(rows, docs, r"st\d{3}", errors)

    total = len(rows)
    if total < 160:
        errors.append(f"only {total} questions (<160)")
    if total and by_style["everyday"] / total < 0.40:
        errors.append(f"everyday share {by_style['everyday']}/{total} < 40%")
    if total and by_kind["out_of_scope"] / total < 0.25:
        errors.append(f"out_of_scope share {by_kind['out_of_scope']}/{total} < 25%")
    small = ["000_7a1c3741144be74a.txt", "001_5e7d8dbe92d7f67e.txt", "003_4efb4334face981b.txt"]
    for d in small:
        if by_doc[d] < 12:
            errors.append(f"{d} cited by {by_doc[d]} questions (<12)")
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
    print("origin:   ", dict(origins))
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
