"""Command line: verbs follow the pipeline (index, chunks, targets, ask, serve), doctor, and
feedback (the users' votes, summed up)."""

from __future__ import annotations

import argparse
import json
import sys

from .settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="assistant", description="民政政策问答助手")
    verbs = parser.add_subparsers(dest="verb", required=True)
    build = verbs.add_parser("index", help="构建或增量更新索引")
    build.add_argument("--rebuild", action="store_true", help="丢弃现有索引，用当前模型重建")
    show = verbs.add_parser("chunks", help="列出索引中的文本块及其标题路径")
    show.add_argument("--doc", help="只看这个文档（文件名或其中一部分）")
    targets = verbs.add_parser("targets", help="列出指标表中的所有行")
    targets.add_argument("filter", nargs="?", default="", help="只看指标名包含该词的行")
    targets.add_argument("--csv", action="store_true",
                         help="以 CSV 输出指标行（含表头和出处），筛选与网页“指标查询”相同")
    question = verbs.add_parser("ask", help="提问；不带问题则进入交互模式")
    question.add_argument("question", nargs="?")
    question.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    verbs.add_parser("serve", help="启动网页界面")
    verbs.add_parser("doctor", help="检查索引：每个构建的状态，以及出错时如何修复")
    votes = verbs.add_parser("feedback", help="用户评价：每个回答的最终评价、统计和差评最多的问题")
    votes.add_argument("--top", type=int, default=10, help="列出差评最多的前 N 个问题")
    votes.add_argument("--eval", action="store_true",
                       help="把差评问题输出为评测题目的 JSONL 草稿（answer_keys、sources 待补）")
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
        return COMMANDS[args.verb](args, settings)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        return 0
    except (ValueError, FileNotFoundError) as error:  # user errors (IndexProblem too): one line
        print(f"错误：{error}", file=sys.stderr)
        return 2
    except OSError as error:  # a read-only or full disk, a folder without permission
        where = f" {error.filename}" if error.filename else ""
        print(f"错误：无法读写{where}：{error.strerror or error}", file=sys.stderr)
        return 2


def run_index(args, settings: Settings) -> int:
    from tqdm import tqdm

    from .build import build_index
    from .embed import get_embeddings

    embeddings = get_embeddings(settings.embeddings)
    with tqdm(desc="嵌入文本块", unit="块") as bar:
        report = build_index(settings.corpus_dir, settings.index_dir, embeddings,
                             model=settings.embeddings, chroma_url=settings.chroma_url,
                             rebuild=args.rebuild, progress=bar.update,
                             max_file_mb=settings.max_file_mb,
                             grace_s=settings.grace_minutes * 60)
    for name, count in report.per_doc.items():
        print(f"  {name}: {count} 块")
    for skipped in report.skipped:
        print(f"  跳过 {skipped.name}: {skipped.reason}")
    for notice in report.notices:
        print(f"  注意 {notice.name}: {notice.message}")
    if report.removed_docs:
        print(f"  已移除: {', '.join(report.removed_docs)}")
    if report.unchanged:
        print(f"索引已是最新：文件和设置都没有变化，继续使用构建 {report.build}（{report.chunks} 块）")
        return 0
    print(f"索引完成：{report.chunks} 块，新嵌入 {report.embedded} 块、"
          f"{report.sentences_embedded} 个句子，用时 {report.seconds:.1f} 秒")
    return 0


def run_chunks(args, settings: Settings) -> int:
    from .chunk import chunk_document
    from .load import load_corpus

    documents, _ = load_corpus(settings.corpus_dir, settings.max_file_mb)
    chosen = [d for d in documents if not args.doc or args.doc in d.name or args.doc in d.title]
    if not chosen:
        raise ValueError(f"没有名称包含 {args.doc!r} 的文档")
    for document in chosen:
        chunks, _ = chunk_document(document)
        print(f"# {document.name} 《{document.title}》 {len(chunks)} 块")
        for chunk in chunks:
            print(f"\n[{chunk.kind}] {chunk.section_path}\n{chunk.text}")
    return 0


