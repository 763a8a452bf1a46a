"""Build the on-disk index atomically and incrementally, and open it for asking.

Layout of the index folder:
    CURRENT              name of the build in use; replaced atomically when a build finishes
    builds/<name>/       chroma/ (vectors), keyword/ (BM25), chunks.jsonl, meta.json, and
                         targets.json (every table row as a structured record, for exact lookup)
A build writes a new folder and only then points CURRENT at it, so a build that fails or is
killed leaves the previous index in use. Unchanged chunks keep their vectors (ids are content
hashes), so only new or changed text is embedded; vectors a killed build had already stored are
picked up by the next build, which therefore resumes rather than starts over.
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from langchain_core.embeddings import Embeddings

from .chunk import chunk_document
from .keyword import KeywordIndex, add_terms, corpus_terms, tokenize
from .load import MAX_FILE_MB, Skipped, load_corpus
from .schema import Chunk, Document, TableRow
from .store import ChunkStore, chroma_client


class IndexProblem(ValueError):
    """A problem the user can act on; the message says how."""


@dataclass(frozen=True)
class BuildReport:
    build: str
    chunks: int
    embedded: int  # chunks whose text was new and had to be embedded
    removed_docs: tuple[str, ...]
    skipped: tuple[Skipped, ...]
    seconds: float
    per_doc: dict[str, int]


def citation_fields(document: Document) -> dict:
    return {key: getattr(document, key) for key in ("title", "issuer", "number", "date",
                                                   "promulgated", "effective", "region", "level",
                                                   "kind")}


def build_index(corpus_dir: Path, index_dir: Path, embeddings: Embeddings, *, model: str,
                chroma_url: str = "", rebuild: bool = False, progress=None,
                max_chars: int = 300, max_file_mb: float = MAX_FILE_MB) -> BuildReport:
    """Index every document in `corpus_dir`; refuses to mix embedding models unless `rebuild`."""
    started = time.perf_counter()
    index_dir.mkdir(parents=True, exist_ok=True)
    with _lock(index_dir):
        previous = current_build(index_dir)
        old_meta = _read_json(previous / "meta.json") if previous else {}
        if old_meta and old_meta.get("model") != model and not rebuild:
            raise IndexProblem(
                f"现有索引由 {old_meta.get('model')} 构建，当前设置为 {model}；两种向量不能混用。"
                "请运行 `assistant index --rebuild` 重新构建。"
            )
        documents, skipped = load_corpus(corpus_dir, max_file_mb)
        if not documents:
            raise IndexProblem(f"{corpus_dir} 中没有可索引的文档（支持 .txt .md .docx .pdf）")
        chunks, rows = _chunk_all(documents, max_chars)
        name = time.strftime("%Y%m%d-%H%M%S") + f"-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        build = index_dir / "builds" / name
        build.mkdir(parents=True)
        citations = {d.name: citation_fields(d) for d in documents}

        meta = {"model": model, "collection": f"chunks-{name}", "built_at": _now(),
                "max_chars": max_chars}
        _write_json(build / "started.json", meta)  # marks whose vectors a killed build holds
        reuse: dict[str, list[float]] = {}
        old_tokens: dict[str, list[str]] = {}
        if not rebuild:
            reuse = _computed_vectors(index_dir, previous, [c.id for c in chunks], embeddings,
                                      model=model, chroma_url=chroma_url, exclude=build)
            if previous:
                old_tokens = {c["id"]: c["tokens"] for c in _read_jsonl(previous / "chunks.jsonl")}

        store = open_store(build, meta, embeddings, chroma_url)
        reused = len(reuse)
        store.add(chunks, citations, reuse, progress=progress)
        terms = build_terms(documents, rows)
        add_terms(terms)
        if previous and _read_json(previous / "terms.json") != [list(t) for t in terms]:
            old_tokens = {}  # another dictionary cuts words differently: tokenize anew
        tokens = [old_tokens.get(c.id) or tokenize(indexed_text_for_keywords(c)) for c in chunks]
        _write_json(build / "terms.json", terms)
        KeywordIndex.build([c.id for c in chunks], tokens).save(build / "keyword")
        _write_jsonl(build / "chunks.jsonl",
                     [dict(dataclasses.asdict(c), tokens=t) for c, t in zip(chunks, tokens)])
        per_doc = {d.name: sum(1 for c in chunks if c.doc == d.name) for d in documents}
        meta.update(
            documents={d.name: dict(citations[d.name], sha1=_sha1(d.text), chunks=per_doc[d.name])
                       for d in documents},
            skipped=[dataclasses.asdict(s) for s in skipped],
            seconds=round(time.perf_counter() - started, 1),
        )
        _write_json(build / "meta.json", meta)
        _write_json(build / "targets.json", [target_record(r, citations[r.doc]) for r in rows])
        _switch(index_dir, build)
        removed = tuple(sorted(set(old_meta.get("documents", {})) - set(per_doc)))
        _drop_old_builds(index_dir, keep={build.name, previous.name if previous else ""},
                         chroma_url=chroma_url)
        return BuildReport(build=name, chunks=len(chunks), embedded=len(chunks) - reused,
                           removed_docs=removed, skipped=tuple(skipped),
                           seconds=time.perf_counter() - started, per_doc=per_doc)


def _computed_vectors(index_dir: Path, previous: Path | None, ids: list[str],
                      embeddings: Embeddings, *, model: str, chroma_url: str,
                      exclude: Path) -> dict[str, list[float]]:
    """Vectors for `ids` that earlier builds already computed: the build in use (`previous`), and
    builds that were killed before finishing (so a long build resumes instead of starting over)."""
    earlier = sorted((index_dir / "builds").iterdir(), key=lambda b: b != previous)
    found: dict[str, list[float]] = {}
    for folder in earlier:
        missing = [i for i in ids if i not in found]
        if folder == exclude or not missing:
            continue
        try:
            started = _read_json(folder / "started.json") or _read_json(folder / "meta.json")
            if started.get("model") == model:
                found.update(open_store(folder, started, embeddings, chroma_url).vectors(missing))
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:  # noqa: BLE001  a killed build's store is only a cache; Chroma's
            continue           # Rust core reports a damaged one as a panic, not an Exception
    return found


def _chunk_all(documents: list[Document], max_chars: int) -> tuple[list[Chunk], list[TableRow]]:
    chunks: dict[str, Chunk] = {}
    rows: list[TableRow] = []
    for document in documents:
        doc_chunks, doc_rows = chunk_document(document, max_chars=max_chars)
        chunks.update((c.id, c) for c in doc_chunks)  # identical passages are stored once
        rows += doc_rows
    return list(chunks.values()), rows


def build_terms(documents: list[Document], rows: list[TableRow]) -> list[tuple[str, str]]:
    """The corpus's own words for jieba: places, defined terms, indicator names."""
    from .places import region_parts

    return corpus_terms([d.text for d in documents],
                        [p for d in documents for p in region_parts(d.region)],
                        [r.get("指标", "项目名称") for r in rows])


