"""Vocabulary that lives in data files: named patterns of wording (data/wording.tsv), the units a
number is asked and stated in (data/units.tsv), the words plans use for a year
(data/year_aliases.tsv) and word lists (data/national_issuers.txt). Read once, pure afterwards."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources


def rows(name: str) -> list[list[str]]:
    """The tab-separated fields of each line of a file in data/ ("#" lines are comments)."""
    text = (resources.files("assistant") / "data" / name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    return {row[0]: re.compile(row[1]) for row in rows("wording.tsv")}


def pattern(name: str) -> re.Pattern:
    """The compiled pattern called `name` in data/wording.tsv (the file is read once)."""
    if name not in _patterns():
        raise KeyError(f"data/wording.tsv has no pattern named {name!r}")
    return _patterns()[name]


def furniture_line(line: str) -> bool:
    """A web page's catalogue or toolbar field ("发布时间:2017-07-13", "资料来源:"): its label
    (data/wording.tsv page_furniture) before a colon. Not a title that starts with such a word
    ("公开征求《某市养老服务条例（草案）》意见的公告")."""
    found = pattern("page_furniture").match(line.strip())
    return bool(found) and re.match(r"[\u4e00-\u9fff]{0,4}\s*[:：]", line.strip()[found.end():]) is not None


@lru_cache(maxsize=None)
def words(name: str) -> tuple[str, ...]:
    """The words of a word-list file in data/, in file order ("#" lines are comments)."""
    return tuple(w for row in rows(name) for field in row for w in field.split())


@lru_cache(maxsize=1)
def units() -> dict[str, tuple[str, str]]:
    """Unit asked → (the units stated, as an alternation; its kind: money, people or count)."""
    return {asked: (stated, kind) for asked, stated, kind in rows("units.tsv")}


@lru_cache(maxsize=1)
def year_aliases() -> dict[str, tuple[str, ...]]:
    """Year → the words plans use for it (2020 → 十三五: the end of a five-year period)."""
    return {year: tuple(aliases.split()) for year, aliases in rows("year_aliases.tsv")}
