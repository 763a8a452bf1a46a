"""The baseline: the pipeline of langchain's RAG tutorial, as a new user would first build it.

500-character splits of the raw files, the system's own embedder, Chroma similarity top-k, and
the top passage as the answer. The evaluation and the scaling benchmark both compare against it.
"""

from __future__ import annotations

from pathlib import Path

from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings
from langchain_text_splitters import RecursiveCharacterTextSplitter

from assistant.store import chroma_client


def corpus_files(corpus_dir: Path) -> list[Path]:
    return sorted(p for p in Path(corpus_dir).iterdir() if p.suffix in (".txt", ".md"))


def tutorial_store(corpus_dir: Path, folder: Path, embeddings: Embeddings) -> Chroma:
    """The tutorial's Chroma store persisted in `folder`, built from `corpus_dir` on first use."""
    store = Chroma(client=chroma_client(folder), collection_name="tutorial",
                   embedding_function=embeddings)
    complete = Path(folder) / "COMPLETE"  # a build killed halfway is not reused
    if not complete.exists():
        store.reset_collection()
        splitter = RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50)
        for path in corpus_files(corpus_dir):
            pieces = splitter.split_text(path.read_text(encoding="utf-8"))
            store.add_texts(pieces, metadatas=[{"doc": path.name}] * len(pieces))
        complete.touch()
    return store
