"""Checks a fresh held-out set of the regulations corpus against the files in corpus/: dev2.jsonl (the
second dev set: written 2026-11-27 apart from train/dev/test, from public phrasings) by default, or
test2.jsonl (the second sealed test set, written the same day by a helper that never saw the system's
answers).

    python eval/corpora/regulations/check_dev2.py                    # dev2.jsonl, ids rf001, ...
    python eval/corpora/regulations/check_dev2.py test2.jsonl rs     # test2.jsonl, ids rs001, ...

Asserts: valid JSON with all fields in order; ids <prefix>001, <prefix>002, ...; every quote (8-50
characters) lies inside one line of its document and every answer key inside a line holding one of the
quotes (all whitespace ignored); out_of_scope entries carry no keys or sources; no question twice; the
set's own floors (dev2: at least 90 questions, 55 % everyday, 25 % out_of_scope, 8 questions citing
each document; test2: at least 130, 60 %, 28 %, 10). Near-duplicates: character-bigram Jaccard of each
fresh question against every question of the other splits (dev2: train, dev, test; test2: train, dev,
dev2, test) and against the other fresh questions must stay below 0.5; a clash names ids only, so a
sealed test question is never printed. Prints counts by kind, style and document, and the share of
questions whose origin is a URL.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

from check import load_docs, read_items  # regulations/check.py, beside this file

HERE = Path(__file__).resolve().parent
# per fresh file: id prefix, the splits it must not repeat, floors (questions, everyday share,
# out_of_scope share, questions per document) and the URL-origin aim (reported, warned about, not asserted)
SETS = {
    "dev2.jsonl": ("rf", ["train.jsonl", "dev.jsonl", "test.jsonl"], (90, 0.55, 0.25, 8), 0.30),
    "test2.jsonl": ("rs", ["train.jsonl", "dev.jsonl", "dev2.jsonl", "test.jsonl"], (130, 0.60, 0.28, 10), 0.35),
}
JACCARD_LIMIT = 0.5


def bigrams(text: str) -> set[str]:
    t = re.sub(r"[\s\W_]+", "", text)  # drop whitespace and punctuation, keep CJK/letters/digits
    return {t[i:i + 2] for i in range(len(t) - 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def load_questions(name: str) -> list[tuple[str, str]]:
    path = HERE / name
    if not path.exists():
        return []
    rows = [json.loads(raw) for raw in path.read_text(encoding="utf-8").splitlines() if raw.strip()]
    return [(r["id"], r["question"]) for r in rows]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    fresh = args[0] if args else "dev2.jsonl"
    assert fresh in SETS, f"unknown fresh set {fresh}; known: {list(SETS)}"
    prefix, others, (least, everyday, outside, per_doc_least), url_aim = SETS[fresh]
    if len(args) > 1:
        assert args[1] == prefix, f"{fresh} takes ids {prefix}001, ..., not {args[1]}"
    docs = load_docs()
    items = read_items(HERE / fresh, prefix, docs, set(), {})
    for n, item in enumerate(items, 1):  # read_items allows no empty line: n is the line
        assert all(list(src) == ["doc", "quote"] for src in item["sources"]), \
            f"{item['id']}: source fields out of order"
        assert item["id"] == f"{prefix}{n:03d}", f"{fresh}:{n}: id {item['id']} out of sequence"

    total = len(items)
    kinds = Counter(i["kind"] for i in items)
    styles = Counter(i["style"] for i in items)
    per_doc = Counter(d for i in items for d in {s["doc"] for s in i["sources"]})
    urls = sum(1 for i in items if i["origin"] != "written")
    assert total >= least, f"only {total} questions"
    assert styles["everyday"] / total >= everyday, f"everyday share {styles['everyday'] / total:.2f}"
    assert kinds["out_of_scope"] / total >= outside, f"out_of_scope share {kinds['out_of_scope'] / total:.2f}"
    for doc in docs:
        assert per_doc[doc] >= per_doc_least, f"{doc}: only {per_doc[doc]} questions"

    # near-duplicates against the other splits and within the fresh file
    clashes = []
    fresh_grams = [(i["id"], bigrams(i["question"])) for i in items]
    for name in others:
        for other_id, other_q in load_questions(name):
            og = bigrams(other_q)
            for fid, fg in fresh_grams:
                j = jaccard(fg, og)
                if j >= JACCARD_LIMIT:
                    clashes.append(f"{fid} ~ {other_id} ({name}) {j:.2f}")
    for a in range(len(fresh_grams)):
        for b in range(a + 1, len(fresh_grams)):
            j = jaccard(fresh_grams[a][1], fresh_grams[b][1])
            if j >= JACCARD_LIMIT:
                clashes.append(f"{fresh_grams[a][0]} ~ {fresh_grams[b][0]} (fresh) {j:.2f}")
    assert not clashes, "near-duplicate questions (bigram Jaccard >= 0.5):\n  " + "\n  ".join(clashes)

    highest = max((jaccard(fg, bigrams(q)) for name in others for _, q in load_questions(name)
                   for _, fg in fresh_grams), default=0.0)
    print(f"== {fresh}: {total} questions")
    print("  kind:  " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    print("  style: " + ", ".join(f"{k} {v}" for k, v in sorted(styles.items())))
    print("  doc:   " + ", ".join(f"{k} {v}" for k, v in sorted(per_doc.items())))
    print(f"  out_of_scope {kinds['out_of_scope'] / total:.1%}, everyday {styles['everyday'] / total:.1%}, "
          f"origin URL {urls} ({urls / total:.1%})")
    print(f"  highest bigram Jaccard against {'/'.join(n.split('.')[0] for n in others)}: {highest:.2f}")
    if urls / total < url_aim:
        print(f"  WARNING: URL-origin share below the {url_aim:.0%} aim")
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
