"""`assistant doctor`: the state of every build under an index folder — in use, kept for running
apps, broken (with the reason) or killed half-way — and the fix when the build in use is broken."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from .files import read_json_or_empty
from .checked import REBUILD, IndexProblem, OutdatedBuild
from .index import current_build, open_build
from .publish import retired_at


@dataclass(frozen=True)
class Checkup:
    lines: tuple[str, ...]  # one per build, the one in use marked
    problem: str  # why the build in use cannot be opened, with the fix; "" when it opens


def check_index(index_dir: Path, *, model: str, chroma_url: str = "") -> Checkup:
    """The state of every build under `index_dir`, as `assistant doctor` prints it."""
    try:
        current = current_build(index_dir)
    except IndexProblem as problem:
        current, problem_in_use = None, str(problem)
    else:
        problem_in_use = "" if current else f"{index_dir} 下还没有索引：请运行 `assistant index`。"
    builds = sorted(p for p in (index_dir / "builds").glob("*") if p.is_dir())
    lines = []
    for build in builds:
        in_use = build == current
        if not (build / "meta.json").exists() and (build / "started.json").exists() and not in_use:
            state = "未完成（构建被中断；下次构建会复用其向量并删除它）"
        else:
            try:
                own = model if in_use else read_json_or_empty(build / "meta.json").get("model")
                opened = open_build(build, None, model=own, chroma_url=chroma_url)
            except IndexProblem as problem:
                state = f"{'旧版本构建' if isinstance(problem, OutdatedBuild) else '损坏'}：{problem}"
                if in_use:
                    problem_in_use = str(problem)
            else:
                opened.close()
                meta, retired = opened.meta, retired_at(build)
                kept = (f"；{time.strftime('%H:%M:%S', time.localtime(retired))} 起停用，"
                        "供仍在运行的应用读取" if retired and not in_use else "")
                state = (f"完好：{meta['passages']} 个文本块，{meta['vectors']['count']} 个向量"
                         f"（{_where(meta)}），构建于 {meta.get('built_at', '?')}{kept}")
        lines.append(f"{'* ' if in_use else '  '}{build.name}  {state}")
    if current and not current.is_dir():
        problem_in_use = f"{index_dir / 'CURRENT'} 指向的构建 {current.name} 不存在：{REBUILD}。"
        lines.append(f"* {current.name}  不存在")
    return Checkup(tuple(lines), problem_in_use)


def _where(meta: dict) -> str:
    vectors = meta["vectors"]
    if vectors.get("store") == "server":
        return f"Chroma 服务器 {vectors.get('url')}，集合 {vectors.get('collection')}"
    return "本地 chroma/"
