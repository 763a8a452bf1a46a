"""Checks dev.jsonl of the guides corpus against the files in corpus/.

    python eval/corpora/guides/check.py

Its single split is dev.jsonl (ids g001, g002, ...; see SOURCE.md). It prints counts
only, never a question.

Asserts: valid JSON with all fields; unique ids; every quote (8-50 characters) lies inside one
line of its document and every answer key inside a line holding one of the quotes (all
whitespace ignored); out_of_scope entries carry no keys or sources; no id or question twice;
corpus/ holds 7 documents; at least 160 questions, at least 55 % everyday, at least 25 %
out_of_scope, at least 15 per document, and at least 5 of every other kind except penalty
(these service guides, Q&A answers and a standards notice state no sanction, so none is
asked: penalty is an unasked kind of the shared floors). URL origins are counted, none
required. Prints counts by kind, style and document.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from regulations.check import Floors, check_splits  # noqa: E402  (the checks this corpus shares)

FILES = {"dev.jsonl": "g"}
FLOORS = Floors(least=160, everyday=0.55, outside=0.25, per_kind=5, per_doc=15, urls=0.0,
                unasked=frozenset({"penalty"}))


def main(argv: list[str] | None = None) -> int:
    return check_splits(HERE, FILES, sys.argv[1:] if argv is None else argv, 7, FLOORS)


if __name__ == "__main__":
    sys.exit(main())
