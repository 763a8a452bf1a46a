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
import sys
import time
import uuid
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from langchain_core.embeddings import Embeddings

from .chunk import chunk_document
from .embed import vector_space
from .keyword import KeywordIndex, tokenize
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
    return {"title": document.title, "issuer": document.issuer, "date": document.date,
            "region": document.region, "level": document.level, "kind": document.kind}


def build_index(corpus_dir: Path, index_dir: Path, embeddings: Embeddings, *, model: str,
                chroma_url: str = "", rebuild: bool = False, progress=None,
                max_chars: int = 300, max_file_mb: float = MAX_FILE_MB) -> BuildReport:
    """Index every document in `corpus_dir`; refuses to mix embedding models unless `rebuild`."""
    started = time.perf_counter()
    index_dir.mkdir(parents=True, exist_ok=True)
    with _lock(index_dir):
        previous = current_build(index_dir)
        old_meta = _read_json(previous / "meta.json") if previous else {}
        if old_meta and vector_space(old_meta.get("model", "")) != vector_space(model) \
                and not rebuild:
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

        meta = {"model": model, "engine": getattr(embeddings, "engine", model),
                "collection": f"chunks-{name}", "built_at": _now(), "max_chars": max_chars}
        _write_json(build / "started.json", meta)  # marks whose vectors a killed build holds
        known = (lambda ids: {}) if rebuild else _computed_vectors(
            index_dir, previous, embeddings, model=model, chroma_url=chroma_url, exclude=build)
        old_tokens = {} if rebuild or not previous else _read_tokens(previous / "chunks.jsonl")

        store = open_store(build, meta, embeddings, chroma_url)
        embedded = store.add(chunks, citations, known, progress=progress)
        tokens = [old_tokens.get(c.id) or _interned(tokenize(indexed_text_for_keywords(c)))
                  for c in chunks]
        del old_tokens
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
        return BuildReport(build=name, chunks=len(chunks), embedded=embedded,
                           removed_docs=removed, skipped=tuple(skipped),
                           seconds=time.perf_counter() - started, per_doc=per_doc)


def _computed_vectors(index_dir: Path, previous: Path | None, embeddings: Embeddings, *,
                      model: str, chroma_url: str, exclude: Path):
    """A lookup of vectors earlier builds already computed: the build in use (`previous`), and
    builds that were killed before finishing (so a long build resumes instead of starting
    over). Asked one batch of ids at a time, so their vectors are never all in memory."""
    stores = []
    for folder in sorted((index_dir / "builds").iterdir(), key=lambda b: b != previous):
        if folder == exclude:
            continue
        try:
            started = _read_json(folder / "started.json") or _read_json(folder / "meta.json")
            if vector_space(started.get("model", "")) == vector_space(model):
                stores.append(open_store(folder, started, embeddings, chroma_url))
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:  # noqa: BLE001  a killed build's store is only a cache; Chroma's
            continue           # Rust core reports a damaged one as a panic, not an Exception

    def known(ids: list[str]) -> dict[str, list[float]]:
        found: dict[str, list[float]] = {}
        for store in stores:
            missing = [i for i in ids if i not in found]
            if not missing:
                break
            try:
                found.update(store.vectors(missing))
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException:  # noqa: BLE001  as above
                continue
        return found

    return known


def _read_tokens(path: Path) -> dict[str, list[str]]:
    """The keyword tokens a build stored per chunk, interned (see `_interned`)."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as lines:
        records = (json.loads(line) for line in lines if line.strip())
        return {record["id"]: _interned(record["tokens"]) for record in records}


def _interned(tokens: list[str]) -> list[str]:
    """One string object per distinct token: at 50× the corpus, 19 000 chunks hold some 3
    million tokens but only tens of thousands of distinct ones."""
    return [sys.intern(t) for t in tokens]


def _chunk_all(documents: list[Document], max_chars: int) -> tuple[list[Chunk], list[TableRow]]:
    chunks: dict[str, Chunk] = {}
    rows: list[TableRow] = []
    for document in documents:
        doc_chunks, doc_rows = chunk_document(document, max_chars=max_chars)
        chunks.update((c.id, c) for c in doc_chunks)  # identical passages are stored once
        rows += doc_rows
    return list(chunks.values()), rows


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
    def corpus_text(self) -> str:
        """All passages as one string, for "does the corpus ever say X" checks."""
        return "\n".join(c.text for c in self.chunks.values())


def open_index(index_dir: Path, embeddings: Embeddings, *, model: str, chroma_url: str = "") -> Index:
    build = current_build(index_dir)
    if build is None:
        raise IndexProblem(f"{index_dir} 下还没有索引。请先运行 `assistant index`（或 `make run`）。")
    meta = _read_json(build / "meta.json")
    if vector_space(meta.get("model", "")) != vector_space(model):
        raise IndexProblem(
            f"索引由 {meta.get('model')}（{meta.get('engine', meta.get('model'))}）构建，"
            f"当前设置为 {model}；两者的向量不可比。请改回该模型，"
            "或运行 `assistant index --rebuild` 用新模型重建。"
        )
    chunks = {}
    for record in _read_jsonl(build / "chunks.jsonl"):
        record.pop("tokens", None)
        record["section"] = tuple(record["section"])
        chunks[record["id"]] = Chunk(**record)
    return Index(build=build, meta=meta, chunks=chunks, keyword=KeywordIndex.load(build / "keyword"),
                 store=open_store(build, meta, embeddings, chroma_url),
                 targets=json.loads((build / "targets.json").read_text(encoding="utf-8")))
