"""Each file of a build read and checked against what its meta.json records (passage count,
content hash of chunks.jsonl, keyword index size, where the vectors live and how many there are):
a damaged build is refused with one line naming the file and the fix (IndexProblem), never
answered from. Never writes: a read-only embedded store is opened from a private copy."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from langchain_core.embeddings import Embeddings

from .files import read_list_or_none, sha256_file
from .keyword import KeywordIndex
from .schema import Chunk
from .store import ChunkStore, chroma_client, missing_collection

REBUILD = "请运行 `assistant index --rebuild` 重建索引"


class IndexProblem(ValueError):
    """A problem the user can act on; the message says how."""


class OutdatedBuild(IndexProblem):
    """A build made by an earlier version (no sentence vectors): `assistant index` brings it up
    to date; apps of that version may still be reading it."""


def read_meta(build: Path) -> dict:
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


def read_chunks(path: Path, meta: dict) -> dict[str, Chunk]:
    """The build's chunks, read a line at a time (the file, its text and its lines are never
    all in memory at once: at 50× the seed corpus that was a 60 MB peak) and checked against
    the hash meta.json recorded."""
    digest = hashlib.sha256()
    chunks = {}
    try:
        with path.open("rb") as lines:
            for line in lines:
                digest.update(line)
                if line.strip():
                    record = json.loads(line)
                    record.pop("tokens", None)
                    record["section"] = tuple(record["section"])
                    chunks[record["id"]] = Chunk(**record)
    except OSError as error:
        raise IndexProblem(f"无法读取 {path}（{error.strerror or error}）：{REBUILD}。") from None
    except (ValueError, KeyError, TypeError) as error:  # written by a different version
        if sha256_file(path) != meta["chunks_sha256"]:
            raise IndexProblem(f"{path} 与 meta.json 的记录不符（被截断或改动过）：{REBUILD}。") \
                from None
        raise IndexProblem(f"{path} 无法读取（{type(error).__name__}）：{REBUILD}。") from None
    if digest.hexdigest() != meta["chunks_sha256"]:
        raise IndexProblem(f"{path} 与 meta.json 的记录不符（被截断或改动过）：{REBUILD}。")
    if len(chunks) != meta["passages"]:
        raise IndexProblem(f"{path} 有 {len(chunks)} 个文本块，meta.json 记录为 "
                           f"{meta['passages']}：{REBUILD}。")
    return chunks


def read_keyword(folder: Path, chunks: dict[str, Chunk], meta: dict) -> KeywordIndex:
    try:
        keyword = KeywordIndex.load(folder)
        # one token's scores: as long as the index has rows, without a scan of the matrix
        rows = len(keyword.scores(["民政"]))
    except Exception as error:  # bm25s and numpy raise many types for missing or cut files
        raise IndexProblem(f"{folder} 无法读取（{type(error).__name__}）：{REBUILD}。") from None
    if not len(keyword.ids) == rows == meta["keyword_size"] or keyword.ids != list(chunks):
        raise IndexProblem(f"{folder} 与 chunks.jsonl 不一致：{REBUILD}。")
    return keyword


def read_terms(path: Path) -> list[tuple[str, str]]:
    """The corpus's own words the build taught jieba (none in builds made before them)."""
    if not path.exists():
        return []
    terms = read_list_or_none(path)
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


def open_vectors(build: Path, meta: dict, embeddings: Embeddings | None,
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
        count, sentences = store.count(), store.sentence_count()
        store.probe()
    except BaseException as error:  # noqa: BLE001  NotFoundError, or a panic as above
        if isinstance(error, (KeyboardInterrupt, SystemExit)):
            raise
        what = ("没有集合" if missing_collection(error)
                else f"的向量已损坏或无法读取（{type(error).__name__}），集合")
        problem = IndexProblem(f"{where} {what} {name}（{meta_path} 记录的向量）：{REBUILD}。")
    else:
        problem = vector_problem(count, sentences, vectors, meta["passages"], where, name,
                                  meta_path)
    if problem:
        if private_copy:
            shutil.rmtree(private_copy, ignore_errors=True)
        raise problem from None
    return store, private_copy


def vector_problem(count: int, sentences: int | None, vectors: dict, passages: int, where: str,
                   name: str, meta_path: Path) -> IndexProblem | None:
    """What is wrong with the collections' sizes against meta.json's record, if anything."""
    if count != vectors.get("count") or count != passages:
        return IndexProblem(f"{where} 的集合 {name} 有 {count} 个向量，应有 {passages} 个"
                            f"（{meta_path} 的记录）：{REBUILD}。")
    if sentences is None or "sentences" not in vectors:
        return OutdatedBuild(f"{where} 没有句子向量（由旧版本构建）：请运行 `assistant index` "
                             "更新索引（已有向量会复用）。")
    if sentences != vectors["sentences"]:
        return IndexProblem(f"{where} 有 {sentences} 个句子向量，应有 {vectors['sentences']} 个"
                            f"（{meta_path} 的记录）：{REBUILD}。")
    return None
