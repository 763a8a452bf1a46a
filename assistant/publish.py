"""Putting a finished build into use: one build at a time per index folder, CURRENT switched
atomically, the build before kept for apps still reading it, older and broken builds dropped."""

from __future__ import annotations

import fcntl
import shutil
import time
from pathlib import Path

from .files import read_json_or_empty, write_whole
from .checked import IndexProblem, read_meta
from .index import open_build
from .store import chroma_client, sentence_collection

GRACE_S = 600.0  # default of ASSISTANT_GRACE_MINUTES: how long a build switched away from is
# kept for apps still reading it; apps poll CURRENT every few seconds (handlers.RELOAD_EVERY), so
# minutes are ample, and a build's folder costs only disk meanwhile


class lock:
    """One build at a time per index folder; a second one is refused, not queued."""

    def __init__(self, index_dir: Path) -> None:
        self.path = index_dir / ".build.lock"

    def __enter__(self):
        self.file = open(self.path, "w")
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.file.close()
            raise IndexProblem("另一个索引构建正在进行中，请等它完成后再试。") from None
        return self

    def __exit__(self, *exc) -> None:
        fcntl.flock(self.file, fcntl.LOCK_UN)
        self.file.close()


def switch(index_dir: Path, build: Path, previous: Path | None) -> None:
    write_whole(index_dir / "CURRENT", build.name)
    if previous and previous.is_dir() and previous != build:
        write_whole(previous / "retired", str(time.time()))


def drop_old_builds(index_dir: Path, build: Path, previous: Path | None, *, chroma_url: str,
                    grace_s: float) -> None:
    """Keep the new build and the one before it (running apps switch over within seconds); drop
    older ones once they were switched away from `grace_s` ago, and at once a build that was
    killed half-way or whose data no longer verifies (no app can be reading it)."""
    now = time.time()
    for folder in (index_dir / "builds").iterdir():
        if folder == build or not folder.is_dir():
            continue
        if folder == previous:
            if _problem(folder, chroma_url) is None:
                continue
        elif (folder / "meta.json").exists():
            retired = retired_at(folder)
            if retired is None:  # switched away from before builds recorded it: from now on
                write_whole(folder / "retired", str(now))
                continue
            if now - retired < grace_s:
                continue
        drop(folder, chroma_url)


def retired_at(folder: Path) -> float | None:
    try:
        return float((folder / "retired").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def drop(folder: Path, chroma_url: str) -> None:
    if chroma_url:
        meta = (read_json_or_empty(folder / "meta.json")
                or read_json_or_empty(folder / "started.json"))
        name = meta.get("collection", f"chunks-{folder.name}")
        for collection in (name, sentence_collection(name)):
            try:
                chroma_client(url=chroma_url).delete_collection(collection)
            except Exception:  # already gone, or never created by a killed build
                pass
    shutil.rmtree(folder, ignore_errors=True)


def _problem(build: Path, chroma_url: str) -> str | None:
    """Why `build` cannot be opened, or None when it verifies (the model is not compared)."""
    try:
        meta = read_meta(build)
        if "vectors" not in meta:  # made before builds were verified: cannot tell, may be in use
            return None
        if "sentences" not in meta["vectors"]:  # made before sentence vectors: apps of that
            return None                        # version may still be reading it
        open_build(build, None, model=meta.get("model", ""), chroma_url=chroma_url).close()
    except IndexProblem as problem:
        return str(problem)
    return None

