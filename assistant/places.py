"""Places in questions and in documents: which region or level a question asks about, and
whether a passage's document is of it. Nothing here names a place of any corpus: provinces come
from a gazetteer data file, level words from another, and local names from each document's
region as its metadata gives it."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .divisions import adcodes, counties
from .issuers import provinces

SUFFIX = re.compile(r"(?:特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|省|市|州|盟|县|旗|区|镇|乡|街道)$")
# "海南省海口市龙华区" -> 海南省, 海口市, 龙华区. A 州 followed by 省/市/区/县 is part of a name
# (贵州省, 福州市), not a unit of its own.
REGION_PART = re.compile(
    r"[\u4e00-\u9fff]{1,8}?(?:特别行政区|自治区|自治州|自治县|省|市|州(?![省市区县])|盟|县|旗|区)")
# Words jieba tags as places that name no particular place.
GENERIC = frozenset("城市 农村 城乡 全国 国家 省 市 县 区 乡 镇 街道 社区 地方 当地 本地 外地 "
                    "异地 基层 城区 市区 县城 乡镇 农村地区 城镇 中央".split())


@lru_cache(maxsize=1)
def level_words() -> tuple[tuple[str, str], ...]:
    """(word, level) pairs, longest word first, from the data file."""
    text = (resources.files("assistant") / "data" / "levels.txt").read_text(encoding="utf-8")
    pairs = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            level, _, words = line.partition("\t")
            pairs += [(word, level.strip()) for word in words.split()]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def asked_levels(question: str) -> tuple[str, ...]:
    """The levels of government the question's own words point to ("县里" -> 县), in order;
    only words standing on their own: not 区里 of "小区里", nor 我们区 of "我们区划调整"."""
    bounds, at = {0}, 0
    for word, _ in tagged(question):
        at += len(word)
        bounds.add(at)
    found = []
    for word, level in level_words():
        if level in found:
            continue
        start = question.find(word)
        while start >= 0 and not (start in bounds and start + len(word) in bounds):
            start = question.find(word, start + 1)
        if start >= 0:
            found.append(level)
    return tuple(found)


def short(place: str) -> str:
    """"海南省" -> "海南", "龙华区" -> "龙华"; a name that is only a suffix stays whole."""
    stem = SUFFIX.sub("", place)
    return stem if len(stem) >= 2 else place


def region_parts(region: str) -> list[str]:
    """Every place a document's region names, full and short: the words a question may use."""
    parts = REGION_PART.findall(region) or ([region] if region else [])
    return [p for part in parts for p in dict.fromkeys((part, short(part)))
            if len(p) >= 2 and p not in GENERIC]


@lru_cache(maxsize=256)
def tagged(text: str) -> tuple[tuple[str, str], ...]:
    """jieba's words of the text with their part of speech, tagged once per text: the places a
    question names and the place words the judge masks read the same tagging."""
    from .keyword import segmenter

    segmenter()
    from jieba import posseg

    return tuple((word, flag) for word, flag in posseg.lcut(text))


def named_places(question: str, known: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """Particular places the question names: jieba's place words with a place suffix, a
    province, a city of the gazetteer (杭州, which jieba also tags a place: 来宾, 白银 and 安康 are
    cities and words), a county-level division by its full name (岳麓区, which jieba tags a
    person's name), or a place one of the corpus's documents is of (`known`)."""
    provincial = {name for pair in provinces() for name in pair}
    found = []
    for word, flag in tagged(question):
        if word in GENERIC or word in found or any(w == word for w, _ in level_words()):
            continue
        if word in known or word in provincial or word in counties() or (flag == "ns" and (
                SUFFIX.search(word) and len(word) >= 3 or word in gazetteer())):
            found.append(word)
    return tuple(found)


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, str]:
    """Every prefecture-level city of China, by its full and its short name (杭州市, 杭州), with
    the province it lies in (浙江), from the administrative-division codes (divisions.adcodes: 12
    digits, the province in the first two, the city in the next two)."""
    rows = adcodes()
    province_of = {code[:2]: name for code, name in rows if code[2:] == "0" * 10}
    short_of = dict(provinces())
    cities: dict[str, str] = {}
    for code, name in rows:
        if code[4:] != "0" * 8 or code[2:4] == "00" or "直辖" in name or name == "市辖区":
            continue
        province = short_of.get(province_of.get(code[:2], ""), "")
        for word in (name, re.sub(r"(?:市|地区|盟)$", "", name)):
            if len(word) >= 2 and word not in GENERIC:
                cities.setdefault(word, province)
    return cities


def within(place: str) -> tuple[str, ...]:
    """The province a city named lies in (长沙 → 湖南): a document of the province answers for
    its cities."""
    province = gazetteer().get(place, "")
    full = next((f for f, s in provinces() if s == province), "")
    return tuple(p for p in (province, full) if p)


def place_words(text: str) -> tuple[str, ...]:
    """Every word of the text jieba tags as a place name (长沙, 岳麓), with or without its
    suffix, generic ones (农村, 全国 …) aside."""
    return tuple(dict.fromkeys(w for w, flag in tagged(text)
                               if flag == "ns" and len(w) >= 2 and w not in GENERIC))


def of_place(place: str, region: str, title: str = "") -> bool:
    """Is a document of `region` (or titled `title`) about `place`?"""
    stem = short(place)
    return bool(stem) and (stem in region or stem in title)


def most_specific(places: tuple[str, ...]) -> tuple[str, ...]:
    """The places named, without the city or province another of them lies in: "长沙岳麓区"
    asks about 岳麓区, and a document of 长沙市天心区 does not answer it."""
    def above(place: str, other: str) -> bool:
        return other != place and any(place in (p, short(p)) for p in counties().get(other, ()))

    return tuple(p for p in places if not any(above(p, o) for o in places))


def held_by_parent(place: str, regions: tuple[str, ...]) -> bool:
    """Whether a document of the city or province a county-level `place` lies in is among
    `regions` (its most specific part is that city or province: "长沙" answers for 岳麓区,
    "长沙市天心区" not for it)."""
    parents = {n for p in counties().get(place, ()) for n in (p, short(p))}
    return any((REGION_PART.findall(r) or [r])[-1] in parents for r in regions if r)


def missing_place(places: tuple[str, ...], text: str, regions: tuple[str, ...] = ()) -> str:
    """The place the question names when the text mentions none of the places it names (a
    place within a province, "某省郊区", is held by a text on the province; a city, by a document
    of its province: `regions`, the regions of the documents, 长沙 by one of 湖南; a county, by
    one of its city or province). Of a county and its city named together ("长沙岳麓区"), the
    county must be held: a document of a neighbouring district names the city too."""
    def held(place: str) -> bool:
        return place in text or any(place.startswith(name) and name in text
                                    for pair in provinces() for name in pair) or any(
            province in "".join(regions) for province in within(place)) or held_by_parent(
            place, regions)
    asked = most_specific(places)
    return "" if not asked or any(held(p) for p in asked) else asked[0]
