"""Compose a cited answer from retrieved passages, or refuse when they do not hold one."""

from __future__ import annotations

import re
import time
import unicodedata
from .judge import _QUANTITY, about, content_terms, decide, missing_quantity, signals
from .places import asked_levels, named_places
from .retrieve import expand
from .schema import Answer, Citation, Hit

MAX_QUESTION = 300
OFFICE = "建议咨询当地民政部门（县/区民政局或乡镇（街道）社会救助窗口），或拨打 12345 政务服务热线。"
_CJK = re.compile(r"[\u3400-\u9fff]")
_TARGET = re.compile(r"目标|指标|占比|覆盖率|比例|增速|实际值|属性|约束性|预期性|总量|数量|面积|多少")
_ASKS = re.compile(r"多少|什么|哪|几|吗|呢|怎么|如何|是否|能不能|有没有|多久|多大")
_ASKS_NUMBER = re.compile(r"多少|几[个人户家张所年月天岁]|比例|百分|占比|多大")
_ASKS_DATE = re.compile(r"哪天|哪一天|什么时候|何时|哪年|哪一年|几月|几号")
_ASKS_DURATION = re.compile(r"多久|多长时间|几个月|几年|多少天|多少年|多少个月")
_DURATION = re.compile(r"\d+\s*(?:个月|年|天|周|日)")
_DATE = re.compile(r"\d{1,4}\s*[年月]\s*\d{0,2}\s*日?")
_BARE_NUMBER = re.compile(r"[≥≤><]?\s*[\d.]+")
_FOLLOWUP = re.compile(r"^(?:那|那么|还有|另外|再问|再说)|[呢吗]？?$")


def sanitize(question: str) -> str:
    """Printable text only: control characters, lone surrogates and runs of spaces removed."""
    question = question.encode("utf-8", "replace").decode("utf-8")
    question = "".join(c for c in question if unicodedata.category(c)[0] != "C" or c in "\t\n")
    return re.sub(r"\s+", " ", question).strip()[:MAX_QUESTION]


def resolve_followup(question: str, history: list[str]) -> str:
    """"那农村的呢？" after a question about cities is asked as that question plus this one."""
    if not history or len(question) > 16 or not _FOLLOWUP.search(question):
        return question
    return f"{history[-1].rstrip('？?。! ')}，{question}"


def refusal(question: str, reason: str = "") -> str:
    why = f"（{reason}）" if reason else ""
    return (f"抱歉，现有政策文件中没有找到能回答“{question[:60]}”的内容{why}，为避免误导，不作推测。"
            f"{OFFICE}")


def ask(index, question: str, *, history: list[str] | None = None, k: int = 10,
        chat_model=None) -> Answer:
    """The answer to `question` over an opened index; never raises on bad input.

    A question that asks two things ("县里多少？国家呢？") is answered part by part."""
    started = time.perf_counter()
    asked = sanitize(question)
    if not asked:
        return _done(Answer(question, "请输入您想咨询的民政政策问题，例如：“特困人员怎么认定？”",
                            abstained=True), started)
    if not _CJK.search(asked):
        return _done(Answer(question, "目前只能回答中文的民政政策问题，请用中文提问。"
                            "Please ask in Chinese about civil-affairs policy.", abstained=True),
                     started)
    parts = question_parts(asked, [sanitize(str(h)) for h in history or []])
    results = [_answer_part(index, part, k, chat_model) for part in parts]
    retrieved = _interleave([hits for _, _, _, hits in results], max(k, 10))
    answered = [r for r in results if r[0] is None]
    if not answered:
        return _done(Answer(question, refusal(asked, results[0][0]), abstained=True,
                            retrieved=retrieved), started)
    lines, citations = [], []
    for (reason, text, cited, _), part in zip(results, parts):
        if reason is not None:
            lines.append(f"关于“{part}”，现有文件中没有找到相关内容。")
            continue
        offset = len(citations)
        lines.append(re.sub(r"\[(\d+)\]", lambda m: f"[{int(m.group(1)) + offset}]", text))
        citations += [Citation(c.n + offset, c.hit, c.quote) for c in cited]
    text = "\n".join(lines + _notes(citations))
    return _done(Answer(question, text, abstained=False, citations=tuple(citations),
                        retrieved=retrieved), started)


