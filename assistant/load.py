"""Load source documents (.txt .md .docx .pdf .html .xlsx) and their manifest entries from the corpus folder."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .formats import read_text_counting
from .metadata import derive
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
