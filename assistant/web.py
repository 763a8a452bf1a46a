"""The web UI: cited chat answers, the indicator table for staff, the sources, and feedback.

Rendering (answers and table rows to HTML) is pure functions; `build_app` wires them to Gradio.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import os
import re
import threading
import time
import unicodedata
import uuid
from dataclasses import dataclass

import gradio as gr
import pandas as pd
from starlette.middleware import Middleware

from .ask import ask
from .question import MAX_QUESTION, sanitize
from .clean import split_sentences
from .feedback import record_feedback, withdraw_feedback
from .index import IndexProblem, current_build, open_index
from .present import to_json
from .privacy import MaskFilter, mask_everything
from .settings import Settings

log = logging.getLogger(__name__)
log.addFilter(MaskFilter())

TITLE = "民政政策问答助手"
EXAMPLES = [
    "三级精神残疾人能认定为特困人员吗？",
    "养老机构护理型床位占比2025年目标是多少？",
    "我奶奶瘫痪在床，家里困难，能领什么补贴？",
    "县里2020年护理型床位占比是多少？",
]
COLUMNS = ["文档", "级别", "指标", "单位", "2020年实际值", "2025年目标值（本级）",
           "市级2025年目标", "省级2025年目标", "国家2025年目标", "属性"]
SOURCE_COLUMNS = ["标题", "发文单位", "日期", "级别", "地区", "类型", "文本块数"]
COLUMN_WIDTHS = ["17%", "6%", "25%", "6%", "8%", "9%", "7%", "7%", "8%", "7%"]
SOURCE_WIDTHS = ["24%", "24%", "13%", "6%", "15%", "8%", "10%"]
CONCURRENCY = 4  # answers are CPU-bound; more parallel work than cores only adds latency
RELOAD_EVERY = 5.0  # seconds between looks at CURRENT: a new build answers within 10 s
RELEASE_AFTER = 120.0  # seconds an index switched away from stays open for requests under way
WARM_QUESTION = "特困人员怎么认定？"
# Gradio routes that store files the client sends; this app takes none (uploads landed in
# /tmp/gradio, were never cleaned up, and could be downloaded again)
FILE_ROUTES = ("/upload", "/process_recording")
DRAIN_S = 2.0  # seconds a refused request's body is read and dropped (50 MB on loopback: 0.1 s)
STREAM_STEPS = 10  # an answer appears in this many growing pieces
STREAM_PAUSE = 0.03  # seconds between pieces, so the text visibly streams in
PENDING = '<div class="pending">正在查找相关政策文件……</div>'
SYSTEM_ERROR = "系统暂时出错，请稍后再试。如问题紧急，请咨询当地民政部门或拨打 12345 政务服务热线。"
CSS = """
.answer p {margin: 0 0 .45em;}
.answer .note {opacity: .7; font-size: .88em;}
.answer sup {color: var(--color-accent); font-weight: 600;}
.refusal {border-left: 4px solid #d97706; background: rgba(245, 158, 11, .12);
          padding: .5em .8em; border-radius: 6px;}
