"""Load source documents (.txt .md .docx .pdf) and their manifest entries from the corpus folder."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from .metadata import derive
from .schema import Document

CITATION_FIELDS = ("issuer", "number", "date", "promulgated", "effective", "region", "level",
                   "kind")

SUFFIXES = (".txt", ".md", ".docx", ".pdf")
MANIFEST = "manifest.toml"
MAX_FILE_MB = 20  # default of ASSISTANT_MAX_FILE_MB; see load_corpus


@dataclass(frozen=True)
class Skipped:
    name: str
    reason: str


def load_corpus(corpus_dir: Path,
                max_mb: float = MAX_FILE_MB) -> tuple[list[Document], list[Skipped]]:
    """Every readable document in `corpus_dir`, and a one-line reason for each one skipped.

    A file over `max_mb` is skipped: 20 MB of Chinese text is some 35 000 passages, hours of
    embedding on a small CPU, and in a policy corpus more likely an export gone wrong.
    """
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"语料目录不存在: {corpus_dir}")
    manifest = read_manifest(corpus_dir / MANIFEST)
    documents, skipped = [], []
    for path in sorted(corpus_dir.iterdir()):
        if path.suffix.lower() not in SUFFIXES or path.name.startswith("."):
            continue
        try:
            size_mb = path.stat().st_size / 1e6
            if size_mb > max_mb:
                raise ValueError(f"文件过大（{size_mb:.1f} MB，上限 {max_mb:g} MB）："
                                 "请拆分后再放入，或调高 ASSISTANT_MAX_FILE_MB")
            text = read_text(path)
        except OSError as error:  # a broken link, a file removed meanwhile, no permission
            skipped.append(Skipped(path.name, f"无法读取: {error.strerror or error}"))
            continue
        except ValueError as error:
            skipped.append(Skipped(path.name, str(error)))
            continue
        documents.append(make_document(path.name, text, manifest.get(path.name, {})))
    return documents, skipped


def read_manifest(path: Path) -> dict[str, dict]:
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ValueError(f"{path} 格式有误: {error}") from None


def make_document(name: str, text: str, entry: dict) -> Document:
    """The document with its citation fields: the manifest's entry where it has one, else what
    the text and file name themselves say (title, issuer, dates, level and region)."""
    fields = {**derive(name, text), **{k: str(v) for k, v in entry.items() if v not in ("", None)}}
    return Document(name=name, text=text, **{k: fields[k] for k in CITATION_FIELDS if k in fields},
                    title=fields["title"])


def read_text(path: Path) -> str:
    """Text of one file; ValueError with a one-line reason when it cannot be used."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        text = _read_docx(path)
    elif suffix == ".pdf":
        text = _read_pdf(path)
    else:
        text = decode(path.read_bytes())
    if not text.strip():
        raise ValueError("文件为空或没有可提取的文字")
    return text


def decode(data: bytes) -> str:
    """UTF-8 first; GB18030 (a superset of GBK) is what Chinese Windows tools still write."""
    if b"\x00" in data[:8192]:
        raise ValueError("不是文本文件（含二进制内容）")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("无法识别的文字编码（既不是 UTF-8 也不是 GBK）")


def _read_docx(path: Path) -> str:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as error:  # python-docx raises several unrelated types for broken files
        raise ValueError(f"无法读取 Word 文件: {type(error).__name__}") from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines += ["\t".join(cell.text for cell in row.cells) for row in table.rows]
    return "\n".join(lines)


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, OSError) as error:
        raise ValueError(f"无法读取 PDF 文件: {error}") from None
