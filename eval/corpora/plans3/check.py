"""Checks dev.jsonl of the plans3 corpus against the files in corpus/.

    python eval/corpora/plans3/check.py

Its single split is dev.jsonl (ids s001, s002, ...; see SOURCE.md). It prints counts
only, never a question.

Asserts: valid JSON with all fields; unique ids; every quote (8-50 characters) lies inside one
line of its document and every answer key inside a line holding one of the quotes (all
whitespace ignored); out_of_scope entries carry no keys or sources; no id or question twice;
corpus/ holds 5 documents; at least 160 questions, at least 55 % everyday, at least 25 %
out_of_scope, at least 15 per document, and at least 5 of every other kind, penalty included
(these Guangzhou rules and notices state a few sanctions: withdrawal of a subsidy, recovery
of funds, loss of a star rating, disciplinary action). URL origins are counted, none
required. Prints counts by kind, style and document.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from regulations.check import Floors, check_splits  # noqa: E402  (the checks this corpus shares)

FILES = {"dev.jsonl": "s"}
FLOORS = Floors(least=160, everyday=0.55, outside=0.25, per_kind=5, per_doc=15, urls=0.0)


def main(argv: list[str] | None = None) -> int:
    names = sys.argv[1:] if argv is None else argv
    return check_splits(HERE, FILES, names, 5, FLOORS)


if __name__ == "__main__":
    sys.exit(main())
