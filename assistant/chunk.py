"""Structure-aware chunking: heading paths, whole sentences with overlap, one chunk per table row,
and for legal text (编/章/节/条) one passage per article, its enumerations kept with their lead-in."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

from .clean import BULLET, ITEM, Line, clean_lines, ends_sentence, join_broken, join_cjk, split_sentences
from .headings import (ARTICLE_RANK, NUM, PARAGRAPH_RANK, Heading, bare_heading, digest_section,
                       FIELD, is_legal, list_items, parse_heading, parse_legal_heading)
from .lexicon import furniture_line, pattern
from .schema import Chunk, Document, TableRow
from .tables import describe, find_tables

# An article is cited whole, so it may run longer than a plan's passage; 500 characters stay
# well inside e5's 512-token window (about 1.3 characters a token for Chinese text).
ARTICLE_CHARS = 500
# A longer sentence is cut at its clauses: the plans' longest real sentences stay whole (≈ 400
# characters), a file without punctuation does not become one passage; about e5's window.
LONGEST_SENTENCE = 600
TOC_RUN = 5  # this many headings in a row with no text between them is a table of contents


def chunk_document(document: Document, *, max_chars: int = 300, overlap: int = 1
                   ) -> tuple[list[Chunk], list[TableRow]]:
    """All chunks of a document, and its table rows as records."""
    lines = clean_lines(document.text)
    legal = is_legal(lines)
    headings = parse_legal_heading if legal else parse_heading
    tables = {t.first: t for t in find_tables(lines, document.name, document.text)}
    items = set() if legal else list_items(lines)
    chunks: list[Chunk] = []
    rows: list[TableRow] = []
    stack: list[Heading] = []
    paragraphs: list[Line] = []
    paragraph_lines: list[int] = []  # each paragraph's line number (a heading's text: its own)
    run_of_headings = 0

    def section() -> tuple[str, ...]:
        return (document.title, *(h.title for h in stack))

    def flush() -> None:
        if stack and stack[-1].rank == ARTICLE_RANK and legal:
            chunks.extend(_pack_article(paragraphs, document.name, section(), ARTICLE_CHARS))
        else:
            # a legal document's lines outside its articles (a notice's head, promulgation
            # lines) are lines of their own, not a sentence a page break cut
            listed = [legal or i in items or bool(PHONE_END.search(lines[i].text))
                      or is_field(lines[i].text) or lines[i].text[:1] in BULLET
                      for i in paragraph_lines]
            packed = _pack(paragraphs, document.name, section(), max_chars, overlap, listed)
            chunks.extend(headed(packed, stack[-1].title) if stack and len(packed) == 1 else packed)
        paragraph_lines.clear()
        paragraphs.clear()

    i = 0
    while i < len(lines):
        if i in tables:
            flush()
            table = tables[i]
            # A table closes numbered paragraphs ("6. …"): it belongs to the section above them.
            stack = [h for h in stack if h.rank < PARAGRAPH_RANK]
            # a caption that is a heading of the text ("二、发放标准") takes its place among them:
            # not under "一、发放对象" before it
            captioned = headings(table.title) if table.title else None
            if captioned and not captioned.body:
                stack = [h for h in stack if h.rank < captioned.rank] + [captioned]
            named = table.title not in ("", document.title) and not (captioned and not captioned.body)
            for row in table.rows:
                row = replace(row, section=(*section(), *([table.title] if named else
                                                          [] if captioned else ["表格"])))
                rows.append(row)
                chunks.append(_make_chunk(document.name, describe(row, document, table.unit),
                                          row.section, "table_row", row.start, row.end))
            i, run_of_headings = table.last + 1, 0
            continue
        text = lines[i].text
        if names_title(text, document.title):
            # its 文号 ("…的通知(某民发[2022]44号)") is the document's record: kept in its head
            number = title_number(text)
            if number:
                paragraphs.append(Line(number, lines[i].start, lines[i].end))
                paragraph_lines.append(i)
            i += 1
            continue
        heading = None if i in items else (
            headings(text) or (None if legal else digest_section(lines, i) or bare_heading(
                lines, i, document.text)))
        if heading and text.startswith("# ") and heading.title == document.title:
            # the document's own Markdown title ("# 社会救助暂行办法") heads every path already
            # (a plain one, "临时救助办事指南", is names_title's)
            i += 1
            continue
        if heading:
            flush()
            run_of_headings = 0 if heading.body else run_of_headings + 1
            stack = [h for h in stack if h.rank < heading.rank] + [heading]
            if heading.body:
                paragraphs.append(Line(heading.body, lines[i].start, lines[i].end))
                paragraph_lines.append(i)
        else:
            if run_of_headings >= TOC_RUN:
                stack = []
            paragraphs.append(lines[i])
            paragraph_lines.append(i)
            run_of_headings = 0
        i += 1
    flush()
    return chunks, rows


def is_field(text: str) -> bool:
    """A guide's field ("办理时限：30个工作日") or a page's catalogue field ("发布时间:2017-07-13")
    stands on its own line; not a sentence a PDF broke before its colon ("城市低保\n标准为：每人
    每月900元。" is one sentence)."""
    field = FIELD.match(text)
    return bool(field) and not _PREDICATE.search(field.group(1)) or furniture_line(text)


_PREDICATE = pattern("predicate_label")


def title_number(text: str) -> str:
    """The 文号 a title line ends with ("…标准的通知(某民发[2022]44号)" → 某民发[2022]44号): the
    number (slots.tsv's evidence of one) with the issuer's short name before it."""
    from .slots import evidence, issuer_before

    found = evidence("number").search(text)
    return issuer_before(text[:found.start()]) + found.group(0) if found else ""


def names_title(text: str, title: str) -> bool:
    """A line that is the document's title again, alone or as a catalogue's field ("名称: 某镇临
    时救助办事指南" under a web page's 索引号 and 发布机构): every passage's path names it already.
    Kept, it was a passage of the title's words alone, first for any question on its topic."""
    field = FIELD.match(text.strip())
    return bool(title) and not re.search(r"[。；！？]", text) and (
        text.strip() == title or bool(field) and field.group(2).strip() == title)


# A line that ends with a phone number ("0931-5123456", "13912345678") is a line of a guide's
# contacts, not a sentence a page break cut: "办公地址" after it had been glued to the number.
PHONE_END = re.compile(r"(?:\d{3,4}-)?\d{7,8}$|(?<!\d)1\d{10}$")
BARE_BODY = 40  # characters: "0936-1234567" under "五、咨询电话" says nothing without it


def headed(chunks: list[Chunk], heading: str) -> list[Chunk]:
    """A section whose whole text is a bare value (a phone number, an address, "每周一至周五") reads
    with its heading before it ("咨询电话：0936-1234567"): alone, its sentence was close to no
    question, and the guide's phone number was not found for 咨询电话是多少."""
    text = chunks[0].text
    if len(text) > BARE_BODY or re.search(r"[。；！？]", text) or "\n" in text:
        return chunks
    title = re.sub(rf"^{NUM}、", "", ITEM.sub("", heading)).strip()  # 五、/（五）/5. 咨询电话
    if not title or text.startswith(title):  # a field's own label ("地点：各村委会")
        return chunks
    return [replace(chunks[0], text=f"{title}：{text}")]


def _pack(paragraphs: list[Line], doc: str, section: tuple[str, ...], max_chars: int,
          overlap: int, listed: list[bool]) -> list[Chunk]:
    """Greedy runs of whole sentences up to `max_chars`, each run repeating the last
    `overlap` sentences of the one before it; a list's items (`listed`) each on its own line."""
    if not paragraphs:
        return []
    joined = join_broken(paragraphs, listed)
    own_lines = {p.start for p, item in zip(paragraphs, listed) if item}
    on_own_line = [line.start in own_lines for line in joined]
    sentences: list[tuple[str, Line]] = []
    for k, line in enumerate(joined):
        pieces = [piece for s in split_sentences(line.text)
                  for piece in bounded(s, max(max_chars, LONGEST_SENTENCE))]
        if k and pieces and (on_own_line[k] or on_own_line[k - 1]):
            pieces[0] = "\n" + pieces[0]
        sentences += [(piece, line) for piece in pieces]
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
        _make_chunk(doc, "".join(s for s, _ in run).lstrip("\n"), section, "text",
                    min(line.start for _, line in run), max(line.end for _, line in run))
        for run in chunks
    ]


