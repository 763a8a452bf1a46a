"""The Chroma vector store: embedded (persistent, under index/) or a Chroma server."""

from __future__ import annotations

import hashlib
from functools import cached_property
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from .clean import split_sentences
from .schema import Chunk, Hit

# Chroma's HNSW search is approximate: at its default breadth (10, so the 40 asked) the 40 nearest
# passages differed after each rebuild of the same corpus; at 200 too, now and then, and not even
# repeatably: the same build asked with the same vector missed the nearest passage (cosine 0.948,
# the answer to "北京市…年度清单一共列了多少项重点任务") in 1 process of 8. Up to EXACT_LIMIT
# passages the store scores each one in memory (the seed corpus's 392 × 384 floats: well under a
# millisecond; 50,000 are 77 MB and about 5 ms a question); beyond, Chroma's index answers.
SPACE = {"hnsw:space": "cosine", "hnsw:search_ef": 200}
EXACT_LIMIT = 50_000
_BATCH = 64  # passages per Chroma write
# Passages per embedding call, embedded while the block before is written to Chroma. A call's
# batches run one per core and its last may leave a core idle: storing the seed corpus took
# 13.4 s at 64 passages a call without overlap, 12.6 s at 256 with it, 12.4 s at 512.
_EMBED_BLOCK = 256


