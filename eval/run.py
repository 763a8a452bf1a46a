"""Release gate: for each corpus of eval/corpora.toml, build (or update) its index, run each
question split through `ask`, score it beside the baselines, and gate.

    python eval/run.py [--corpus NAME ...] [--split NAME ...] [--questions FILE]
                       [--records DIR] [--report OUT.md] [--baselines] [--accept]

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

METRICS = ["hit@1", "hit@5", "mrr@10", "key_accuracy", "citation_support", "first_cited", "correct",
           "oos_refused", "false_refusal", "latency_p50_ms", "latency_p95_ms"]
SPLITS = ("train", "dev", "test")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", type=Path, default=HERE / "corpora.toml")
    parser.add_argument("--corpus", action="append", help="only this corpus (repeatable)")
    parser.add_argument("--split", action="append", choices=SPLITS, help="only this split")
    parser.add_argument("--questions", type=Path,
                        help="an ad-hoc question file, asked of the one --corpus given")
    parser.add_argument("--records", type=Path, help="write each split's answers to DIR")
    parser.add_argument("--report", type=Path, default=HERE / "out" / "report.md")
    parser.add_argument("--thresholds", type=Path, default=HERE / "thresholds.toml")
    parser.add_argument("--baseline-file", type=Path, default=HERE / "baseline.json")
    parser.add_argument("--baselines", action="store_true",
                        help="also score the langchain-tutorial pipeline and BM25 alone")
    parser.add_argument("--accept", action="store_true", help="accept this run as the new baseline")
    args = parser.parse_args(argv)

    corpora = read_corpora(args.corpora)
    chosen = args.corpus or list(corpora)
    unknown = [name for name in chosen if name not in corpora]
    if unknown:
        raise SystemExit(f"未知的语料：{', '.join(unknown)}（可选：{', '.join(corpora)}）")
    if args.questions and len(chosen) != 1:
        raise SystemExit("--questions 需要恰好一个 --corpus")

    thresholds = tomllib.loads(args.thresholds.read_text(encoding="utf-8"))
    accepted = (json.loads(args.baseline_file.read_text(encoding="utf-8"))
                if args.baseline_file.exists() else {})
    max_drop = thresholds.get("gate", {}).get("max_drop", 0.03)
    runs, failures = {}, []
    for name in chosen:
        corpus = corpora[name]
        splits = ({"adhoc": args.questions} if args.questions else
                  {s: corpus[s] for s in (args.split or SPLITS) if present(corpus.get(s))})
        measured = alone(measure, name, corpus, splits, args.baselines) if len(chosen) > 1 else (
            measure(name, corpus, splits, args.baselines))
        for split, (results, questions, path) in measured.items():
            key = f"{name}/{split}"
            runs[key] = (results, questions, path)
            limits = thresholds.get(name, {}).get(split, {})
            failed = gate(results["system"]["metrics"], limits,
                          accepted.get(name, {}).get(split, {}), max_drop)
            failures += [f"{key}: {f}" for f in failed]
            if args.records:
                write_jsonl(args.records / f"{name}-{split}.jsonl", results["system"]["records"])

    report = render(runs, failures)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(report, encoding="utf-8")
    args.report.with_suffix(".json").write_text(json.dumps(
        {key: {p: r["metrics"] for p, r in results.items()} for key, (results, _, _) in runs.items()}
        | {"failures": failures}, ensure_ascii=False, indent=1), encoding="utf-8")
    print(report)
    if args.accept:
        for key, (results, _, _) in runs.items():
            name, split = key.split("/")
            accepted.setdefault(name, {})[split] = results["system"]["metrics"]
        args.baseline_file.write_text(json.dumps(accepted, indent=1, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
        print(f"已接受为新的基线：{args.baseline_file}")
    if failures:
        print("\n未通过发布门槛：\n  " + "\n  ".join(failures), file=sys.stderr)
        return 1
    return 0


def measure(name: str, corpus: dict, splits: dict, baselines: bool) -> dict:
    """Each split's scored answers, questions and file, over the corpus's index (built or
    updated first)."""
    from assistant.settings import Settings

    settings = Settings.from_env()
    index, index_dir, built = open_corpus(name, corpus, settings)
    measured = {}
    for split, path in splits.items():
        questions = read_questions(path)
        results = run_split(questions, index, settings, corpus["corpus"],
                            index_dir / "baselines" if baselines else None)
        results["system"]["metrics"]["index_build_s"] = built
        measured[split] = (results, questions, path)
    return measured


def alone(task, *args):
    """`task(*args)` in a process of its own, as the app serves one index per process: the
    words each index teaches the shared jieba segmenter (its places, defined terms, indicator
    names) had stayed for the corpora measured after it, so "养老机构护理型床位占比", a seed
    table's row, was one token in the questions asked of another corpus, and `make eval`'s
    figures differed from each corpus's measured alone (plans2 dev correct 0.902 against 0.910)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(task, *args).result()


