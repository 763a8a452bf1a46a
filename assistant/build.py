"""Build the index from the corpus — a document's walk: load → clean → chunk → embed → store —
into a new build folder.

The new build is verified exactly as `open_index` will open it, and only then does `publish.py`
point CURRENT at it, so a build that fails, is killed or does not verify leaves the previous
index in use. Unchanged chunks keep their vectors (ids are content hashes), so only new or
changed text is embedded; vectors a killed build had already stored are picked up by the next
build, which therefore resumes rather than starts over.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from langchain_core.embeddings import Embeddings

from .chunk import chunk_document
from .embed import vector_space
from .files import (
    read_json_or_empty,
    read_jsonl,
    read_list_or_none,
    sha256_file,
    write_json,
    write_jsonl,
)
from .checked import IndexProblem
from .index import current_build, open_build
from .keyword import KeywordIndex, add_terms, corpus_terms, dictionary_version, tokenize
from .load import MAX_FILE_MB, Notice, Skipped, read_corpus
from .memory import cap_heaps
from .publish import GRACE_S, drop, drop_old_builds, lock, switch
from .schema import Chunk, Document, TableRow
from .store import ChunkStore, chroma_client


@dataclass(frozen=True)
class BuildReport:
    build: str
    chunks: int
    embedded: int  # chunks whose text was new and had to be embedded
    removed_docs: tuple[str, ...]
    skipped: tuple[Skipped, ...]
    seconds: float
    per_doc: dict[str, int]
    notices: tuple[Notice, ...] = ()  # indexed, with something the user should know
    sentences_embedded: int = 0  # distinct sentences whose text was new and had to be embedded
    unchanged: bool = False  # nothing to do: the build in use holds this corpus already


def citation_fields(document: Document) -> dict:
    return {key: getattr(document, key) for key in ("title", "issuer", "number", "date",
                                                   "promulgated", "effective", "region", "level",
                                                   "kind")}


def build_index(corpus_dir: Path, index_dir: Path, embeddings: Embeddings, *, model: str,
                chroma_url: str = "", rebuild: bool = False, progress=None,
                max_chars: int = 300, max_file_mb: float = MAX_FILE_MB,
                grace_s: float = GRACE_S) -> BuildReport:
    """Index every document in `corpus_dir`; refuses to mix embedding models unless `rebuild`.

    Whatever state `index_dir` is in (a damaged or half-deleted build, garbled JSON), a
    `rebuild` starts over from the corpus alone, and an update reuses only what verifies.
    """
    started = time.perf_counter()
    cap_heaps()  # before the embedding and Chroma threads start
    index_dir.mkdir(parents=True, exist_ok=True)
    with lock(index_dir):
        previous = current_build(index_dir)
        old_meta = read_json_or_empty(previous / "meta.json") if previous else {}
        if old_meta.get("model") and vector_space(old_meta["model"]) != vector_space(model) \
                and not rebuild:
            raise IndexProblem(
                f"现有索引由 {old_meta.get('model')} 构建，当前设置为 {model}；两种向量不能混用。"
                "请运行 `assistant index --rebuild` 重新构建。"
            )
        corpus = read_corpus(corpus_dir, max_file_mb)
        documents, skipped = corpus.documents, corpus.skipped
        chunks, rows = chunk_all(documents, max_chars) if documents else ([], [])
        empty = {c.doc for c in chunks} ^ {d.name for d in documents}  # only a heading, say
        skipped = [*skipped, *(Skipped(name, "没有正文（只有标题或空白）") for name in sorted(empty))]
        documents = [d for d in documents if d.name not in empty]
        if not documents:
            raise IndexProblem(f"{corpus_dir} 中没有可索引的文档（支持 .txt .md .docx .pdf .html .xlsx）"
                               + "".join(f"\n  跳过 {s.name}: {s.reason}" for s in skipped))
        citations = {d.name: citation_fields(d) for d in documents}
        targets = [target_record(r, citations[r.doc]) for r in rows]
        per_doc = {d.name: sum(1 for c in chunks if c.doc == d.name) for d in documents}
        notices = tuple(corpus.notices)
        dictionary = dictionary_version()
        fingerprint = content_fingerprint(
            chunks, targets, citations, [model, max_chars, dictionary],
            [dataclasses.asdict(x) for x in (*skipped, *notices)])
        if (previous and not rebuild and old_meta.get("fingerprint") == fingerprint
                and _opens(previous, embeddings, model, chroma_url)):
            # the same documents, code and settings: publishing a copy would only churn builds
            # (and swap the index under a running app for nothing)
            return BuildReport(build=previous.name, chunks=len(chunks), embedded=0,
                               removed_docs=(), skipped=tuple(skipped),
                               seconds=time.perf_counter() - started, per_doc=per_doc,
                               notices=notices, unchanged=True)
        name = time.strftime("%Y%m%d-%H%M%S") + f"-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        build = index_dir / "builds" / name
        build.mkdir(parents=True)

        meta = {"model": model, "engine": getattr(embeddings, "engine", model),
                "dictionary": dictionary, "fingerprint": fingerprint,
                "collection": f"chunks-{name}", "built_at": _now(), "max_chars": max_chars}
        write_json(build / "started.json", meta)  # marks whose vectors a killed build holds
        known = (lambda ids: {}) if rebuild else _computed_vectors(
            index_dir, previous, embeddings, model=model, chroma_url=chroma_url, exclude=build)
        old_tokens = (_trusted_tokens(previous, old_meta) if previous and old_meta and not rebuild
                      else {})

        store = ChunkStore.create(_client(build, chroma_url), meta["collection"], embeddings)
        embedded = store.add(chunks, citations, known, progress=progress)
        sentences_embedded = store.add_sentences(chunks, known)
        if hasattr(embeddings, "release"):  # the model is not needed to index words: unload it
            embeddings.release()
        terms = build_terms(documents, rows)
        add_terms(terms)
        if previous and (read_list_or_none(previous / "terms.json") != [list(t) for t in terms]
                         or old_meta.get("dictionary") != meta["dictionary"]):
            old_tokens = {}  # another dictionary cuts words differently: tokenize anew
        tokens = [old_tokens.get(c.id) or _interned(tokenize(indexed_text_for_keywords(c)))
                  for c in chunks]
        del old_tokens
        write_json(build / "terms.json", terms)
        KeywordIndex.build([c.id for c in chunks], tokens).save(build / "keyword")
        write_jsonl(build / "chunks.jsonl",
                    (dict(dataclasses.asdict(c), tokens=t) for c, t in zip(chunks, tokens)))
        passages = len(chunks)
        del tokens, chunks  # kept on disk now; the check below opens the build beside them no more
        meta.update(
            documents={d.name: dict(citations[d.name], sha1=_sha1(d.text), chunks=per_doc[d.name])
                       for d in documents},
            skipped=[dataclasses.asdict(s) for s in skipped],
            notices=[dataclasses.asdict(n) for n in notices],
            seconds=round(time.perf_counter() - started, 1),
            passages=passages,
            chunks_sha256=sha256_file(build / "chunks.jsonl"),
            keyword_size=passages,
            vectors=({"store": "server", "url": chroma_url} if chroma_url else
                     {"store": "embedded", "path": "chroma"})
            | {"collection": meta["collection"], "count": store.count(),
               "sentences": store.sentence_count()},
        )
        write_json(build / "meta.json", meta)
        write_json(build / "targets.json", targets)
        del documents, corpus, rows, targets
        try:  # exactly the checks an app makes when it opens the build
            open_build(build, embeddings, model=model, chroma_url=chroma_url).close()
        except IndexProblem as problem:
            drop(build, chroma_url)
            raise IndexProblem(f"新构建未通过校验，未启用（原索引仍在使用）：{problem}") from None
        switch(index_dir, build, previous)
        removed = tuple(sorted(set(old_meta.get("documents", {})) - set(per_doc)))
        drop_old_builds(index_dir, build, previous, chroma_url=chroma_url, grace_s=grace_s)
        return BuildReport(build=name, chunks=passages, embedded=embedded,
                           removed_docs=removed, skipped=tuple(skipped),
                           seconds=time.perf_counter() - started, per_doc=per_doc,
                           notices=notices, sentences_embedded=sentences_embedded)


def _trusted_tokens(previous: Path, old_meta: dict) -> dict[str, list[str]]:
    """Tokens of the previous build's passages, when its chunks.jsonl is the one it recorded."""
    path = previous / "chunks.jsonl"
    try:
        if old_meta.get("chunks_sha256", sha256_file(path)) != sha256_file(path):
            return {}
        return {c["id"]: _interned(c["tokens"]) for c in read_jsonl(path)}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


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
            started = (read_json_or_empty(folder / "started.json")
                       or read_json_or_empty(folder / "meta.json"))
            if vector_space(started.get("model", "")) == vector_space(model) and (
                    chroma_url or (folder / "chroma").is_dir()):
                stores.append(ChunkStore.open(_client(folder, chroma_url), started["collection"],
                                              embeddings))
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


