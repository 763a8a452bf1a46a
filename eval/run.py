"""Release gate: run the evaluation set through `ask`, score it, compare, and gate.

    python eval/run.py [--questions FILE] [--records OUT.jsonl] [--report OUT.md]
                       [--baselines] [--accept]

Exits 1, naming each metric that fell short, when a metric is below its floor in
eval/thresholds.toml or dropped more than `max_drop` from eval/baseline.json (the last run
accepted with --accept).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
import tomllib
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from assistant.evaluate import gate, score, summarize  # noqa: E402

METRICS = ["hit@1", "hit@5", "mrr@10", "key_accuracy", "citation_support", "correct",
           "oos_refused", "false_refusal", "latency_p50_ms", "latency_p95_ms"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--questions", type=Path, default=HERE / "questions.jsonl")
    parser.add_argument("--records", type=Path, help="write one JSON object per question")
    parser.add_argument("--report", type=Path, default=HERE / "out" / "report.md")
    parser.add_argument("--thresholds", type=Path, default=HERE / "thresholds.toml")
    parser.add_argument("--baseline-file", type=Path, default=HERE / "baseline.json")
    parser.add_argument("--baselines", action="store_true",
                        help="also score the langchain-tutorial pipeline and BM25 alone")
    parser.add_argument("--accept", action="store_true", help="accept this run as the new baseline")
    args = parser.parse_args(argv)

    from assistant.answer import ask
    from assistant.cli import open_assistant
    from assistant.present import to_json
    from assistant.settings import Settings

    questions = read_questions(args.questions)
    settings = Settings.from_env()
    index = open_assistant(settings)
    ask(index, "特困人员怎么认定？")  # warm up: latency is reported warm

    records = []
    for q in questions:
        records.append({"id": q["id"], **to_json(ask(index, q["question"], k=settings.top_k))})
    results = {"system": evaluate(questions, records)}
    if args.baselines:
        results["langchain_tutorial"] = evaluate(questions, tutorial_records(questions, index,
                                                                             settings))
        results["bm25"] = evaluate(questions, bm25_records(questions, index))
    results["system"]["metrics"]["index_build_s"] = index.meta.get("seconds", 0.0)

    if args.records:
        write_jsonl(args.records, records)
    thresholds = tomllib.loads(args.thresholds.read_text(encoding="utf-8"))
    baseline = (json.loads(args.baseline_file.read_text(encoding="utf-8"))
                if args.baseline_file.exists() else {})
    metrics = results["system"]["metrics"]
    failures = gate(metrics, thresholds, baseline, thresholds.get("gate", {}).get("max_drop", 0.03))
    report = render(results, questions, failures, args.questions)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(report, encoding="utf-8")
    args.report.with_suffix(".json").write_text(
        json.dumps({k: v["metrics"] for k, v in results.items()} | {"failures": failures},
                   ensure_ascii=False, indent=1), encoding="utf-8")
    print(report)
    if args.accept:
        args.baseline_file.write_text(json.dumps(metrics, indent=1) + "\n", encoding="utf-8")
        print(f"已接受为新的基线：{args.baseline_file}")
    if failures:
        print("\n未通过发布门槛：\n  " + "\n  ".join(failures), file=sys.stderr)
        return 1
    return 0


def read_questions(path: Path) -> list[dict]:
    questions = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                questions.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise SystemExit(f"{path}:{n}: 不是合法的 JSON：{error}") from None
    return questions


def evaluate(questions: list[dict], records: list[dict]) -> dict:
    scores = [score(q, r) for q, r in zip(questions, records)]
    by_kind = defaultdict(list)
    for q, s in zip(questions, scores):
        by_kind[q["kind"]].append(s)
    return {"metrics": summarize(scores), "scores": scores, "records": records,
            "by_kind": {kind: summarize(items) for kind, items in sorted(by_kind.items())}}


def tutorial_records(questions: list[dict], index, settings) -> list[dict]:
    """The langchain-tutorial baseline (eval/tutorial.py), cached per corpus and model."""
    from tutorial import corpus_files, tutorial_store

    files = corpus_files(settings.corpus_dir)
    key = hashlib.sha1("".join(p.read_text(encoding="utf-8") for p in files).encode()).hexdigest()
    folder = settings.index_dir / "baselines" / f"tutorial-{settings.embeddings}-{key[:12]}"
    store = tutorial_store(settings.corpus_dir, folder, index.store.embeddings)
    records = []
    for q in questions:
        started = time.perf_counter()
        docs = store.similarity_search(q["question"], k=10)
        records.append(_top_passage_record(q, [(d.metadata["doc"], d.page_content) for d in docs],
                                           started))
    return records


def bm25_records(questions: list[dict], index) -> list[dict]:
    """jieba + BM25 alone over the system's own chunks."""
    from assistant.keyword import tokenize

    records = []
    for q in questions:
        started = time.perf_counter()
        scores = index.keyword.scores(tokenize(q["question"]))
        top = sorted(range(len(scores)), key=lambda i: -scores[i])[:10]
        chunks = [index.chunks[index.keyword.ids[i]] for i in top]
        records.append(_top_passage_record(q, [(c.doc, c.text) for c in chunks], started))
    return records