def indexed_text_for_keywords(chunk: Chunk) -> str:
    return f"{chunk.section[-1] if len(chunk.section) > 1 else ''}\n{chunk.text}"


def target_record(row: TableRow, citation: dict) -> dict:
    return {"doc": row.doc, "title": citation["title"], "level": citation["level"],
            "region": citation["region"], "date": citation["date"], "table": row.table,
            "section": " > ".join(row.section), "cells": dict(row.cells),
            "start": row.start, "end": row.end}


def open_store(build: Path, meta: dict, embeddings: Embeddings, chroma_url: str = "") -> ChunkStore:
    client = chroma_client(url=chroma_url) if chroma_url else chroma_client(build / "chroma")
    return ChunkStore(client, meta.get("collection", "chunks"), embeddings)


def current_build(index_dir: Path) -> Path | None:
    pointer = index_dir / "CURRENT"
    if not pointer.exists():
        return None
    build = index_dir / "builds" / pointer.read_text(encoding="utf-8").strip()
    return build if (build / "meta.json").exists() else None


class _lock:
    """One build at a time per index folder; a second one is refused, not queued."""

    def __init__(self, index_dir: Path) -> None:
        self.path = index_dir / ".build.lock"

    def __enter__(self):
        self.file = open(self.path, "w")
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.file.close()
            raise IndexProblem("另一个索引构建正在进行中，请等它完成后再试。") from None
        return self

    def __exit__(self, *exc) -> None:
        fcntl.flock(self.file, fcntl.LOCK_UN)
        self.file.close()


def _switch(index_dir: Path, build: Path) -> None:
    _write_whole(index_dir / "CURRENT", build.name)


def _drop_old_builds(index_dir: Path, keep: set[str], chroma_url: str) -> None:
    """Keep the new build and the one before it (a running server may still read it)."""
    for folder in (index_dir / "builds").iterdir():
        if folder.name in keep:
            continue
        if chroma_url:
            try:
                chroma_client(url=chroma_url).delete_collection(f"chunks-{folder.name}")
            except Exception:  # already gone, or never created by a killed build
                pass
        shutil.rmtree(folder, ignore_errors=True)


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _now() -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S")


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _write_json(path: Path, data) -> None:
    _write_whole(path, json.dumps(data, ensure_ascii=False, indent=1))


def _write_whole(path: Path, text: str) -> None:
    """Written whole or not at all: a kill never leaves half a file."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _write_jsonl(path: Path, records: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


@dataclass
class Index:
    """A built index opened for asking."""

    build: Path
    meta: dict
    chunks: dict[str, Chunk]
    keyword: KeywordIndex
    store: ChunkStore
    targets: list[dict]

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
    def date_span(self) -> str:
        """"2021—2022年": the years the documents are dated, for "that may have changed" notes."""
        years = sorted({c["date"][:4] for c in self.citations.values()
                        if c.get("date", "")[:4].isdigit()})
        if not years:
            return ""
        return f"{years[0]}年" if len(years) == 1 else f"{years[0]}—{years[-1]}年"

    @cached_property
    def corpus_text(self) -> str:
        """All passages as one string, for "does the corpus ever say X" checks."""
        return "\n".join(c.text for c in self.chunks.values())


def open_index(index_dir: Path, embeddings: Embeddings, *, model: str, chroma_url: str = "") -> Index:
    build = current_build(index_dir)
    if build is None:
        raise IndexProblem(f"{index_dir} 下还没有索引。请先运行 `assistant index`（或 `make run`）。")
    meta = _read_json(build / "meta.json")
    if meta.get("model") != model:
        raise IndexProblem(
            f"索引由 {meta.get('model')} 构建，当前设置为 {model}；请改回该模型，"
            "或运行 `assistant index --rebuild` 用新模型重建。"
        )
    add_terms([tuple(t) for t in _read_json(build / "terms.json") or []])
    chunks = {}
    for record in _read_jsonl(build / "chunks.jsonl"):
        record.pop("tokens", None)
        record["section"] = tuple(record["section"])
        chunks[record["id"]] = Chunk(**record)
    return Index(build=build, meta=meta, chunks=chunks, keyword=KeywordIndex.load(build / "keyword"),
                 store=open_store(build, meta, embeddings, chroma_url),
                 targets=json.loads((build / "targets.json").read_text(encoding="utf-8")))
