"""Table rows as the indexer describes them ("《…》（国家级）：养老机构护理型床位占比——单位：%；
2025年目标值：≥55；属性：约束性"): their name and cells, and whether a question names one. Read by
retrieval (a named indicator lifts its row) and by the answer (a row's summary, a yes or no on a
cell)."""

from __future__ import annotations

import re

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
