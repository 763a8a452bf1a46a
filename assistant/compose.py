"""Compose an answer from what the judge let through: quoted sentences or indicator rows with
numbered citations naming document, article, level and date; a refusal that says what is
missing and lists the passages on the topic apart. Pure: text in, text out."""

from __future__ import annotations

import re

from .judge import _NOW, about, free
from .lexicon import pattern
from .metadata import earliest_of_each
from .question import NUMBER_SLOTS, Part, clause_terms, coverage
from .quotes import pick_sentences
from .schema import Citation, Hit

OFFICE = "建议咨询当地民政部门（县/区民政局或乡镇（街道）社会救助窗口），或拨打 12345 政务服务热线。"
_TARGET = pattern("target")
_BARE_NUMBER = re.compile(r"[≥≤><]?\s*[\d.]+")


def refusal(question: str, reason: str = "", related: tuple[Hit, ...] = ()) -> str:
    """Says plainly that the documents do not answer, what they lack, and where to ask; the
    passages on the topic are listed apart, under a heading that says they do not answer."""
    why = f"（{reason}）" if reason else ""
    shown = question if len(question) <= QUOTED_QUESTION else question[:QUOTED_QUESTION] + "…"
    text = (f"抱歉，现有政策文件中没有找到能回答“{shown}”的内容{why}，为避免误导，不作推测。"
            f"{OFFICE}")
    if related:
        text += "\n相关内容（不直接回答您的问题）：" + "".join(
            f"\n· {h.chunk.heading}（{facts(h)}）" for h in related)
    return text


def on_topic(parts: tuple[Part, ...], hits) -> tuple[Hit, ...]:
    """The passages that name a term of the question (or a policy term it maps to): those a
    refusal may list as related. Retrieval always returns its nearest, which for a question the
    documents do not touch ("离婚冷静期多少天" on a corpus without marriage law) are about something
    else altogether."""
    terms = {a for part in parts for alternatives in part.alternatives for a in alternatives
             if len(a) >= 2}
    return tuple(h for h in hits if any(t in about(h) for t in terms))


def assemble(parts: tuple[Part, ...], results: list) -> tuple[str, tuple[Citation, ...]]:
    """One answer from each part's (refusal reason or None, text, citations): a part the
    documents do not answer says so in its line; a passage cited by two parts keeps one number."""
    lines, citations = [], []
    for (reason, text, cited, _), part in zip(results, parts):
        if reason is not None:
            lines.append(f"{PART_LABEL}{part.asking}”，现有文件中没有找到能直接回答的内容"
                         + (f"（{reason}）。" if reason else "。"))
            continue
        # a quote an earlier part gave already is pointed to, not given again
        repeated = [c for c in cited if any(old.hit.chunk.id == c.hit.chunk.id and old.quote == c.quote
                                            for old in citations)]
        for c in repeated:
            text = text.replace(quote_line(c), "")
        text = re.sub(r"\n{2,}", "\n", text).strip("\n")
        if repeated and not text:
            text = f"见上文{''.join(f'[{c.n}]' for c in repeated)}。"
        numbers = {}
        for c in cited:
            same = next((old for old in citations if old.hit.chunk.id == c.hit.chunk.id), None)
            if same is None:
                same = Citation(len(citations) + 1, c.hit, c.quote)
                citations.append(same)
            numbers[c.n] = same.n
        text = re.sub(r"\[(\d+)\]",
                      lambda m, numbers=numbers: f"[{numbers.get(int(m.group(1)), m.group(1))}]", text)
        # several parts: each line says which part it answers
        # (its own "答：" dropped: "关于“…”：答：" read two colons)
        lines.append(f"{PART_LABEL}{part.asking.rstrip('？?')}”：{text.removeprefix('答：')}"
                     if len(parts) > 1 else text)
    asks_now = any(_NOW.search(part.asking) for part in parts)
    return "\n".join(lines + _notes(citations, asks_now=asks_now)), tuple(citations)


PART_LABEL = "关于“"  # opens each part of a several-part answer (the web finds its parts so)
RELATED = 2  # passages shown under a refusal, apart: on the topic, not an answer
QUOTED_QUESTION = 60  # characters of the question a refusal repeats


def facts(hit: Hit) -> str:
    """"国家级，2021-05-24": the level and date a passage's document carries; a citation always
    says both, so a document with no date found says so (NO_DATE) rather than "（县级，）"."""
    return "，".join(f for f in (f"{hit.level}级" if hit.level else "", hit.date or NO_DATE) if f)


NO_DATE = "日期未注明"


