"""Validate the seed-corpus TRAIN set (train.jsonl) and its provenance file. Stdlib only.

    python eval/corpora/seeds/check_train.py

train.jsonl keeps its own fields (id, question, kind, answer_keys, sources; no style, no origin).
Checks, as check_test.py does for the sealed set:
  * every line is valid JSON with exactly those fields; ids q001, q002, ... unique, no question twice
    (here or in dev.jsonl);
  * each source quote (whitespace removed) is 6-50 chars, free of forbidden characters, and lies
    inside ONE raw line (whitespace removed) of its document in corpus/;
  * each answer key (1-15 chars) lies in a quoted line (a raw line holding one of the quotes);
  * out_of_scope entries have no keys and no sources, and every other entry has both;
  * the counts and lengths above (1-3 keys, 1-3 sources, quote 6-50, key 1-15) bind the questions
    added from q173 on; the first 172 predate them and are held to containment only.
train_origins.tsv (id, style, origin) records, for the questions added after q172, whether each is
worded as a citizen types ("everyday") or as a document reads ("formal"), and the public page it
was adapted from (or "written"). Those added questions must be >=60% everyday and >=30%
out_of_scope. Prints counts by kind, style, document and origin.
"""
import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_test import finish, load_docs, norm

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[2] / "corpus"
TRAIN = HERE / "train.jsonl"
ORIGINS = HERE / "train_origins.tsv"
FIRST_ADDED = 173  # q173 on: written with train_origins.tsv

KINDS = {"target", "fact", "eligibility", "colloquial", "multi", "out_of_scope"}
STYLES = {"everyday", "formal"}
FIELDS = ["id", "question", "kind", "answer_keys", "sources"]
FORBIDDEN = set("\ufffd*$\\")


def main():
    docs = load_docs()
    assert docs, f"no corpus files under {CORPUS}"
    errors = []
    rows = [json.loads(line) for line in TRAIN.read_text(encoding="utf-8").splitlines() if line.strip()]
    dev = {json.loads(line)["question"] for line in (HERE / "dev.jsonl").read_text(encoding="utf-8").splitlines()
           if line.strip()}
    seen_ids, seen_q = set(), set()
    by_kind, by_doc = Counter(), Counter()
    for r in rows:
        rid = r.get("id", "?")
        if list(r) != FIELDS:
            errors.append(f"{rid}: fields {list(r)}")
            continue
        if not re.fullmatch(r"q\d{3}", rid) or rid in seen_ids:
            errors.append(f"{rid}: bad or repeated id")
        seen_ids.add(rid)
        q = r["question"]
        if not isinstance(q, str) or len(q.strip()) < 4 or q in seen_q or q in dev:
            errors.append(f"{rid}: question empty, short, repeated or also in dev")
        seen_q.add(q)
        if r["kind"] not in KINDS:
            errors.append(f"{rid}: bad kind {r['kind']!r}")
        by_kind[r["kind"]] += 1
        keys, srcs = r["answer_keys"], r["sources"]
        strict = int(rid[1:]) >= FIRST_ADDED if re.fullmatch(r"q\d{3}", rid) else True
        if r["kind"] == "out_of_scope":
            if keys or srcs:
                errors.append(f"{rid}: out_of_scope must have empty keys and sources")
            continue
        if not keys or not srcs or (strict and not (len(keys) <= 3 and len(srcs) <= 3)):
            errors.append(f"{rid}: needs 1-3 keys and 1-3 sources")
        quoted = []
        for s in srcs:
            doc, quote = s.get("doc"), s.get("quote", "")
            if set(s) != {"doc", "quote"} or doc not in docs:
                errors.append(f"{rid}: bad source {s}")
                continue
            if FORBIDDEN & set(quote):
                errors.append(f"{rid}: quote has a forbidden character: {quote!r}")
            nq = norm(quote)
            if strict and not 6 <= len(nq) <= 50:
                errors.append(f"{rid}: quote length {len(nq)}: {quote!r}")
            hits = [line for line in docs[doc] if nq and nq in line]
            if not hits:
                errors.append(f"{rid}: quote not inside one line of {doc}: {quote!r}")
            quoted += hits
            by_doc[doc] += 1
        for k in keys:
            if (strict and not 1 <= len(norm(k)) <= 15) or not any(norm(k) in line for line in quoted):
                errors.append(f"{rid}: key {k!r} too long or not in a quoted line")

    added = [r for r in rows if int(r["id"][1:]) >= FIRST_ADDED]
    with ORIGINS.open(encoding="utf-8", newline="") as f:
        meta = {m["id"]: m for m in csv.DictReader(f, delimiter="\t")}
    if sorted(meta) != sorted(r["id"] for r in added):
        errors.append("train_origins.tsv must list exactly the questions from q173 on")
    for m in meta.values():
        if m["style"] not in STYLES or not (m["origin"] == "written" or re.match(r"https?://\S+$", m["origin"])):
            errors.append(f"{m['id']}: bad style or origin in train_origins.tsv")
    n = max(len(added), 1)
    everyday = sum(m["style"] == "everyday" for m in meta.values()) / n
    outside = sum(r["kind"] == "out_of_scope" for r in added) / n
    urls = sum(m["origin"] != "written" for m in meta.values())
    if everyday < 0.60:
        errors.append(f"added questions: everyday share {everyday:.1%} < 60%")
    if outside < 0.30:
        errors.append(f"added questions: out_of_scope share {outside:.1%} < 30%")

    print(f"questions: {len(rows)} (added from q{FIRST_ADDED}: {len(added)})")
    print("by kind:  ", dict(sorted(by_kind.items())))
    print("added by kind:", dict(sorted(Counter(r["kind"] for r in added).items())))
    print(f"added: everyday {everyday:.1%}, out_of_scope {outside:.1%}, origin URL {urls}")
    print("sources by doc:", dict(sorted(by_doc.items())))
    finish(errors)


if __name__ == "__main__":
    main()
