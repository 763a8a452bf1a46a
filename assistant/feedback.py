"""Users' votes on answers, one JSON line per answer, with ID-card and mobile numbers masked."""

from __future__ import annotations

import fcntl
import json
import os
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from .privacy import mask
from .question import printable

__all__ = [
    "eval_questions",
    "feedback_record",
    "final_votes",
    "mask",
    "one_line",
    "record_feedback",
    "summarize",
    "withdraw_feedback",
]

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
        "reason": mask(printable(reason).strip()[:MAX_TEXT]),
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


# ---------- reading the log: `assistant feedback` ----------

def final_votes(lines: list[str]) -> list[dict]:
    """The final vote of each answer, in the order answers were first voted on. The log holds
    one line per answer id (a change replaces it, a cancel removes it); a log written before
    that, or by two app versions at once, may repeat an id, and then its last line counts.
    Lines that are not JSON (a writer killed mid-line) are skipped; a line without an id is
    an answer of its own."""
    votes: dict[str, dict] = {}
    for number, line in enumerate(lines):
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and record.get("vote") in ("up", "down"):
            key = str(record.get("id") or f"line-{number}")
            votes.pop(key, None)
            votes[key] = record
    return list(votes.values())


def one_line(text) -> str:
    """What a web visitor typed, for a maintainer's terminal: printable (no escape sequence a
    terminal would obey, also from a log written before reasons were cleaned), on one line."""
    return " ".join(printable(str(text)).split())


def summarize(votes: list[dict], top: int = 10) -> str:
    """Counts, then the questions voted 👎 most often, each with its reasons: what a
    maintainer turns into evaluation questions."""
    up = sum(v["vote"] == "up" for v in votes)
    down = len(votes) - up
    lines = [f"共 {len(votes)} 个回答有评价：👍 {up}，👎 {down}"
             + (f"（差评率 {down / len(votes):.0%}）" if votes else "")]
    grouped: dict[str, list[dict]] = {}
    for vote in votes:
        if vote["vote"] == "down":
            grouped.setdefault(one_line(vote.get("question", "")), []).append(vote)
    if grouped:
        lines.append(f"\n👎 最多的问题（前 {min(top, len(grouped))} 个）：")
    ranked = sorted(grouped.items(), key=lambda g: -len(g[1]))[:top]
    for rank, (question, downs) in enumerate(ranked, start=1):
        lines.append(f"{rank}. {question}  （👎 {len(downs)}）")
        for reason in dict.fromkeys(one_line(d["reason"]) for d in downs if d.get("reason")):
            lines.append(f"   原因：{reason}")
    return "\n".join(lines)


def eval_questions(votes: list[dict]) -> list[dict]:
    """Each 👎 question once, shaped like eval/corpora questions, for a maintainer to complete
    (answer_keys and sources are left empty: the answer was wrong, the right one is unknown)."""
    seen: dict[str, dict] = {}
    for vote in votes:
        question = " ".join(str(vote.get("question", "")).split())
        if vote["vote"] == "down" and question and question not in seen:
            seen[question] = {"id": f"feedback-{vote.get('id', len(seen))}", "question": question,
                              "kind": "", "style": "", "answer_keys": [], "sources": [],
                              "origin": f"feedback {vote.get('time', '')}: {vote.get('reason', '')}"
                              .strip()}
    return list(seen.values())
