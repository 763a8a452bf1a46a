"""A question's walk: understand it, retrieve for each part, quote, let the judge decide, and
compose the answer or the refusal. Never raises on bad input."""

from __future__ import annotations

import time
from dataclasses import replace

from .compose import RELATED, assemble, compose, on_topic, refusal
from .judge import decide, signals
from .question import Part, too_long, understand
from .retrieve import search
from .schema import Answer, Hit


def ask(index, question: str, *, history: list[str] | None = None, k: int = 10,
        chat_model=None) -> Answer:
    """The answer to `question` over an opened index; never raises on bad input.

    A question that asks two things ("县里多少？国家呢？") is answered part by part."""
    started = time.perf_counter()
    understood = understand(question, history or (), index.vocabulary)
    if understood.problem == "empty":
        return _done(Answer(question, "请输入您想咨询的民政政策问题，例如：“特困人员怎么认定？”",
                            abstained=True), started)
    if understood.problem == "not_chinese":
        return _done(Answer(question, "目前只能回答中文的民政政策问题，请用中文提问。"
                            "Please ask in Chinese about civil-affairs policy.", abstained=True),
                     started)
    asked, parts = understood.text, understood.parts
    results = [_answer_part(index, part, k, chat_model) for part in parts]
    retrieved = _interleave([hits for _, _, _, hits in results], max(k, 10))
    answered = [r for r in results if r[0] is None]
    if not answered:
        related = on_topic(parts, retrieved)[:RELATED]
        return _done(Answer(question, refusal(asked, results[0][0], related), abstained=True,
                            retrieved=retrieved, related=related), started)
    text, citations = assemble(parts, results, understood.corrected)
    return _done(Answer(question, text, abstained=False, citations=citations,
                        retrieved=retrieved), started)


def assess(index, part: Part, k: int = 10):
    """(hits, composed text, citations, the judge's signals) for one part of a question."""
    hits = search(index, part, k=max(k, 10))
    text, citations = compose(part, hits, index.keyword.idf)
    return hits, text, citations, signals(part, hits, citations, index)


def _answer_part(index, part: Part, k: int, chat_model=None):
    """(refusal reason or None, answer text, citations, hits) for one question.

    With a chat model, its answer replaces the extractive one when it is grounded."""
    hits, text, citations, values = assess(index, part, k)
    verdict = decide(values, index.date_span)
    if not verdict.answer:
        return verdict.reason, "", (), hits
    if chat_model is not None:
        from .llm import llm_answer

        first = [c.hit for c in citations]  # what the extractive composer found most relevant
        quoted = {h.chunk.id for h in first}
        written = llm_answer(chat_model, part.text,
                             first + [h for h in hits if h.chunk.id not in quoted])
        if written is not None:
            return (None, *written, hits)
    return None, text, citations, hits


def _interleave(rankings: list[list[Hit]], k: int) -> tuple[Hit, ...]:
    seen, merged = set(), []
    for rank in range(max((len(r) for r in rankings), default=0)):
        for ranking in rankings:
            if rank < len(ranking) and ranking[rank].chunk.id not in seen:
                seen.add(ranking[rank].chunk.id)
                merged.append(ranking[rank])
    return tuple(merged[:k])


def _done(answer: Answer, started: float) -> Answer:
    return replace(answer, latency_ms=round((time.perf_counter() - started) * 1000, 1),
                   truncated=too_long(answer.question))