def _interned(tokens: list[str]) -> list[str]:
    """One string object per distinct token: at 50× the corpus, 19 000 chunks hold some 3
    million tokens but only tens of thousands of distinct ones."""
    return [sys.intern(t) for t in tokens]


def chunk_all(documents: list[Document], max_chars: int) -> tuple[list[Chunk], list[TableRow]]:
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


def _client(build: Path, chroma_url: str = ""):
    return chroma_client(url=chroma_url) if chroma_url else chroma_client(build / "chroma")


def content_fingerprint(chunks: list[Chunk], targets: list[dict], citations: dict,
                        settings: list, reported: list[dict]) -> str:
    """What a build would hold, as one hash: its passages, table rows and citation fields, the
    files skipped or noted, its settings (model, passage size, user dictionary), and the
    package's own code and data (a change to either may cut, tokenize or store the same
    documents differently)."""
    digest = hashlib.sha256(json.dumps([settings, citations, targets, reported],
                                       ensure_ascii=False, sort_keys=True).encode("utf-8"))
    for chunk in chunks:
        digest.update(json.dumps(dataclasses.asdict(chunk), ensure_ascii=False,
                                 sort_keys=True).encode("utf-8"))
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".txt", ".tsv", ".json", ".toml"):
            digest.update(path.relative_to(package).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


def _opens(build: Path, embeddings: Embeddings, model: str, chroma_url: str) -> bool:
    """Whether a build opens and verifies as an app would open it."""
    try:
        open_build(build, embeddings, model=model, chroma_url=chroma_url).close()
    except IndexProblem:
        return False
    return True


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _now() -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S")