def read_corpora(path: Path) -> dict[str, dict]:
    """Each corpus's folder and split files as absolute paths (a split may be a list of files:
    a tuple of paths); a flag (`fit = false`: `make train` leaves the corpus out) as it is."""
    corpora = {}
    for name, entry in tomllib.loads(path.read_text(encoding="utf-8")).items():
        corpora[name] = {key: value if isinstance(value, bool)  # a flag such as fit = false
                         else tuple((path.parent / v).resolve() for v in value)
                         if isinstance(value, list) else (path.parent / value).resolve()
                         for key, value in entry.items()}
    return corpora


def present(split: Path | tuple[Path, ...] | None) -> bool:
    """Whether the corpus has this split; exits naming a file it lists that does not exist."""
    files = split if isinstance(split, tuple) else (split,) if split else ()
    missing = [str(f) for f in files if not f.exists()]
    if missing:
        raise SystemExit(f"eval/corpora.toml 列出的题目文件不存在：{'，'.join(missing)}")
    return bool(files)


def open_corpus(name: str, corpus: dict, settings):
    """The corpus's index, brought up to date first (incremental: unchanged text is not
    embedded again). The app's own corpus uses the app's index; the others their own folder."""
    from assistant.build import build_index
    from assistant.embed import get_embeddings
    from assistant.index import open_index

    embeddings = get_embeddings(settings.embeddings)
    own = corpus["corpus"] == settings.corpus_dir.resolve()
    index_dir = settings.index_dir if own else settings.index_dir / "eval" / name
    report = build_index(corpus["corpus"], index_dir, embeddings, model=settings.embeddings,
                         chroma_url=settings.chroma_url)
    index = open_index(index_dir, embeddings, model=settings.embeddings,
                       chroma_url=settings.chroma_url)
    print(f"{name}: {report.chunks} 块（新嵌入 {report.embedded}），用时 {report.seconds:.1f} 秒",
          file=sys.stderr)
    return index, index_dir, round(report.seconds, 1)


def run_split(questions: list[dict], index, settings, corpus_dir: Path,
              baselines: Path | None) -> dict:
    """The system's answers scored; with `baselines` (their cache folder) the tutorial's and
    BM25's too."""
    from assistant.ask import ask
    from assistant.present import to_json

    ask(index, "特困人员怎么认定？")  # warm up: latency is reported warm
    records = [{"id": q["id"], **to_json(ask(index, q["question"], k=settings.top_k))}
               for q in questions]
    results = {"system": evaluate(questions, records)}
    if baselines:
        results["langchain_tutorial"] = evaluate(
            questions, tutorial_records(questions, index, corpus_dir, baselines))
        results["bm25"] = evaluate(questions, bm25_records(questions, index))
    return results


def read_questions(path: Path | tuple[Path, ...]) -> list[dict]:
    if isinstance(path, tuple):
        return [q for part in path for q in read_questions(part)]
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
    by_kind, by_style = defaultdict(list), defaultdict(list)
    for q, s in zip(questions, scores):
        by_kind[q["kind"]].append(s)
        if "style" in q:
            by_style[q["style"]].append(s)
    return {"metrics": summarize(scores), "scores": scores, "records": records,
            "by_kind": {kind: summarize(items) for kind, items in sorted(by_kind.items())},
            "by_style": {style: summarize(items) for style, items in sorted(by_style.items())}}


