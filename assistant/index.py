"""Open a build of the index for asking: what answering a question needs, and nothing of
building one (that is `build.py`).

Layout of the index folder:
    CURRENT              name of the build in use; replaced atomically when a build finishes
    builds/<name>/       chroma/ (vectors), keyword/ (BM25), chunks.jsonl, meta.json, and
                         targets.json (every table row as a structured record, for exact lookup);
                         `retired` holds when CURRENT was switched away from it

meta.json records what a complete build holds (passage count, content hash of chunks.jsonl,
keyword index size, where the vectors live and how many there are), so that opening an index
checks it cheaply (counts and one hash, no scan of the vectors) and refuses a damaged one with
one line naming the file and the fix (checked.py), instead of answering every question with a refusal.
Opening never writes: it uses `get_collection`, and a read-only embedded store is opened from a
private temporary copy (Chroma's SQLite cannot be opened read-only).
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from langchain_core.embeddings import Embeddings

from .checked import (REBUILD, IndexProblem, open_vectors, read_chunks, read_keyword, read_meta,
                      read_targets, read_terms)
from .clean import QUOTED_TITLE
from .embed import vector_space
from .keyword import KeywordIndex, add_terms
from .schema import Chunk, Hit
from .store import ChunkStore

# The corpus's words a slip of the input method is read as (typos.corrected): of two to four
# characters, in at least this many passages: a term the documents use, not a name said once.
TERM_DF = 3
TERM = re.compile(r"[\u4e00-\u9fff]{2,4}")


def current_build(index_dir: Path) -> Path | None:
    """The build CURRENT names (which may be missing or damaged), or None before the first."""
    try:
        name = (index_dir / "CURRENT").read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise IndexProblem(f"无法读取 {index_dir / 'CURRENT'}（{error}）：{REBUILD}。") from None
    if not name or "/" in name or name in (".", ".."):
        raise IndexProblem(f"{index_dir / 'CURRENT'} 内容无效：{REBUILD}。")
    return index_dir / "builds" / name


@dataclass
class Index:
    """A built index opened for asking."""

    build: Path
    meta: dict
    chunks: dict[str, Chunk]
    keyword: KeywordIndex
    store: ChunkStore
    targets: list[dict]
    private_copy: Path | None = None  # the copy a read-only embedded store was opened from

    @property
    def citations(self) -> dict[str, dict]:
        return self.meta.get("documents", {})

    @cached_property
    def places(self) -> frozenset[str]:
        """Every place the documents are of, as a question may name it."""
        from .places import region_parts

        return frozenset(p for c in self.citations.values() for p in region_parts(c.get("region", "")))

    @cached_property
    def titles(self) -> frozenset[str]:
        return frozenset(c.get("title", "") for c in self.citations.values())

    @cached_property
    def vocabulary(self):
        """What understanding a question needs to know of this corpus."""
        from .question import Vocabulary

        return Vocabulary(places=self.places, titles=self.titles, terms=frozenset(
            t for t, n in self.keyword.df.items() if n >= TERM_DF and TERM.fullmatch(t)))

    @cached_property
    def articles(self) -> dict[str, list[Chunk]]:
        """The passages of each article by its number ("第五条"), in the order built."""
        found: dict[str, list[Chunk]] = {}
        for chunk in self.chunks.values():
            if chunk.article:
                found.setdefault(chunk.article, []).append(chunk)
        return found

    @cached_property
    def ends(self) -> dict[str, tuple[Chunk, ...]]:
        """Each document's first and last passages, by title: where its record stands (the 文号
        under the head, the date it was issued at the foot, a web page's 发布日期 above it)."""
        by_doc: dict[str, list[Chunk]] = {}
        for chunk in self.chunks.values():
            if chunk.kind == "text":  # an annex's table rows follow the date the text is signed
                by_doc.setdefault(chunk.doc, []).append(chunk)
        found: dict[str, tuple[Chunk, ...]] = {}
        for doc, chunks in by_doc.items():
            chunks.sort(key=lambda c: c.start)
            title = self.citations.get(doc, {}).get("title", "")
            found[title] = found.get(title, ()) + tuple(dict.fromkeys((chunks[0], chunks[-1])))
        return found

    @cached_property
    def texts(self) -> dict[str, str]:
        """Each document's passages joined, whitespace removed, by its file: what it says at
        all."""
        found: dict[str, list[str]] = {}
        for chunk in self.chunks.values():
            found.setdefault(chunk.doc, []).append(re.sub(r"\s", "", chunk.text))
        return {doc: "".join(parts) for doc, parts in found.items()}

    @cached_property
    def date_span(self) -> str:
        """"2021—2022年": the years the documents are dated, for "that may have changed" notes."""
        years = sorted({c["date"][:4] for c in self.citations.values()
                        if c.get("date", "")[:4].isdigit()})
        if not years:
            return ""
        return f"{years[0]}年" if len(years) == 1 else f"{years[0]}—{years[-1]}年"

    @cached_property
    def named_titles(self) -> frozenset[str]:
        """Every document's title and every title its passages name in 《》 (the regulations a
        guide cites, the provincial plan a county's follows), spaces and line breaks removed:
        what a question naming a document may be asking about."""
        quoted = {t for c in self.chunks.values() for t in QUOTED_TITLE.findall(c.text)}
        return frozenset(re.sub(r"\s", "", t) for t in quoted | set(self.titles) if t)

    def hit(self, chunk: Chunk, score: float, scores: dict[str, float]) -> Hit:
        """A passage as a hit, with its document's citation fields."""
        citation = self.citations.get(chunk.doc, {})
        return Hit(chunk=chunk, score=score, title=citation.get("title", ""),
                   level=citation.get("level", ""), date=citation.get("date", ""),
                   region=citation.get("region", ""), doc_kind=citation.get("kind", ""),
                   scores=scores)

    def close(self) -> None:
        """Release the Chroma client (and the private copy); asking afterwards fails."""
        try:
            self.store.client.close()
        except Exception:  # closing is best effort: the process may be ending anyway
            pass
        if self.private_copy:
            shutil.rmtree(self.private_copy, ignore_errors=True)


