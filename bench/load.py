"""Load test of a running server through its Gradio API (the `/ask` endpoint).

    assistant serve &                       # or ASSISTANT_PORT=7861 assistant serve
    python bench/load.py --url http://127.0.0.1:7860/

Each conversation is its own gradio_client session asking its questions one after another
and sending the earlier ones as `history`, as the chat tab does. Prints the error count
(should be 0) and the latency percentiles seen by the clients.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from gradio_client import Client

QUESTIONS = Path(__file__).resolve().parent.parent / "eval" / "corpora" / "seeds" / "train.jsonl"
FALLBACK = ["三级精神残疾人能认定为特困人员吗？", "养老机构护理型床位占比2025年目标是多少？",
            "我奶奶瘫痪在床，家里困难，能领什么补贴？", "民乐县2020年护理型床位占比是多少？"]
FOLLOW_UPS = ["那民乐县的呢？", "那农村的呢？"]


def question_pool() -> list[str]:
    if not QUESTIONS.exists():
        return FALLBACK
    lines = QUESTIONS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()] or FALLBACK


def conversation(url: str, questions: list[str]) -> tuple[list[float], list[str]]:
    """Latencies (seconds) of each answered question, and what went wrong with the others."""
    latencies, errors, history = [], [], []
    client = Client(url, verbose=False)
    for question in questions:
        started = time.perf_counter()
        try:
            result = client.predict(question, history, api_name="/ask")
            if not isinstance(result, dict) or not result.get("answer"):
                raise ValueError(f"no answer in {str(result)[:80]!r}")
        except Exception as error:
            errors.append(f"{question[:20]}: {type(error).__name__}: {error}")
            continue
        latencies.append(time.perf_counter() - started)
        history.append(question)
    return latencies, errors


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:7860/")
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--questions", type=int, default=25, help="questions per conversation")
    args = parser.parse_args()

    pool = question_pool()
    scripts = []
    for c in range(args.conversations):
        script = [pool[(c * args.questions + q) % len(pool)] for q in range(args.questions)]
        for q in range(4, len(script), 5):  # every fifth question leans on the ones before
            script[q] = FOLLOW_UPS[(c + q) % len(FOLLOW_UPS)]
        scripts.append(script)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.conversations) as pool_:
        results = list(pool_.map(lambda s: conversation(args.url, s), scripts))
    wall = time.perf_counter() - started

    latencies = [t for times, _ in results for t in times]
    errors = [e for _, errs in results for e in errs]
    total = args.conversations * args.questions
    print(f"{args.conversations} 个并发对话 × {args.questions} 个问题 = {total} 次请求，用时 {wall:.1f} 秒"
          f"（{len(latencies) / wall:.1f} 次/秒）")
    print(f"错误: {len(errors)}")
    for error in errors[:10]:
        print(f"  {error}")
    if latencies:
        print(f"延迟: p50 {percentile(latencies, 0.5) * 1000:.0f} ms, "
              f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms, "
              f"最大 {max(latencies) * 1000:.0f} ms, 平均 {statistics.mean(latencies) * 1000:.0f} ms")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
