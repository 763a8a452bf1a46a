"""The web app's event handlers, bound to the opened index: the chat (answers streamed in),
votes, the indicator and sources tabs, a shared link's question, and following CURRENT to a new
build. Plain methods, so tests call them without a browser."""

from __future__ import annotations

import logging
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import gradio as gr
import pandas as pd

from .ask import ask
from .lexicon import words
from .chat_html import PENDING, answer_id, messages, render_answer, render_question, streamed
from .feedback import record_feedback, withdraw_feedback
from .checked import IndexProblem
from .index import current_build, open_index
from .indicators import (
    comparison,
    export_rows,
    indicator_records,
    indicator_rows,
    render_cards,
    render_comparison,
    search,
)
from .present import to_json
from .privacy import MaskFilter
from .question import MAX_QUESTION, sanitize, synonyms, too_long
from .settings import Settings
from .tabs import (
    SOURCE_COLUMNS,
    filter_rows,
    find_target,
    index_summary,
    render_target,
    source_rows,
    write_exports,
)

log = logging.getLogger("assistant.web")  # the web app's records, under one name
log.addFilter(MaskFilter())

RELOAD_EVERY = 5.0  # seconds between looks at CURRENT: a new build answers within 10 s
RELEASE_AFTER = 120.0  # seconds an index switched away from stays open for requests under way
WARM_QUESTION = "特困人员怎么认定？"
EXAMPLES_SHOWN = 4
STREAM_PAUSE = 0.03  # seconds between pieces, so the text visibly streams in
SYSTEM_ERROR = "系统暂时出错，请稍后再试。如问题紧急，请咨询当地民政部门或拨打 12345 政务服务热线。"


@dataclass(frozen=True)
class Loaded:
    """An opened index and what the UI derives from it, swapped together on reload."""

    index: object
    rows: list[list[str]]
    records: list[dict]  # the target record of each row, for its source
    examples: tuple[str, ...]  # the example questions offered: ones these documents answer


def loaded(index) -> Loaded:
    return Loaded(index, indicator_rows(index.targets), indicator_records(index.targets),
                  answered_examples(index))


def answered_examples(index, most: int = EXAMPLES_SHOWN) -> tuple[str, ...]:
    """The first `most` example questions (data/examples.txt) that the documents answer."""
    shown = []
    for question in words("examples.txt"):
        if len(shown) >= most:
            break
        try:
            if not ask(index, question).abstained:
                shown.append(question)
        except Exception:  # noqa: BLE001  an example that fails is not offered, nothing more
            log.exception("示例问题出错：%s", question)
    return tuple(shown)


