"""Checks dev.jsonl of the plans2 corpus against the files in corpus/.

    python eval/corpora/plans2/check.py

Its single split is dev.jsonl (ids q001, q002, ...; see SOURCE.md). It prints counts
only, never a question.

Asserts: valid JSON with all fields; unique ids; every quote (8-50 characters) lies inside one
line of its document and every answer key inside a line holding one of the quotes (all
whitespace ignored); out_of_scope entries carry no keys or sources; no id or question twice;
corpus/ holds 5 documents; at least 160 questions, at least 55 % everyday, at least 25 %
out_of_scope, at least 15 per document, and at least 5 of every other kind except penalty
(this genre — plans, work summaries, statistical tables, service guides — states no penalties,
so none is asked; the shared check's per-kind floor is therefore 0 and the floor of 5 for the
other kinds is asserted here). URL origins are counted, none required. Prints counts by kind,
style and document.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from regulations.check import KINDS, Floors, check_splits  # noqa: E402  (the checks this corpus shares)

FILES = {"dev.jsonl": "q"}
FLOORS = Floors(least=160, everyday=0.55, outside=0.25, per_kind=0, per_doc=15, urls=0.0)
PER_KIND = 5  # for every kind but out_of_scope and penalty


def check_kinds(names: list[str]) -> None:
    """At least PER_KIND questions of every kind other than out_of_scope and penalty."""
    kinds = Counter()
    for name in names:
        for raw in (HERE / name).read_text(encoding="utf-8").splitlines():
            if raw.strip():
                kinds[json.loads(raw).get("kind")] += 1
    for kind in sorted(KINDS - {"out_of_scope", "penalty"}):
        assert kinds[kind] >= PER_KIND, f"kind {kind}: only {kinds[kind]}"


def main(argv: list[str] | None = None) -> int:
    names = sys.argv[1:] if argv is None else argv
    check_kinds(names or list(FILES))
    return check_splits(HERE, FILES, names, 5, FLOORS)


if __name__ == "__main__":
    sys.exit(main())
