"""Tables that text extraction flattened: one cell per line, a row per line with its cells
separated by spaces, a yearbook's yearly series. Each is found by its shape alone: a header of
short cells, then rows of as many cells, the same columns holding figures."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .clean import TERMINAL, Line
from .lexicon import furniture_line
from .schema import TableRow


@dataclass(frozen=True)
class Table:
    title: str
    unit: str  # a "单位：万元" note, if the table has one
    rows: tuple[TableRow, ...]
    first: int  # line indices the table occupies, title lines included
    last: int


def is_caption(text: str) -> bool:
    """A table's title above it ("表1 主要指标"), not the sentence that leads into it ("标准如下：")."""
    return (len(text) <= 40 and text[-1:] not in TERMINAL + "：:" and "\t" not in text
            and not re.search(r"[，,]", text) and not furniture_line(text))


def caption_above(lines: list[Line], i: int) -> tuple[int, str]:
    """The line a table starting at line `i` begins with, and its title: the caption right above
    it, if there is one."""
    if i > 0 and is_caption(lines[i - 1].text):
        return i - 1, lines[i - 1].text
    return i, ""


# A cell that is a figure: "45", "≥55", "3.8%", "-2", "—" (none), "1:1"
FIGURE_CELL = re.compile(r"^(?:[≥≤><＞＜约]=?\s*)?[-+]?\d[\d.,，:：]*\s*[%％‰]?$|^[—–-]+$")
HEADER_CELL_CHARS = 12  # a column header is a short label ("2025年目标值", "属性")
NAME_CELL_CHARS = 40  # a row's name ("每千名老年人拥有养老床位数") is longer, still no sentence
COLUMNS = (3, 10)  # a table of fewer columns is a list; of more, a line of words


def figure_columns(cells: list[str]) -> tuple[bool, ...]:
    return tuple(bool(FIGURE_CELL.match(c)) for c in cells)


def _header(cells: list[str]) -> bool:
    return (COLUMNS[0] <= len(cells) <= COLUMNS[1] and not any(figure_columns(cells))
            and all(len(c) <= HEADER_CELL_CHARS and not re.search(rf"[{TERMINAL}，,]", c) for c in cells))


def _row(cells: list[str], width: int, shape: tuple[bool, ...] | None) -> bool:
    """Whether cells make a row under a header `width` wide: no sentence in them, a figure
    somewhere, and the figures in the columns of the first row's (`shape`)."""
    return (len(cells) == width and any(figure_columns(cells))
            and all(len(c) <= NAME_CELL_CHARS and not re.search(rf"[{TERMINAL}]", c) for c in cells)
            and (shape is None or figure_columns(cells) == shape))


def spaced_as_tabs(lines: list[Line], raw: str) -> list[Line]:
    """Rows of space-separated cells under a header of as many ("序号 指标 单位 2020年 2025年 属性",
    "1 养老机构护理型床位占比 % 45 ≥55 约束性") rewritten tab-separated, as a tab table reads. A
    row with more cells than the header has its name broken by spaces: the extra words join it;
    a row with one fewer stands under the category cell of the row above (merged over both).
    Read from the `raw` text: cleaning joins what spaces split between Chinese characters."""
    def cells(line: Line) -> list[str]:
        return rejoined((raw[line.start:line.end] if raw else line.text).split())

    out = list(lines)
    i = 0
    while i < len(lines):
        header = [piece for cell in cells(lines[i]) for piece in years_apart(cell)]
        if "\t" in lines[i].text or not _header(header):
            i += 1
            continue
        rows, k, shape = [], i + 1, None
        while k < len(lines) and "\t" not in lines[k].text:
            words = cells(lines[k])
            row = _joined_name(words, len(header))
            if row is None and rows and len(words) == len(header) - 1:
                row = [rows[-1][1][0], *words]  # a category cell merged over its rows
            if not row or not _row(row, len(header), shape):
                break
            shape = shape or figure_columns(row)
            rows.append((k, row))
            k += 1
        if len(rows) >= 2:
            out[i] = replace(lines[i], text="\t".join(header))
            for n, row in rows:
                out[n] = replace(lines[n], text="\t".join(row))
            i = k
        else:
            i += 1
    return out