class Handlers:
    """The event handlers, bound to the opened index; plain methods so tests can call them.

    `watch` starts a thread that opens (and warms) a new build as soon as CURRENT names one,
    then swaps it in between requests: a request under way finishes on the index it started
    with, and none waits for the new one to load.
    """

    def examples(self) -> list[str]:
        """The example questions the documents in use answer (found anew for each new build)."""
        return list(self.loaded.examples)

    def __init__(self, index, settings: Settings) -> None:
        self.settings = settings
        self.loaded = loaded(index)
        self.exports = Path(tempfile.mkdtemp(prefix="assistant-exports-"))
        self._warm = threading.Event()
        self._warming = threading.Lock()
        self._reloading = threading.Lock()
        self._reported: set[str] = set()

    @property
    def index(self):
        return self.loaded.index

    @property
    def rows(self) -> list[list[str]]:
        return self.loaded.rows

    def warm_up(self) -> None:
        """Load jieba's dictionaries once, before answering (they must not load concurrently)."""
        with self._warming:
            if not self._warm.is_set():
                ask(self.index, WARM_QUESTION)
                self._warm.set()

    def reload(self) -> bool:
        """Switch to the build CURRENT names if it is another one and verifies; True if done.
        A build that does not verify is reported once and the current one kept."""
        with self._reloading:
            try:
                build = current_build(self.settings.index_dir)
            except IndexProblem as problem:
                return self._report(str(problem))
            if build is None or build.name == self.index.build.name:
                return False
            try:
                fresh = open_index(self.settings.index_dir, self.index.store.embeddings,
                                   model=self.settings.embeddings,
                                   chroma_url=self.settings.chroma_url)
            except IndexProblem as problem:
                return self._report(f"新索引 {build.name} 未启用，继续使用 "
                                    f"{self.index.build.name}：{problem}")
            with self._warming:  # jieba is loaded; this warms the new store's caches
                ask(fresh, WARM_QUESTION)
            old, self.loaded = self.loaded, loaded(fresh)
            log.info("已切换到新索引 %s", fresh.build.name)
            release = threading.Timer(RELEASE_AFTER, old.index.close)
            release.daemon = True
            release.start()
            return True

    def _report(self, problem: str) -> bool:
        if problem not in self._reported:
            self._reported.add(problem)
            log.warning("%s", problem)
        return False

    def watch(self, every: float = RELOAD_EVERY) -> threading.Thread:
        def loop() -> None:
            while True:
                time.sleep(every)
                try:
                    self.reload()
                except Exception:  # a server down for a moment: try again next time
                    log.exception("reloading the index failed")

        thread = threading.Thread(target=loop, name="index-reload", daemon=True)
        thread.start()
        return thread

    def answer(self, question: str, history: list[str] | None = None) -> dict:
        """The JSON answer (`assistant.present.to_json`) for a question and earlier questions;
        the /ask endpoint. A failure is logged (masked) and reported without a traceback."""
        try:
            return self._answer(question, history)
        except Exception:
            log.exception("answering %r failed", question)
            raise gr.Error(SYSTEM_ERROR, print_exception=False) from None

    def _answer(self, question: str, history: list[str] | None = None) -> dict:
        if not self._warm.is_set():
            self.warm_up()
        return to_json(ask(self.index, str(question or ""), history=history, k=self.settings.top_k))

    def respond(self, message: str, turns: list[dict]):
        """Chat turn: show the question, then stream the answer in, then its source panels."""
        question = sanitize(message or "")
        if not question:
            yield "", messages(turns), turns
            return
        turn = {"question": question, "truncated": too_long(message),
                "id": answer_id(turns)}
        shown = messages(turns) + [{"role": "user", "content": render_question(question,
                                                                               turn["truncated"])}]
        yield "", shown + [{"role": "assistant", "content": PENDING}], turns
        try:
            turn["answer"] = self._answer(question, [t["question"] for t in turns])
        except Exception:  # the UI must never show a traceback; the log keeps it
            log.exception("answering %r failed", question)
            yield "", shown + [{"role": "assistant", "content": render_answer(
                {"answer": SYSTEM_ERROR, "abstained": True})}], turns
            return
        for piece in streamed(turn["answer"]):
            yield "", shown + [{"role": "assistant", "content": piece}], turns
            time.sleep(STREAM_PAUSE)
        turns = turns + [turn]
        yield "", messages(turns), turns

    def vote(self, turns: list[dict], reason: str, like: gr.LikeData) -> tuple[str, str]:
        """Record a 👍/👎 on an answer with the optional reason; returns (status, reason box).
        One line per answer: a new vote replaces the earlier one, undoing removes it."""
        position = like.index[0] if isinstance(like.index, (list, tuple)) else like.index
        if not isinstance(position, int) or not 0 <= position // 2 < len(turns):
            return "请等回答完成后再评价。", reason
        turn = turns[position // 2]  # messages alternate user, assistant
        path, answer_id = self.settings.feedback_file, turn.get("id", "")
        try:
            if like.liked not in (True, False):
                if answer_id:
                    withdraw_feedback(path, answer_id)
                return "已取消评价。", reason
            vote = "up" if like.liked else "down"
            record_feedback(path, turn["question"], turn["answer"], vote, reason or "",
                            answer_id=answer_id)
        except OSError:
            log.exception("writing feedback to %s failed", path)
            return "反馈暂时无法保存，请稍后再试。", reason
        return f"已记录您的{'好评' if vote == 'up' else '差评'}，谢谢反馈！", ""

    def has_tables(self) -> bool:
        """Whether the documents in use hold any table (the targets tab shows its tools then)."""
        return bool(self.loaded.rows)

    def filter(self, query: str) -> tuple[pd.DataFrame, str]:
        found = filter_rows(self.rows, query or "")
        if not self.rows:
            return found, "已收录的文件中没有表格（指标、标准等表格的每一行会列在这里）。"
        what = f"包含“{query.strip()}”的" if (query or "").strip() else ""
        return found, f"共 {len(found)} 项{what}指标。点击一行查看出处。"

    def targets(self, query: str) -> tuple:
        """The targets tab for `query`: table, count, phone cards, comparison, CSV, XLSX."""
        loaded, query = self.loaded, query or ""
        kept = search(loaded.rows, query, synonyms())
        found, count = self.filter(query)
        csv_path, xlsx_path = write_exports(export_rows(loaded.rows, loaded.records, kept),
                                            self.exports)
        return (found, count, render_cards(loaded.rows, loaded.records, kept),
                render_comparison(comparison(loaded.rows, kept)), str(csv_path), str(xlsx_path))

    def ask_link(self, turns: list[dict], request: gr.Request):
        """On page load, ask the question of a shared link (`?q=…`). Without one, nothing is
        updated, and the box is never read: the user may have typed and sent a question
        already, which must be neither cleared nor asked twice."""
        asked = request.query_params.get("q", "").strip() if request else ""
        if not asked:
            yield gr.skip(), gr.skip(), gr.skip()
            return
        yield from self.respond(asked[-MAX_QUESTION * 2:], turns)

    def select(self, select: gr.SelectData) -> str:
        return render_target(find_target(self.index.targets, select.row_value))

    def sources(self) -> tuple[str, pd.DataFrame]:
        """The sources tab for the index in use (shown anew on each page load, after a reload)."""
        loaded = self.loaded
        return (index_summary(loaded.index.meta, len(loaded.rows)),
                pd.DataFrame(source_rows(loaded.index.meta), columns=SOURCE_COLUMNS))
