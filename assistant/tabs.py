"""What the indicator and sources tabs show: the rows a search finds, a row's source, the
export files, and the documents of the index in use."""

from __future__ import annotations

import hashlib
import html
import os
import threading
from pathlib import Path

import pandas as pd

from .compose import NO_DATE
from .indicators import COLUMNS, search, to_csv, write_xlsx
from .question import synonyms

SOURCE_COLUMNS = ["标题", "发文单位", "日期", "级别", "地区", "类型", "文本块数"]


def filter_rows(rows: list[list[str]], query: str) -> pd.DataFrame:
    """The rows matching any word of `query` or its policy terms, best matches first."""
    return pd.DataFrame([rows[at] for at in search(rows, query, synonyms())], columns=COLUMNS)


def find_target(targets: list[dict], row: list) -> dict | None:
    """The target record a displayed table row came from (document title + indicator)."""
    if not row or len(row) != len(COLUMNS):
        return None
    title, name = row[COLUMNS.index("文档")], row[COLUMNS.index("指标")]
    return next((t for t in targets if t["title"] == title and t["cells"].get("指标") == name), None)


def render_target(record: dict | None) -> str:
    """The source of a selected indicator row: document, section, table and every cell."""
    if record is None:
        return "<p>点击表格中的一行，在这里查看它的出处。</p>"
    level = f"{record['level']}级" if record["level"] else ""
    facts = "，".join(f for f in (level, record["date"] or NO_DATE) if f)
    cells = "".join(f"<tr><th>{html.escape(h)}</th><td>{html.escape(v)}</td></tr>"
                    for h, v in record["cells"].items())
    return (f'<div class="target-source"><h4>{html.escape(record["cells"].get("指标", ""))}</h4>'
            f"<p>出处：《{html.escape(record['title'])}》（{html.escape(facts)}）</p>"
            f"<p>位置：{html.escape(record['section'])}</p>"
            f"<p>表格：{html.escape(record['table'] or '（无标题）')}</p><table>{cells}</table></div>")


def write_exports(table: list[list[str]], folder: Path) -> tuple[Path, Path]:
    """The filtered rows as CSV (with a BOM: Excel then reads UTF-8) and XLSX, in a folder
    named by their content: the same rows give the same files, other users' other rows never
    overwrite them."""
    text = to_csv(table)
    where = folder / hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    csv_path, xlsx_path = where / "民政指标.csv", where / "民政指标.xlsx"
    if not xlsx_path.exists():
        where.mkdir(parents=True, exist_ok=True)
        partial = where / f".{os.getpid()}.{threading.get_ident()}"
        partial.with_suffix(".csv").write_text(text, encoding="utf-8-sig")
        os.replace(partial.with_suffix(".csv"), csv_path)
        write_xlsx(table, partial.with_suffix(".xlsx"))
        os.replace(partial.with_suffix(".xlsx"), xlsx_path)
    return csv_path, xlsx_path


def source_rows(meta: dict) -> list[list]:
    return [[d.get("title", name), d.get("issuer", ""), d.get("date") or NO_DATE, d.get("level", ""),
             d.get("region", ""), d.get("kind", ""), d.get("chunks", 0)]
            for name, d in meta.get("documents", {}).items()]


def index_summary(meta: dict, indicators: int) -> str:
    documents = meta.get("documents", {})
    chunks = sum(d.get("chunks", 0) for d in documents.values())
    skipped = "".join(f"\n- 未收录 {s['name']}：{s['reason']}" for s in meta.get("skipped", []))
    return (f"索引构建于 **{meta.get('built_at', '未知')}**，嵌入模型 **{meta.get('model', '未知')}**；"
            f"共 {len(documents)} 份文件、{chunks} 个文本块、{indicators} 项指标。{skipped}")
