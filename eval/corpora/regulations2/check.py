"""Checks dev.jsonl of the regulations2 corpus against the files in corpus/.

    python eval/corpora/regulations2/check.py

Its single split is dev.jsonl (ids h001, h002, ...; see SOURCE.md).

Asserts: valid JSON with all fields; unique ids; every quote (8-50 characters) lies inside one
line of its document and every answer key inside a line holding one of the quotes (all
whitespace ignored); out_of_scope entries carry no keys or sources; no id or question twice;
corpus/ holds 5 documents; at least 90 questions, at least half everyday, at least a quarter
out_of_scope, at least 5 of every other kind, at least 12 per document and at least 30 % with a
URL origin. Prints counts by kind, style and document.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from regulations.check import Floors, check_splits  # noqa: E402  (the checks this corpus shares)

FILES = {"dev.jsonl": "h"}
FLOORS = Floors(least=90, everyday=0.50, outside=0.25, per_kind=5, per_doc=12, urls=0.30)


def main(argv: list[str] | None = None) -> int:
    return check_splits(HERE, FILES, sys.argv[1:] if argv is None else argv, 5, FLOORS)


if __name__ == "__main__":
    sys.exit(main())
