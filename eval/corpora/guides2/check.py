"""Checks dev.jsonl of the guides2 corpus against the files in corpus/.

    python eval/corpora/guides2/check.py

Its single split is dev.jsonl (ids h001, h002, ...; see SOURCE.md). It prints counts
only, never a question.

Asserts: valid JSON with all fields; unique ids; every quote (8-50 characters) lies inside one
line of its document and every answer key inside a line holding one of the quotes (all
whitespace ignored); out_of_scope entries carry no keys or sources; no id or question twice;
corpus/ holds 6 documents (a 残疾人两项补贴 办理指南, a county 孤儿 policy page, a 惠民殡葬补贴
guide, a 流浪乞讨人员 倡议, a county 结婚登记 guide and a county notice adjusting 低保 standards);
at least 160 questions, at least 55 % everyday, at least 25 % out_of_scope, at least 15 per
document, and at least 5 of every other kind except penalty (these service guides, the 倡议
and the standards notice state no sanction, so none is asked: penalty is an unasked kind of the
shared floors). URL origins are counted, none required. Prints counts by kind, style and
document.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from regulations.check import Floors, check_splits  # noqa: E402  (the checks this corpus shares)

FILES = {"dev.jsonl": "h"}
FLOORS = Floors(least=160, everyday=0.55, outside=0.25, per_kind=5, per_doc=15, urls=0.0,
                unasked=frozenset({"penalty"}))


def main(argv: list[str] | None = None) -> int:
    return check_splits(HERE, FILES, sys.argv[1:] if argv is None else argv, 6, FLOORS)


if __name__ == "__main__":
    sys.exit(main())
