"""China's administrative divisions (province, prefecture, county), from the codes the cpca
package ships: which counties a city has, and every division's name and code. Read as data."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=512)
def counties_of(city: str) -> frozenset[str]:
    """The county-level divisions of a prefecture-level city (长沙市: 岳麓区, 天心区 …): its code's
    first four digits. "上饶市城区" names no county of 上饶; "长沙市和平区" none of 长沙."""
    prefixes = {code[:4] for code, name in adcodes()
                if name in (city, city + "市") and code[2:4] != "00" and code[4:] == "0" * 8}
    return frozenset(name for code, name in adcodes() if code[:4] in prefixes
                     and code[4:6] != "00" and code[6:] == "0" * 6 and name != "市辖区")


@lru_cache(maxsize=1)
def adcodes() -> tuple[tuple[str, str], ...]:
    """(12-digit code, name) of every administrative division, from the codes the cpca package
    ships (its resources/adcodes.csv), read as data: cpca's own code is not imported."""
    import csv
    import importlib.util

    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        return ()
    path = Path(spec.submodule_search_locations[0]) / "resources" / "adcodes.csv"
    return tuple((row["adcode"], row["name"])
                 for row in csv.DictReader(path.read_text(encoding="utf-8").splitlines()))


@lru_cache(maxsize=1)
def counties() -> dict[str, frozenset[str]]:
    """Every county-level division by its full name (岳麓区, 礼县), with the names of the city
    and the province it lies in (长沙市, 湖南省; a name several cities share, 鼓楼区, with all of
    theirs): a question naming one names a place, whatever jieba tags it (岳麓区 is a person's
    name to it)."""
    names = {code: name for code, name in adcodes()}
    parents: dict[str, set[str]] = {}
    for code, name in adcodes():
        if code[4:6] == "00" or code[6:] != "0" * 6 or name == "市辖区":
            continue
        above = {names.get(code[:4] + "0" * 8, ""), names.get(code[:2] + "0" * 10, "")}
        parents.setdefault(name, set()).update(a for a in above if a and a != "市辖区")
    return {name: frozenset(above) for name, above in parents.items()}