def chroma_client(path: Path | None = None, url: str = ""):
    """A Chroma client with telemetry off: a server at `url`, else persistent at `path`."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if url:
        from urllib.parse import urlparse

        parsed = urlparse(url)
        return chromadb.HttpClient(host=parsed.hostname or "127.0.0.1", port=parsed.port or 8000,
                                   ssl=parsed.scheme == "https", settings=settings)
    return chromadb.PersistentClient(path=str(path), settings=settings)


# Vectors read from each collection when a build is opened (a few milliseconds): one cut file
# (the index files cut to half, emptied or deleted) fails the first, the last or one between.
PROBES = 8


class ChunkStore:
    """Chunks with their vectors in one Chroma collection, langchain's VectorStore on top; and
    the vectors of each chunk's sentences in a second one (`sentences`), for which sentence of
    a passage a question is closest to.

    `ChunkStore.create` is for a build; `ChunkStore.open` is for reading and never writes: a
    missing collection raises chromadb's NotFoundError instead of appearing empty (the
    sentences' is None in a build made before them).
    """

    def __init__(self, client, collection, embeddings: Embeddings | None, sentences=None) -> None:
        self.client = client
        self.collection = collection
        self.embeddings = embeddings
        self.sentences = sentences

    @classmethod
    def create(cls, client, name: str, embeddings: Embeddings) -> ChunkStore:
        return cls(client, client.get_or_create_collection(name, metadata=SPACE), embeddings,
                   client.get_or_create_collection(sentence_collection(name), metadata=SPACE))

    @classmethod
    def open(cls, client, name: str, embeddings: Embeddings | None) -> ChunkStore:
        collection = client.get_collection(name)
        try:
            sentences = client.get_collection(sentence_collection(name))
        except Exception as error:  # noqa: BLE001  chromadb's NotFoundError: an older build
            if not missing_collection(error):
                raise
            sentences = None
        return cls(client, collection, embeddings, sentences)

    @cached_property
    def vectorstore(self) -> Chroma:
        return Chroma(client=self.client, collection_name=self.collection.name,
                      embedding_function=self.embeddings, collection_metadata=SPACE,
                      create_collection_if_not_exists=False)

    def count(self) -> int:
        return self.collection.count()

    def sentence_count(self) -> int | None:
        return self.sentences.count() if self.sentences is not None else None

    def probe(self) -> None:
        """Read vectors spread over each collection, and search with one; ValueError if one is
        not a vector. The counts come from Chroma's SQLite file, the vectors from the index files
        beside it, which an emptied or cut file breaks: chromadb then raises "Error getting
        embedding" at the first question, or returns overflowing numbers, not when it opens."""
        for collection in (self.collection, self.sentences):
            total = collection.count() if collection is not None else 0
            offsets = sorted({round(i * (total - 1) / (PROBES - 1)) for i in range(PROBES)})
            for offset in offsets if total else ():
                got = collection.get(limit=1, offset=offset, include=["embeddings"])
                vector = np.asarray(got["embeddings"][0], dtype=np.float64)
                if not np.isfinite(vector).all() or not np.abs(vector).sum() > 0:
                    raise ValueError(f"vector {offset} of {collection.name} is not one")
            if total:
                collection.query(query_embeddings=[vector.tolist()], n_results=1,
                                 include=["distances"])

    def vectors(self, ids: list[str]) -> dict[str, list[float]]:
        """The stored vectors of those of `ids` this store holds (passages' or sentences')."""
        found: dict[str, list[float]] = {}
        for collection in (self.collection, self.sentences):
            missing = [i for i in ids if i not in found]
            if collection is None or not missing:
                continue
            for start in range(0, len(missing), 1000):
                got = collection.get(ids=missing[start:start + 1000], include=["embeddings"])
                found.update((i, [float(x) for x in v])
                             for i, v in zip(got["ids"], got["embeddings"]))
        return found

    def add(self, chunks: list[Chunk], citation: dict[str, dict],
            known: Callable[[list[str]], dict[str, list[float]]] = lambda ids: {},
            progress=None) -> int:
        """Store `chunks` block by block, embedding those `known` has no vector for (vectors a
        prior build computed); returns how many were embedded. The next block is embedded while
        this one is written to Chroma, and only two blocks' vectors are held at a time, so
        memory does not grow with the corpus."""
        for read in ("_all", "_exact_search"):  # read anew at the next search
            self.__dict__.pop(read, None)
        blocks = [chunks[start:start + _EMBED_BLOCK]
                  for start in range(0, len(chunks), _EMBED_BLOCK)]
        embedded = 0
        with ThreadPoolExecutor(1, thread_name_prefix="embed") as ahead:
            pending = ahead.submit(self._vectors, _indexed(blocks[0]), known) if blocks else None
            for i, block in enumerate(blocks):
                vectors, fresh = pending.result()
                if i + 1 < len(blocks):
                    pending = ahead.submit(self._vectors, _indexed(blocks[i + 1]), known)
                embedded += fresh
                for start in range(0, len(block), _BATCH):
                    batch = block[start:start + _BATCH]
                    self.collection.add(
                        ids=[c.id for c in batch],
                        embeddings=[vectors[c.id] for c in batch],
                        documents=[indexed_text(c) for c in batch],
                        metadatas=[metadata(c, citation.get(c.doc, {})) for c in batch],
                    )
                    if progress:
                        progress(len(batch))
        return embedded

    def add_sentences(self, chunks: list[Chunk],
                      known: Callable[[list[str]], dict[str, list[float]]] = lambda ids: {}
                      ) -> int:
        """Store the vectors of every distinct sentence of `chunks`, embedding those `known`
        has none for; returns how many were embedded."""
        texts = list(dict.fromkeys(s for c in chunks for s in passage_sentences(c)))
        embedded = 0
        for start in range(0, len(texts), _EMBED_BLOCK):
            block = {sentence_id(t): t for t in texts[start:start + _EMBED_BLOCK]}
            vectors, fresh = self._vectors(block, known)
            embedded += fresh
            for at in range(0, len(block), _BATCH):
                ids = list(block)[at:at + _BATCH]
                self.sentences.add(ids=ids, embeddings=[vectors[i] for i in ids])
        return embedded

    def nearest_sentences(self, vector: list[float], chunks: list[Chunk]
                          ) -> dict[str, tuple[float, str]]:
        """For each chunk, its sentence closest to `vector` (a query's) and their cosine."""
        wanted = {c.id: {sentence_id(t): t for t in passage_sentences(c)} for c in chunks}
        ids = list(dict.fromkeys(i for texts in wanted.values() for i in texts))
        got = self.sentences.get(ids=ids, include=["embeddings"]) if ids else {"ids": []}
        if not got["ids"]:
            return {}
        matrix = np.asarray(got["embeddings"], dtype=np.float32)
        query = np.asarray(vector, dtype=np.float32)
        cosine = matrix @ query / (np.linalg.norm(matrix, axis=1) * np.linalg.norm(query) + 1e-9)
        similarity = dict(zip(got["ids"], cosine.tolist()))
        nearest = {}
        for chunk_id, texts in wanted.items():
            scored = [(similarity[i], t) for i, t in texts.items() if i in similarity]
            if scored:
                nearest[chunk_id] = max(scored)
        return nearest

    def _vectors(self, texts: dict[str, str], known) -> tuple[dict[str, list[float]], int]:
        """Each text's vector by its id, computed where `known` has none; and how many were
        computed."""
        vectors = known(list(texts))
        missing = [i for i in texts if i not in vectors]
        if missing:
            fresh = self.embeddings.embed_documents([texts[i] for i in missing])
            vectors.update(zip(missing, fresh))
        return vectors, len(missing)

    def search(self, vector: list[float], k: int, where: dict | None = None) -> list[Hit]:
        """The `k` passages nearest `vector` (cosine), best first; `where`: Chroma's equality
        filter on metadata ({"doc": …} or {"$and": [{…}, …]})."""
        if self._exact_search:
            return self._exact(vector, k, where)
        result = self.collection.query(query_embeddings=[vector], n_results=k, where=where or None,
                                       include=["documents", "metadatas", "distances"])
        return [_hit(*found[:3], 1.0 - found[3]) for found in zip(
            result["ids"][0], result["documents"][0], result["metadatas"][0], result["distances"][0])]

    @cached_property
    def _exact_search(self) -> bool:
        """Whether the store is small enough to score every passage (asked once, not each time)."""
        return self.count() <= EXACT_LIMIT

    @cached_property
    def _all(self) -> tuple[list[str], list[str], list[dict], np.ndarray]:
        """Every passage's id, text, metadata and unit vector, read once."""
        got = self.collection.get(include=["embeddings", "documents", "metadatas"])
        matrix = np.asarray(got["embeddings"], dtype=np.float32).reshape(len(got["ids"]), -1) if (
            got["ids"]) else np.zeros((0, 1), dtype=np.float32)
        matrix /= np.linalg.norm(matrix, axis=1, keepdims=True) + 1e-12
        return got["ids"], got["documents"], got["metadatas"], matrix

    def _exact(self, vector: list[float], k: int, where: dict | None) -> list[Hit]:
        ids, documents, metadatas, matrix = self._all
        if not ids:
            return []
        query = np.asarray(vector, dtype=np.float32)
        cosine = matrix @ (query / (np.linalg.norm(query) + 1e-12))
        if where:  # the passages the filter leaves out rank below every other
            kept = np.fromiter((matches(meta, where) for meta in metadatas), bool, len(ids))
            cosine = np.where(kept, cosine, -np.inf)
        order = np.argsort(-cosine, kind="stable")[:k]  # stable: ties keep stored order
        return [_hit(ids[i], documents[i], metadatas[i], float(cosine[i])) for i in order
                if cosine[i] > -np.inf]


