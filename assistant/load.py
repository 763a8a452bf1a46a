"""Load source documents (.txt .md .docx .pdf .html .xlsx) and their manifest entries from the corpus folder."""

from __future__ import annotations

import codecs
import logging
import os
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .metadata import derive, undated_stem
from .schema import Document

CITATION_FIELDS = ("issuer", "number", "date", "promulgated", "effective", "region", "level",
                   "kind")

SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".html", ".htm", ".xlsx")
# Documents an office has in formats this reader does not open: skipped, saying how to convert
# them, rather than left out without a word.
_AS_DOCX = "旧版或其他格式的文字文档无法读取：请用 Word 或 WPS 另存为 .docx 后放回"
_AS_XLSX = "旧版或其他格式的表格无法读取：请用 Excel 或 WPS 另存为 .xlsx 后放回"
_SCANNED = "图片中的文字无法直接读取：请放入文字版（.docx、.pdf、.txt），或先做文字识别"
CONVERT = {".doc": _AS_DOCX, ".wps": _AS_DOCX, ".rtf": _AS_DOCX, ".odt": _AS_DOCX,
           ".xls": _AS_XLSX, ".et": _AS_XLSX, ".ods": _AS_XLSX,
           ".ofd": "OFD 版式文件无法读取：请另存为 .pdf 后放回",
           **{suffix: _SCANNED for suffix in (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp")}}
MANIFEST = "manifest.toml"
MAX_FILE_MB = 20  # default of ASSISTANT_MAX_FILE_MB; see load_corpus


@dataclass(frozen=True)
class Skipped:
    name: str
    reason: str


@dataclass(frozen=True)
class Notice:
    """Something the user should know about a file that was used (or about the manifest)."""

    name: str
    message: str


@dataclass(frozen=True)
class Corpus:
    documents: list[Document]
    skipped: list[Skipped]
    notices: list[Notice]


FIELDS = ("title", *CITATION_FIELDS)
MOSTLY = 0.5  # a file whose bytes are more than half undecodable is not text in any encoding
# A UTF-8 file with a few damaged bytes stays UTF-8 (they are replaced). A GBK file read as
# UTF-8 fails on nearly every non-ASCII byte, so more than 1 % failing means it is not UTF-8.
UTF8_DAMAGE = 0.01


def load_corpus(corpus_dir: Path,
                max_mb: float = MAX_FILE_MB) -> tuple[list[Document], list[Skipped]]:
    """Every readable document in `corpus_dir`, and a one-line reason for each one skipped."""
    corpus = read_corpus(corpus_dir, max_mb)
    return corpus.documents, corpus.skipped


def read_corpus(corpus_dir: Path, max_mb: float = MAX_FILE_MB) -> Corpus:
    """Documents in `corpus_dir` and its sub-folders (the relative path is the document's name),
    a one-line reason for each file skipped, and notices about files used anyway.

    A file over `max_mb` is skipped: 20 MB of Chinese text is some 35 000 passages, hours of
    embedding on a small CPU, and in a policy corpus more likely an export gone wrong. A link
    leading outside the folder is skipped: the corpus is what the folder holds, and its text is
    shown to anyone who asks (a `passwd.txt` link to /etc/passwd would be).
    """
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"语料目录不存在: {corpus_dir}")
    paths, skipped = list_corpus(corpus_dir)
    notices: list[Notice] = []
    try:
        raw = read_manifest(corpus_dir / MANIFEST)
    except ValueError as error:
        raw = {}
        notices.append(Notice(MANIFEST, f"{error}；已忽略整个清单，标题取自正文"))
    manifest, problems = validate_manifest(raw, {name for name, _ in paths})
    notices += problems
    read: list[tuple[str, str, int]] = []
    for name, path in paths:
        try:
            size_mb = path.stat().st_size / 1e6
            if size_mb > max_mb:
                raise ValueError(f"文件过大（{size_mb:.1f} MB，上限 {max_mb:g} MB）："
                                 "请拆分后再放入，或调高 ASSISTANT_MAX_FILE_MB")
            text, replaced = read_text_counting(path)
        except OSError as error:  # a broken link, a file removed meanwhile, no permission
            skipped.append(Skipped(name, f"无法读取: {error.strerror or error}"))
            continue
        except ValueError as error:
            skipped.append(Skipped(name, str(error)))
            continue
        read.append((name, text, replaced))
    keeper = originals([(name, text) for name, text, _ in read], manifest)
    documents = []
    for name, text, replaced in read:
        same = keeper[name]
        if same != name:  # a copy (saved twice, with and without a byte-order mark): cited once
            skipped.append(Skipped(name, f"与 {same} 内容相同，未重复收录"))
            continue
        if replaced:
            notices.append(Notice(name, f"{replaced} 个无法解码的字节已替换"))
        documents.append(make_document(name, text, manifest.get(name, {})))
    return Corpus(documents, skipped, notices)


def originals(files: list[tuple[str, str]], manifest: dict) -> dict[str, str]:
    """For each file, the file kept of those holding its text (whitespace aside): the one the
    manifest describes, else the shortest name ("指南.txt", not "指南 - 副本.txt" nor
    "指南(1).txt"), else the first by name."""
    first: dict[str, str] = {}
    kept: dict[str, str] = {}
    for name, text in sorted(files, key=lambda f: (f[0] not in manifest, len(f[0]), f[0])):
        kept[name] = first.setdefault(re.sub(r"\s+", "", text), name)
    return kept


def list_corpus(corpus_dir: Path) -> tuple[list[tuple[str, Path]], list[Skipped]]:
    """(name, path) of every document file, sub-folders included, and the files passed over."""
    root = corpus_dir.resolve()
    found: list[tuple[str, Path]] = []
    skipped: list[Skipped] = []
    for folder, dirs, files in os.walk(corpus_dir):
        folder_path = Path(folder)
        for entry in sorted(dirs):
            path = folder_path / entry
            name = path.relative_to(corpus_dir).as_posix()
            if entry.startswith("."):
                skipped.append(Skipped(name + "/", "隐藏目录，已跳过"))
            elif path.is_symlink():
                where = "指向语料目录之外" if not _inside(path, root) else "可能造成重复或循环"
                skipped.append(Skipped(name + "/", f"目录链接不跟随（{where}）"))
        dirs[:] = sorted(d for d in dirs
                         if not d.startswith(".") and not (folder_path / d).is_symlink())
        for entry in sorted(files):
            path = folder_path / entry
            name = path.relative_to(corpus_dir).as_posix()
            if path.suffix.lower() in CONVERT and not entry.startswith("."):
                skipped.append(Skipped(name, CONVERT[path.suffix.lower()]))
                continue
            if path.suffix.lower() not in SUFFIXES:
                continue
            if entry.startswith("."):
                skipped.append(Skipped(name, "隐藏文件，已跳过"))
            elif path.is_symlink() and not _inside(path, root):
                skipped.append(Skipped(name, "链接指向语料目录之外，已跳过"))
            else:
                found.append((name, path))
    return sorted(found), skipped


def _inside(path: Path, root: Path) -> bool:
    return path.resolve().is_relative_to(root)


def read_manifest(path: Path) -> dict:
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ValueError(f"{path.name} 格式有误: {error}") from None


def validate_manifest(raw: dict, names: set[str]) -> tuple[dict[str, dict], list[Notice]]:
    """Each entry checked on its own: what is wrong is named and left out, the rest is used."""
    entries: dict[str, dict] = {}
    notices: list[Notice] = []

    def note(message: str) -> None:
        notices.append(Notice(MANIFEST, message))

    for key, entry in raw.items():
        if not isinstance(entry, dict):
            note(f"[\"{key}\"] 应是一个表（title = \"…\" 等字段），却是 {_kind(entry)}，已忽略")
            continue
        if key not in names:
            note(f"[\"{key}\"] 在语料目录中没有对应的文件，已忽略")
            continue
        fields = {}
        for field, value in entry.items():
            if field not in FIELDS:
                note(f"[\"{key}\"] 的字段 {field} 无法识别（可用：{'、'.join(FIELDS)}），已忽略")
            elif isinstance(value, bool) or not isinstance(value, (str, int, float, date)):
                note(f"[\"{key}\"] 的 {field} 应是文字，却是 {_kind(value)}，已忽略")
            else:  # a TOML date (date = 2021-05-24, unquoted) reads as the same text
                fields[field] = str(value).strip()
        entries[key] = fields
    return entries, notices


def _kind(value) -> str:
    return {list: "数组", dict: "表", bool: "真假值", str: "文字"}.get(type(value), "数值")


def make_document(name: str, text: str, entry: dict) -> Document:
    """The document with its citation fields: the manifest's entry (validated, see
    `validate_manifest`) where it has one, else what the text and file name themselves say
    (title, issuer, dates, level and region)."""
    fields = {**derive(name, text), **{k: str(v) for k, v in entry.items() if v not in ("", None)}}
    return Document(name=name, text=text, **{k: fields[k] for k in CITATION_FIELDS if k in fields},
                    title=fields["title"])


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


def decode(data: bytes) -> str:
    return decode_counting(data)[0]


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
