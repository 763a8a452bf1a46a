"""Compose an answer from what the judge let through: quoted sentences or indicator rows with
numbered citations naming document, article, level and date; a refusal that says what is
missing and lists the passages on the topic apart. Pure: text in, text out."""

from __future__ import annotations

import re
from dataclasses import replace

from .clean import lead_in, same_text
from .firstline import aged_amount, bare, document_number, lead, listed, verdict
from .judge import about
from .lexicon import pattern
from .lookups import slot_first
from .metadata import earliest_of_each
from .places import named_places, of_place
from .question import Part
from .quotes import pick_sentences, said_throughout
from .rows import cell_verdict, described_row, names_indicator, row_cells, row_summary
from .schema import Citation, Hit
from .slots import evidence

NOW = pattern("now")  # 今年/现在 asked

OFFICE = "建议咨询当地民政部门（县/区民政局或乡镇（街道）社会救助窗口），或拨打 12345 政务服务热线。"
_TARGET = pattern("target")


def refusal(question: str, reason: str = "", related: tuple[Hit, ...] = ()) -> str:
    """Says plainly that the documents do not answer, what they lack, and where to ask; the
    passages on the topic are listed apart, under a heading that says they do not answer."""
    why = f"（{reason}）" if reason else ""
    shown = question if len(question) <= QUOTED_QUESTION else question[:QUOTED_QUESTION] + "…"
    text = (f"抱歉，现有政策文件中没有找到能回答“{shown}”的内容{why}，为避免误导，不作推测。"
            f"{OFFICE}")
    if related:
        text += "\n相关内容（不直接回答您的问题）：" + "".join(
            f"\n· {where(h)}（{facts(h)}）" for h in related)
    return text


def on_topic(parts: tuple[Part, ...], hits) -> tuple[Hit, ...]:
    """The passages that name a term of the question (or a policy term it maps to): those a
    refusal may list as related. Retrieval always returns its nearest, which for a question the
    documents do not touch ("离婚冷静期多少天" on a corpus without marriage law) are about something
    else altogether."""
    terms = {a for part in parts for alternatives in part.alternatives for a in alternatives
             if len(a) >= 2}
    return tuple(h for h in hits if any(t in about(h) for t in terms))


def assemble(parts: tuple[Part, ...], results: list, corrected: tuple[tuple[str, str], ...] = ()
             ) -> tuple[str, tuple[Citation, ...]]:
    """One answer from each part's (refusal reason or None, text, citations): a part the
    documents do not answer says so in its line; a passage cited by two parts keeps one number.
    A word read as another (`corrected`: typed, meant) is said so in a note."""
    lines, citations = [], []
    for (reason, text, cited, _), part in zip(results, parts):
        if reason is not None:
            lines.append(f"{PART_LABEL}{part.label or part.asking}”，现有文件中没有找到能直接回答的内容"
                         + (f"（{reason}）。" if reason else "。"))
            continue
        # a quote an earlier part gave already is pointed to, not given again
        # (of the same document: passages overlap by a sentence, so another passage may say it)
        said = {c: old for c in cited for old in citations
                if old.hit.chunk.doc == c.hit.chunk.doc and said_before(old.quote, c.quote)}
        goes_on = {}  # an earlier part quoted its opening: this one goes on from there
        for c in cited:
            earlier = next((old for old in citations if old.hit.chunk.doc == c.hit.chunk.doc
                            and c.quote.startswith(old.quote)), None)
            if earlier and c not in said and c.hit.chunk.kind == "text":
                rest = c.quote[len(earlier.quote):].lstrip()
                if on_part(part, rest):
                    goes_on[c] = rest
                else:  # what follows is not on this part: the opening said it
                    said[c] = earlier
        for c in said:
            text = text.replace(quote_line(c), "")
        for c, rest in goes_on.items():
            text = text.replace(quote_line(c), quote_line(replace(c, quote=GAP + rest)))
        text = re.sub(r"\n{2,}", "\n", text).strip("\n")
        if said and not text:
            text = f"见上文{''.join(dict.fromkeys(f'[{c.n}]' for c in said))}。"
        numbers = {c.n: old.n for c, old in said.items()}
        for c in cited:
            if c in said:
                continue
            same = next((old for old in citations if old.hit.chunk.id == c.hit.chunk.id), None)
            if same is None:
                same = Citation(len(citations) + 1, c.hit, c.quote)
                citations.append(same)
            numbers[c.n] = same.n
        text = re.sub(r"\[(\d+)\]",
                      lambda m, numbers=numbers: f"[{numbers.get(int(m.group(1)), m.group(1))}]", text)
        # several parts: each line says which part it answers
        # (its own "答：" dropped: "关于“…”：答：" read two colons)
        lines.append(f"{PART_LABEL}{(part.label or part.asking).rstrip('？?')}”：{text.removeprefix('答：')}"
                     if len(parts) > 1 else text)
    asks_now = any(NOW.search(part.asking) for part in parts)
    read_as = [f"注：您输入的“{typed}”已按文件用语“{meant}”理解。" for typed, meant in corrected]
    return "\n".join(lines + read_as + _notes(citations, asks_now=asks_now)), tuple(citations)