def matches(meta: dict, where: dict | None) -> bool:
    """Whether a passage's metadata meets Chroma's equality filter `where`."""
    if not where:
        return True
    clauses = where.get("$and", [where])
    return all(str(meta.get(key)) == str(value) for clause in clauses
               for key, value in clause.items())


def sentence_collection(name: str) -> str:
    return f"{name}-sentences"


def missing_collection(error: BaseException) -> bool:
    """Whether chromadb's error says the collection does not exist (its type differs by
    client: embedded or server)."""
    return "NotFound" in type(error).__name__ or "does not exist" in str(error)


MIN_SENTENCE = 6  # characters: a shorter piece ("（一）", "第十条") means nothing on its own


def passage_sentences(chunk: Chunk) -> tuple[str, ...]:
    """The sentences of a chunk that get a vector of their own (a table row is one)."""
    if chunk.kind == "table_row":
        return (chunk.text,)
    found = [s for s in split_sentences(chunk.text) if len(s) >= MIN_SENTENCE]
    return tuple(dict.fromkeys(found)) or (chunk.text,)


def sentence_id(text: str) -> str:
    """A sentence's id is a hash of its text: the same sentence anywhere has one vector, and
    a later build reuses it."""
    return "s" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]


def _indexed(block: list[Chunk]) -> dict[str, str]:
    """A block's embedded texts by chunk id."""
    return {c.id: indexed_text(c) for c in block}


def indexed_text(chunk: Chunk) -> str:
    """What is embedded, and stored as the Chroma document: the heading path gives a short
    passage its topic."""
    return f"{chunk.section_path}\n{chunk.text}"


def passage_text(document: str, section_path: str) -> str:
    """The passage itself, from what `indexed_text` stored."""
    return document.removeprefix(f"{section_path}\n")


def metadata(chunk: Chunk, citation: dict) -> dict:
    return {
        "doc": chunk.doc, "section": chunk.section_path, "kind": chunk.kind,
        "start": chunk.start, "end": chunk.end,
        **{k: citation.get(k, "") for k in ("title", "level", "date", "region")},
        "doc_kind": citation.get("kind", ""),
    }


def _hit(chunk_id: str, document: str, meta: dict, score: float) -> Hit:
    # The text is stored once, as the document: storing it in the metadata too made adding a
    # passage to Chroma take twice as long (16.1 s and 9.4 s for 4 800 passages).
    chunk = Chunk(id=chunk_id, doc=meta["doc"], text=passage_text(document, meta["section"]),
                  section=tuple(meta["section"].split(" > ")), kind=meta["kind"],
                  start=int(meta["start"]), end=int(meta["end"]))
    return Hit(chunk=chunk, score=score, title=meta.get("title", ""), level=meta.get("level", ""),
               date=meta.get("date", ""), region=meta.get("region", ""),
               doc_kind=meta.get("doc_kind", ""), scores={"dense": score})
