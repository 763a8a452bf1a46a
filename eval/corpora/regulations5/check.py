"""Checks test.jsonl of the regulations5 corpus against the files in corpus/.

    python eval/corpora/regulations5/check.py

Its single split is test.jsonl (ids n001, n002, ...; see SOURCE.md). It prints counts
only, never a question.

Asserts: valid JSON with all fields; unique ids; every quote (8-50 characters) lies inside one
line of its document and every answer key inside a line holding one of the quotes (all
whitespace ignored); out_of_scope entries carry no keys or sources; no id or question twice;
corpus/ holds 4 documents; at least 120 questions, at least 45 % everyday, at least 25 %
out_of_scope, at least 5 of every other kind and at least 12 per document. Prints counts by
kind, style and document.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from regulations.check import Floors, check_splits  # noqa: E402  (the checks this corpus shares)

FILES = {"test.jsonl": "n"}
FLOORS = Floors(least=120, everyday=0.45, outside=0.25, per_kind=5, per_doc=12)


def main(argv: list[str] | None = None) -> int:
    return check_splits(HERE, FILES, sys.argv[1:] if argv is None else argv, 4, FLOORS)


if __name__ == "__main__":
    sys.exit(main())