def on_part(part: Part, text: str) -> bool:
    """Whether the text names a word of the part's own (not the question's before it it keeps)."""
    own = part.label or part.text
    return any(len(t) >= 2 and t in own and t in text for t in part.search_terms)


def said_before(earlier: str, quote: str) -> bool:
    """Whether an earlier part's quote of the same passage says this one already: the same, or
    nearly, and no longer ("特困人员认定办法啥时候改的？放宽了哪些" had quoted one passage twice)."""
    return quote in earlier or same_text(earlier, quote) and len(quote) <= len(earlier)


PART_LABEL = "关于“"  # opens each part of a several-part answer (the web finds its parts so)
RELATED = 2  # passages shown under a refusal, apart: on the topic, not an answer
QUOTED_QUESTION = 60  # characters of the question a refusal repeats


def where(hit: Hit) -> str:
    """Where a passage stands, as a citation names it: its headings, and a table's row by its
    name or a form's field by its label ("《高龄老人津贴申请》表格 › 收费依据及标准"): two rows of
    one table had been named alike."""
    if hit.chunk.kind != "table_row":
        return hit.chunk.heading
    name, cells = row_cells(described_row(hit))
    label = name or (cells[0][0] if cells else "")
    return f"{hit.chunk.heading} › {label}" if label else hit.chunk.heading


def facts(hit: Hit) -> str:
    """"国家级，2021-05-24": the level and date a passage's document carries; a citation always
    says both, so a document with no date found says so (NO_DATE) rather than "（县级，）"."""
    return "，".join(f for f in (f"{hit.level}级" if hit.level else "", hit.date or NO_DATE) if f)


NO_DATE = "日期未注明"


def compose(part: Part, hits: list[Hit], idf) -> tuple[str, tuple[Citation, ...]]:
    """Quote the sentences (or table rows) that answer, each with a numbered citation."""
    rows = target_rows(part, hits)
    if rows:
        return _compose_targets(part, rows, [h for h in hits if h.chunk.kind == "table_row"])
    # the place or the level asked ("县里的呢"): its passages only, where the first ones hold some
    local = ([h for h in hits[:6] if any(p in about(h) + h.region for p in part.places)]
             if part.places else [h for h in hits[:6] if h.level in part.levels])
    picked = pick_sentences(part, local or hits, idf)
    citations: list[Citation] = []
    for hit, quote in picked:
        if hit.chunk.kind == "table_row":  # the row as described, as an indicator answer cites it
            quote = described_row(hit)
        existing = next((c for c in citations if c.hit.chunk.id == hit.chunk.id), None)
        if existing:
            citations[citations.index(existing)] = Citation(
                existing.n, hit, merged_quote(hit.chunk.text, existing.quote, quote))
        else:
            citations.append(Citation(len(citations) + 1, hit, quote))
    citations = slot_first(part, citations)
    # (a table row's quote is the row as the indexer described it: no sentence of it leads)
    first = (aged_amount(part, citations[0].quote) or document_number(part, citations[0].quote)
             if citations else "") or (
        lead(part, citations[0].quote, idf, said_throughout(part, citations[0].hit))
        if citations and citations[0].hit.chunk.kind != "table_row" else "")
    if citations and citations[0].hit.chunk.kind != "table_row":
        first = listed(part, citations[0].quote, first) or first
    if first and bare(citations[0].quote).startswith(bare(first)) or lead_in(first):
        first = ""  # the quote opens with the answer already; or a lead-in, which answers nothing
    said = verdict(part, citations[0].quote, idf) if citations else ""
    first = f"{said}{first}" if said else first
    if first:
        citations = supporting(part, citations, idf)
    lines = [quote_line(c) for c in citations]
    return "\n".join(([f"答：{first}[1]"] if first else []) + lines), tuple(citations)