def tutorial_records(questions: list[dict], index, corpus_dir: Path, cache: Path) -> list[dict]:
    """The langchain-tutorial baseline (eval/tutorial.py), cached per corpus and model."""
    from tutorial import corpus_files, tutorial_store

    files = corpus_files(corpus_dir)
    key = hashlib.sha1("".join(p.read_text(encoding="utf-8") for p in files).encode()).hexdigest()
    model = index.meta.get("model", "")
    folder = cache / f"tutorial-{model.replace(':', '_').replace('/', '_')}-{key[:12]}"
    store = tutorial_store(corpus_dir, folder, index.store.embeddings)
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


def render(runs: dict, failures: list[str]) -> str:
    """One table of every corpus and split side by side, then each split's details."""
    keys = list(runs)
    lines = ["# 评测报告", "", "## 总览（本系统；括号内为 langchain 教程基线）", "",
             "| 指标 | " + " | ".join(f"{k}（{len(runs[k][1])} 题）" for k in keys) + " |",
             "|---|" + "---:|" * len(keys)]
    for name in METRICS + ["index_build_s"]:
        cells = []
        for key in keys:
            results = runs[key][0]
            value = results["system"]["metrics"].get(name, "")
            tutorial = results.get("langchain_tutorial", {}).get("metrics", {}).get(name)
            cells.append(f"{value}" + (f"（{tutorial}）" if tutorial is not None
                                       and name != "index_build_s" else ""))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    for key in keys:
        results, questions, path = runs[key]
        lines += ["", *render_split(key, results, questions, path)]
    lines.append("")
    lines.append("门槛：" + ("全部通过" if not failures else "未通过 — " + "；".join(failures)))
    return "\n".join(lines) + "\n"


def render_split(key: str, results: dict, questions: list[dict], path: Path) -> list[str]:
    system = results["system"]
    others = [name for name in results if name != "system"]
    names = " + ".join(p.name for p in (path if isinstance(path, tuple) else (path,)))
    lines = [f"## {key}：{names}（{len(questions)} 题）", "",
             "| 指标 | 本系统 | " + "".join(f"{o} | " for o in others)
             + "".join(f"本系统/{o} | " for o in others),
             "|---|---:|" + "---:|" * (2 * len(others))]
    for name in METRICS:
        value = system["metrics"][name]
        row = [f"{results[o]['metrics'][name]}" for o in others]
        ratios = [_ratio(value, results[o]["metrics"][name]) for o in others]
        lines.append(f"| {name} | {value} | " + "".join(f"{r} | " for r in row + ratios))
    for title, groups in (("按题型", system["by_kind"]), ("按问法", system["by_style"])):
        if not groups:
            continue
        lines += ["", f"### {title}", "",
                  "| 类别 | 题数 | hit@5 | 正确率 | 拒答（超出范围时为正确拒答率） |",
                  "|---|---:|---:|---:|---:|"]
        for group, m in groups.items():
            outside = group == "out_of_scope"
            correct = m["oos_refused"] if outside else m["correct"]
            refusals = m["oos_refused"] if outside else m["false_refusal"]
            lines.append(f"| {group} | {m['questions']} | {m['hit@5']} | {correct} | {refusals} |")
    if key.endswith("/test"):  # sealed: figures only, no questions to tune on
        return lines
    lines += ["", "### 最差的失败（最多 20 条）", ""]
    failed = [(q, s, r) for q, s, r in zip(questions, system["scores"], system["records"])
              if not s["correct"]]
    failed.sort(key=lambda t: (t[1]["answerable"] and t[1]["rank"] is None, t[1]["refused"]),
                reverse=True)
    for q, s, r in failed[:20]:
        got = "（拒答）" if r["abstained"] else r["answer"].replace("\n", " ")[:110]
        lines.append(f"- **{q['id']}** [{q['kind']}] {q['question']} — 期望 {q['answer_keys']}；"
                     f"命中排名 {s['rank']}；得到：{got}")
    return lines


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "—"


def write_jsonl(path: Path, records: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    sys.exit(main())
