"""Table rows as the indexer describes them ("《…》（国家级）：养老机构护理型床位占比——单位：%；
2025年目标值：≥55；属性：约束性"): their name and cells, and whether a question names one. Read by
retrieval (a named indicator lifts its row) and by the answer (a row's summary, a yes or no on a
cell)."""

from __future__ import annotations

import re

from .lexicon import pattern
from .question import Part

_NEXT_CELL = re.compile(r"；(?=[^；：]{1,40}：)")  # a cell's end: "；" before the next header
_BARE_HEAD = re.compile(r"^《[^》]*》：")


def row_cells(row_sentence: str) -> tuple[str, list[tuple[str, str]]]:
    """A described row's name and its (header, value) cells: "《…》…（国家级）：养老机构护理型床位
    占比——单位：%；2025年目标值：≥55；属性：约束性"."""
    bare = _BARE_HEAD.match(row_sentence)  # a document of no level: "《…》：" ends the head
    body = (row_sentence[bare.end():] if bare else row_sentence.split("）：", 1)[-1]).rstrip("。")
    name, _, fields = body.partition("——")
    if not fields:  # a row labelled by its first cell ("项目：孤儿基本生活费；城市（元/月）：1500")
        first, _, fields = body.partition("；")
        if not _NEXT_CELL.search(f"；{fields}") and "：" in first:  # one field of a form
            label, _, value = body.partition("：")
            return "", [(label, value)]
        name = first.partition("：")[2] or first
    # cells part at a "；" before the next header ("建设内容：…平方米；健全完善…平台；；总投资：500"
    # is one cell, then 总投资): a cell's own "；" is no boundary
    return name, [(h, v.strip("；")) for h, _, v in
                  (f.partition("：") for f in _NEXT_CELL.split(fields)) if v.strip("；")]


def names_indicator(question: str, row_text: str) -> bool:
    """Does the question name this row's indicator (most of its character bigrams present)?"""
    name = row_text.split("：", 1)[-1].split("——", 1)[0]
    grams = {name[i:i + 2] for i in range(len(name) - 1)}
    return bool(grams) and sum(g in question for g in grams) / len(grams) >= NAMED_SHARE


NAMED_SHARE = 0.5  # of the indicator name's character bigrams: "护理型床位占比" in "护理型床位占比2025年目标？"


def same_table(row: str, other: str) -> bool:
    """Two described rows of one document's table: the same head ("《…》（国家级）：")."""
    return row.split("：", 1)[0] == other.split("：", 1)[0]


def described_row(hit: Hit) -> str:
    """A table row's passage as the indexer described it (its first line; 原表行 follows)."""
    return hit.chunk.text.split("\n")[0]


_YES_NO = pattern("yes_no")  # 是…吗
_BARE_NUMBER = re.compile(r"[≥≤><]?\s*[\d.]+")


def cell_verdict(part: Part, row: str, others: list[str]) -> str:
    """"是约束性指标吗" of a row whose 属性 is 约束性: "是，属性为约束性。"; "不是，属性为约束性。"
    when what it asks is the value another row holds in that column (预期性). A yes or no on a
    figure is left to the row itself."""
    if not (_YES_NO.search(part.asking) and "是" in part.asking
            and names_indicator(part.text, row)):  # of the indicator asked, not the first row's
        return ""
    asked = {t for t in part.terms if len(t) >= 2 and t in part.asking and not re.search(r"\d", t)}
    cells = dict(row_cells(row)[1])
    for header, value in cells.items():
        if value in asked:
            return f"是，{header}为{value}。"
    for other in (o for o in others if same_table(row, o)):
        for header, value in row_cells(other)[1]:
            if value in asked and cells.get(header, value) != value:
                return f"不是，{header}为{cells[header]}。"
    return ""


def row_summary(row_sentence: str, region: str = "") -> str:
    """"养老机构护理型床位占比：2025年目标值 ≥55%，属性 约束性" from a described table row."""
    name, cells = row_cells(row_sentence)
    if not name:  # a form's field: "办理时限：自受理之日起30个工作日内办结"
        return "，".join(f"{h}：{v}" for h, v in cells)
    caption = _CAPTION_UNIT.search(row_sentence.partition("——")[0])  # "…项目汇总表（单位：万元）"
    unit = next((v for h, v in cells if h == "单位"), caption.group(1) if caption else "")
    shown = [f"{named_header(h, region)} {v}"
             f"{unit if _BARE_NUMBER.fullmatch(v) and not _OWN_UNIT.search(h) else ''}"
             for h, v in cells if h != "单位"]
    return f"{name}：{'，'.join(shown)}"


# A table's unit in its caption ("项目汇总表（单位：万元）"): its bare figures are in it ("总投资
# 2100" is 2100万元); not a column that names its own ("标准（元/月）").
_CAPTION_UNIT = re.compile(r"[（(]单位[：:]\s*([^）)]+)[）)]")
_OWN_UNIT = re.compile(r"[（(][^）)]+[）)]")


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