def question_parts(asked: str, history: list[str]) -> list[str]:
    """What is asked, part by part: a follow-up resolved against the history, or the separate
    questions of one message."""
    resolved = resolve_followup(asked, history)
    return [resolved] if resolved != asked else split_questions(asked)


def split_questions(question: str) -> list[str]:
    """The separate questions in one message; a short follow-up part keeps the one before it.

    "…有多少张，其中护理型床位占比是多少" is two questions too: clauses that each ask."""
    parts = []
    for sentence in re.split(r"[？?；;]+", question):
        clauses = [c for c in re.split(r"[，,]", sentence) if c.strip()]
        if len(clauses) > 1 and sum(1 for c in clauses if _ASKS.search(c)) == len(clauses):
            parts += clauses
        else:
            parts.append(sentence)
    parts = [p.strip() for p in parts if len(_CJK.findall(p)) >= 4]
    if len(parts) < 2:
        return [question]
    return [resolve_followup(p, parts[:n]) for n, p in enumerate(parts)]


def assess(index, question: str, k: int = 10):
    """(hits, composed text, citations, the judge's signals) for one question."""
    from .retrieve import search

    hits = search(index, question, k=max(k, 10))
    text, citations = compose(question, hits, index.keyword.idf, index.places)
    return hits, text, citations, signals(question, hits, citations, index)


def _answer_part(index, question: str, k: int, chat_model=None):
    """(refusal reason or None, answer text, citations, hits) for one question.

    With a chat model, its answer replaces the extractive one when it is grounded."""
    hits, text, citations, values = assess(index, question, k)
    verdict = decide(values, index.date_span)
    if not verdict.answer:
        return verdict.reason, "", (), hits
    if chat_model is not None:
        from .llm import llm_answer

        first = [c.hit for c in citations]  # what the extractive composer found most relevant
        quoted = {h.chunk.id for h in first}
        written = llm_answer(chat_model, question, first + [h for h in hits if h.chunk.id not in quoted])
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
    from dataclasses import replace

    return replace(answer, latency_ms=round((time.perf_counter() - started) * 1000, 1))


def compose(question: str, hits: list[Hit], idf, known: frozenset[str] = frozenset()
            ) -> tuple[str, tuple[Citation, ...]]:
    """Quote the sentences (or table rows) that answer, each with a numbered citation."""
    rows = target_rows(question, hits, known)
    if rows:
        return _compose_targets(rows)
    named = named_places(question, known)
    local = [h for h in hits[:6] if any(p in about(h) + h.region for p in named)]
    picked = pick_sentences(question, local or hits, idf)
    citations: list[Citation] = []
    for hit, quote in picked:
        existing = next((c for c in citations if c.hit.chunk.id == hit.chunk.id), None)
        if existing:
            ordered = sorted((existing.quote, quote), key=hit.chunk.text.find)  # document order
            joiner = "\n" if "\n" in hit.chunk.text else ""
            citations[citations.index(existing)] = Citation(existing.n, hit, joiner.join(ordered))
        else:
            citations.append(Citation(len(citations) + 1, hit, quote))
    lines = [f"根据{_source(c.hit)}：“{c.quote}”[{c.n}]" for c in citations]
    return "\n".join(lines), tuple(citations)


def target_rows(question: str, hits: list[Hit], known: frozenset[str] = frozenset()) -> list[Hit]:
    """Indicator-table rows the question asks for: the top hit must be a row naming it.

    One row, at the level the question asks about; both levels when it compares them."""
    from .retrieve import names_indicator

    if not _TARGET.search(question) or not hits or hits[0].chunk.kind != "table_row":
        return []
    rows = [h for h in hits[:6] if h.chunk.kind == "table_row" and "指标" in h.chunk.section_path
            and names_indicator(question, h.chunk.text)]
    if not rows:
        return []
    by_level: dict[str, Hit] = {}
    for hit in rows:
        by_level.setdefault(hit.level, hit)
    first = by_level.get(hits[0].level, rows[0])
    levels = asked_levels(question)
    compares = "国家" in levels and (named_places(question, known) or len(levels) > 1)
    return [first] + [h for lvl, h in by_level.items() if compares and lvl != first.level]


