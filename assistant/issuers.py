"""Where an issuer is: the level of government and the region its name (or a title) names at
its start ("浙江省民政厅" → 省 浙江, "长沙市天心区民政局" → 区 长沙市天心区, "民政部" → 国家), from the
provinces' and the national issuers' data files and the administrative divisions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .divisions import counties_of
from .keyword import word_tag
from .lexicon import words

NATIONAL = re.compile(f"^(?:{'|'.join(words('national_issuers.txt'))})")


@dataclass(frozen=True)
class Place:
    level: str  # 国家 / 省 / 市 / 区 / 县
    region: str  # 全国, or the place's short name (贵州, 昆明)


@lru_cache(maxsize=1)
def provinces() -> tuple[tuple[str, str], ...]:
    """(full name, short name) of every provincial-level division, from the data file."""
    text = (resources.files("assistant") / "data" / "provinces.txt").read_text(encoding="utf-8")
    return tuple(tuple(line.split()[:2]) for line in text.splitlines()
                 if line.strip() and not line.startswith("#"))


def place_of(issuer: str) -> Place | None:
    """The level and region an issuer (or a title) names at its start."""
    if not issuer:
        return None
    if NATIONAL.match(issuer):
        return Place("国家", "全国")
    for full, short in provinces():
        if issuer.startswith((full, short)):
            rest = issuer[len(full) if issuer.startswith(full) else len(short):]
            local = re.match(r"^([\u4e00-\u9fff]{1,8}?(?:市|州|盟|县|旗|区))", rest)
            if local and not re.match(r"^(?:人民|常务|委员|政府)", rest) and named_place(local.group(1)):
                return _local(within_city(local.group(1), rest[local.end():]))
            return Place("省", short)
    local = re.match(r"^([\u4e00-\u9fff]{1,8}?(?:自治州|自治县|市|州|盟|县|旗|区))", issuer)
    return _local(within_city(local.group(1), issuer[local.end():])) if local and named_place(
        local.group(1)) else None


def within_city(city: str, rest: str) -> str:
    """A county or district the name goes on to name within its city ("长沙市天心区…" is of 天心区,
    not of all 宁波市): the two together. Only a county of the administrative divisions: jieba
    knows no better than that 居家社区 (of 某市居家社区养老服务管理办法) is an unknown word."""
    if not city.endswith(("市", "州")):
        return city
    rest = rest.removeprefix("市") if city.endswith("州") else rest  # 杭州 of 杭州市西湖区
    own = counties_of(city)
    county = next((name for name in (rest[:n] for n in COUNTY_CHARS) if name in own), "")
    return city + county


COUNTY_CHARS = range(2, 6)  # a county's name: 城区, 天心区, 鄂伦春自治旗 is longer than most


def named_place(name: str) -> bool:
    """Whether a name ending in 市/区/县… names a place, not a word of that shape: a city or a
    district has two characters before 市/区 (城市, 社区 have one; 礼县 is a county), and a word
    jieba knows as other than a place or a name (小区 n, 开发区 n, 超市 v) is none."""
    if name.startswith(PLACEHOLDER):
        return True
    if re.search(r"关于|[我的]", name) or name.endswith(("市", "县", "区")) and len(
            name) >= 3 and word_tag(name[:-1]) in NOT_A_NAME:
        return False  # "关于调整我县…" of a notice's title, "广大市" of 广大市民
    return not (name.endswith(("市", "区")) and len(name) < 3) and word_tag(name) in PLACE_TAGS


NOT_A_NAME = ("a", "ad", "d", "v")  # jieba: what comes before 市/县 is an adjective, adverb, verb
PLACE_TAGS = ("ns", "nr", "nrt", "")  # jieba: place, person's name (岳麓区 nr), unknown (某某区)
PLACEHOLDER = "某"  # a template's county, 某县 (jieba: r, a pronoun), is a county all the same


def _local(name: str) -> Place:
    if name.endswith(("县", "旗")):
        return Place("县", name)
    if name.endswith("区"):
        return Place("区", name)
    return Place("市", name)