def _top_passage_record(q: dict, passages: list[tuple[str, str]], started: float) -> dict:
    retrieved = [{"doc": doc, "text": text} for doc, text in passages]
    return {"id": q["id"], "question": q["question"], "answer": passages[0][1] if passages else "",
            "abstained": False, "citations": retrieved[:1], "retrieved": retrieved,
            "latency_ms": round((time.perf_counter() - started) * 1000, 1)}


def render(results: dict, questions: list[dict], failures: list[str], path: Path) -> str:
    system = results["system"]
    others = [name for name in results if name != "system"]
    lines = [f"# 评测报告：{path.name}（{len(questions)} 题）", "",
             "| 指标 | 本系统 | " + " | ".join(others)
             + "".join(f" | 本系统/{o}" for o in others) + " |",
             "|---|---:|" + "---:|" * (2 * len(others))]
    for name in METRICS:
        value = system["metrics"][name]
        row = [f"{results[o]['metrics'][name]}" for o in others]
        ratios = [_ratio(value, results[o]["metrics"][name]) for o in others]
        lines.append(f"| {name} | {value} | " + "".join(f"{r} | " for r in row + ratios))
    lines.append(f"\n索引构建用时：{system['metrics']['index_build_s']} 秒\n")
    lines += ["## 按题型", "", "| 题型 | 题数 | hit@5 | 正确率 | 拒答（超出范围时为正确拒答率） |",
              "|---|---:|---:|---:|---:|"]
    for kind, m in system["by_kind"].items():
        refusals = m["oos_refused"] if kind == "out_of_scope" else m["false_refusal"]
        correct = m["oos_refused"] if kind == "out_of_scope" else m["correct"]
        lines.append(f"| {kind} | {m['questions']} | {m['hit@5']} | {correct} | {refusals} |")
    lines += ["", "## 最差的失败（最多 20 条）", ""]
    failed = [(q, s, r) for q, s, r in zip(questions, system["scores"], system["records"])
              if not s["correct"]]
    failed.sort(key=lambda t: (t[1]["answerable"] and t[1]["rank"] is None, t[1]["refused"]),
                reverse=True)
    for q, s, r in failed[:20]:
        got = "（拒答）" if r["abstained"] else r["answer"].replace("\n", " ")[:110]
        lines.append(f"- **{q['id']}** [{q['kind']}] {q['question']} — 期望 {q['answer_keys']}；"
                     f"命中排名 {s['rank']}；得到：{got}")
    lines.append("")
    lines.append("门槛：" + ("全部通过" if not failures else "未通过 — " + "；".join(failures)))
    return "\n".join(lines) + "\n"


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "—"


def write_jsonl(path: Path, records: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    sys.exit(main())