def _compose_targets(rows: list[Hit]) -> tuple[str, tuple[Citation, ...]]:
    citations = tuple(Citation(n, hit, hit.chunk.text.split("\n")[0])
                      for n, hit in enumerate(rows, start=1))
    lines = [f"{row_summary(c.quote)} [{c.n}]（{_source(c.hit)}指标表）" for c in citations]
    return "\n".join(lines), citations


def row_summary(row_sentence: str) -> str:
    """"养老机构护理型床位占比：2025年目标值 ≥55%，属性 约束性" from a described table row."""
    body = row_sentence.split("）：", 1)[-1].rstrip("。")
    name, _, fields = body.partition("——")
    cells = [f.split("：", 1) for f in fields.split("；") if "：" in f]
    unit = next((v for h, v in cells if h == "单位"), "")
    shown = [f"{h} {v}{unit if _BARE_NUMBER.fullmatch(v) else ''}" for h, v in cells if h != "单位"]
    return f"{name}：{'，'.join(shown)}"


def pick_sentences(question: str, hits: list[Hit], idf, *, passages: int = 4, most: int = 3
                   ) -> list[tuple[Hit, str]]:
    """The best-matching sentences of the top passages, best first, at most `most`."""
    from .clean import enumeration_blocks, split_sentences

    query = expand(question)
    weights = {t: idf(t) for t in content_terms(query.text)}
    scored = []
    for rank, hit in enumerate(hits[:passages]):
        sentences = [hit.chunk.text] if hit.chunk.kind == "table_row" else split_sentences(hit.chunk.text)
        for position, sentence in enumerate(sentences):
            overlap = sum(w for t, w in weights.items() if t in sentence)
            overlap *= answer_type_bonus(question, sentence)
            scored.append((overlap / (1 + 0.35 * rank), rank, position, hit, sentence, sentences))
    if not scored:
        return []
    scored.sort(key=lambda s: (-s[0], s[1], s[2]))
    best = scored[0][0]
    picked = []
    for score, _, position, hit, sentence, sentences in scored:
        if len(picked) >= most or score < 0.45 * best:
            break
        if hit.chunk.article:  # an article: quote its 款 whole, an enumeration with its lead-in
            sentence = next((b for b in enumeration_blocks(hit.chunk.text) if sentence in b),
                            sentence)
        elif len(sentence) < 30 and position + 1 < len(sentences):  # a lead-in needs what follows
            sentence += sentences[position + 1]
        if all(sentence not in quote and quote not in sentence for _, quote in picked):
            picked.append((hit, sentence))
    return picked


def answer_type_bonus(question: str, sentence: str) -> float:
    """A sentence of the kind asked for (a number, a date) beats one that only shares words."""
    if _QUANTITY.search(question) and not missing_quantity(question, [sentence]):
        return 1.6
    if _ASKS_DURATION.search(question):
        return 1.6 if _DURATION.search(sentence) else 1.0
    if _ASKS_DATE.search(question):
        return 1.4 if _DATE.search(sentence) else 1.0
    if _ASKS_NUMBER.search(question):
        return 1.3 if re.search(r"\d", sentence) else 1.0
    return 1.0


def _source(hit: Hit) -> str:
    """"《社会救助暂行办法》第十一条（国家级，2019-03-02）": document, article, level, version."""
    level = f"{hit.level}级" if hit.level else ""
    bits = "，".join(b for b in (level, hit.date) if b)
    return f"《{hit.title}》{hit.chunk.article}" + (f"（{bits}）" if bits else "")


def _notes(citations) -> list[str]:
    notes = []
    if any("2025" in c.quote for c in citations):
        notes.append("注：“十四五”时期（2021—2025年）已经结束，以上是规划中的目标，"
                     "实际完成情况和现行标准请向当地民政部门核实。")
    notes.append("以上内容摘自原文件，具体办理以当地民政部门的解释为准。")
    return notes