def supporting(part: Part, citations: list[Citation], idf) -> list[Citation]:
    """Under a first line that answers, the quotes that bear on what was asked: the first (the
    line is read from it) and those holding the slot's kind of answer, of its subject (the
    question's rarest word, where the first quote names it). "结婚登记要花钱吗" → "不收费" had been
    followed by the 跨省通办 press conference and the 颁证仪式 pilot, which say nothing of a fee;
    "特困人员的基本生活标准不能低于低保的几倍" → 1.3倍 by "低保标准1-2倍之间的低保边缘家庭"."""
    if not part.slots:
        return citations
    terms = [(t, a) for t, a in zip(part.terms, part.alternatives) if len(t) >= 2]
    subject = max(terms, key=lambda pair: idf(pair[0]), default=("", ("",)))[1]
    if not any(a in citations[0].quote for a in subject):
        subject = ("",)  # the first quote does not name it either: no subject to hold to
    kept = citations[:1] + [c for c in citations[1:] if any(a in c.quote for a in subject)
                            and any(evidence(slot).search(c.quote) for slot in part.slots)]
    return [replace(c, n=n) for n, c in enumerate(kept, start=1)]  # numbered without gaps


# Between two stretches of one passage quoted together, where the passage goes on between them:
# what was left out is shown to be, and the quote never reads as one sentence it is not.
GAP = "……"


def merged_quote(passage: str, *quotes: str) -> str:
    """Quotes of one passage (a quote may be one merged before) as one, in the passage's order:
    stretches that overlap or touch become the stretch they cover, so no sentence is quoted
    twice, and a stretch left out between two is marked by GAP (three quotes of one article
    had come out in the order picked, one part missing unmarked)."""
    pieces = list(dict.fromkeys(p for q in quotes for p in q.split(GAP) if p.strip()))
    spans = sorted((passage.find(p), passage.find(p) + len(p)) for p in pieces)
    if not spans or spans[0][0] < 0:  # a quote not found verbatim: keep them as they came
        return GAP.join(pieces)
    merged = [list(spans[0])]
    for start, end in spans[1:]:
        if start <= merged[-1][1] + 1:  # overlapping or adjacent
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    joiner = f"\n{GAP}\n" if "\n" in passage else GAP
    return joiner.join(passage[start:end].strip("\n") for start, end in merged)


def target_rows(part: Part, hits: list[Hit]) -> list[Hit]:
    """Indicator-table rows the question asks for: the top hit must be a row naming it.

    One row, at the level the question asks about; both levels when it compares them."""
    if not _TARGET.search(part.text) or not hits or hits[0].chunk.kind != "table_row":
        return []
    rows = [h for h in hits[:6] if h.chunk.kind == "table_row" and "指标" in h.chunk.section_path
            and names_indicator(part.text, h.chunk.text)]
    if not rows:
        return []
    rows = originals(rows)
    by_level: dict[str, Hit] = {}
    for hit in rows:
        by_level.setdefault(hit.level, hit)
    first = by_level.get(hits[0].level, rows[0])
    compares = "国家" in part.levels and (part.places or len(part.levels) > 1)
    return [first] + [h for lvl, h in by_level.items() if compares and lvl != first.level]


