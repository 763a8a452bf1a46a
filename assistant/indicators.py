"""The indicator table for staff: rows from the build's targets, search, comparison, export.

Pure functions of the target records (`targets.json`): the web tab and `assistant targets --csv`
both use them, so the file a user downloads and the one the CLI prints are the same.
"""

from __future__ import annotations

import csv
import html
import io
import re
import unicodedata

from .metadata import earliest_of_each

COLUMNS = ["文档", "级别", "指标", "单位", "2020年实际值", "2025年目标值（本级）",
           "市级2025年目标", "省级2025年目标", "国家2025年目标", "属性"]
EXPORT_COLUMNS = COLUMNS + ["日期", "出处"]
SEARCHED = ("文档", "级别", "指标", "属性")


def _column(header: str) -> str | None:
    """The table column a target row's cell goes to (national and county tables differ)."""
    if header in ("指标", "单位", "属性"):
        return header
    if "实际" in header:
        return "2020年实际值"
    for prefix, column in (("市", "市级2025年目标"), ("省", "省级2025年目标"),
                           ("国家", "国家2025年目标")):
        if header.startswith(prefix):
            return column
    return "2025年目标值（本级）" if "目标" in header else None


def indicator_rows(targets: list[dict]) -> list[list[str]]:
    """Every indicator row (rows with an 指标 cell) in COLUMNS order."""
    rows = []
    for record in indicator_records(targets):
        row = dict.fromkeys(COLUMNS, "")
        row.update(文档=record["title"], 级别=record["level"])
        for header, value in record["cells"].items():
            column = _column(header)
            if column:
                row[column] = value
        rows.append([row[c] for c in COLUMNS])
    return rows


def indicator_records(targets: list[dict]) -> list[dict]:
    """The target records that are indicator rows, in the order `indicator_rows` lists them."""
    return [record for record in originals(targets) if "指标" in record["cells"]]


def originals(targets: list[dict]) -> list[dict]:
    """The target records in their order, a row that another document repeats cell for cell
    (a bulletin reprinting a plan's indicator table; "乡镇(街道)" and "乡镇（街道）" alike) given
    once, from the earliest-dated of them: the source, not the copy, as the chat cites it."""
    def cells(record: dict) -> tuple:
        return tuple((fold(h), fold(v)) for h, v in record["cells"].items())

    first = earliest_of_each(targets, cells, lambda record: record.get("date"))
    return [record for record in targets if first[cells(record)] is record]


