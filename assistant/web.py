"""The web UI: cited chat answers, the indicator table for staff, the sources, and feedback.

This module lays the page out and wires its events to `Handlers` (handlers.py), then serves it;
answers are rendered to HTML in chat_html.py, the tabs' content in tabs.py, the page's CSS and
JS are in page.py, and request limits in limits.py.
"""

from __future__ import annotations

import logging
import os

import gradio as gr
from starlette.middleware import Middleware

from .handlers import Handlers
from .limits import LimitRequests
from .page import CSS, FOCUS_SEARCH, JS, theme
from .privacy import mask_everything
from .settings import Settings
from .tabs import render_target

TITLE = "民政政策问答助手"
COLUMN_WIDTHS = ["17%", "6%", "25%", "6%", "8%", "9%", "7%", "7%", "8%", "7%"]
REASON_HINT = "意见写好后，请点要评价的那条回答下方的赞或踩，意见随评价一起记录。"
# 级别 at 6% was 21 px on a phone, too narrow for two characters (a browser check)
SOURCE_WIDTHS = ["22%", "19%", "15%", "10%", "13%", "10%", "11%"]
CONCURRENCY = 4  # answers are CPU-bound; more parallel work than cores only adds latency
EXPORT_KEEP = 3600  # seconds Gradio keeps a downloaded export in its cache


def _example_text(select: gr.SelectData) -> str:
    return select.value["text"]


def build_app(index, settings: Settings) -> gr.Blocks:
    """The Blocks app over an opened index; launch it with `launch`."""
    return blocks(Handlers(index, settings))


def blocks(handlers: Handlers) -> gr.Blocks:
    """The UI around `handlers` (`serve` keeps them, to warm them up once the page is up)."""
    private = {"api_visibility": "private"}
    with gr.Blocks(title=TITLE, analytics_enabled=False,
                   delete_cache=(EXPORT_KEEP, EXPORT_KEEP)) as app:
        gr.Markdown(f"# {TITLE}\n依据已收录的民政政策文件作答，每条回答都附原文出处；"
                    "文件中没有依据的问题会明确告知，不作推测。")
        with gr.Tabs():
            with gr.Tab("政策问答"):
                turns = gr.State([])
                # autoscroll off and no fixed height: the page scrolls, and JS brings a new
                # question to the top so its answer is read from its first line
                chat = gr.Chatbot(
                    show_label=False, height=None, min_height=300, elem_id="chat",
                    autoscroll=False, buttons=[],
                    placeholder="**您好！** 请输入您想了解的民政政策问题，或点下面的示例。",
                    examples=[{"text": q} for q in handlers.examples()] or None)
                with gr.Row(equal_height=True, elem_id="ask-row"):
                    box = gr.Textbox(show_label=False, placeholder="请输入问题，按回车发送",
                                     scale=8, min_width=200, elem_id="question", autofocus=True)
                    send = gr.Button("发送", variant="primary", scale=1, min_width=70)
                with gr.Row(equal_height=True, elem_id="tools"):
                    # labelled, so that it does not read as a second question box (a browser
                    # check took it for one: same shape, right under the question)
                    reason = gr.Textbox(label="对回答的意见（选填）", scale=8, min_width=200,
                                        placeholder="如：没回答我问的、引用的文件不对。写好后点回答下方的赞或踩",
                                        elem_id="reason")
                    clear = gr.Button("清空对话", scale=1, min_width=70, elem_id="clear")
                status = gr.Markdown(elem_id="feedback-status")
            with gr.Tab("指标查询") as targets_tab:
                # a corpus without tables gets the count line saying so, not empty tools
                first = handlers.targets("")
                count = gr.Markdown(first[1], elem_id="target-count")
                with gr.Column(visible=handlers.has_tables()) as table_view:
                    query = gr.Textbox(label="搜索表格（指标或项目名称中的任一词，可加“县”“国家”等级别）",
                                       placeholder="输入关键词",
                                       elem_id="target-search")
                    with gr.Row(elem_id="targets-tools"):
                        csv_file = gr.DownloadButton("导出 CSV", first[4], elem_id="export-csv",
                                                     size="md", min_width=120)
                        xlsx_file = gr.DownloadButton("导出 Excel", first[5], elem_id="export-xlsx",
                                                      size="md", min_width=120)
                    table = gr.Dataframe(first[0], interactive=False, wrap=True, max_height=520,
                                         elem_id="targets", label="文件中的表格：指标与标准",
                                         column_widths=COLUMN_WIDTHS, buttons=[])
                    cards = gr.HTML(first[2], elem_id="target-cards")
                    detail = gr.HTML(render_target(None), elem_id="target-source")
                    with gr.Accordion("对比：同一指标的国家与县目标并列", open=False,
                                      elem_id="compare-box"):
                        compare = gr.HTML(first[3], elem_id="compare")
            with gr.Tab("文件来源"):
                summary, listed = handlers.sources()
                summary = gr.Markdown(summary)
                listed = gr.Dataframe(listed, interactive=False, wrap=True, label="已收录的文件",
                                      column_widths=SOURCE_WIDTHS, elem_id="sources", buttons=[])

        chat_io = {"inputs": [box, turns], "outputs": [box, chat, turns], **private}
        # always_last: a question sent while the previous answer is finishing is asked after it,
        # not dropped (Gradio drops a trigger while its event is pending)
        gr.on([box.submit, send.click], handlers.respond, trigger_mode="always_last", **chat_io)
        chat.example_select(_example_text, None, box, **private).then(handlers.respond, **chat_io)
        clear.click(lambda: ("", [], [], ""), None, [box, chat, turns, status], **private)
        chat.clear(lambda: ([], ""), None, [turns, status], **private)
        chat.like(handlers.vote, [turns, reason], [status, reason], **private)
        # Enter in the opinion box sends nothing: say how it is sent, rather than stay silent
        reason.submit(lambda: REASON_HINT, None, status, **private)
        shown = [table, count, cards, compare, csv_file, xlsx_file]
        # .change, not .input: Gradio fires input on key events only, which IME and paste skip
        query.change(handlers.targets, query, shown, trigger_mode="always_last", **private)
        table.select(handlers.select, None, detail, **private)
        targets_tab.select(None, None, None, js=FOCUS_SEARCH, **private)
        app.load(handlers.sources, None, [summary, listed], **private)
        app.load(handlers.targets, query, shown, **private)
        app.load(lambda: gr.Column(visible=handlers.has_tables()), None, table_view, **private)
        # a new build's own examples, once the page is (re)loaded
        app.load(lambda: gr.Chatbot(examples=[{"text": q} for q in handlers.examples()] or None),
                 None, chat, **private)
        app.load(handlers.ask_link, turns, [box, chat, turns], **private)
        gr.api(handlers.answer, api_name="ask",
               api_description="提问并返回带出处的 JSON 回答；history 为本次对话中此前的问题")
    app.queue(default_concurrency_limit=CONCURRENCY)
    return app


