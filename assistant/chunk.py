"""Structure-aware chunking: heading paths, whole sentences with overlap, one chunk per table row."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from .clean import Line, clean_lines, join_broken, split_sentences
from .schema import Chunk, Document, TableRow
from .tables import describe, find_tables

NUM = r"[一二三四五六七八九十百零]{1,4}"
# (rank, pattern): a smaller rank is an outer heading. Ranks only order headings within a
# document; the digests and the plans never mix their heading styles.
HEADINGS = [
    (1, re.compile(rf"^第{NUM}章")),
    (1, re.compile(r"^★+\s*([^★]+?)\s*★+$")),
    (2, re.compile(rf"^第{NUM}节")),
    (2, re.compile(r"^●\s*(.+)$")),
    (2, re.compile(r"^[^|｜。，,]{1,20}\s*[|｜]\s*\S.{0,60}$")),
    (3, re.compile(rf"^{NUM}、")),
    (4, re.compile(rf"^[（(]{NUM}[）)]")),
    (5, re.compile(r"^专栏\s*\d+")),
    (6, re.compile(r"^\d{1,2}\s*[.．、](?!\d)")),
    (7, re.compile(r"^0\d\s+\S")),
]
PARAGRAPH_RANK = 6
DIGEST_SECTION = 1  # a bare short line such as "社会救助" right above a "地区 | 标题" item
TOC_RUN = 5  # this many headings in a row with no text between them is a table of contents


@dataclass(frozen=True)
class Heading:
    rank: int
    title: str
    body: str  # text that followed the heading on the same line, if any


def parse_heading(text: str) -> Heading | None:
    for rank, pattern in HEADINGS:
        match = pattern.match(text)
        if not match:
            continue
        if match.groups():  # markers such as ★ and ● are not part of the title
            return Heading(rank, match.group(1).strip(), "")
        if len(text) <= 40 and not re.search(r"[。；]", text.rstrip("。")):
            return Heading(rank, text.rstrip("。"), "")
        return Heading(rank, _lead(text), text)
    return None


def _lead(text: str) -> str:
    """A heading run into its paragraph: its first sentence, or first clause when that is long."""
    first = re.split(r"(?<=[。；])", text, maxsplit=1)[0].rstrip("。；")
    return first if len(first) <= 30 else re.split(r"[，,：:]", first)[0][:30]


def chunk_document(document: Document, *, max_chars: int = 300, overlap: int = 1
                   ) -> tuple[list[Chunk], list[TableRow]]:
    """All chunks of a document, and its table rows as records."""
    lines = clean_lines(document.text)
    tables = {t.first: t for t in find_tables(lines, document.name)}
    chunks: list[Chunk] = []
    rows: list[TableRow] = []
    stack: list[Heading] = []
    paragraphs: list[Line] = []
    run_of_headings = 0

    def section() -> tuple[str, ...]:
        return (document.title, *(h.title for h in stack))

    def flush() -> None:
        chunks.extend(_pack(paragraphs, document.name, section(), max_chars, overlap))
        paragraphs.clear()

    i = 0
    while i < len(lines):
        if i in tables:
            flush()
            table = tables[i]
            # A table closes numbered paragraphs ("6. …"): it belongs to the section above them.
            stack = [h for h in stack if h.rank < PARAGRAPH_RANK]
            for row in table.rows:
                row = TableRow(doc=row.doc, table=row.table, cells=row.cells, start=row.start,
                               end=row.end, section=(*section(), table.title or "表格"))
                rows.append(row)
                chunks.append(_make_chunk(document.name, describe(row, document, table.unit),
                                          row.section, "table_row", row.start, row.end))
            i, run_of_headings = table.last + 1, 0
            continue
        text = lines[i].text
        heading = parse_heading(text) or _digest_section(lines, i)
        if heading:
            flush()
            run_of_headings = 0 if heading.body else run_of_headings + 1
            stack = [h for h in stack if h.rank < heading.rank] + [heading]
            if heading.body:
                paragraphs.append(Line(heading.body, lines[i].start, lines[i].end))
        else:
            if run_of_headings >= TOC_RUN:
                stack = []
            paragraphs.append(lines[i])
            run_of_headings = 0
        i += 1
    flush()
    return chunks, rows


def _digest_section(lines: list[Line], i: int) -> Heading | None:
    text = lines[i].text
    if len(text) > 12 or re.search(r"[，。：:；|｜]", text) or i + 1 >= len(lines):
        return None
    following = parse_heading(lines[i + 1].text)
    return Heading(DIGEST_SECTION, text, "") if following and following.rank == 2 else None


def _pack(paragraphs: list[Line], doc: str, section: tuple[str, ...], max_chars: int,
          overlap: int) -> list[Chunk]:
    """Greedy runs of whole sentences up to `max_chars`, each run repeating the last
    `overlap` sentences of the one before it."""
    if not paragraphs:
        return []
    joined = join_broken(paragraphs, [False] * len(paragraphs))
    sentences: list[tuple[str, Line]] = [
        (s, line) for line in joined for s in split_sentences(line.text)
    ]
    chunks, current = [], []
    for sentence in sentences:
        size = sum(len(s) for s, _ in current)
        if current and size + len(sentence[0]) > max_chars:
            chunks.append(current)
            current = current[-overlap:] if overlap and len(current) > overlap else []
        current.append(sentence)
    if current:
        chunks.append(current)
    return [
        _make_chunk(doc, "".join(s for s, _ in run), section, "text",
                    min(line.start for _, line in run), max(line.end for _, line in run))
        for run in chunks
    ]


def _make_chunk(doc: str, text: str, section: tuple[str, ...], kind: str, start: int, end: int
                ) -> Chunk:
    key = "\x1f".join((doc, *section, text))
    chunk_id = hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]
    return Chunk(id=chunk_id, doc=doc, text=text, section=section, kind=kind, start=start, end=end)