def fold(text: str) -> str:
    """Full- and half-width forms alike ("乡镇(街道)" finds "乡镇（街道）"), spaces ignored."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).lower())


def search_terms(query: str, synonyms) -> list[tuple[str, ...]]:
    """Each word of `query` with the policy terms it stands for (`synonyms`: the pairs of
    assistant/data/synonyms.tsv, e.g. 社工 → 社会工作), folded."""
    words = []
    for word in query.split():
        terms = [word] + [t for phrase, mapped in synonyms if phrase in word for t in mapped]
        words.append(tuple(dict.fromkeys(fold(t) for t in terms if fold(t))))
    return [w for w in words if w]


def matches(row: list[str], words: list[tuple[str, ...]]) -> int:
    """How many of the words (any of each word's terms) the row's searched cells contain."""
    haystack = "|".join(fold(row[COLUMNS.index(c)]) for c in SEARCHED)
    return sum(any(term in haystack for term in terms) for terms in words)


def search(rows: list[list[str]], query: str, synonyms=()) -> list[int]:
    """Positions of the rows matching any word of `query`, those matching more words first;
    all rows for an empty query. Staff type a few words and expect the rows naming any of
    them (“护理型 社会工作”), with the rows naming all of them on top (“县 养老”)."""
    words = search_terms(query, synonyms)
    if not words:
        return list(range(len(rows)))
    scored = [(matches(row, words), at) for at, row in enumerate(rows)]
    return [at for score, at in sorted(scored, key=lambda s: (-s[0], s[1])) if score]


def source_of(record: dict) -> str:
    """Where a row stands: 《title》 section › table."""
    parts = [p.strip() for p in record.get("section", "").split(" > ") if p.strip()]
    parts = [p for p in parts if p != record["title"]]  # the path starts with the title
    if record.get("table") and record["table"] not in parts:
        parts.append(record["table"])
    return f"《{record['title']}》" + " › ".join(parts)


def export_rows(rows: list[list[str]], records: list[dict], kept: list[int]) -> list[list[str]]:
    """The kept rows with the document's date and the row's source (EXPORT_COLUMNS order)."""
    return [rows[at] + [records[at].get("date", ""), source_of(records[at])] for at in kept]


def to_csv(table: list[list[str]]) -> str:
    """CSV with a header row; written with a BOM by callers so that Excel reads it as UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows(table)
    return out.getvalue()


def write_xlsx(table: list[list[str]], path) -> None:
    """An .xlsx with a bold, frozen header row and readable column widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "指标"
    sheet.append(EXPORT_COLUMNS)
    for row in table:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for column, header in zip(sheet.columns, EXPORT_COLUMNS):
        longest = max(len(str(c.value or "")) for c in column)
        # CJK characters are about two Excel width units; 60 keeps a long source readable
        sheet.column_dimensions[column[0].column_letter].width = min(60, 2 * longest + 2)
    book.save(path)


def comparison(rows: list[list[str]], kept: list[int]) -> list[tuple[str, list[list[str]]]]:
    """Indicators that more than one document sets (national and county), each with its rows
    from every document — not only the kept ones, so a county row found by its place is compared
    with the national row of the same indicator."""
    name = COLUMNS.index("指标")
    groups: dict[str, list[int]] = {}
    for at, row in enumerate(rows):
        groups.setdefault(fold(row[name]), []).append(at)
    shown, seen = [], set()
    for at in kept:
        key = fold(rows[at][name])
        documents = {rows[i][0] for i in groups[key]}
        if key not in seen and len(documents) > 1:
            seen.add(key)
            shown.append((rows[at][name], [rows[i] for i in groups[key]]))
    return shown


COMPARED = ["单位", "2020年实际值", "2025年目标值（本级）", "国家2025年目标", "属性"]


def render_comparison(groups: list[tuple[str, list[list[str]]]]) -> str:
    """Each compared indicator as a small table: one column per document (level)."""
    if not groups:
        return '<p class="muted">筛选结果中没有国家和县都设定的同一指标。</p>'
    parts = []
    for name, rows in groups:
        head = "".join(f"<th scope=\"col\">{html.escape(r[1] + '级' if r[1] else '')}<br>"
                       f"<span class=\"doc\">《{html.escape(r[0])}》</span></th>" for r in rows)
        body = "".join(
            f"<tr><th scope=\"row\">{html.escape(c)}</th>"
            + "".join(f"<td>{html.escape(r[COLUMNS.index(c)]) or '—'}</td>" for r in rows)
            + "</tr>" for c in COMPARED)
        parts.append(f'<table class="compare"><caption>{html.escape(name)}</caption>'
                     f'<thead><tr><td></td>{head}</tr></thead><tbody>{body}</tbody></table>')
    return "".join(parts)


CARD_FIELDS = ["2020年实际值", "2025年目标值（本级）", "市级2025年目标", "省级2025年目标",
               "国家2025年目标"]


def with_unit(value: str, unit: str) -> str:
    """"3.8 %", but "200万人" as written (a value may carry its unit already)."""
    if unit in ("", "—", "-") or value.endswith(unit):
        return value
    return f"{value} {unit}"


def render_cards(rows: list[list[str]], records: list[dict], kept: list[int]) -> str:
    """One card per row for a phone: name, its values with their unit, 属性, the source."""
    cards = []
    for at in kept:
        row = dict(zip(COLUMNS, rows[at]))
        unit = row["单位"]
        values = "".join(
            f"<div><dt>{html.escape(f.replace('2025年目标值（本级）', '2025年目标'))}</dt>"
            f"<dd>{html.escape(with_unit(row[f], unit))}</dd></div>" for f in CARD_FIELDS if row[f])
        kind = f'<span class="kind">{html.escape(row["属性"])}</span>' if row["属性"] else ""
        cards.append(f'<article class="card"><h2>{html.escape(row["指标"])}{kind}</h2>'
                     f"<dl>{values}</dl>"
                     f'<p class="src">{html.escape(row["级别"] + "级 · " if row["级别"] else "")}'
                     f"{html.escape(source_of(records[at]))}</p></article>")
    return f'<div class="cards">{"".join(cards)}</div>'
