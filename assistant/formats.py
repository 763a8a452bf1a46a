"""Each file format as text: plain text in whatever encoding an office's tools wrote it, Word
(.docx: headings as Markdown, tables as tab-separated rows), Excel (.xlsx), PDF and web pages.
A file that cannot be used raises ValueError with a one-line reason."""

from __future__ import annotations

import codecs
import logging
import re
from pathlib import Path

from .metadata import undated_stem

MOSTLY = 0.5  # a file whose bytes are more than half undecodable is not text in any encoding
# A UTF-8 file with a few damaged bytes stays UTF-8 (they are replaced). A GBK file read as
# UTF-8 fails on nearly every non-ASCII byte, so more than 1 % failing means it is not UTF-8.
UTF8_DAMAGE = 0.01


def read_text(path: Path) -> str:
    """Text of one file; ValueError with a one-line reason when it cannot be used."""
    return read_text_counting(path)[0]


def read_text_counting(path: Path) -> tuple[str, int]:
    """Text of one file and how many undecodable bytes were replaced by U+FFFD."""
    suffix = path.suffix.lower()
    replaced = 0
    if suffix == ".docx":
        text = _read_docx(path)
    elif suffix == ".pdf":
        text = _read_pdf(path)
    elif suffix == ".xlsx":
        text = _read_xlsx(path)
    else:
        text, replaced = decode_counting(path.read_bytes())
        if suffix in (".html", ".htm"):
            from .webpage import page_text

            text = page_text(text)
    if not text.strip():
        raise ValueError("文件为空或没有可提取的文字")
    return text, replaced


def decode_counting(data: bytes) -> tuple[str, int]:
    """UTF-8 first; GB18030 (a superset of GBK) is what Chinese Windows tools still write;
    UTF-16 with its byte-order mark is what Notepad saves as "Unicode".

    A damaged byte does not cost the document: it is replaced by U+FFFD and counted. Only a
    file that is mostly undecodable in both encodings is refused.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
        return text, text.count("\ufffd")
    if b"\x00" in data[:8192]:
        raise ValueError("不是文本文件（含二进制内容）")
    non_ascii = len(data.translate(None, bytes(range(128))))
    text, bad = _decode_replacing(data, "utf-8-sig")
    if bad and bad > UTF8_DAMAGE * non_ascii:
        text, bad = min((text, bad), _decode_replacing(data, "gb18030"), key=lambda t: t[1])
    if bad > MOSTLY * len(data):
        raise ValueError("无法识别的文字编码（既不是 UTF-8 也不是 GBK）")
    return text, bad


_ESCAPED = re.compile("[\udc80-\udcff]")


def _decode_replacing(data: bytes, encoding: str) -> tuple[str, int]:
    """`data` decoded with each undecodable byte replaced by U+FFFD, and how many there were."""
    try:  # surrogateescape keeps one marker per bad byte, so they can be counted
        text = data.decode(encoding, errors="surrogateescape")
    except UnicodeDecodeError:  # a bad ASCII-range byte in a multi-byte sequence
        text = data.decode(encoding, errors="replace")
        return text, text.count("\ufffd") - data.count("\ufffd".encode())
    bad = len(_ESCAPED.findall(text))
    return (_ESCAPED.sub("\ufffd", text) if bad else text), bad


def _read_docx(path: Path) -> str:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as error:  # python-docx raises several unrelated types for broken files
        raise ValueError(f"无法读取 Word 文件: {type(error).__name__}") from None
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines = []
    for child in document.element.body.iterchildren():  # paragraphs and tables in reading order
        if child.tag.endswith("}p"):
            paragraph = Paragraph(child, document)
            level = _heading_level(paragraph.style.name if paragraph.style is not None else "")
            lines.append(("#" * level + " " if level and paragraph.text.strip() else "") + paragraph.text)
        elif child.tag.endswith("}tbl"):
            for row in Table(child, document).rows:
                spanned = row.cells  # a merged cell is repeated for each column it spans: once
                cells = [cell for n, cell in enumerate(spanned) if n == 0 or cell._tc is not spanned[n - 1]._tc]
                lines.append("\t".join(cell.text.replace("\n", " ") for cell in cells))
    return "\n".join(lines)


def _heading_level(style: str) -> int:
    """Word's heading styles ("Heading 2", "标题 2", "Title") as Markdown heading levels."""
    found = re.match(r"^(?:Heading|标题)\s*(\d)$", style.strip())
    return int(found.group(1)) if found else 1 if style.strip() in ("Title", "标题") else 0


def _read_xlsx(path: Path) -> str:
    """A workbook's sheets, each a table: its name as the caption (unless Excel's default), then
    its rows tab-separated (a table of standards kept as a spreadsheet), under the file's name."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several unrelated types for broken files
        raise ValueError(f"无法读取 Excel 文件: {type(error).__name__}") from None
    lines = []
    for sheet in book.worksheets:
        rows = [["" if v is None else str(v).replace("\n", " ").strip() for v in row]
                for row in sheet.iter_rows(values_only=True)]
        rows = [row for row in rows if any(row)]
        if rows:
            caption = "" if re.fullmatch(r"(?:Sheet|工作表)\s*\d*", sheet.title) else sheet.title
            lines += ["", caption, *("\t".join(row).rstrip("\t") for row in rows)]
    book.close()
    # a workbook has no title line: its file name is its title
    title = re.sub(r"^附件\s*\d*\s*[:：]?", "", undated_stem(path.name)).strip(" _-()（）")
    return f"# {title}\n" + "\n".join(lines).strip()


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    quiet = logging.getLogger("pypdf")  # its own lines ("invalid pdf header") say it again, raw
    level, quiet.level = quiet.level, logging.CRITICAL
    try:
        reader = PdfReader(str(path))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, OSError) as error:
        raise ValueError(f"无法读取 PDF 文件: {error}") from None
    finally:
        quiet.setLevel(level)