def compose(part: Part, hits: list[Hit], idf) -> tuple[str, tuple[Citation, ...]]:
    """Quote the sentences (or table rows) that answer, each with a numbered citation."""
    rows = target_rows(part, hits)
    if rows:
        return _compose_targets(rows)
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
    lines = [quote_line(c) for c in citations]
    # (a table row's quote is the row as the indexer described it: no sentence of it leads)
    first = (lead(part, citations[0].quote, idf)
             if citations and citations[0].hit.chunk.kind != "table_row" else "")
    if citations and citations[0].hit.chunk.kind != "table_row":
        first = listed(part, citations[0].quote, first) or first
    if first and _bare(citations[0].quote).startswith(_bare(first)):
        first = ""  # the quote opens with the answer already: don't say it twice
    said = verdict(part, citations[0].quote, idf) if citations else ""
    first = f"{said}{first}" if said else first
    return "\n".join(([f"答：{first}[1]"] if first else []) + lines), tuple(citations)


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


_YES_NO, _ALLOWED, _FORBIDS = pattern("yes_no"), pattern("allowed"), pattern("forbids")
# A prohibition of those who did something ("已在户籍所在村登记参加选举的村民，不得再参加其他地方…的
# 选举") says nothing of those who did not: it answered "户口在村里、人在外地打工，能参加选举吗"
# 不可以, while the list above it lets them.
_ONLY_IF = re.compile(rf"(?:的|已[^，,。；]*的[^，,。；]{{0,8}})[，,][^，,。；]*(?:{_FORBIDS.pattern})")
# "违法吗", "犯法吗" ask whether it is forbidden: "不可以" would answer the opposite question.
_BREAKS = pattern("breaks")
VERDICT_COVERAGE = 0.5  # share of the question's (rarity-weighted) terms the sentence names
# "能…吗", "可以…吗" ask whether one may; "要不要", "必须…吗" ask whether one must, which a
# sentence that permits does not answer.
_MAY, _MUST, _PERMITS = pattern("may"), pattern("must"), pattern("permits")
# A permission under a condition ("经老年人同意，…可以…", "…确有困难的，可以缓交"): the first
# line says so, and the quote below says which.
_CONDITION = pattern("condition")
# A sentence that permits answers "可以" only when it names most of what the question names: on
# the train sets a sentence naming half of it permitted something else about one time in four.
PERMIT_COVERAGE = 0.6


def verdict(part: Part, quote: str, idf=lambda term: 1.0) -> str:
    """The yes or no first: "不可以，文件明确禁止。" when a yes-no question asks whether something
    is allowed (能…吗, 合规吗) and a sentence of the first quote forbids it, naming most of what
    the question names; "可以。" when it asks whether one may and a sentence permits it, naming
    most of what it names ("符合文件所说情形的，可以。" when the permission has a condition, which
    the quote then shows); "" otherwise. (On the regulations train set, a sentence naming any
    one term of the question gave a wrong "不可以" one time in three. Of the train and dev
    questions, thirteen get "可以", each right; at a share of 0.45 two more did, one of them on a
    sentence about another matter.)"""
    if "fee" in part.slots and (_YES_NO.search(part.asking) or "多少" in part.asking
                                and "免费" not in part.asking):  # 免费照料多少小时 asks hours
        return free_of_charge(part, quote, idf)
    if not (_YES_NO.search(part.asking) and _ALLOWED.search(part.asking)) or _BREAKS.search(part.asking):
        return ""
    terms = {term: tuple(a for a in alternatives if len(a) >= 2)
             for term, alternatives in zip(part.terms, part.alternatives)
             if len(term) >= 2 and not _ALLOWED.fullmatch(term)}
    # a permission may name only what the last clause asks, apart from what the ones before
    # tell ("家里出了车祸，…，能申请临时救助吗": "有下列情形之一的家庭，可以申请临时救助"); a
    # prohibition may not (on the regulations train set, "老人能找他要赡养费吗" was answered
    # "不可以" from "赡养人不得…拒绝履行赡养义务", and two more like it)
    clause = clause_terms(terms, part.asking)
    sentences = with_lead_ins(re.split(r"[。；\n]", quote))
    for sentence in sentences:
        if (_FORBIDS.search(sentence) and not _ONLY_IF.search(sentence)
                and coverage(terms, idf, sentence) >= VERDICT_COVERAGE
                and coverage(clause, idf, sentence) >= VERDICT_COVERAGE):  # and what is asked
            asked = re.search(r"合法|合规|允许", part.asking)
            return f"不{asked.group() if asked else '可以'}，文件明确禁止。"
    if not _MAY.search(part.asking) or _MUST.search(part.asking):
        return ""
    for sentence in sentences:
        if (_PERMITS.search(sentence) and not _FORBIDS.search(sentence)
                and max(coverage(terms, idf, sentence), coverage(clause, idf, sentence))
                >= PERMIT_COVERAGE):
            return "符合文件所说情形的，可以。" if _CONDITION.search(sentence) else "可以。"
    return ""


