"""The Chroma vector store: embedded (persistent, under index/) or a Chroma server."""

from __future__ import annotations

from functools import cached_property
from collections.abc import Callable
from pathlib import Path

from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from .schema import Chunk, Hit

SPACE = {"hnsw:space": "cosine"}
_BATCH = 64


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
        """Store `chunks` batch by batch, embedding those `known` has no vector for (vectors a
        prior build computed); returns how many were embedded. Only one batch's vectors are
        held at a time, so memory does not grow with the corpus."""
        embedded = 0
        for start in range(0, len(chunks), _BATCH):
            batch = chunks[start:start + _BATCH]
            vectors = known([c.id for c in batch])
            missing = [c for c in batch if c.id not in vectors]
            if missing:
                fresh = self.embeddings.embed_documents([indexed_text(c) for c in missing])
                vectors.update({c.id: v for c, v in zip(missing, fresh)})
                embedded += len(missing)
            self.collection.add(
                ids=[c.id for c in batch],
                embeddings=[vectors[c.id] for c in batch],
                documents=[indexed_text(c) for c in batch],
                metadatas=[metadata(c, citation.get(c.doc, {})) for c in batch],
            )
            if progress:
                progress(len(batch))
        return embedded

    def search(self, vector: list[float], k: int, where: dict | None = None) -> list[Hit]:
        result = self.collection.query(query_embeddings=[vector], n_results=k, where=where or None,
                                       include=["metadatas", "distances"])
        return [
            _hit(chunk_id, meta, 1.0 - distance)
            for chunk_id, meta, distance in zip(result["ids"][0], result["metadatas"][0],
                                                result["distances"][0])
        ]


def indexed_text(chunk: Chunk) -> str:
    """What is embedded: the heading path gives a short passage its topic."""
    return f"{chunk.section_path}\n{chunk.text}"


def metadata(chunk: Chunk, citation: dict) -> dict:
    return {
        "doc": chunk.doc, "text": chunk.text, "section": chunk.section_path, "kind": chunk.kind,
        "start": chunk.start, "end": chunk.end,
        **{k: citation.get(k, "") for k in ("title", "level", "date", "region")},
        "doc_kind": citation.get("kind", ""),
    }


def _hit(chunk_id: str, meta: dict, score: float) -> Hit:
    chunk = Chunk(id=chunk_id, doc=meta["doc"], text=meta["text"],
                  section=tuple(meta["section"].split(" > ")), kind=meta["kind"],
                  start=int(meta["start"]), end=int(meta["end"]))
    return Hit(chunk=chunk, score=score, title=meta.get("title", ""), level=meta.get("level", ""),
               date=meta.get("date", ""), region=meta.get("region", ""),
               doc_kind=meta.get("doc_kind", ""), scores={"dense": score})
