"""Build the on-disk index atomically and incrementally, and open it for asking.

Layout of the index folder:
    CURRENT              name of the build in use; replaced atomically when a build finishes
    builds/<name>/       chroma/ (vectors), keyword/ (BM25), chunks.jsonl, meta.json, and
                         targets.json (every table row as a structured record, for exact lookup);
                         `retired` holds when CURRENT was switched away from it
A build writes a new folder, verifies it as `open_index` will, and only then points CURRENT at
it, so a build that fails, is killed or does not verify leaves the previous index in use.
Unchanged chunks keep their vectors (ids are content hashes), so only new or changed text is
embedded; vectors a killed build had already stored are picked up by the next build, which
therefore resumes rather than starts over.

meta.json records what a complete build holds (passage count, content hash of chunks.jsonl,
keyword index size, where the vectors live and how many there are), so that opening an index
checks it cheaply (counts and one hash, no scan of the vectors) and refuses a damaged one with
one line naming the file and the fix, instead of answering every question with a refusal.
Opening never writes: it uses `get_collection`, and a read-only embedded store is opened from a
private temporary copy (Chroma's SQLite cannot be opened read-only).
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from langchain_core.embeddings import Embeddings

from .chunk import chunk_document
from .embed import vector_space
from .keyword import KeywordIndex, add_terms, corpus_terms, tokenize
from .load import MAX_FILE_MB, Notice, Skipped, read_corpus
from .schema import Chunk, Document, TableRow
from .store import ChunkStore, chroma_client

GRACE_S = 600.0  # default of ASSISTANT_GRACE_MINUTES: how long a build switched away from is
# kept for apps still reading it; apps poll CURRENT every few seconds (web.RELOAD_EVERY), so
# minutes are ample, and a build's folder costs only disk meanwhile
REBUILD = "请运行 `assistant index --rebuild` 重建索引"


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
    notices: tuple[Notice, ...] = ()  # indexed, with something the user should know


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
    index_dir.mkdir(parents=True, exist_ok=True)
    with _lock(index_dir):
        previous = current_build(index_dir)
        old_meta = _read_json_or_empty(previous / "meta.json") if previous else {}
        if old_meta.get("model") and vector_space(old_meta["model"]) != vector_space(model) \
                and not rebuild:
            raise IndexProblem(
                f"现有索引由 {old_meta.get('model')} 构建，当前设置为 {model}；两种向量不能混用。"
                "请运行 `assistant index --rebuild` 重新构建。"
            )
        corpus = read_corpus(corpus_dir, max_file_mb)
        documents, skipped = corpus.documents, corpus.skipped
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
        old_tokens = (_trusted_tokens(previous, old_meta) if previous and old_meta and not rebuild
                      else {})

        store = ChunkStore.create(_client(build, chroma_url), meta["collection"], embeddings)
        embedded = store.add(chunks, citations, known, progress=progress)
        terms = build_terms(documents, rows)
        add_terms(terms)
        if previous and _read_list_or_none(previous / "terms.json") != [list(t) for t in terms]:
            old_tokens = {}  # another dictionary cuts words differently: tokenize anew
        tokens = [old_tokens.get(c.id) or _interned(tokenize(indexed_text_for_keywords(c)))
                  for c in chunks]
        del old_tokens
        _write_json(build / "terms.json", terms)
        KeywordIndex.build([c.id for c in chunks], tokens).save(build / "keyword")
        _write_jsonl(build / "chunks.jsonl",
                     [dict(dataclasses.asdict(c), tokens=t) for c, t in zip(chunks, tokens)])
        per_doc = {d.name: sum(1 for c in chunks if c.doc == d.name) for d in documents}
        meta.update(
            documents={d.name: dict(citations[d.name], sha1=_sha1(d.text), chunks=per_doc[d.name])
                       for d in documents},
            skipped=[dataclasses.asdict(s) for s in skipped],
            notices=[dataclasses.asdict(n) for n in corpus.notices],
            seconds=round(time.perf_counter() - started, 1),
            passages=len(chunks),
            chunks_sha256=_sha256_file(build / "chunks.jsonl"),
            keyword_size=len(chunks),
            vectors=({"store": "server", "url": chroma_url} if chroma_url else
                     {"store": "embedded", "path": "chroma"})
            | {"collection": meta["collection"], "count": store.count()},
        )
        _write_json(build / "meta.json", meta)
        _write_json(build / "targets.json", [target_record(r, citations[r.doc]) for r in rows])
        try:  # exactly the checks an app makes when it opens the build
            open_build(build, embeddings, model=model, chroma_url=chroma_url).close()
        except IndexProblem as problem:
            _drop(build, chroma_url)
            raise IndexProblem(f"新构建未通过校验，未启用（原索引仍在使用）：{problem}") from None
        _switch(index_dir, build, previous)
        removed = tuple(sorted(set(old_meta.get("documents", {})) - set(per_doc)))
        _drop_old_builds(index_dir, build, previous, chroma_url=chroma_url, grace_s=grace_s)
        return BuildReport(build=name, chunks=len(chunks), embedded=embedded,
                           removed_docs=removed, skipped=tuple(skipped),
                           seconds=time.perf_counter() - started, per_doc=per_doc,
                           notices=tuple(corpus.notices))


def _trusted_tokens(previous: Path, old_meta: dict) -> dict[str, list[str]]:
    """Tokens of the previous build's passages, when its chunks.jsonl is the one it recorded."""
    path = previous / "chunks.jsonl"
    try:
        if old_meta.get("chunks_sha256", _sha256_file(path)) != _sha256_file(path):
            return {}
        return {c["id"]: _interned(c["tokens"]) for c in _read_jsonl(path)}
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
            started = (_read_json_or_empty(folder / "started.json")
                       or _read_json_or_empty(folder / "meta.json"))
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