def rejoined(tokens: list[str]) -> list[str]:
    """Words extraction broke at spaces inside one cell joined again: a year from its 年 ("2020
    年"), a figure from its unit or its sign ("45 %", "≥ 55")."""
    out: list[str] = []
    for token in tokens:
        if out and (re.match(r"^(?:年|%|％|‰)", token) and out[-1][-1:].isdigit()
                    or re.fullmatch(r"[≥≤><＞＜]=?", out[-1])):
            out[-1] += token
        else:
            out.append(token)
    return out


def years_apart(cell: str) -> list[str]:
    """A header cell that holds several columns' labels run together, as PDF extraction leaves
    them ("单位2020年2025年属性"), split at its years: 单位, 2020年, 2025年, 属性."""
    return [piece for piece in re.split(r"((?:19|20)\d{2}年)", cell) if piece]


def _joined_name(cells: list[str], width: int) -> list[str] | None:
    """The row's cells, its longest run of words that are no figure joined into one name cell
    when extraction broke the name at spaces."""
    extra = len(cells) - width
    if extra < 0:
        return None
    if extra == 0:
        return cells
    for start in range(len(cells) - extra):
        run = cells[start:start + extra + 1]
        if not any(figure_columns(run)):
            return cells[:start] + ["".join(run)] + cells[start + extra + 1:]
    return None


def column_tables(lines: list[Line], doc: str) -> list[Table]:
    """A table flattened one cell per line with no serial column: a header of short lines, then
    rows of as many lines whose figures stand in the same columns ("指标", "单位", "2020年",
    "2025年", "属性", then "养老机构护理型床位占比", "%", "45", "≥55", "约束性", …). Of the widths
    that fit, the one reading the most rows."""
    tables, i = [], 0
    while i < len(lines):
        best: tuple[int, list[list[Line]]] = (0, [])
        for width in range(COLUMNS[0], COLUMNS[1] + 1):
            header = [line.text for line in lines[i:i + width]]
            if len(header) < width or not _header(header) or any(" " in h for h in header):
                continue
            rows, k, shape = [], i + width, None
            while k + width <= len(lines):
                cells = [line.text for line in lines[k:k + width]]
                if not _row(cells, width, shape):
                    break
                shape = shape or figure_columns(cells)
                rows.append(lines[k:k + width])
                k += width
            if len(rows) >= 2 and len(rows) * width > len(best[1]) * best[0]:
                best = (width, rows)
        width, rows = best
        if not rows:
            i += 1
            continue
        headers = [line.text for line in lines[i:i + width]]
        first, title = caption_above(lines, i)
        tables.append(Table(title=title, unit="", first=first, last=i + width * (len(rows) + 1) - 1, rows=tuple(
            TableRow(doc=doc, table=title, start=row[0].start, end=row[-1].end,
                     cells=tuple(zip(headers, (line.text for line in row)))) for row in rows)))
        i += width * (len(rows) + 1)
    return tables


def cell_per_line_tables(lines: list[Line], doc: str) -> list[Table]:
    """The national plan's table: "序号", the headers, then each cell on a line of its own."""
    tables = []
    for i, line in enumerate(lines):
        if line.text != "序号":
            continue
        headers, k = ["序号"], i + 1
        while k < len(lines) and lines[k].text != "1" and len(lines[k].text) <= 12 and len(headers) < 12:
            headers.append(lines[k].text)
            k += 1
        if k >= len(lines) or lines[k].text != "1" or len(headers) < 3:
            continue
        rows, serial = [], 1
        while k + len(headers) <= len(lines) and lines[k].text == str(serial):
            cells = [c.text for c in lines[k : k + len(headers)]]
            rows.append(TableRow(doc=doc, table="", start=lines[k].start,
                                 end=lines[k + len(headers) - 1].end,
                                 cells=tuple(zip(headers, cells))))
            k, serial = k + len(headers), serial + 1
        title_line, title = caption_above(lines, i)
        if rows:
            tables.append(Table(title=title, unit="", rows=tuple(replace(r, table=title) for r in rows),
                                first=title_line, last=k - 1))
    return tables