def launch(app: gr.Blocks, settings: Settings, **options):
    """Launch with the UI's theme and CSS. The app needs no files of its own served: none are
    allowed, and the index (feedback log included) and corpus folders are blocked outright;
    request bodies are bounded and uploads refused (`LimitRequests`)."""
    private = [settings.index_dir, settings.corpus_dir, settings.feedback_file]
    limit = Middleware(LimitRequests, max_bytes=int(settings.max_request_kb * 1024))
    try:
        return app.launch(server_name=settings.host, server_port=settings.port, theme=theme(),
                          css=CSS, js=JS, show_error=False, allowed_paths=[], footer_links=[],
                          blocked_paths=[str(p.resolve()) for p in private],
                          app_kwargs={"middleware": [limit]}, max_file_size=0, **options)
    except OSError as error:  # Gradio's "Cannot find empty port…" names its own variable
        if "port" not in str(error).lower():
            raise
        raise ValueError(f"端口 {settings.port} 已被占用（{settings.host}）：请设置 ASSISTANT_PORT "
                         "为另一个端口，或先停止占用它的程序。") from None


def serve(settings: Settings) -> None:
    from .index import open_assistant

    handlers = Handlers(open_assistant(settings), settings)
    mask_everything()  # before the server starts: uvicorn's handlers bind to the masked streams
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("assistant").setLevel(logging.INFO)  # the app's own notes, e.g. reloads
    app = blocks(handlers)
    launch(app, settings, prevent_thread_lock=True)
    print(f"{TITLE}：http://{settings.host}:{settings.port}/  用户反馈写入 {settings.feedback_file}")
    if not _writable(settings.feedback_file):
        print(f"注意：{settings.feedback_file} 不可写，用户反馈将无法保存；"
              "请设置 ASSISTANT_FEEDBACK_PATH 指向可写的位置。")
    handlers.warm_up()  # after the page is up: startup stays short, the first answer fast
    handlers.watch()
    app.block_thread()


def _writable(path) -> bool:
    folder = next((p for p in [path, *path.parents] if p.exists()), None)
    return folder is not None and os.access(folder, os.W_OK)
