"""Answers as the stable JSON contract (`assistant ask --json`, the eval script) and as text."""

from __future__ import annotations

from .compose import facts, where
from .question import MAX_QUESTION
from .schema import Answer, Hit

TRUNCATED = "（问题较长，只按最后 {} 字作答）"


def to_json(answer: Answer) -> dict:
    return {
        "question": answer.question,
        "answer": answer.text,
        "abstained": answer.abstained,
        "citations": [
            {"n": c.n, **_passage(c.hit), "quote": c.quote} for c in answer.citations
        ],
        "retrieved": [_passage(h) for h in answer.retrieved],
        "related": [_passage(h) for h in answer.related],
        "latency_ms": answer.latency_ms,
        "truncated": answer.truncated,
    }


def _passage(hit: Hit) -> dict:
    return {"doc": hit.chunk.doc, "title": hit.title, "section": where(hit),
            "level": hit.level, "date": hit.date, "text": hit.chunk.text,
            "score": round(hit.score, 6)}


def to_text(answer: Answer) -> str:
    """Readable in a terminal: the answer, then each cited source with its passage."""
    lines = [TRUNCATED.format(MAX_QUESTION)] if answer.truncated else []
    lines.append(answer.text)
    if answer.citations:
        lines.append("\n来源：")
        for c in answer.citations:
            lines.append(f"[{c.n}] {where(c.hit)}（{facts(c.hit)}）")
            lines.append(f"    {c.hit.chunk.text}".replace("\n", "\n    "))
    return "\n".join(lines)