def free_of_charge(part: Part, quote: str, idf=lambda term: 1.0) -> str:
    """"不收费。" first when a fee is asked ("结婚登记要花钱吗", "…费用是多少") and a sentence of the
    quote says it costs nothing ("婚姻登记收费全面取消"), naming most of what the question names;
    not one that only encourages it ("鼓励…提供免费或者优惠服务")."""
    terms = {term: tuple(a for a in alternatives if len(a) >= 2)
             for term, alternatives in zip(part.terms, part.alternatives) if len(term) >= 2}
    for sentence in re.split(r"[。；\n]", quote):
        if free(sentence) and coverage(terms, idf, sentence) >= VERDICT_COVERAGE:
            return "不收费。"
    return ""


def with_lead_ins(sentences: list[str]) -> list[str]:
    """Each item of an enumeration with its lead-in before it: "(三)向未成年人销售彩票" says
    nothing alone of "彩票代销者不得有下列行为：", and led an answer to 未成年人能买彩票吗 as if
    permitted."""
    from .clean import ITEM

    joined, lead_in = [], ""
    for sentence in sentences:
        if ITEM.match(sentence.strip()) and lead_in:
            joined.append(lead_in + sentence.strip())
            continue
        lead_in = sentence.strip() if sentence.strip().endswith(("：", ":")) else ""
        joined.append(sentence)
    return joined


def _bare(text: str) -> str:
    return re.sub(r"^第[一二三四五六七八九十百零]+条\s*|[。；：，\s]", "", text)


LEAD_CHARS = 80  # longer than this and the first line stops being a line one reads at a glance
NEW_CHARS = 6  # a sentence that only restates the question ("申请特困人员供养") is no answer


def lead(part: Part, quote: str, idf) -> str:
    """The answer in one line: the sentence of the first quote that holds what was asked (the
    slot's evidence: an amount, a period, an office …) and most of the question's terms, and
    says something the question did not. "" when no sentence is short and clear enough."""
    from .slots import slots

    # a number asked leads (多长时间内要开死亡证明: the period, not any sentence naming 证明)
    numbers = [slot for slot in part.slots if slot in NUMBER_SLOTS]
    held = [pattern for slot, _, pattern in slots() if slot in (numbers or part.slots)]
    bare = [t.strip() for t in re.split(r"(?<=[。；！？])|\n", quote) if t.strip()]
    sentences = with_lead_ins(bare)
    items = {joined: alone for joined, alone in zip(sentences, bare) if joined != alone}
    if len(sentences) < 2:
        return ""  # the quote is the answer already

    def score(sentence: str) -> float:
        words = sum(idf(t) for t in part.search_terms if t in sentence)
        new = sum(1 for ch in sentence if ch not in part.text) >= NEW_CHARS
        slot = not held or any(p.search(sentence) for p in held)
        return words * new * slot

    best = max(sentences, key=score)
    if len(best) > LEAD_CHARS and best in items and not _FORBIDS.search(best):
        best = items[best]  # an item under a long lead-in that forbids nothing reads alone
    if score(best) <= 0 or len(best) > LEAD_CHARS:
        return ""
    best = re.sub(r"^第[一二三四五六七八九十百零]+条\s*", "", best)
    return best if best.endswith(("。", "：")) else best.rstrip("，；") + "。"


LIST_SLOTS = {"materials", "conditions", "procedure", "forbidden"}
LIST_CHARS = 120  # a list longer than this is read in the quote below, not in one line


def listed(part: Part, quote: str, led: str = "") -> str:
    """Materials, conditions or steps asked, and the sentence that would lead is one item of an
    enumeration in the first quote, or its lead-in, or none: the items in one line, after their
    lead-in where it fits ("…提交下列材料：书面申请书；户口簿和身份证；低保证明。"). The item that
    named most of the question had led alone (the last of three materials), and a guide's list,
    whose items name nothing of the question, not at all. A sentence that answers on its own
    ("收养继子女的，可以只提交…") still leads; so does nothing for a yes-no question."""
    from .clean import ITEM, enumeration_blocks
    from .slots import slots

    wanted = [held for slot, _, held in slots() if slot in part.slots and slot in LIST_SLOTS]
    if not wanted or _YES_NO.search(part.asking):
        return ""
    led_bare = _bare(led)
    for block in enumeration_blocks(quote):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        items = [ITEM.sub("", line).strip().rstrip("。；;，,") for line in lines if ITEM.match(line)]
        head = re.sub(r"^第[一二三四五六七八九十百零]+条\s*", "", lines[0]) \
            if not ITEM.match(lines[0]) else ""
        # a lead-in says what the items are ("…提交下列材料："); a guide's section has none
        if len(items) < 2 or not any(w.search(head or block) for w in wanted):
            continue
        if led and head and not (led_bare == _bare(head)
                                 or any(led_bare.endswith(_bare(i)) for i in items)):
            continue  # the sentence that leads is not of this list (a guide's list has no lead-in)
        body = "；".join(items) + "。"
        if len(head) + len(body) <= LIST_CHARS:
            return head + body
        return body if len(body) <= LIST_CHARS else ""
    return ""


