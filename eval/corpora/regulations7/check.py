"""Checks test.jsonl of the regulations7 corpus against the files in corpus/.

    python eval/corpora/regulations7/check.py

Its single split is test.jsonl (ids r001, r002, ...; see SOURCE.md). It prints counts
only, never a question.

Asserts: valid JSON with all fields; unique ids; every quote (8-50 characters) lies inside one
line of its document and every answer key inside a line holding one of the quotes (all
whitespace ignored); out_of_scope entries carry no keys or sources; no id or question twice;
corpus/ holds 5 documents; at least 150 questions, at least 50 % everyday, at least 25 %
out_of_scope, at least 5 of every other kind and at least 15 per document (URL origins are
counted, none required). Prints counts by kind, style and document.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from regulations.check import Floors, check_splits  # noqa: E402  (the checks this corpus shares)

FILES = {"test.jsonl": "r"}
FLOORS = Floors(least=150, everyday=0.50, outside=0.25, per_kind=5, per_doc=15, urls=0.0)


def main(argv: list[str] | None = None) -> int:
    return check_splits(HERE, FILES, sys.argv[1:] if argv is None else argv, 5, FLOORS)


if __name__ == "__main__":
    sys.exit(main())
