"""Which year a quote is of, and whether it is the year asked: the nearest of what the quote is
said of (its passage before it, its headings, its document's title) that names a year decides.
A signal the judge weighs (missing_year)."""

from __future__ import annotations

import re

from .lexicon import year_aliases
from .schema import Citation

QUOTE_ANCHOR = 12  # characters: a quote cut or extended by compose still starts as in its passage


def missing_year(years: tuple[str, ...], scopes: str | tuple[str, ...]) -> str:
    """The first year asked that the quote is not of. `scopes`: what the quote is said of,
    nearest first (see year_scope); the nearest that names a year (not a date's) decides."""
    scopes = (scopes,) if isinstance(scopes, str) else scopes
    # a year in a document's title a quote cites is that document's ("《关于提高我市2024年…标准的
    # 通知》同时废止" is not of 2024)
    scopes = tuple(_CITED_TITLE.sub("《》", s) for s in scopes)
    # (none naming one: any mention holds it, a document's number "〔2014〕76号" or a date)
    scope = next((s for s in scopes if names_a_year(s)), "".join(scopes))
    for year in years:
        if year not in scope and not any(a in scope for a in year_aliases().get(year, ())):
            return year
    return ""


def unheld_year(years: tuple[str, ...], scopes: list[tuple[str, ...]]) -> str:
    """The first year asked that no quote is of ("2020年和2025年城市低保标准分别是多少": 2020 by
    one quote, 2025 by another, both held)."""
    return next((year for year in years
                 if all(missing_year((year,), scope) for scope in scopes or [("",)])), "")


def names_a_year(text: str) -> bool:
    return bool(_A_YEAR.search(text)) or any(a in text for aliases in year_aliases().values()
                                             for a in aliases)


_CITED_TITLE = re.compile(r"《[^》]*》")
# (not a date's year: "自2024年12月1日起" is when a standard applies, not which year's it is)
_A_YEAR = re.compile(r"(?:19|20)\d{2}\s*年(?!\s*\d{1,2}\s*月)")


def year_scope(citation: Citation) -> tuple[str, str, str]:
    """What a quote is said of, nearest first: the quote with what its passage says before it,
    the headings it stands under, its document's title. A list of targets opened by "到2020年，…"
    holds the year asked once, above its items ("——全市机构养老床位至少需达到15800张以上"); a
    work summary's figures stand under "一、2022年工作总结". The nearest that names a year says
    which year the quote is of: a 十四五 plan's "“十三五”时期…城市低保标准由5016元提高到6934元"
    is of 2020, not of the 2025 its title's 十四五 stands for (it had answered 2025年城市低保标准)."""
    hit, quote = citation.hit, citation.quote
    start = hit.chunk.text.find(quote[:QUOTE_ANCHOR].strip("…"))
    return ((hit.chunk.text[:start] if start > 0 else "") + quote, hit.chunk.section_path, hit.title)