def open_assistant(settings) -> Index:
    """The index `settings` name, opened with the embedding model they name: what the command
    line, the web app and the evaluation ask."""
    from .embed import get_embeddings

    return open_index(settings.index_dir, get_embeddings(settings.embeddings),
                      model=settings.embeddings, chroma_url=settings.chroma_url)


def open_index(index_dir: Path, embeddings: Embeddings, *, model: str, chroma_url: str = "") -> Index:
    """The build CURRENT names, verified; IndexProblem (one line: the file and the fix) if not."""
    build = current_build(index_dir)
    if build is None:
        raise IndexProblem(f"{index_dir} 下还没有索引。请先运行 `assistant index`（或 `make run`）。")
    if not build.is_dir():
        raise IndexProblem(f"{index_dir / 'CURRENT'} 指向的构建 {build} 不存在：{REBUILD}。")
    return open_build(build, embeddings, model=model, chroma_url=chroma_url)


def open_build(build: Path, embeddings: Embeddings | None, *, model: str,
               chroma_url: str = "") -> Index:
    """Open one build after checking it against its meta.json; never writes to it."""
    meta = read_meta(build)
    if vector_space(meta.get("model", "")) != vector_space(model):
        raise IndexProblem(
            f"索引由 {meta.get('model')}（{meta.get('engine', meta.get('model'))}）构建，"
            f"当前设置为 {model}；两者的向量不可比。请改回该模型，"
            "或运行 `assistant index --rebuild` 用新模型重建。"
        )
    recorded = {key: meta.get(key) for key in ("passages", "chunks_sha256", "keyword_size",
                                               "vectors")}
    if None in recorded.values():
        raise IndexProblem(f"{build / 'meta.json'} 没有校验信息（由旧版本构建）：请运行 "
                           "`assistant index` 更新索引（已有向量会复用）。")
    chunks = read_chunks(build / "chunks.jsonl", meta)
    keyword = read_keyword(build / "keyword", chunks, meta)
    targets = read_targets(build / "targets.json")
    terms = read_terms(build / "terms.json")
    store, private_copy = open_vectors(build, meta, embeddings, chroma_url)
    add_terms(terms)  # only once the build verified: jieba is shared by the whole process
    return Index(build=build, meta=meta, chunks=chunks, keyword=keyword, store=store,
                 targets=targets, private_copy=private_copy)
