"""Find the tables PDF extraction flattened and turn each row into a self-contained record."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .clean import TERMINAL, Line
from .schema import Document, TableRow

_SERIAL = re.compile(r"^(?:\d{1,3}|[一二三四五六七八九十]{1,3})$")
_UNIT_NOTE = re.compile(r"^单位[:：]")


@dataclass(frozen=True)
class Table:
    title: str
    unit: str  # a "单位：万元" note, if the table has one
    rows: tuple[TableRow, ...]
    first: int  # line indices the table occupies, title lines included
    last: int


def find_tables(lines: list[Line], doc: str) -> list[Table]:
    """Tab-separated tables (Markdown pipe tables read as such) and tables flattened one cell
    per line, in document order."""
    tables = (_tab_tables([pipe_row_as_tabs(line) for line in lines], doc)
              + _cell_per_line_tables(lines, doc) + series_tables(lines, doc))
    return sorted(tables, key=lambda t: t.first)


_PIPE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_PIPE_RULE = re.compile(r"^[\s:|-]*-[\s:|-]*$")  # |---|:---:|
_MARKDOWN_MARK = re.compile(r"^#{1,6}\s+")  # "## 表1 …" above a table: its caption
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")  # "含 \| 说明" is a pipe inside a cell


def pipe_row_as_tabs(line: Line) -> Line:
    """A Markdown table row ("| 项目 | 城市 |") as a tab-separated one; its rule line (|---|---|)
    as a row of empty cells, so the table stays one block of lines. "\\|" is a pipe in a cell."""
    row = _PIPE_ROW.match(line.text)
    if not row:
        return line
    cells = [c.strip().replace("\\|", "|") for c in _UNESCAPED_PIPE.split(row.group(1))]
    if _PIPE_RULE.match(line.text):
        cells = [""] * len(cells)
    return replace(line, text="\t".join(cells))


def _tab_tables(lines: list[Line], doc: str) -> list[Table]:
    tables, i = [], 0
    while i < len(lines):
        if "\t" not in lines[i].text:
            i += 1
            continue
        j = i
        while j + 1 < len(lines) and "\t" in lines[j + 1].text:
            j += 1
        block = [[c.strip() for c in line.text.split("\t")] for line in lines[i : j + 1]]
        table = _tab_table(block, lines, i, j, doc)
        if table:
            tables.append(table)
        i = j + 1
    return tables


def _tab_table(block: list[list[str]], lines: list[Line], i: int, j: int, doc: str) -> Table | None:
    title, unit, first = "", "", i
    for k in (i - 1, i - 2):  # a short caption above the table: its title and/or a unit note
        caption = _MARKDOWN_MARK.sub("", lines[k].text) if k >= 0 else ""
        if caption and _is_caption(caption):
            if _UNIT_NOTE.match(caption):
                unit = unit or caption
            else:
                title = title or caption
            first = k
        else:
            break
    header_rows, data, start_row = [], [], None
    for n, cells in enumerate(block):
        filled = [c for c in cells if c]
        if len(filled) == 1 and not _SERIAL.match(cells[0]) and start_row is None and not header_rows:
            if _UNIT_NOTE.match(filled[0]):
                unit = filled[0]
            else:
                title = filled[0]
        elif start_row is None and not _SERIAL.match(cells[0]):
            header_rows.append(cells)
        else:
            start_row = n if start_row is None else start_row
            data.append((cells, lines[i + n]))
    widths = {len(cells) for cells in header_rows}
    if len(header_rows) > 1 and not data and len(widths) == 1 and widths.pop() > 1:
        # no serial column, but a regular grid: the first row heads the rest
        first_header = block.index(header_rows[0])
        data = [(cells, lines[i + n]) for n, cells in enumerate(block) if n > first_header]
        header_rows = header_rows[:1]
    if not header_rows or not data:
        return None
    headers = _merge_headers(header_rows)
    label = _label_project if any("项目名称" in h for h in headers) else _label_by_header
    rows = tuple(
        TableRow(doc=doc, table=title, start=line.start, end=line.end, cells=label(cells, headers))
        for cells, line in data if sum(1 for c in cells if c) > 1
    )
    return Table(title=title, unit=unit, rows=rows, first=first, last=j)


def _label_by_header(cells: list[str], headers: list[str]) -> tuple[tuple[str, str], ...]:
    return tuple((headers[k] if k < len(headers) else "", c) for k, c in enumerate(cells) if c)


_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_INVESTMENT_LABELS = {
    1: ("总投资",),
    2: ("总投资", "“十四五”计划投资"),
    3: ("总投资", "止“十三五”末预计完成投资(续建)", "“十四五”计划投资"),
}


def _label_project(cells: list[str], headers: list[str]) -> tuple[tuple[str, str], ...]:
    """Label a project-table row by what each cell holds.

    A two-storey project-table header loses its spans in extraction, so the
    header cells no longer sit above their columns; the cells themselves are unambiguous.
    """
    numbers = [c for k, c in enumerate(cells) if k >= 2 and _NUMBER.match(c)]
    money = iter(_INVESTMENT_LABELS.get(len(numbers), ("投资",) * len(numbers)))
    labelled, seen_money = [], False
    for k, cell in enumerate(cells):
        if not cell:
            continue
        if k == 0 and _SERIAL.match(cell):
            label = "序号"
        elif _NUMBER.match(cell) and k >= 2:
            label, seen_money = next(money), True
        elif not seen_money:
            label = {1: "项目名称"}.get(k) or (
                "建设年限" if re.match(r"^\d{4}\s*[-—]\s*\d{4}$", cell)
                else "建设性质" if cell in ("新建", "改建", "扩建", "续建", "改扩建")
                else "建设内容")
        elif cell.endswith("投资") and len(cell) <= 8:
            label = "投资主体"
        elif re.search(r"[局委办]$|管委会|中心$", cell) and len(cell) <= 16:
            label = "责任单位"
        else:
            label = "项目进展情况"
        labelled.append((label, cell))
    return tuple(labelled)


def _merge_headers(header_rows: list[list[str]]) -> list[str]:
    width = max(len(r) for r in header_rows)
    return ["".join(r[k] for r in header_rows if k < len(r) and r[k]) for k in range(width)]


def _is_caption(text: str) -> bool:
    return len(text) <= 40 and text[-1:] not in TERMINAL and "\t" not in text


def _cell_per_line_tables(lines: list[Line], doc: str) -> list[Table]:
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
        title_line = i - 1 if i > 0 and _is_caption(lines[i - 1].text) else i
        title = lines[title_line].text if title_line < i else ""
        rows = [TableRow(doc=r.doc, table=title, cells=r.cells, start=r.start, end=r.end)
                for r in rows]
        if rows:
            tables.append(Table(title=title, unit="", rows=tuple(rows), first=title_line, last=k - 1))
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
                          and _is_caption(lines[k].text)), i)
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


def describe(row: TableRow, document: Document, unit: str = "") -> str:
    """The row as a sentence that reads on its own, then the original row for quoting."""
    level = f"（{document.level}级）" if document.level else ""
    table = row.table if row.table != document.title else ""  # a table that is the whole document
    caption = "".join(part for part in (table, f"（{unit}）" if unit else "") if part)
    indicator = row.get("指标", "项目名称")
    fields = [f"{h}：{v}" for h, v in row.cells
              if h and v and v != indicator and h not in ("序号",)]
    head = f"《{document.title}》{caption}{level}"
    body = f"{indicator}——" if indicator else ""
    original = row.printed or " ".join(v for _, v in row.cells)
    return f"{head}：{body}{'；'.join(fields)}。\n原表行：{original}"