def target_rows(part: Part, hits: list[Hit]) -> list[Hit]:
    """Indicator-table rows the question asks for: the top hit must be a row naming it.

    One row, at the level the question asks about; both levels when it compares them."""
    from .retrieve import names_indicator

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


def _compose_targets(rows: list[Hit]) -> tuple[str, tuple[Citation, ...]]:
    citations = tuple(Citation(n, hit, described_row(hit)) for n, hit in enumerate(rows, start=1))
    return "\n".join(quote_line(c) for c in citations), citations


_NEXT_CELL = re.compile(r"；(?=[^；：]{1,40}：)")


def row_summary(row_sentence: str, region: str = "") -> str:
    """"养老机构护理型床位占比：2025年目标值 ≥55%，属性 约束性" from a described table row."""
    body = row_sentence.split("）：", 1)[-1].rstrip("。")
    name, _, fields = body.partition("——")
    if not fields:  # a row labelled by its first cell ("项目：孤儿基本生活费；城市（元/月）：1500")
        first, _, fields = body.partition("；")
        name = first.partition("：")[2] or first
    # cells part at a "；" before the next header ("建设内容：…平方米；健全完善…平台；；总投资：500"
    # is one cell, then 总投资): a cell's own "；" is no boundary
    cells = [[h, v.strip("；")] for h, _, v in
             (f.partition("：") for f in _NEXT_CELL.split(fields)) if v.strip("；")]
    unit = next((v for h, v in cells if h == "单位"), "")
    shown = [f"{named_header(h, region)} {v}{unit if _BARE_NUMBER.fullmatch(v) else ''}"
             for h, v in cells if h != "单位"]
    return f"{name}：{'，'.join(shown)}"


# A column a plan heads from where it stands ("我县2020年实际值", "市上2025年目标值"): a citizen
# reading the answer is not in that county.
_OWN_LEVEL = re.compile(r"^(?:我|本)([省市县区])|^([省市县区])上(?=\d)")


def named_header(header: str, region: str) -> str:
    """"本市2025年目标值" → "福州市2025年目标值", "省上2025年目标值" → "福建省2025年目标值", a
    bare "2025年目标值" → "福州市2025年目标值" (of a national plan: "全国2025年目标值"): the places
    of the document's region ("福建省福州市"); unchanged where it names none."""
    places = [p for p in re.findall(r"[^省市县区（(]+[省市县区]", region) if not p.startswith("某")]
    if re.match(r"\d{4}年", header):  # a bare year: the document's own place ("全国2025年目标值")
        here = "全国" if region == "全国" else (places[-1] if places else "")
        return here + header
    own = _OWN_LEVEL.match(header)
    if not own:
        return header
    level = own.group(1) or own.group(2)
    named = [p for p in places if p.endswith(level)]
    return named[-1] + header[own.end():] if named else header


def quote_line(citation: Citation) -> str:
    """"根据《…》第X条（国家级，2019-03-02）：“…”[1]": a quote with its source and number. A
    table row is summed up as the indicator answers give it, not put in quotation marks: its
    passage is the row described by the indexer, not words of the document."""
    hit = citation.hit
    if hit.chunk.kind == "table_row":  # its quote is described_row(hit)
        return f"{row_summary(citation.quote, hit.region)} [{citation.n}]（{_source(hit)}指标表）"
    return f"根据{_source(hit)}：“{citation.quote}”[{citation.n}]"


def described_row(hit: Hit) -> str:
    """A table row's passage as the indexer described it (its first line; 原表行 follows)."""
    return hit.chunk.text.split("\n")[0]


def _source(hit: Hit) -> str:
    """"《社会救助暂行办法》第十一条（国家级，2019-03-02）": document, article, level, version."""
    return f"《{hit.title}》{hit.chunk.article}（{facts(hit)}）"


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
