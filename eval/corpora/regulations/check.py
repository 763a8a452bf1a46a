"""Checks train.jsonl, dev.jsonl and test.jsonl of the regulations corpus against the files in corpus/.

    python eval/corpora/regulations/check.py                          # every split
    python eval/corpora/regulations/check.py train.jsonl dev.jsonl    # only these (test stays closed)

Asserts: valid JSON with all fields; unique ids; every quote (8-50 characters) lies inside one
line of its document and every answer key inside a line holding one of the quotes (all
whitespace ignored); out_of_scope entries carry no keys or sources; no id or question twice
across the files checked; the kind, style and document shares of the brief over the files
checked together, and train.jsonl's own size and shares (it is fitted on, so it must lean on
everyday wording and refusals). Prints counts per file by kind, style and document.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = {"train.jsonl": "rr", "dev.jsonl": "rd", "test.jsonl": "rt"}
FIELDS = ["id", "question", "kind", "style", "answer_keys", "sources", "origin"]
KINDS = {"materials", "conditions", "procedure", "where", "penalty", "yes_no", "definition",
         "amount_or_duration", "multi", "out_of_scope"}
STYLES = {"everyday", "formal"}
PER_FILE = {"train.jsonl": (180, 0.55, 0.28)}  # questions at least, everyday share, out_of_scope share


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def load_docs(folder: Path = HERE / "corpus", count: int = 7) -> dict[str, list[str]]:
    """Each document of `folder` as its lines, whitespace removed; asserts there are `count`."""
    docs = {p.name: [squash(line) for line in p.read_text(encoding="utf-8").splitlines()]
            for p in sorted(folder.glob("*.md"))}
    assert len(docs) == count, f"{folder.name}/ should hold {count} documents, found {len(docs)}"
    return docs


def check_item(item: dict, prefix: str, docs: dict[str, list[str]]) -> None:
    where = item.get("id", "?")
    assert list(item) == FIELDS, f"{where}: fields {list(item)}"
    assert re.fullmatch(prefix + r"\d{3}", item["id"]), f"{where}: bad id"
    assert isinstance(item["question"], str) and item["question"].strip(), f"{where}: question"
    assert item["kind"] in KINDS, f"{where}: kind {item['kind']}"
    assert item["style"] in STYLES, f"{where}: style {item['style']}"
    assert isinstance(item["origin"], str) and (
        item["origin"] == "written" or re.match(r"https?://", item["origin"])), f"{where}: origin"
    keys, sources = item["answer_keys"], item["sources"]
    if item["kind"] == "out_of_scope":
        assert keys == [] and sources == [], f"{where}: out_of_scope must have no keys/sources"
        return
    assert 1 <= len(keys) <= 3, f"{where}: {len(keys)} keys"
    assert 1 <= len(sources) <= 2, f"{where}: {len(sources)} sources"
    lines_with_quotes = []
    for src in sources:
        assert set(src) == {"doc", "quote"}, f"{where}: source fields {set(src)}"
        assert src["doc"] in docs, f"{where}: unknown doc {src['doc']}"
        quote = squash(src["quote"])
        assert 8 <= len(quote) <= 50, f"{where}: quote length {len(quote)}: {src['quote']}"
        hits = [line for line in docs[src["doc"]] if quote in line]
        assert hits, f"{where}: quote not inside one line of {src['doc']}: {src['quote']}"
        lines_with_quotes.extend(hits)
    for key in keys:
        assert 2 <= len(squash(key)) <= 15, f"{where}: key length: {key}"
        assert any(squash(key) in line for line in lines_with_quotes), \
            f"{where}: key {key!r} not in a line holding a quote"


def read_items(path: Path, prefix: str, docs: dict[str, list[str]], seen_ids: set[str],
               questions: dict[str, str]) -> list[dict]:
    """The file's items, each checked (check_item), none repeating an id or a question of this
    file or of the files read before into `seen_ids` and `questions` (a clash names ids only:
    the question may be a sealed one)."""
    items = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        assert raw.strip(), f"{path.name}:{n}: empty line"
        item = json.loads(raw)
        check_item(item, prefix, docs)
        assert item["id"] not in seen_ids, f"duplicate id {item['id']}"
        assert item["question"] not in questions, \
            f"the same question twice: {questions.get(item['question'])} and {item['id']}"
        seen_ids.add(item["id"])
        questions[item["question"]] = item["id"]
        items.append(item)
    return items


@dataclass(frozen=True)
class Floors:
    """What the files checked together must hold: questions, shares of everyday wording, of
    out_of_scope and of URL origins (None: reported only), questions per other kind and per
    document."""

    least: int
    everyday: float
    outside: float
    per_kind: int
    per_doc: int
    urls: float | None = None
    unasked: frozenset[str] = frozenset()  # kinds a genre has no answer for (plans: penalty)


def check_splits(folder: Path, files: dict[str, str], argv: list[str], documents: int,
                 floors: Floors, per_file: dict | None = None) -> int:
    """Checks the split files `argv` names (all of `files`, name → id prefix, when none) of the
    corpus in `folder`, which holds `documents` documents: every item, the `floors` over them
    together and each file's own `per_file` (questions, everyday share, out_of_scope share).
    Prints counts per file by kind, style and document, never a question."""
    names = argv or list(files)
    unknown = [n for n in names if n not in files]
    assert not unknown, f"unknown split files {unknown}; known: {list(files)}"
    docs = load_docs(folder / "corpus", documents)
    items_by_file, seen_ids, questions = {}, set(), {}
    for name in names:
        items_by_file[name] = read_items(folder / name, files[name], docs, seen_ids, questions)

    for name, (least, everyday, outside) in (per_file or {}).items():
        if name in items_by_file:
            items = items_by_file[name]
            assert len(items) >= least, f"{name}: only {len(items)} questions"
            styles = Counter(i["style"] for i in items)
            kinds = Counter(i["kind"] for i in items)
            assert styles["everyday"] / len(items) >= everyday, f"{name}: everyday share"
            assert kinds["out_of_scope"] / len(items) >= outside, f"{name}: out_of_scope share"

    everything = [i for items in items_by_file.values() for i in items]
    kinds = Counter(i["kind"] for i in everything)
    styles = Counter(i["style"] for i in everything)
    per_doc = Counter(d for i in everything for d in {s["doc"] for s in i["sources"]})
    total = len(everything)
    assert total >= floors.least, f"only {total} questions"
    assert styles["everyday"] / total >= floors.everyday, \
        f"everyday share {styles['everyday'] / total:.2f}"
    assert kinds["out_of_scope"] / total >= floors.outside, \
        f"out_of_scope share {kinds['out_of_scope'] / total:.2f}"
    for kind in KINDS - {"out_of_scope"} - floors.unasked:
        assert kinds[kind] >= floors.per_kind, f"kind {kind}: only {kinds[kind]}"
    for doc in docs:
        assert per_doc[doc] >= floors.per_doc, f"{doc}: only {per_doc[doc]} questions"
    origins = sum(1 for i in everything if i["origin"] != "written")
    if floors.urls is not None:
        assert origins / total >= floors.urls, f"URL origin share {origins / total:.2f}"

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


def main(argv: list[str] | None = None) -> int:
    return check_splits(HERE, FILES, sys.argv[1:] if argv is None else argv, 7,
                        Floors(least=170, everyday=0.40, outside=0.25, per_kind=8, per_doc=12),
                        per_file=PER_FILE)


if __name__ == "__main__":
    sys.exit(main())
