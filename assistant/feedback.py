"""Users' votes on answers, one JSON line per answer, with ID-card and mobile numbers masked."""

from __future__ import annotations

import fcntl
import json
import os
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from .privacy import mask

__all__ = ["mask", "feedback_record", "record_feedback", "withdraw_feedback"]

MAX_TEXT = 2000  # a pasted document in the question, answer or reason must not bloat the log
MAX_CITATIONS = 10  # answers cite at most a handful; the rest would only repeat
MAX_FIELD = 200  # a citation's title or section


def feedback_record(question: str, answer_json: dict, vote: str, reason: str = "",
                    answer_id: str = "") -> dict:
    if vote not in ("up", "down"):
        raise ValueError(f"vote must be 'up' or 'down', got {vote!r}")
    record = {"id": answer_id} if answer_id else {}
    return record | {
        "time": datetime.now().astimezone().isoformat(timespec="seconds"),
        "question": mask(question[:MAX_TEXT]),
        "answer": mask(str(answer_json.get("answer", ""))[:MAX_TEXT]),
        "citations": [{key: mask(str(c.get(key, ""))[:MAX_FIELD])
                       for key in ("doc", "title", "section")}
                      for c in answer_json.get("citations", [])[:MAX_CITATIONS]],
        "vote": vote,
        "reason": mask(reason.strip()[:MAX_TEXT]),
    }


def record_feedback(path: Path, question: str, answer_json: dict, vote: str,
                    reason: str = "", answer_id: str = "") -> dict:
    """Append one line; with `answer_id`, the line replaces that answer's earlier vote, so a
    user clicking 200 times leaves one line, the last vote."""
    record = feedback_record(question, answer_json, vote, reason, answer_id)
    line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
    with _locked(Path(path)) as fd:
        if answer_id and _rewrite_without(path, fd, answer_id, then=line):
            return record
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":  # a previous writer died mid-line
            line = b"\n" + line
        os.write(fd, line)
    return record


def withdraw_feedback(path: Path, answer_id: str) -> bool:
    """Remove the vote on `answer_id` (the user clicked it again to undo); False if none."""
    if not Path(path).exists():
        return False
    with _locked(Path(path)) as fd:
        return _rewrite_without(path, fd, answer_id)


def _rewrite_without(path: Path, fd: int, answer_id: str, then: bytes = b"") -> bool:
    """Rewrite the file without the line of `answer_id` (and with `then` at the end), whole or
    not at all; False, and nothing written, when there is no such line."""
    data = os.pread(fd, os.fstat(fd).st_size, 0)
    start = _line_start(answer_id)
    if start not in data and not data.startswith(start[1:]):
        return False
    kept = [line for line in data.splitlines(keepends=True)
            if not line.startswith(start[1:])]
    if kept and not kept[-1].endswith(b"\n"):
        kept[-1] += b"\n"
    tmp = Path(path).with_name(f"{Path(path).name}.{os.getpid()}.tmp")
    tmp.write_bytes(b"".join(kept) + then)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return True


def _line_start(answer_id: str) -> bytes:
    return b'\n{"id": ' + json.dumps(answer_id).encode("utf-8")


@contextmanager
def _locked(path: Path):
    """The file opened for appending, locked against the other writers (every process of the
    app). A writer that waited while another replaced the file opens the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            if os.fstat(fd).st_ino == os.stat(path).st_ino:
                break
        except FileNotFoundError:
            pass
        os.close(fd)
    try:
        yield fd
    finally:
        os.close(fd)  # releases the lock
