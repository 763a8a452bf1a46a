"""The Chroma vector store: embedded (persistent, under index/) or a Chroma server."""

from __future__ import annotations

from functools import cached_property
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from .schema import Chunk, Hit

# Chroma's HNSW graph is built anew by each build and is approximate: with its default search
# breadth (10, so the 40 asked) the 40 nearest passages came back slightly different after each
# rebuild of the same corpus, and so did the judge's features. A breadth well above 40 makes
# them the exact 40 at these corpus sizes.
SPACE = {"hnsw:space": "cosine", "hnsw:search_ef": 200}
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


class ChunkStore:
    """Chunks with their vectors in one Chroma collection; langchain's VectorStore on top.

    `ChunkStore.create` is for a build; `ChunkStore.open` is for reading and never writes: a
    missing collection raises chromadb's NotFoundError instead of appearing empty.
    """

    def __init__(self, client, collection, embeddings: Embeddings | None) -> None:
        self.client = client
        self.collection = collection
        self.embeddings = embeddings

    @classmethod
    def create(cls, client, name: str, embeddings: Embeddings) -> ChunkStore:
        return cls(client, client.get_or_create_collection(name, metadata=SPACE), embeddings)

    @classmethod
    def open(cls, client, name: str, embeddings: Embeddings | None) -> ChunkStore:
        return cls(client, client.get_collection(name), embeddings)

    @cached_property
    def vectorstore(self) -> Chroma:
        return Chroma(client=self.client, collection_name=self.collection.name,
                      embedding_function=self.embeddings, collection_metadata=SPACE,
                      create_collection_if_not_exists=False)

    def count(self) -> int:
        return self.collection.count()

    def vectors(self, ids: list[str]) -> dict[str, list[float]]:
        """The stored vectors of those of `ids` this collection holds."""
        found: dict[str, list[float]] = {}
        for start in range(0, len(ids), 1000):
            got = self.collection.get(ids=ids[start:start + 1000], include=["embeddings"])
            found.update((i, [float(x) for x in v]) for i, v in zip(got["ids"], got["embeddings"]))
        return found

    def add(self, chunks: list[Chunk], citation: dict[str, dict],
            known: Callable[[list[str]], dict[str, list[float]]] = lambda ids: {},
            progress=None) -> int:
        """Store `chunks` block by block, embedding those `known` has no vector for (vectors a
        prior build computed); returns how many were embedded. The next block is embedded while
        this one is written to Chroma, and only two blocks' vectors are held at a time, so
        memory does not grow with the corpus."""
        blocks = [chunks[start:start + _EMBED_BLOCK]
                  for start in range(0, len(chunks), _EMBED_BLOCK)]
        embedded = 0
        with ThreadPoolExecutor(1, thread_name_prefix="embed") as ahead:
            pending = ahead.submit(self._vectors, blocks[0], known) if blocks else None
            for i, block in enumerate(blocks):
                vectors, fresh = pending.result()
                if i + 1 < len(blocks):
                    pending = ahead.submit(self._vectors, blocks[i + 1], known)
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

    def _vectors(self, block: list[Chunk], known) -> tuple[dict[str, list[float]], int]:
        """Each chunk's vector, computed where `known` has none; and how many were computed."""
        vectors = known([c.id for c in block])
        missing = [c for c in block if c.id not in vectors]
        if missing:
            fresh = self.embeddings.embed_documents([indexed_text(c) for c in missing])
            vectors.update({c.id: v for c, v in zip(missing, fresh)})
        return vectors, len(missing)

    def search(self, vector: list[float], k: int, where: dict | None = None) -> list[Hit]:
        result = self.collection.query(query_embeddings=[vector], n_results=k, where=where or None,
                                       include=["documents", "metadatas", "distances"])
        return [
            _hit(chunk_id, document, meta, 1.0 - distance)
            for chunk_id, document, meta, distance in zip(
                result["ids"][0], result["documents"][0], result["metadatas"][0],
                result["distances"][0])
        ]


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
