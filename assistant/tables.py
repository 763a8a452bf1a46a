"""Find the tables PDF extraction flattened and turn each row into a self-contained record."""

from __future__ import annotations

import re
from dataclasses import replace

from .clean import Line
from .flattened import Table, cell_per_line_tables, column_tables, is_caption, series_tables, spaced_as_tabs
from .lexicon import pattern
from .schema import Document, TableRow

_SERIAL = re.compile(r"^(?:\d{1,3}|[一二三四五六七八九十]{1,3})$")
_UNIT_NOTE = re.compile(r"^单位[:：]")


def find_tables(lines: list[Line], doc: str, raw: str = "") -> list[Table]:
    """Tab-separated tables (Markdown pipe tables and rows of space-separated cells read as
    such), and tables text extraction flattened one cell per line or into yearly series, in
    document order; where two readings overlap, the first found."""
    tables = (_tab_tables(spaced_as_tabs([pipe_row_as_tabs(line) for line in lines], raw), doc)
              + cell_per_line_tables(lines, doc) + series_tables(lines, doc))
    taken = {k for t in tables for k in range(t.first, t.last + 1)}
    tables += [t for t in column_tables(lines, doc) if not taken & set(range(t.first, t.last + 1))]
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
        if caption and is_caption(caption):
            if _UNIT_NOTE.match(caption):
                unit = unit or caption
            else:
                title = title or caption
            first = k
        else:
            break
    form = label_value_rows(block)
    if form:
        rows = tuple(TableRow(doc=doc, table=title, start=lines[i + n].start, end=lines[i + n].end,
                              cells=(pair,)) for n, pair in form)
        return Table(title=title, unit=unit, rows=rows, first=first, last=j)
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


def label_value_rows(block: list[list[str]]) -> list[tuple[int, tuple[str, str]]]:
    """A form laid out as a table, each label beside its value, two or four cells a row
    ("事项名称 | 最低生活保障审核确认", "办理时限 | 30个工作日"): each (row index, (label, value)),
    or [] when most labels are not field names. Read as a table headed by its first row, every
    value had been filed under "最低生活保障审核确认"."""
    rows = [(n, cells) for n, cells in enumerate(block) if any(cells)]
    widths = {len(cells) for _, cells in rows}
    if len(rows) < 2 or len(widths) != 1 or widths.pop() not in FORM_WIDTHS:
        return []
    pairs = [(n, (cells[k].rstrip("：:").strip(), cells[k + 1])) for n, cells in rows
             for k in range(0, len(cells), 2) if cells[k] and cells[k + 1]]
    labels = [label for _, (label, _) in pairs]
    values = [value.strip() for _, (_, value) in pairs]
    named = sum(1 for label in labels if len(label) <= FIELD_CHARS and _FIELD.search(label)
                and not re.search(r"\d", label))
    if not labels or named < FIELD_SHARE * len(labels) or standards(values):
        return []
    return pairs


def standards(values: list[str]) -> bool:
    """A form's values are words ("乡镇人民政府社会救助窗口", "30个工作日"); a table of standards
    gives bare figures under a header naming their unit ("城市低保标准 | 900" under "类别 |
    标准（元/人/月）"): read as a form, 900 had lost its 元."""
    bare = sum(1 for value in values if _NUMBER.match(value))
    return bare * 2 > len(values) or bool(values and _UNIT_HEADER.search(values[0]))


_UNIT_HEADER = re.compile(r"[（(][^）)]*(?:元|%|％|人|户|张|个)[^）)]*[）)]$")


FORM_WIDTHS = (2, 4)  # cells a row of a form holds: label, value (twice side by side)
FIELD_CHARS = 12  # a field's name is short: "办理时限", "受理地点", "收费标准"
FIELD_SHARE = 0.75  # of the labels, naming a field: a table of standards' first column names items
_FIELD = pattern("field_label")


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