# A statistical yearbook's table as text extraction leaves it: a header of years, then each row's
# name (Chinese, often an English translation after it, run onto a second line) and its numbers
# separated by spaces, "#" marking a part of the row above (其中).
_YEARS = re.compile(r"^(.*?)((?:\s+(?:19|20)\d{2}年?){2,})\s*$")
_FIGURE = re.compile(r"^-?\d+(?:\.\d+)?$")
_ENGLISH = re.compile(r"\s+[A-Za-z][A-Za-z0-9\s().,/&'’-]*$")
_UNIT_IN_NAME = re.compile(r"[（(]([^（）()]{1,6})[）)]")  # its last one: a part's (其中) is its row's
SERIES_LABEL_LINES = 3  # a row's name runs over at most this many lines; more is prose


def series_tables(lines: list[Line], doc: str) -> list[Table]:
    """Tables of yearly figures ("项目 Item 2010 2015 2020 2021", "城镇居民最低生活保障人数(人) …
    181530 129477 62379 64992"): each row's figures under their years, in the row's unit."""
    tables = []
    i = 0
    while i < len(lines):
        header = _YEARS.match(lines[i].text)
        if not header:
            i += 1
            continue
        years = [y if y.endswith("年") else f"{y}年" for y in header.group(2).split()]
        rows, last = _series_rows(lines, i + 1, years, doc)
        if len(rows) >= 2:
            first = next((k for k in range(i - 1, max(i - 3, -1), -1) if re.search(r"[\u4e00-\u9fff]", lines[k].text)
                          and is_caption(lines[k].text)), i)
            title = lines[first].text if first < i else ""
            tables.append(Table(title=title, unit="", first=first, last=last,
                                rows=tuple(replace(r, table=title) for r in rows)))
            i = last + 1
        else:
            i += 1
    return tables


def _series_rows(lines: list[Line], k: int, years: list[str], doc: str) -> tuple[list[TableRow], int]:
    rows, name, parent, start, last = [], "", "", None, k - 1
    pending = 0
    while k < len(lines):
        tokens = lines[k].text.split()
        n = 0
        while n < min(len(tokens), len(years)) and _FIGURE.match(tokens[-1 - n]):
            n += 1
        label = _ENGLISH.sub("", " ".join(tokens[:len(tokens) - n])).strip()
        if label and (label[-1:] in TERMINAL or len(label) > 40):
            break  # prose: the table has ended
        if start is None:
            start, first_line = lines[k].start, k
        if label and re.search(r"[\u4e00-\u9fff]", label):
            name = label
        pending += 1
        if n:
            figures = tokens[len(tokens) - n:]
            full = f"{parent}其中：{name.lstrip('#')}" if name.startswith("#") and parent else name
            parent = parent if name.startswith("#") else name
            printed = " ".join(" ".join(line.text.split()) for line in lines[first_line:k + 1])
            rows.append(TableRow(doc=doc, table="", start=start, end=lines[k].end, printed=printed,
                                 cells=(("指标", full), *_figures(full, years, figures))))
            name, start, pending, last = "", None, 0, k
        elif pending > SERIES_LABEL_LINES:
            break
        k += 1
    return rows, last


def _figures(name: str, years: list[str], figures: list[str]) -> tuple[tuple[str, str], ...]:
    """Each figure under its year, the unit the row's name ends with ("(人)") in the header. A
    row with fewer figures than years keeps them together: which years they are, the text does
    not say."""
    unit = (_UNIT_IN_NAME.findall(name) or [""])[-1]
    unit = f"（{unit}）" if unit else ""
    if len(figures) == len(years):
        return tuple((f"{year}{unit}", figure) for year, figure in zip(years, figures))
    return ((f"数值{unit}（表列{'、'.join(years)}，本行只有{len(figures)}个数，对应年份原文未标明）",
             " ".join(figures)),)


