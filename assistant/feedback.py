"""Users' votes on answers, one JSON line each, with ID-card and mobile numbers masked."""

from __future__ import annotations

import json
import os
import re
from datetime import datetime
from pathlib import Path

MAX_TEXT = 2000  # a pasted document in the question or reason must not bloat the log
# \d also matches full-width digits, so "１３８…" is masked like "138…".
# People type ID numbers in groups too ("110105 19900101 123X", full-width spaces and dashes).
_SEP = r"[\s\-－—]{0,2}"
_ID_CARD = re.compile(rf"(?<!\d)(\d{{3}})(?:{_SEP}\d){{13}}{_SEP}(\d{_SEP}[\dXxＸｘ])(?![\dXxＸｘ])")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[-\s]?)?([1１][3-9３-９]\d)[-\s]?\d{4}[-\s]?(\d{4})(?!\d)")


def mask(text: str) -> str:
    """110105199001011234 -> 110*************34, 13812345678 -> 138****5678."""
    text = _ID_CARD.sub(lambda m: m[1] + "*" * 13 + m[2], text)
    return _MOBILE.sub(lambda m: m[1] + "****" + m[2], text)


def feedback_record(question: str, answer_json: dict, vote: str, reason: str = "") -> dict:
    if vote not in ("up", "down"):
        raise ValueError(f"vote must be 'up' or 'down', got {vote!r}")
    return {
        "time": datetime.now().astimezone().isoformat(timespec="seconds"),
        "question": mask(question[:MAX_TEXT]),
        "answer": mask(answer_json.get("answer", "")),
        "citations": [{"doc": c.get("doc", ""), "title": c.get("title", ""),
                       "section": c.get("section", "")} for c in answer_json.get("citations", [])],
        "vote": vote,
        "reason": mask(reason.strip()[:MAX_TEXT]),
    }


def record_feedback(path: Path, question: str, answer_json: dict, vote: str,
                    reason: str = "") -> dict:
    """Append one line with a single O_APPEND write, so concurrent writers never interleave."""
    record = feedback_record(question, answer_json, vote, reason)
    line = json.dumps(record, ensure_ascii=False) + "\n"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":  # a previous writer died mid-line
            line = "\n" + line
        os.write(fd, line.encode("utf-8"))
    finally:
        os.close(fd)
    return record