def bounded(sentence: str, limit: int) -> list[str]:
    """A sentence cut to pieces of at most `limit` characters: at ，；、 where it can, else by length.

    Text without sentence ends (a table dumped as prose, a file with no punctuation) must not
    become one passage of a million characters."""
    if len(sentence) <= limit:
        return [sentence]
    pieces, current = [], ""
    for clause in re.findall(r"[^，；、,;]+[，；、,;]*|[，；、,;]+", sentence):
        for start in range(0, len(clause), limit):
            part = clause[start:start + limit]
            if current and len(current) + len(part) > limit:
                pieces.append(current)
                current = ""
            current += part
    return pieces + [current] if current else pieces


def _pack_article(lines: list[Line], doc: str, section: tuple[str, ...], limit: int
                  ) -> list[Chunk]:
    """One article as one passage; a long one in parts at its 款, each part opening with the
    article number, and an enumeration's items always under their lead-in ("…下列材料：")."""
    paragraphs = _paragraphs(lines)
    if not paragraphs:
        return []
    whole = "\n".join(p.text for p in paragraphs)
    if len(whole) <= limit:
        return [_make_chunk(doc, whole, section, "text", paragraphs[0].start, paragraphs[-1].end)]
    number = section[-1]
    parts: list[list[Line]] = []
    lead: Line | None = None
    for paragraph in paragraphs:
        item = bool(ITEM.match(paragraph.text))
        if not item:
            lead = paragraph if paragraph.text.rstrip().endswith(("：", ":")) else None
        header = (lead.text if lead.text.startswith(number) else f"{number} {lead.text}") \
            if item and lead else f"{number}（续）"
        room = max(limit - len(header) - 1, limit // 2)
        for piece in _pieces(paragraph, room):
            if parts and len("\n".join(p.text for p in parts[-1])) + len(piece.text) < limit:
                parts[-1].append(piece)
            else:
                opener = [] if not parts or piece.text.startswith(number) else [
                    Line(header, piece.start, piece.start)]
                parts.append(opener + [piece])
    return [_make_chunk(doc, "\n".join(p.text for p in part), section, "text",
                        min(p.start for p in part), max(p.end for p in part)) for part in parts]


def _paragraphs(lines: list[Line]) -> list[Line]:
    """An article's 款 and 项, each whole: a line that a page break cut mid-sentence is joined
    to the line before it; an item ("（二）…") always starts anew."""
    out: list[Line] = []
    for line in lines:
        if out and not ITEM.match(line.text) and not ends_sentence(out[-1].text):
            out[-1] = replace(out[-1], text=join_cjk(out[-1].text + " " + line.text), end=line.end)
        else:
            out.append(line)
    return out


def _pieces(paragraph: Line, room: int) -> list[Line]:
    """A paragraph that fits, or runs of its sentences that do."""
    if len(paragraph.text) <= room:
        return [paragraph]
    runs, current = [], ""
    for sentence in split_sentences(paragraph.text):
        for piece in bounded(sentence, room):
            if current and len(current) + len(piece) > room:
                runs.append(current)
                current = ""
            current += piece
    runs.append(current)
    return [replace(paragraph, text=run) for run in runs if run]


def _make_chunk(doc: str, text: str, section: tuple[str, ...], kind: str, start: int, end: int
                ) -> Chunk:
    key = "\x1f".join((doc, *section, text))
    chunk_id = hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]
    return Chunk(id=chunk_id, doc=doc, text=text, section=section, kind=kind, start=start, end=end)