def run_targets(args, settings: Settings) -> int:
    from .checked import IndexProblem, read_targets
    from .index import current_build

    build = current_build(settings.index_dir)
    if build is None:
        raise IndexProblem(f"{settings.index_dir} 下还没有索引，请先运行 `assistant index`")
    targets = read_targets(build / "targets.json")
    if args.csv:
        from .indicators import export_rows, indicator_records, indicator_rows, search, to_csv
        from .question import synonyms

        rows, records = indicator_rows(targets), indicator_records(targets)
        sys.stdout.write(to_csv(export_rows(rows, records, search(rows, args.filter, synonyms()))))
        return 0
    from .indicators import originals

    for row in originals(targets):
        cells = row["cells"]
        name = cells.get("指标") or cells.get("项目名称", "")
        if args.filter in name:
            values = "；".join(f"{h}：{v}" for h, v in cells.items() if h not in ("序号",))
            print(f"[{row['level']}] 《{row['title']}》 {values}")
    return 0


def run_ask(args, settings: Settings) -> int:
    from .ask import ask
    from .index import open_assistant
    from .present import to_json, to_text

    # the same query engine as the web app and the evaluation: an answer must not depend on
    # where it is asked (on the C engine's query vectors a deployer's table row, both rankers'
    # first at p 0.71 in the web app, fell to 0.55 and was refused)
    index = open_assistant(settings)
    chat = None
    if settings.llm_base_url:
        from .llm import chat_model

        chat = chat_model(settings.llm_base_url, settings.llm_model, settings.llm_api_key)
    if args.question is not None:
        answer = ask(index, args.question, k=settings.top_k, chat_model=chat)
        print(json.dumps(to_json(answer), ensure_ascii=False) if args.json else to_text(answer))
        return 0
    history: list[str] = []
    print("民政政策问答助手：请输入问题，空行或 Ctrl-D 退出。")
    for line in sys.stdin:
        if not line.strip():
            break
        answer = ask(index, line, history=history, k=settings.top_k, chat_model=chat)
        history.append(line.strip())
        print(to_text(answer) + "\n")
    return 0


def run_doctor(args, settings: Settings) -> int:
    """One line per build (in use, kept for running apps, broken, unfinished); 0 when the build
    in use verifies, else 2 with the fix."""
    from .doctor import check_index

    report = check_index(settings.index_dir, model=settings.embeddings,
                         chroma_url=settings.chroma_url)
    for line in report.lines:
        print(line)
    if report.problem:
        print(f"错误：{report.problem}", file=sys.stderr)
        return 2
    return 0


def run_feedback(args, settings: Settings) -> int:
    """The final vote per answer (one line each: id, vote, question), then the summary."""
    from .feedback import eval_questions, final_votes, one_line, summarize

    path = settings.feedback_file
    if not path.exists():
        raise FileNotFoundError(f"{path} 不存在：还没有用户评价（或请设置 ASSISTANT_FEEDBACK_PATH）")
    votes = final_votes(path.read_text(encoding="utf-8", errors="replace").splitlines())
    if args.eval:
        for question in eval_questions(votes):
            print(json.dumps(question, ensure_ascii=False))
        return 0
    for vote in votes:
        mark = "👍" if vote["vote"] == "up" else "👎"
        fields = (vote.get("id", "-"), mark, vote.get("time", ""), vote.get("question", ""))
        print("\t".join(one_line(f) for f in fields))
    print("\n" + summarize(votes, top=args.top))
    return 0


def run_serve(args, settings: Settings) -> int:
    from .web import serve

    serve(settings)
    return 0


COMMANDS = {"index": run_index, "chunks": run_chunks, "targets": run_targets, "ask": run_ask,
            "serve": run_serve, "doctor": run_doctor, "feedback": run_feedback}

if __name__ == "__main__":
    sys.exit(main())