.refusal .tag {color: #b45309; font-weight: 700; margin-right: .3em;}
.pending {color: var(--body-text-color-subdued); font-style: italic;}
.sources {margin-top: .6em;}
.sources .head {font-size: .85em; opacity: .7; margin-bottom: .2em;}
.sources details {border: 1px solid var(--border-color-primary); border-radius: 6px;
                  margin: .3em 0; padding: .3em .6em; background: var(--background-fill-secondary);}
.sources summary {cursor: pointer; font-weight: 600;}
.sources .where {font-size: .85em; opacity: .75; margin: .3em 0;}
.sources .passage {margin: .3em 0; padding-left: .6em; border-left: 3px solid #93c5fd;}
mark {background: #fde68a; color: #1f2937; padding: 0 1px; border-radius: 2px;}
.target-source table {border-collapse: collapse; margin-top: .4em;}
.target-source td, .target-source th {border: 1px solid var(--border-color-primary);
                                      padding: .25em .6em; text-align: left;}
.truncated {font-size: .85em; color: var(--body-text-color-subdued);}
.gradio-container .main.app {padding-left: clamp(6px, 2.5vw, 32px);
                             padding-right: clamp(6px, 2.5vw, 32px);}
"""
FONTS = ["PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "sans-serif"]


# ---------- answers ----------

def highlight(text: str, quote: str) -> str:
    """Escaped passage with the quoted answering sentence(s) wrapped in <mark>."""
    spans: list[tuple[int, int]] = []
    for piece in [quote] if quote in text else split_sentences(quote):
        at = text.find(piece) if piece.strip() else -1
        if at >= 0 and all(at >= end or at + len(piece) <= start for start, end in spans):
            spans.append((at, at + len(piece)))
    out, position = [], 0
    for start, end in sorted(spans):
        out += [html.escape(text[position:start]),
                "<mark>", html.escape(text[start:end]), "</mark>"]
        position = end
    out.append(html.escape(text[position:]))
    return "".join(out).replace("\n", "<br>")


def render_citation(citation: dict) -> str:
    """One numbered source as a collapsible panel."""
    level = f"{citation['level']}级" if citation.get("level") else ""
    facts = "".join(f" · {f}" for f in (level, citation.get("date", "")) if f)
    return (f'<details class="citation"><summary>[{citation["n"]}] '
            f'《{html.escape(citation["title"])}》{html.escape(facts)}</summary>'
            f'<div class="where">位置：{html.escape(citation.get("section", ""))}</div>'
            f'<div class="passage">{highlight(citation.get("text", ""), citation.get("quote", ""))}'
            "</div></details>")


def render_text(text: str) -> str:
    """Answer lines as paragraphs; [n] markers as superscripts; the closing notes muted."""
    paragraphs = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        body = re.sub(r"\[(\d+)\]", r"<sup>[\1]</sup>", html.escape(line))
        note = line.startswith(("注：", "以上内容摘自"))
        paragraphs.append(f'<p class="note">{body}</p>' if note else f"<p>{body}</p>")
    return "".join(paragraphs)


def render_answer(answer: dict) -> str:
    """A chat message: the answer (a refusal marked as such) and its source panels."""
    if answer["abstained"]:
        return (f'<div class="answer refusal"><span class="tag">⚠ 无法作答</span>'
                f'{html.escape(answer["answer"])}</div>')
    sources = "".join(render_citation(c) for c in answer["citations"])
    if sources:
        sources = f'<div class="sources"><div class="head">来源（点击展开原文）</div>{sources}</div>'
    return f'<div class="answer">{render_text(answer["answer"])}{sources}</div>'


def render_question(question: str, truncated: bool) -> str:
    """The user's message as sent to `ask` (cleaned, cut to MAX_QUESTION), shown literally."""
    shown = html.escape(question)
    note = f'<div class="truncated">（问题较长，只按前 {MAX_QUESTION} 字作答）</div>' if truncated else ""
    return shown + note


def stream_pieces(text: str, steps: int = STREAM_STEPS) -> list[str]:
    """Growing prefixes of `text`, the last one the whole text."""
    size = max(1, -(-len(text) // steps))
    return [text[:end] for end in range(size, len(text), size)] + [text]


def messages(turns: list[dict]) -> list[dict]:
    """Chatbot messages (user, assistant, user, …) for the finished turns."""
    shown = []
    for turn in turns:
        question = render_question(turn["question"], turn["truncated"])
        shown.append({"role": "user", "content": question})
        shown.append({"role": "assistant", "content": render_answer(turn["answer"])})
    return shown


# ---------- indicator targets ----------

def _column(header: str) -> str | None:
    """The table column a target row's cell goes to (national and county tables differ)."""
    if header in ("指标", "单位", "属性"):
        return header
    if "实际" in header:
        return "2020年实际值"
    for prefix, column in (("市", "市级2025年目标"), ("省", "省级2025年目标"),
                           ("国家", "国家2025年目标")):
        if header.startswith(prefix):
            return column
    return "2025年目标值（本级）" if "目标" in header else None


def indicator_rows(targets: list[dict]) -> list[list[str]]:
    """Every indicator row (rows with an 指标 cell) in COLUMNS order."""
    rows = []
    for record in targets:
        if "指标" not in record["cells"]:
            continue
        row = dict.fromkeys(COLUMNS, "")
        row.update(文档=record["title"], 级别=record["level"])
        for header, value in record["cells"].items():
            column = _column(header)
            if column:
                row[column] = value
        rows.append([row[c] for c in COLUMNS])
    return rows


def _fold(text: str) -> str:
    """Full- and half-width forms alike ("乡镇(街道)" finds "乡镇（街道）"), spaces ignored."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).lower())


def filter_rows(rows: list[list[str]], query: str) -> pd.DataFrame:
    """Rows whose document, level, indicator or attribute contain every word of `query`."""
    words = [_fold(w) for w in query.split()]
    searched = [COLUMNS.index(c) for c in ("文档", "级别", "指标", "属性")]
    kept = [r for r in rows if all(w in "|".join(_fold(r[i]) for i in searched) for w in words)]
    return pd.DataFrame(kept, columns=COLUMNS)


def find_target(targets: list[dict], row: list) -> dict | None:
    """The target record a displayed table row came from (document title + indicator)."""
    if not row or len(row) != len(COLUMNS):
        return None
    title, name = row[COLUMNS.index("文档")], row[COLUMNS.index("指标")]
    return next((t for t in targets if t["title"] == title and t["cells"].get("指标") == name), None)


def render_target(record: dict | None) -> str:
    """The source of a selected indicator row: document, section, table and every cell."""
    if record is None:
        return "<p>点击表格中的一行，在这里查看它的出处。</p>"
    level = f"{record['level']}级" if record["level"] else ""
    facts = "，".join(f for f in (level, record["date"]) if f)
    cells = "".join(f"<tr><th>{html.escape(h)}</th><td>{html.escape(v)}</td></tr>"
                    for h, v in record["cells"].items())
    return (f'<div class="target-source"><h4>{html.escape(record["cells"].get("指标", ""))}</h4>'
            f"<p>出处：《{html.escape(record['title'])}》（{html.escape(facts)}）</p>"
            f"<p>位置：{html.escape(record['section'])}</p>"
            f"<p>表格：{html.escape(record['table'] or '（无标题）')}</p><table>{cells}</table></div>")


# ---------- sources ----------

def source_rows(meta: dict) -> list[list]:
    return [[d.get("title", name), d.get("issuer", ""), d.get("date", ""), d.get("level", ""),
             d.get("region", ""), d.get("kind", ""), d.get("chunks", 0)]
            for name, d in meta.get("documents", {}).items()]


def index_summary(meta: dict, indicators: int) -> str:
    documents = meta.get("documents", {})
    chunks = sum(d.get("chunks", 0) for d in documents.values())
    skipped = "".join(f"\n- 未收录 {s['name']}：{s['reason']}" for s in meta.get("skipped", []))
    return (f"索引构建于 **{meta.get('built_at', '未知')}**，嵌入模型 **{meta.get('model', '未知')}**；"
            f"共 {len(documents)} 份文件、{chunks} 个文本块、{indicators} 项指标。{skipped}")


# ---------- the app ----------

@dataclass(frozen=True)
class Loaded:
    """An opened index and what the UI derives from it, swapped together on reload."""

    index: object
    rows: list[list[str]]


class Handlers:
    """The event handlers, bound to the opened index; plain methods so tests can call them.

    `watch` starts a thread that opens (and warms) a new build as soon as CURRENT names one,
    then swaps it in between requests: a request under way finishes on the index it started
    with, and none waits for the new one to load.
    """

    def __init__(self, index, settings: Settings) -> None:
        self.settings = settings
        self.loaded = Loaded(index, indicator_rows(index.targets))
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
            old, self.loaded = self.loaded, Loaded(fresh, indicator_rows(fresh.targets))
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
        turn = {"question": question, "truncated": len(message.strip()) > MAX_QUESTION,
                "id": uuid.uuid4().hex}
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
        for piece in stream_pieces(turn["answer"]["answer"])[:-1]:
            yield "", shown + [{"role": "assistant", "content": render_text(piece)}], turns
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

    def filter(self, query: str) -> tuple[pd.DataFrame, str]:
        found = filter_rows(self.rows, query or "")
        what = f"包含“{query.strip()}”的" if (query or "").strip() else ""
        return found, f"共 {len(found)} 项{what}指标。点击一行查看出处。"

    def select(self, select: gr.SelectData) -> str:
        return render_target(find_target(self.index.targets, select.row_value))

    def sources(self) -> tuple[str, pd.DataFrame]:
        """The sources tab for the index in use (shown anew on each page load, after a reload)."""
        loaded = self.loaded
        return (index_summary(loaded.index.meta, len(loaded.rows)),
                pd.DataFrame(source_rows(loaded.index.meta), columns=SOURCE_COLUMNS))


def _example_text(select: gr.SelectData) -> str:
    return select.value["text"]


def _theme():
    return gr.themes.Default(primary_hue="blue", font=FONTS,
                             font_mono=["ui-monospace", "Consolas", "monospace"])


def build_app(index, settings: Settings) -> gr.Blocks:
    """The Blocks app over an opened index; launch it with `launch`."""
    return blocks(Handlers(index, settings))


def blocks(handlers: Handlers) -> gr.Blocks:
    """The UI around `handlers` (`serve` keeps them, to warm them up once the page is up)."""
    private = {"api_visibility": "private"}
    with gr.Blocks(title=TITLE, analytics_enabled=False) as app:
        gr.Markdown(f"## {TITLE}\n依据已收录的民政政策文件作答，每条回答都附原文出处；"
                    "文件中没有依据的问题会明确告知，不作推测。")
        with gr.Tabs():
            with gr.Tab("政策问答"):
                turns = gr.State([])
                chat = gr.Chatbot(
                    show_label=False, height="62vh", min_height=360, elem_id="chat",
                    placeholder="**您好！** 请输入您想了解的民政政策问题，或点下面的示例。",
                    examples=[{"text": q} for q in EXAMPLES], buttons=["copy"])
                with gr.Row(equal_height=True):
                    box = gr.Textbox(show_label=False, placeholder="请输入问题，按回车发送",
                                     scale=8, min_width=200, elem_id="question", autofocus=True)
                    send = gr.Button("发送", variant="primary", scale=1, min_width=70)
                with gr.Row(equal_height=True):
                    reason = gr.Textbox(show_label=False, scale=8, min_width=200,
                                        placeholder="反馈原因（选填），写好后点回答下方的 👍 或 👎",
                                        elem_id="reason")
                    clear = gr.Button("清空对话", scale=1, min_width=70)
                status = gr.Markdown(elem_id="feedback-status")
            with gr.Tab("指标查询"):
                query = gr.Textbox(label="搜索指标", placeholder="输入关键词，如：养老、低保、县",
                                   elem_id="target-search")
                count = gr.Markdown(handlers.filter("")[1])
                table = gr.Dataframe(filter_rows(handlers.rows, ""), interactive=False, wrap=True,
                                     max_height=520, elem_id="targets", label="“十四五”主要发展指标",
                                     column_widths=COLUMN_WIDTHS)
                detail = gr.HTML(render_target(None), elem_id="target-source")
            with gr.Tab("文件来源"):
                summary, listed = handlers.sources()
                summary = gr.Markdown(summary)
                listed = gr.Dataframe(listed, interactive=False, wrap=True, label="已收录的文件",
                                      column_widths=SOURCE_WIDTHS, elem_id="sources")

        chat_io = {"inputs": [box, turns], "outputs": [box, chat, turns], **private}
        gr.on([box.submit, send.click], handlers.respond, **chat_io)
        chat.example_select(_example_text, None, box, **private).then(handlers.respond, **chat_io)
        clear.click(lambda: ("", [], [], ""), None, [box, chat, turns, status], **private)
        chat.clear(lambda: ([], ""), None, [turns, status], **private)
        chat.like(handlers.vote, [turns, reason], [status, reason], **private)
        # .change, not .input: Gradio fires input on key events only, which IME and paste skip
        query.change(handlers.filter, query, [table, count], trigger_mode="always_last", **private)
        table.select(handlers.select, None, detail, **private)
        app.load(handlers.sources, None, [summary, listed], **private)
        app.load(handlers.filter, query, [table, count], **private)
        gr.api(handlers.answer, api_name="ask",
               api_description="提问并返回带出处的 JSON 回答；history 为本次对话中此前的问题")
    app.queue(default_concurrency_limit=CONCURRENCY)
    return app


class LimitRequests:
    """ASGI middleware: a request body over `max_bytes` is answered 413 before Gradio reads any
    of it (Gradio's own handling of a 4 MB question took a minute), and the upload routes 403.

    The body is read here (it is small by then) and handed on whole.
    """

    def __init__(self, app, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if scope["path"].rstrip("/").endswith(FILE_ROUTES):
            return await _refuse(receive, send, 403, "this app accepts no files")
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        too_large = f"request body over {self.max_bytes} bytes"
        if not declared.isdigit() or int(declared) > self.max_bytes:
            return await _refuse(receive, send, 413, too_large)
        messages, size = [], 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > self.max_bytes:  # a chunked body with no declared length
                return await _refuse(receive, send, 413, too_large)
            if not message.get("more_body"):
                break

        async def replay():
            return messages.pop(0) if messages else await receive()

        return await self.app(scope, replay, send)


async def _refuse(receive, send, status: int, detail: str) -> None:
    """Answer `status` after reading (and dropping) what the client still sends, for up to
    DRAIN_S: closing on unread data resets the connection, and the client would see a reset
    instead of the answer. Reading without parsing costs next to nothing."""
    deadline = asyncio.get_running_loop().time() + DRAIN_S
    try:
        while (left := deadline - asyncio.get_running_loop().time()) > 0:
            message = await asyncio.wait_for(receive(), left)
            if message["type"] != "http.request" or not message.get("more_body"):
                break
    except TimeoutError:
        pass
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


def launch(app: gr.Blocks, settings: Settings, **options):
    """Launch with the UI's theme and CSS. The app needs no files of its own served: none are
    allowed, and the index (feedback log included) and corpus folders are blocked outright;
    request bodies are bounded and uploads refused (`LimitRequests`)."""
    private = [settings.index_dir, settings.corpus_dir, settings.feedback_file]
    limit = Middleware(LimitRequests, max_bytes=int(settings.max_request_kb * 1024))
    return app.launch(server_name=settings.host, server_port=settings.port, theme=_theme(),
                      css=CSS, show_error=False, allowed_paths=[],
                      blocked_paths=[str(p.resolve()) for p in private],
                      app_kwargs={"middleware": [limit]}, max_file_size=0, **options)


def serve(settings: Settings) -> None:
    from .index import open_assistant

    handlers = Handlers(open_assistant(settings), settings)
    mask_everything()  # before the server starts: uvicorn's handlers bind to the masked streams
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("assistant").setLevel(logging.INFO)  # the app's own notes, e.g. reloads
    app = blocks(handlers)
    print(f"{TITLE}：http://{settings.host}:{settings.port}/  用户反馈写入 {settings.feedback_file}")
    if not _writable(settings.feedback_file):
        print(f"注意：{settings.feedback_file} 不可写，用户反馈将无法保存；"
              "请设置 ASSISTANT_FEEDBACK_PATH 指向可写的位置。")
    launch(app, settings, prevent_thread_lock=True)
    handlers.warm_up()  # after the page is up: startup stays short, the first answer fast
    handlers.watch()
    app.block_thread()


def _writable(path) -> bool:
    folder = next((p for p in [path, *path.parents] if p.exists()), None)
    return folder is not None and os.access(folder, os.W_OK)