def _client(build: Path, chroma_url: str = ""):
    return chroma_client(url=chroma_url) if chroma_url else chroma_client(build / "chroma")


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


def _switch(index_dir: Path, build: Path, previous: Path | None) -> None:
    _write_whole(index_dir / "CURRENT", build.name)
    if previous and previous.is_dir() and previous != build:
        _write_whole(previous / "retired", str(time.time()))


def _drop_old_builds(index_dir: Path, build: Path, previous: Path | None, *, chroma_url: str,
                     grace_s: float) -> None:
    """Keep the new build and the one before it (running apps switch over within seconds); drop
    older ones once they were switched away from `grace_s` ago, and at once a build that was
    killed half-way or whose data no longer verifies (no app can be reading it)."""
    now = time.time()
    for folder in (index_dir / "builds").iterdir():
        if folder == build or not folder.is_dir():
            continue
        if folder == previous:
            if _problem(folder, chroma_url) is None:
                continue
        elif (folder / "meta.json").exists():
            retired = _retired_at(folder)
            if retired is None:  # switched away from before builds recorded it: from now on
                _write_whole(folder / "retired", str(now))
                continue
            if now - retired < grace_s:
                continue
        _drop(folder, chroma_url)


def _retired_at(folder: Path) -> float | None:
    try:
        return float((folder / "retired").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _drop(folder: Path, chroma_url: str) -> None:
    if chroma_url:
        try:
            meta = (_read_json_or_empty(folder / "meta.json")
                    or _read_json_or_empty(folder / "started.json"))
            chroma_client(url=chroma_url).delete_collection(
                meta.get("collection", f"chunks-{folder.name}"))
        except Exception:  # already gone, or never created by a killed build
            pass
    shutil.rmtree(folder, ignore_errors=True)


def _problem(build: Path, chroma_url: str) -> str | None:
    """Why `build` cannot be opened, or None when it verifies (the model is not compared)."""
    try:
        meta = _read_meta(build)
        if "vectors" not in meta:  # made before builds were verified: cannot tell, may be in use
            return None
        open_build(build, None, model=meta.get("model", ""), chroma_url=chroma_url).close()
    except IndexProblem as problem:
        return str(problem)
    return None


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _now() -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S")


def _read_json_or_empty(path: Path) -> dict:
    """A JSON object, or {} when the file is missing or damaged (a cache, not a record)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _read_list_or_none(path: Path) -> list | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, list) else None


def _sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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

        return Vocabulary(places=self.places, titles=self.titles)

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
    meta = _read_meta(build)
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
    chunks = _read_chunks(build / "chunks.jsonl", meta)
    keyword = _read_keyword(build / "keyword", chunks, meta)
    targets = read_targets(build / "targets.json")
    terms = _read_terms(build / "terms.json")
    store, private_copy = _open_vectors(build, meta, embeddings, chroma_url)
    add_terms(terms)  # only once the build verified: jieba is shared by the whole process
    return Index(build=build, meta=meta, chunks=chunks, keyword=keyword, store=store,
                 targets=targets, private_copy=private_copy)


def _read_meta(build: Path) -> dict:
    path = build / "meta.json"
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexProblem(f"{path} 不存在（构建未完成或已被删除）：{REBUILD}。") from None
    except (OSError, ValueError) as error:
        raise IndexProblem(f"{path} 已损坏（{type(error).__name__}）：{REBUILD}。") from None
    if not isinstance(meta, dict):
        raise IndexProblem(f"{path} 已损坏（不是 JSON 对象）：{REBUILD}。")
    return meta


def _read_chunks(path: Path, meta: dict) -> dict[str, Chunk]:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise IndexProblem(f"无法读取 {path}（{error.strerror or error}）：{REBUILD}。") from None
    if hashlib.sha256(data).hexdigest() != meta["chunks_sha256"]:
        raise IndexProblem(f"{path} 与 meta.json 的记录不符（被截断或改动过）：{REBUILD}。")
    chunks = {}
    try:
        for line in data.decode("utf-8").splitlines():
            if line:
                record = json.loads(line)
                record.pop("tokens", None)
                record["section"] = tuple(record["section"])
                chunks[record["id"]] = Chunk(**record)
    except (ValueError, KeyError, TypeError) as error:  # written by a different version
        raise IndexProblem(f"{path} 无法读取（{type(error).__name__}）：{REBUILD}。") from None
    if len(chunks) != meta["passages"]:
        raise IndexProblem(f"{path} 有 {len(chunks)} 个文本块，meta.json 记录为 "
                           f"{meta['passages']}：{REBUILD}。")
    return chunks


def _read_keyword(folder: Path, chunks: dict[str, Chunk], meta: dict) -> KeywordIndex:
    try:
        keyword = KeywordIndex.load(folder)
        # one token's scores: as long as the index has rows, without a scan of the matrix
        rows = len(keyword.scores(["民政"]))
    except Exception as error:  # bm25s and numpy raise many types for missing or cut files
        raise IndexProblem(f"{folder} 无法读取（{type(error).__name__}）：{REBUILD}。") from None
    if not len(keyword.ids) == rows == meta["keyword_size"] or keyword.ids != list(chunks):
        raise IndexProblem(f"{folder} 与 chunks.jsonl 不一致：{REBUILD}。")
    return keyword


def _read_terms(path: Path) -> list[tuple[str, str]]:
    """The corpus's own words the build taught jieba (none in builds made before them)."""
    if not path.exists():
        return []
    terms = _read_list_or_none(path)
    if terms is None or not all(isinstance(t, list) and len(t) == 2 for t in terms):
        raise IndexProblem(f"{path} 已损坏：{REBUILD}。")
    return [tuple(t) for t in terms]


def read_targets(path: Path) -> list[dict]:
    try:
        targets = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise IndexProblem(f"{path} 无法读取（{type(error).__name__}）：{REBUILD}。") from None
    if not isinstance(targets, list):
        raise IndexProblem(f"{path} 已损坏（不是列表）：{REBUILD}。")
    return targets


def _open_vectors(build: Path, meta: dict, embeddings: Embeddings | None,
                  chroma_url: str) -> tuple[ChunkStore, Path | None]:
    """The build's collection where meta.json says it is, with the recorded number of vectors."""
    vectors, meta_path = meta["vectors"], build / "meta.json"
    name, private_copy = vectors.get("collection") or meta.get("collection"), None
    if not name or not isinstance(name, str):
        raise IndexProblem(f"{meta_path} 没有记录向量所在的集合：{REBUILD}。")
    if vectors.get("store") == "server":
        if not chroma_url:
            raise IndexProblem(f"{meta_path} 记录的向量在 Chroma 服务器 {vectors.get('url')} 上："
                               f"请设置 ASSISTANT_CHROMA_URL={vectors.get('url')}。")
        where = f"Chroma 服务器 {chroma_url}"
        try:
            client = chroma_client(url=chroma_url)
            client.heartbeat()
        except Exception as error:
            raise IndexProblem(f"无法连接 {where}（{type(error).__name__}）：请先启动它"
                               "（`chroma run`），或改正 ASSISTANT_CHROMA_URL。") from None
    else:
        folder = build / vectors.get("path", "chroma")
        if chroma_url:
            raise IndexProblem(f"{meta_path} 记录的向量在本地 {folder}，而 ASSISTANT_CHROMA_URL="
                               f"{chroma_url}：请去掉该设置，或保留它并运行 "
                               "`assistant index --rebuild` 在服务器上重建。")
        if not (folder / "chroma.sqlite3").is_file():
            raise IndexProblem(f"{folder} 不存在或不完整（向量缺失）：{REBUILD}。")
        where = str(folder)
        if not os.access(folder, os.W_OK) or not os.access(folder / "chroma.sqlite3", os.W_OK):
            # Chroma opens its SQLite file for writing even to read; a read-only mount is
            # served from a private copy (a few MB per thousand passages) removed on close
            private_copy = Path(tempfile.mkdtemp(prefix="assistant-ro-"))
            folder = private_copy / "chroma"
            shutil.copytree(build / vectors.get("path", "chroma"), folder)
            os.chmod(folder, 0o700)
        try:
            client = chroma_client(folder)
        except BaseException as error:  # noqa: BLE001  Chroma's Rust core panics on a damaged
            if isinstance(error, (KeyboardInterrupt, SystemExit)):  # store (not an Exception)
                raise
            raise IndexProblem(f"{where} 无法打开（{type(error).__name__}）：{REBUILD}。") from None
    try:
        store = ChunkStore.open(client, name, embeddings)
        count = store.count()
    except BaseException as error:  # noqa: BLE001  NotFoundError, or a panic as above
        if isinstance(error, (KeyboardInterrupt, SystemExit)):
            raise
        if private_copy:
            shutil.rmtree(private_copy, ignore_errors=True)
        missing = "NotFound" in type(error).__name__ or "does not exist" in str(error)
        what = "没有集合" if missing else f"无法读取集合（{type(error).__name__}）"
        raise IndexProblem(f"{where} {what} {name}（{meta_path} 记录的向量）："
                           f"{REBUILD}。") from None
    if count != vectors.get("count") or count != meta["passages"]:
        if private_copy:
            shutil.rmtree(private_copy, ignore_errors=True)
        raise IndexProblem(f"{where} 的集合 {name} 有 {count} 个向量，应有 {meta['passages']} 个"
                           f"（{meta_path} 的记录）：{REBUILD}。")
    return store, private_copy


@dataclass(frozen=True)
class Checkup:
    lines: tuple[str, ...]  # one per build, the one in use marked
    problem: str  # why the build in use cannot be opened, with the fix; "" when it opens


def check_index(index_dir: Path, *, model: str, chroma_url: str = "") -> Checkup:
    """The state of every build under `index_dir`, as `assistant doctor` prints it."""
    try:
        current = current_build(index_dir)
    except IndexProblem as problem:
        current, problem_in_use = None, str(problem)
    else:
        problem_in_use = "" if current else f"{index_dir} 下还没有索引：请运行 `assistant index`。"
    builds = sorted(p for p in (index_dir / "builds").glob("*") if p.is_dir())
    lines = []
    for build in builds:
        in_use = build == current
        if not (build / "meta.json").exists() and (build / "started.json").exists() and not in_use:
            state = "未完成（构建被中断；下次构建会复用其向量并删除它）"
        else:
            try:
                own = model if in_use else _read_json_or_empty(build / "meta.json").get("model")
                opened = open_build(build, None, model=own, chroma_url=chroma_url)
            except IndexProblem as problem:
                state = f"损坏：{problem}"
                if in_use:
                    problem_in_use = str(problem)
            else:
                opened.close()
                meta, retired = opened.meta, _retired_at(build)
                kept = (f"；{time.strftime('%H:%M:%S', time.localtime(retired))} 起停用，"
                        "供仍在运行的应用读取" if retired and not in_use else "")
                state = (f"完好：{meta['passages']} 个文本块，{meta['vectors']['count']} 个向量"
                         f"（{_where(meta)}），构建于 {meta.get('built_at', '?')}{kept}")
        lines.append(f"{'* ' if in_use else '  '}{build.name}  {state}")
    if current and not current.is_dir():
        problem_in_use = f"{index_dir / 'CURRENT'} 指向的构建 {current.name} 不存在：{REBUILD}。"
        lines.append(f"* {current.name}  不存在")
    return Checkup(tuple(lines), problem_in_use)


def _where(meta: dict) -> str:
    vectors = meta["vectors"]
    if vectors.get("store") == "server":
        return f"Chroma 服务器 {vectors.get('url')}，集合 {vectors.get('collection')}"
    return "本地 chroma/"