def originals(rows: list[Hit]) -> list[Hit]:
    """The rows in their order, a row that repeats an earlier-dated document's row word for word
    (a bulletin reprinting a plan's indicator table) replaced by that document's: the source
    is cited, not the copy."""
    def body(hit: Hit) -> str:
        return hit.chunk.text.split("）：", 1)[-1]

    first = earliest_of_each(rows, body, lambda hit: hit.date)
    return list(dict.fromkeys(first[body(h)] for h in rows))


def _compose_targets(part: Part, rows: list[Hit], tabled: list[Hit]) -> tuple[str, tuple[Citation, ...]]:
    citations = tuple(Citation(n, hit, described_row(hit)) for n, hit in enumerate(rows, start=1))
    said = cell_verdict(part, described_row(rows[0]), [described_row(h) for h in tabled])
    return "\n".join(([f"答：{said}[1]"] if said else []) + [quote_line(c) for c in citations]), citations


def quote_line(citation: Citation) -> str:
    """"根据《…》第X条（国家级，2019-03-02）：“…”[1]": a quote with its source and number. A
    table row is summed up as the indicator answers give it, not put in quotation marks: its
    passage is the row described by the indexer, not words of the document."""
    hit = citation.hit
    if hit.chunk.kind == "table_row":  # its quote is described_row(hit)
        table = "指标表" if "指标" in hit.chunk.section_path else "表格"
        return f"{row_summary(citation.quote, hit.region)} [{citation.n}]（{_source(hit)}{table}）"
    return f"根据{_source(hit)}：“{citation.quote}”[{citation.n}]"


def _source(hit: Hit) -> str:
    """"《社会救助暂行办法》第十一条（国家级，2019-03-02）": document, article, level, version;
    and the item of a digest that is about another place than its document's."""
    return f"《{hit.title}》{hit.chunk.article}{local_item(hit)}（{facts(hit)}）"


def local_item(hit: Hit) -> str:
    """"“江苏某市因病支出型贫困家庭低保救助最高可享30个月”": the heading of a passage about a
    place its document is not of (a national bulletin's news item of one city), so that a local
    pilot does not read as a national rule (red team S25: "…最快1周可享受救助" had answered how
    long 低保 approval takes, with no word that it was one city's)."""
    heading = hit.chunk.section[-1] if len(hit.chunk.section) > 1 and not hit.chunk.article else ""
    return f"“{heading}”" if heading and any(
        not of_place(p, hit.region, hit.title) for p in named_places(heading)) else ""


def _notes(citations, this_year: int | None = None, asks_now: bool = False) -> list[str]:
    """A plan's target for a year already past is a target, not what was reached; a figure
    asked "now" is the document's, as of its date."""
    import datetime

    this_year = this_year or datetime.date.today().year
    notes = []
    # a target: a sentence or column saying so, or a row of a plan's table (its projects' years);
    # not a table of the standards in force from a year (《某县2024年社会救助标准》)
    targets = [int(y) for c in citations
               if "目标" in c.quote or c.hit.chunk.kind == "table_row" and c.hit.doc_kind == "规划"
               for y in re.findall(r"(20\d{2})年", c.quote)]
    past = [y for y in targets if y < this_year]
    if past:
        notes.append(f"注：以上是规划中到{max(past)}年的目标，该时期已经结束；实际完成情况和现行标准"
                     "请向当地民政部门核实。")
    dates = sorted({c.hit.date for c in citations if c.hit.date})
    if asks_now and dates:
        notes.append(f"注：您问的是现在的情况；以上是文件（{'、'.join(dates)}）中的内容，现行标准可能已经调整，"
                     "请向当地民政部门核实。")
    notes.append("以上内容摘自原文件，具体办理以当地民政部门的解释为准。")
    return notes
