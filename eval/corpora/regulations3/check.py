"""Checks test.jsonl of the regulations3 corpus against the files in corpus/.

    python eval/corpora/regulations3/check.py

Its single split is test.jsonl (ids g001, g002, ...; sealed, see SOURCE.md). It prints counts
only, never a question.

Asserts: valid JSON with all fields; unique ids; every quote (8-50 characters) lies inside one
line of its document and every answer key inside a line holding one of the quotes (all
whitespace ignored); out_of_scope entries carry no keys or sources; no id or question twice;
corpus/ holds 5 documents; at least 110 questions, at least 60 % everyday, at least 28 %
out_of_scope, at least 5 of every other kind, at least 12 per document and at least 35 % with a
URL origin. Prints counts by kind, style and document.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = {"test.jsonl": "g"}


def _regulations_check():
    """The regulations corpus's checker, whose item and document checks this corpus shares."""
    spec = importlib.util.spec_from_file_location("regulations_check",
                                                  HERE.parent / "regulations" / "check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_shared = _regulations_check()
KINDS, check_item = _shared.KINDS, _shared.check_item


def load_docs() -> dict[str, list[str]]:
    return _shared.load_docs(HERE / "corpus", 5)


def main(argv: list[str] | None = None) -> int:
    names = (sys.argv[1:] if argv is None else argv) or list(FILES)
    unknown = [n for n in names if n not in FILES]
    assert not unknown, f"unknown split files {unknown}; known: {list(FILES)}"
    docs = load_docs()
    items_by_file, seen_ids, questions = {}, set(), {}
    for name in names:
        prefix = FILES[name]
        items = []
        for n, raw in enumerate((HERE / name).read_text(encoding="utf-8").splitlines(), 1):
            assert raw.strip(), f"{name}:{n}: empty line"
            item = json.loads(raw)
            check_item(item, prefix, docs)
            assert item["id"] not in seen_ids, f"duplicate id {item['id']}"
            # names ids only: the questions are sealed
            assert item["question"] not in questions, \
                f"the same question twice: {questions.get(item['question'])} and {item['id']}"
            seen_ids.add(item["id"])
            questions[item["question"]] = item["id"]
            items.append(item)
        items_by_file[name] = items

    everything = [i for items in items_by_file.values() for i in items]
    kinds = Counter(i["kind"] for i in everything)
    styles = Counter(i["style"] for i in everything)
    per_doc = Counter(d for i in everything for d in {s["doc"] for s in i["sources"]})
    total = len(everything)
    assert total >= 110, f"only {total} questions"
    assert styles["everyday"] / total >= 0.60, f"everyday share {styles['everyday'] / total:.2f}"
    assert kinds["out_of_scope"] / total >= 0.28, f"out_of_scope share {kinds['out_of_scope'] / total:.2f}"
    for kind in KINDS - {"out_of_scope"}:
        assert kinds[kind] >= 5, f"kind {kind}: only {kinds[kind]}"
    for doc in docs:
        assert per_doc[doc] >= 12, f"{doc}: only {per_doc[doc]} questions"
    origins = sum(1 for i in everything if i["origin"] != "written")
    assert origins / total >= 0.35, f"URL origin share {origins / total:.2f}"

    for name, items in items_by_file.items():
        print(f"== {name}: {len(items)} questions")
        print("  kind:  " + ", ".join(f"{k} {v}" for k, v in sorted(Counter(i['kind'] for i in items).items())))
        print("  style: " + ", ".join(f"{k} {v}" for k, v in sorted(Counter(i['style'] for i in items).items())))
        docs_here = Counter(d for i in items for d in {s["doc"] for s in i["sources"]})
        print("  doc:   " + ", ".join(f"{k} {v}" for k, v in sorted(docs_here.items())))
        print(f"  origin URL: {sum(1 for i in items if i['origin'] != 'written')}")
    print(f"== total {total}: out_of_scope {kinds['out_of_scope'] / total:.1%}, "
          f"everyday {styles['everyday'] / total:.1%}, origin URL {origins}")
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
