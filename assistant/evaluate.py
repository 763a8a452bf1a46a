"""Evaluation metrics: pure functions over questions and `ask --json` records."""

from __future__ import annotations

import re
import statistics


def squash(text: str) -> str:
    """Matching ignores all whitespace: the PDFs broke lines and words at random."""
    return re.sub(r"\s+", "", text)


def contains_quote(text: str, sources: list[dict]) -> bool:
    flat = squash(text)
    return any(squash(s["quote"]) in flat or _row_in(s["quote"], flat) for s in sources)


# A quote of a Markdown table's row ("| 法定办理时限 | 一个月 |") is held by a passage giving that
# row's cells in order, however rendered ("法定办理时限：一个月"): the row, not its pipes, is cited.
CELL_GAP = 3  # characters between two cells of the row: "：", "；", " 为 "


def _row_in(quote: str, flat: str) -> bool:
    cells = [squash(c) for c in quote.strip().strip("|").split("|") if squash(c)]
    return quote.strip().startswith("|") and len(cells) >= 2 and re.search(
        f".{{0,{CELL_GAP}}}".join(map(re.escape, cells)), flat) is not None


def first_hit_rank(retrieved: list[dict], sources: list[dict]) -> int | None:
    """1-based rank of the first retrieved passage holding a source quote."""
    for rank, passage in enumerate(retrieved, start=1):
        if contains_quote(passage["text"], sources):
            return rank
    return None


def score(question: dict, record: dict) -> dict:
    """Per-question verdicts; `record` is the ask --json object."""
    answerable = question["kind"] != "out_of_scope"
    rank = first_hit_rank(record["retrieved"][:10], question["sources"]) if answerable else None
    keys_ok = all(squash(k) in squash(record["answer"]) for k in question["answer_keys"])
    cited_ok = any(contains_quote(c["text"], question["sources"]) for c in record["citations"])
    # the first quote is the one the answer's first line is read from
    first_ok = bool(record["citations"]) and contains_quote(record["citations"][0]["text"],
                                                            question["sources"])
    refused = bool(record["abstained"])
    return {
        "answerable": answerable,
        "rank": rank,
        "keys_ok": answerable and not refused and keys_ok,
        "cited_ok": answerable and not refused and cited_ok,
        "first_cited": answerable and not refused and first_ok,
        "correct": (not refused and keys_ok and cited_ok) if answerable else refused,
        "refused": refused,
        "latency_ms": record.get("latency_ms", 0.0),
    }


def summarize(scores: list[dict]) -> dict:
    """The report's metrics over a list of `score` results."""
    answerable = [s for s in scores if s["answerable"]]
    outside = [s for s in scores if not s["answerable"]]
    latencies = sorted(s["latency_ms"] for s in scores)

    def share(items: list[dict], test) -> float:
        return round(sum(1 for s in items if test(s)) / len(items), 4) if items else 0.0

    return {
        "questions": len(scores),
        "hit@1": share(answerable, lambda s: s["rank"] == 1),
        "hit@5": share(answerable, lambda s: s["rank"] is not None and s["rank"] <= 5),
        "mrr@10": round(sum(1 / s["rank"] for s in answerable if s["rank"]) / len(answerable), 4)
        if answerable else 0.0,
        "key_accuracy": share(answerable, lambda s: s["keys_ok"]),
        "citation_support": share(answerable, lambda s: s["cited_ok"]),
        "first_cited": share(answerable, lambda s: s["first_cited"]),
        "correct": share(answerable, lambda s: s["correct"]),
        "oos_refused": share(outside, lambda s: s["refused"]),
        "false_refusal": share(answerable, lambda s: s["refused"]),
        "latency_p50_ms": percentile(latencies, 50),
        "latency_p95_ms": percentile(latencies, 95),
    }


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return round(values[0], 1)
    return round(statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1], 1)


def gate(metrics: dict, thresholds: dict, baseline: dict, max_drop: float) -> list[str]:
    """Every metric that fell short: below its floor (above its ceiling for "lower is better"
    metrics), or more than `max_drop` worse than the last accepted run (shares, not timings)."""
    failures = []
    for name, limit in thresholds.get("min", {}).items():
        if metrics.get(name, 0.0) < limit:
            failures.append(f"{name} = {metrics.get(name)} < {limit}")
    for name, limit in thresholds.get("max", {}).items():
        if metrics.get(name, 0.0) > limit:
            failures.append(f"{name} = {metrics.get(name)} > {limit}")
    for name in thresholds.get("min", {}):
        if name in baseline and metrics.get(name, 0.0) < baseline[name] - max_drop:
            failures.append(f"{name} 下降：{metrics.get(name)}，上次接受的为 {baseline[name]}")
    for name in thresholds.get("max", {}):
        if name.endswith("_ms"):  # timings vary with the machine; they have a ceiling only
            continue
        if name in baseline and metrics.get(name, 0.0) > baseline[name] + max_drop:
            failures.append(f"{name} 上升：{metrics.get(name)}，上次接受的为 {baseline[name]}")
    return failures
