"""The web UI: cited chat answers, the indicator table for staff, the sources, and feedback.

Rendering (answers and table rows to HTML) is pure functions; `build_app` wires them to Gradio.
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import json
import logging
import os
import re
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import gradio as gr
import pandas as pd
from starlette.middleware import Middleware

from .ask import ask
from .question import MAX_QUESTION, sanitize
from .clean import split_sentences
from .feedback import record_feedback, withdraw_feedback
from .index import IndexProblem, current_build, open_index
from .indicators import (
    COLUMNS,
    comparison,
    export_rows,
    indicator_records,
    indicator_rows,
    render_cards,
    render_comparison,
    search,
    to_csv,
    write_xlsx,
)
from .present import to_json
from .privacy import MaskFilter, mask_everything
from .question import synonyms
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
SECTION_CHARS = 24  # a citation chip names the tail of its section, cut to fit a phone's line
EXPORT_KEEP = 3600  # seconds Gradio keeps a downloaded export in its cache
PENDING = '<div class="pending">正在查找相关政策文件……</div>'
SYSTEM_ERROR = "系统暂时出错，请稍后再试。如问题紧急，请咨询当地民政部门或拨打 12345 政务服务热线。"
# Sizes from the issue: body text 16 px, secondary text 14 px at full contrast (WCAG AA), tap
# targets 44×44 px (WCAG 2.5.5); Gradio's default theme has 14 px text and 18 px icon buttons.
CSS = """
.gradio-container {--text-md: 16px; --text-sm: 14px; --text-xs: 14px;}
#chat {height: auto !important; max-height: none !important;}
#chat .bubble-wrap, #chat [role=log] {height: auto !important; max-height: none !important;
                                      overflow: visible !important;}
#chat .message, #chat .message * {font-size: 16px; line-height: 1.65;}
#chat .md, #chat .prose {opacity: 1 !important;}  /* Gradio shows answers at 0.8 opacity */
#chat .user-text {white-space: pre-wrap; overflow-wrap: anywhere;}
.answer p {margin: 0 0 .5em;}
.answer p.lead {font-size: 18px !important; font-weight: 600;}
.answer .quote {border-left: 3px solid #93c5fd; padding-left: .6em;}
.answer .note, .answer .note * {font-size: 14px !important; color: var(--body-text-color);}
.answer sup.ref {font-size: 14px !important; font-weight: 700; color: #1d4ed8;
                 margin-left: .15em; vertical-align: super;}
.refusal {border-left: 4px solid #d97706; background: #fffbeb; color: #1f2937;
          padding: .5em .8em; border-radius: 6px;}
.refusal .tag {color: #92400e; font-weight: 700; margin-right: .3em;}
.refusal .related-head {font-weight: 600; margin-top: .5em;}
.pending {color: var(--body-text-color); font-style: italic;}
.sources {margin-top: .6em;}
.sources .head, .sources .doc-title {font-size: 14px !important; font-weight: 600;}
.sources .doc {margin: .4em 0;}
.sources .chips {display: flex; flex-wrap: wrap; gap: 6px; margin-top: .2em;}
.sources details {border: 1px solid var(--border-color-primary); border-radius: 22px;
                  background: var(--background-fill-secondary);}
.sources details[open] {flex-basis: 100%; border-radius: 8px; padding: 0 .6em .4em;}
.sources summary {cursor: pointer; min-height: 44px; min-width: 44px; box-sizing: border-box;
                  display: flex; align-items: center; padding: 0 .8em; font-size: 14px !important;
                  list-style: none;}
.sources summary::-webkit-details-marker {display: none;}
.sources .where {font-size: 14px !important; margin: .3em 0;}
.sources .passage {margin: .3em 0; padding-left: .6em; border-left: 3px solid #93c5fd;}
.actions {display: flex; flex-wrap: wrap; gap: 8px; margin-top: .6em; align-items: center;}
.actions button, .actions a {min-height: 44px; min-width: 44px; padding: 0 14px;
                             display: inline-flex; align-items: center; border-radius: 8px;
                             border: 1px solid var(--border-color-primary); font-size: 14px !important;
                             background: var(--background-fill-primary); color: #1d4ed8;
                             text-decoration: none; cursor: pointer;}
.actions .said {font-size: 14px !important; color: #166534;}
.answer .plain {display: none;}
#chat .answer sup.ref, #chat .actions button, #chat .actions a {color: #1d4ed8 !important;}
button[role=tab].selected {color: #1d4ed8 !important;}
button.primary {background: #1d4ed8 !important; border-color: #1d4ed8 !important;}
button.primary:hover {background: #1e40af !important;}
h1 {font-size: 24px !important; margin: .2em 0 .3em !important;}
mark {background: #fde68a; color: #1f2937; padding: 0 1px; border-radius: 2px;}
#chat button.icon-button {min-width: 44px !important; min-height: 44px !important;
                          justify-content: center;}
#chat button.icon-button svg {width: 22px; height: 22px;}
button[role=tab], #ask-row button, #tools button, #targets-tools button,
#targets-tools a {min-height: 44px !important;}
#feedback-status {position: absolute; width: 1px; height: 1px; overflow: hidden;
                  clip: rect(0 0 0 0);}
.vote-said {position: absolute; z-index: 1000; background: #166534; color: #fff;
            font-size: 16px; padding: 10px 14px; border-radius: 8px; max-width: 90vw;
            box-shadow: 0 2px 8px rgba(0,0,0,.25);}
#ask-row button, #tools button {white-space: nowrap; min-width: 5.5em !important;}
.target-source table, table.compare {border-collapse: collapse; margin-top: .4em;}
.target-source td, .target-source th, table.compare td, table.compare th {
    border: 1px solid var(--border-color-primary); padding: .3em .6em; text-align: left;}
table.compare caption {text-align: left; font-weight: 700; padding: .4em 0;}
table.compare .doc {font-weight: 400; font-size: 14px;}
.cards {display: none;}
.card {border: 1px solid var(--border-color-primary); border-radius: 8px; padding: .6em .8em;
       margin: .5em 0; background: var(--background-fill-secondary);}
.card h2 {font-size: 17px; margin: 0 0 .3em;}
.card .kind {font-size: 14px; font-weight: 400; margin-left: .5em; padding: 0 .4em;
             border: 1px solid var(--border-color-primary); border-radius: 4px;}
.card dl {display: grid; grid-template-columns: 1fr 1fr; gap: .2em .8em; margin: 0;}
.card dt {font-size: 14px;} .card dd {margin: 0; font-weight: 600;}
.card .src, .muted {font-size: 14px; margin: .4em 0 0;}
.truncated {font-size: 14px; color: var(--body-text-color);}
.gradio-container .main.app {padding-left: clamp(6px, 2.5vw, 32px);
                             padding-right: clamp(6px, 2.5vw, 32px);}
@media (max-width: 700px) {
  #targets, #target-source {display: none !important;}
  .cards {display: block;}
}
"""
# The page's own behaviour, run once on load (Gradio's `js`): copy and share buttons inside
# answers, the vote confirmation placed by the button clicked, and scrolling a new question to
# the top of the screen so its answer is read from the start (Gradio's autoscroll went to the
# bottom, past the answer to its source list).
JS = """
() => {
  const copyText = async (text) => {
    window.assistantCopied = text;
    try { await navigator.clipboard.writeText(text); return true; } catch (e) {}
    const area = document.createElement('textarea');
    area.value = text; area.setAttribute('readonly', '');
    area.style.position = 'fixed'; area.style.opacity = '0';
    document.body.appendChild(area); area.select();
    let done = false;
    try { done = document.execCommand('copy'); } catch (e) {}
    area.remove();
    return done;
  };
  const say = (element, text) => {
    const row = element.closest('.actions');
    let said = row.querySelector('.said');
    if (!said) { said = document.createElement('span'); said.className = 'said';
                 said.setAttribute('role', 'status'); row.appendChild(said); }
    said.textContent = text;
  };
  let voted = null;
  document.addEventListener('click', async (event) => {
    const copy = event.target.closest('#chat .copy-answer');
    const share = event.target.closest('#chat .share-answer');
    if (copy) {
      const plain = copy.closest('.answer').querySelector('.plain').textContent;
      say(copy, await copyText(plain) ? '已复制' : '复制失败，请长按选择文字');
    } else if (share) {
      event.preventDefault();
      const url = new URL(share.getAttribute('href'), location.href).href;
      say(share, await copyText(url) ? '链接已复制，发给别人打开即可看到这个回答' : url);
    } else {
      voted = event.target.closest('#chat button[aria-label^=Like], #chat button[aria-label^=Dislike]')
              || voted;
    }
  }, true);
  let bubble = null, hide = null;
  const showStatus = (text) => {
    if (!text || !voted || !voted.isConnected) return;
    if (!bubble) { bubble = document.createElement('div'); bubble.className = 'vote-said';
                   bubble.setAttribute('role', 'status'); document.body.appendChild(bubble); }
    const at = voted.getBoundingClientRect();
    bubble.textContent = text;
    bubble.style.display = 'block';
    const width = Math.min(bubble.offsetWidth, window.innerWidth - 16);
    bubble.style.left = Math.max(8, Math.min(at.left + window.scrollX,
                                             window.scrollX + window.innerWidth - width - 8)) + 'px';
    const below = at.bottom + 8 + bubble.offsetHeight < window.innerHeight;
    bubble.style.top = (window.scrollY + (below ? at.bottom + 8 : at.top - bubble.offsetHeight - 8))
                       + 'px';
    clearTimeout(hide);
    hide = setTimeout(() => { bubble.style.display = 'none'; }, 6000);
  };
  // the chat re-renders every message as the answer streams in, moving what is above; the
  // new question is kept at the top for PIN_MS after it appears, then the reader scrolls
  const PIN_MS = 2000;
  let asked = 0, pinnedUntil = 0;
  const pin = () => {
    const questions = document.querySelectorAll('#chat .user-text');
    if (!questions.length) return;
    const last = questions[questions.length - 1];
    const row = last.closest('.message-row') || last;
    const top = row.getBoundingClientRect().top + window.scrollY - 8;
    if (Math.abs(window.scrollY - top) > 2) window.scrollTo({top: Math.max(0, top), behavior: 'instant'});
  };
  ['wheel', 'touchmove', 'keydown'].forEach((kind) => window.addEventListener(kind, (e) => {
    if (!e.target.closest || !e.target.closest('#question')) pinnedUntil = 0;
  }, {passive: true}));
  new MutationObserver(() => {
    const status = document.querySelector('#feedback-status');
    const text = status ? status.innerText.trim() : '';
    if (text && text !== window.assistantStatus) showStatus(text);
    window.assistantStatus = text;
    const count = document.querySelectorAll('#chat .user-text').length;
    if (count > asked) pinnedUntil = Date.now() + PIN_MS;
    asked = count;
    if (Date.now() < pinnedUntil) pin();
  }).observe(document.body, {childList: true, subtree: true, characterData: true});
}
"""
FOCUS_SEARCH = ("() => setTimeout(() => document.querySelector('#target-search textarea, "
                "#target-search input')?.focus(), 50)")
FONTS = ["PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "sans-serif"]
# ASCII punctuation: Gradio's Chatbot renders Markdown, so text is escaped for Markdown as well
# as HTML — `![x](https://…)` typed by a user must stay text, not become an image the browser
# fetches; a numeric entity is shown as the character and never parsed as syntax.
_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")
_STRAY_ITEM = re.compile(r"^0\d(?=[\u4e00-\u9fff])")  # 专栏 items "02居家社区…" lose "02"
_STRAY_QUOTED_ITEM = re.compile(r"“0\d(?=[\u4e00-\u9fff])")  # the same in copied text


# ---------- answers ----------

def text_html(text: str) -> str:
    """`text` shown literally in a Chatbot message: no tag, entity or Markdown survives."""
    return _PUNCTUATION.sub(lambda m: f"&#{ord(m.group())};", text)


def highlight(text: str, quote: str) -> str:
    """Escaped passage with the quoted answering sentence(s) wrapped in <mark>."""
    spans: list[tuple[int, int]] = []
    for piece in [quote] if quote in text else split_sentences(quote):
        at = text.find(piece) if piece.strip() else -1
        if at >= 0 and all(at >= end or at + len(piece) <= start for start, end in spans):
            spans.append((at, at + len(piece)))
    out, position = [], 0
    for start, end in sorted(spans):
        out += [text_html(text[position:start]), "<mark>", text_html(text[start:end]), "</mark>"]
        position = end
    out.append(text_html(text[position:]))
    return "".join(out).replace("\n", "<br>")


@dataclass(frozen=True)
class Line:
    """One line of an answer as shown: its text, the citations it rests on, its kind."""

    text: str
    refs: tuple[int, ...] = ()
    kind: str = "text"  # "quote", "text" or "note"


def answer_lines(answer: dict) -> list[Line]:
    """The answer's lines without the source named on each: a quoted line becomes its quote
    (the `quote` field of its citation), an indicator line its summary; the sources are listed
    once per document below the answer."""
    citations = {c["n"]: c for c in answer.get("citations", [])}
    lines = []
    for raw in answer["answer"].split("\n"):
        if not raw.strip():
            continue
        refs = tuple(int(n) for n in re.findall(r"\[(\d+)\]", raw) if int(n) in citations)
        quoted = [n for n in refs if citations[n].get("quote")
                  and f"“{citations[n]['quote']}”" in raw]
        if quoted:
            quote = citations[quoted[0]]["quote"]
            lines.append(Line(_STRAY_ITEM.sub("", quote.strip()), refs, "quote"))
        elif refs and f" [{refs[0]}]（" in raw:  # an indicator row: summary [n]（source）
            lines.append(Line(raw.split(f" [{refs[0]}]")[0], refs, "text"))
        elif raw.startswith(("注：", "以上内容摘自")):
            lines.append(Line(raw, (), "note"))
        else:
            lines.append(Line(re.sub(r"\[\d+\]", "", raw) if refs else raw, refs, "text"))
    return lines


def render_lines(lines: list[Line]) -> str:
    """Paragraphs: the first one is the answer and looks it; quotes marked; notes secondary."""
    out, lead = [], True
    for line in lines:
        refs = "".join(f'<sup class="ref">[{n}]</sup>' for n in line.refs)
        body = text_html(line.text).replace("\n", "<br>") + refs
        classes = ["note"] if line.kind == "note" else (["lead"] if lead else [])
        classes += ["quote"] if line.kind == "quote" else []
        lead = lead and line.kind == "note"
        attribute = f' class="{" ".join(classes)}"' if classes else ""
        out.append(f"<p{attribute}>{body}</p>")
    return "".join(out)


def render_text(text: str) -> str:
    """Plain answer text (while streaming, or an answer without citations) as paragraphs."""
    return render_lines(answer_lines({"answer": text, "citations": []}))


def _chip_label(citation: dict) -> str:
    section = citation.get("section", "")
    tail = section.split("›")[-1].strip() or "原文"
    return tail if len(tail) <= SECTION_CHARS else tail[:SECTION_CHARS - 1] + "…"


def render_citation(citation: dict) -> str:
    """One numbered chip that opens to the passage, the answering sentences highlighted."""
    return (f'<details class="citation"><summary>[{citation["n"]}] '
            f"{text_html(_chip_label(citation))}</summary>"
            f'<div class="where">位置：{text_html(citation.get("section", ""))}</div>'
            f'<div class="passage">{highlight(citation.get("text", ""), citation.get("quote", ""))}'
            "</div></details>")


def _facts(item: dict) -> str:
    level = f"{item['level']}级" if item.get("level") else ""
    return " · ".join(f for f in (level, item.get("date", "")) if f)


def render_sources(citations: list[dict]) -> str:
    """The sources, each document named once with its level and date, its chips under it."""
    documents: dict[str, list[dict]] = {}
    for citation in citations:
        documents.setdefault(citation.get("doc") or citation["title"], []).append(citation)
    parts = []
    for cited in documents.values():
        first = cited[0]
        parts.append(f'<div class="doc"><div class="doc-title">《{text_html(first["title"])}》 '
                     f"{text_html(_facts(first))}</div><div class=\"chips\">"
                     + "".join(render_citation(c) for c in cited) + "</div></div>")
    return f'<div class="sources"><div class="head">来源（点编号看原文）</div>{"".join(parts)}</div>'


def plain_text(answer: dict) -> str:
    """What Copy gives: the answer as written, then one line per source — for WeChat or a
    report, where markup would show as markup."""
    lines = [_STRAY_QUOTED_ITEM.sub("“", answer["answer"].strip())]
    if answer.get("citations"):
        lines.append("来源：")
    for c in answer.get("citations", []):
        lines.append(f"[{c['n']}] {source_and_section(c)}"
                     + (f"（{c['date']}）" if c.get("date") else ""))
    return "\n".join(lines)


def source_and_section(passage: dict) -> str:
    """"《title》第二章 › 第五条": the section already opens with the title, or gets it."""
    section, title = passage.get("section", ""), f"《{passage.get('title', '')}》"
    return section if section.startswith(title) else f"{title} {section}".strip()


def share_link(question: str) -> str:
    """A link (relative to the page) that opens the chat with `question` asked."""
    return "?" + urlencode({"q": question})


def render_actions(answer: dict, question: str) -> str:
    """Copy and share buttons, with the plain text Copy takes kept hidden beside them."""
    plain = text_html(plain_text(answer)).replace("\n", "&#10;")
    link = html.escape(share_link(question)) if question else ""
    share = f'<a class="share-answer" href="{link}">分享链接</a>' if link else ""
    return (f'<div class="actions"><button type="button" class="copy-answer">复制回答</button>'
            f'{share}</div><div class="plain">{plain}</div>')


def render_answer(answer: dict, question: str = "") -> str:
    """A chat message: the answer (a refusal marked as such), its sources, copy and share."""
    if answer["abstained"]:
        first = answer["answer"].split("\n")[0]
        related = "".join(f"<li>{text_html(source_and_section(r))}</li>"
                          for r in answer.get("related", []))
        if related:
            related = f'<p class="related-head">相关内容（不直接回答您的问题）：</p><ul>{related}</ul>'
        actions = render_actions(answer, question) if question else ""
        return (f'<div class="answer refusal"><span class="tag">⚠ 无法作答</span>'
                f"{text_html(first)}{related}{actions}</div>")
    lines = answer_lines(answer)
    sources = render_sources(answer["citations"]) if answer.get("citations") else ""
    return (f'<div class="answer">{render_lines(lines)}{sources}'
            f"{render_actions(answer, question)}</div>")


def render_question(question: str, truncated: bool) -> str:
    """The user's message as sent to `ask` (cleaned, cut to MAX_QUESTION), shown as text."""
    shown = f'<div class="user-text">{text_html(question).replace(chr(10), "<br>")}</div>'
    note = f'<div class="truncated">（问题较长，只按前 {MAX_QUESTION} 字作答）</div>' if truncated else ""
    return shown + note


def stream_pieces(text: str, steps: int = STREAM_STEPS) -> list[str]:
    """Growing prefixes of `text`, the last one the whole text."""
    size = max(1, -(-len(text) // steps))
    return [text[:end] for end in range(size, len(text), size)] + [text]


def streamed(answer: dict) -> list[str]:
    """The answer's lines growing, as HTML, before the finished message replaces them."""
    lines = answer_lines(answer)
    pieces = stream_pieces("\n".join(line.text for line in lines))[:-1]
    shown = []
    for piece in pieces:
        parts = piece.split("\n")
        growing = [Line(text, (), line.kind) for text, line in zip(parts, lines)]
        shown.append(f'<div class="answer streaming">{render_lines(growing)}</div>')
    return shown


def messages(turns: list[dict]) -> list[dict]:
    """Chatbot messages (user, assistant, user, …) for the finished turns."""
    shown = []
    for turn in turns:
        question = render_question(turn["question"], turn["truncated"])
        shown.append({"role": "user", "content": question})
        shown.append({"role": "assistant",
                      "content": render_answer(turn["answer"], turn["question"])})
    return shown


def answer_id(turns: list[dict]) -> str:
    """The id of the next answer: the conversation's id and the turn's number, so that each
    vote in the feedback log names the conversation turn it is about."""
    conversation = turns[0]["id"].rsplit("-", 1)[0] if turns else uuid.uuid4().hex[:12]
    return f"{conversation}-{len(turns) + 1}"


# ---------- indicator targets ----------

def filter_rows(rows: list[list[str]], query: str) -> pd.DataFrame:
    """The rows matching any word of `query` or its policy terms, best matches first."""
    return pd.DataFrame([rows[at] for at in search(rows, query, synonyms())], columns=COLUMNS)


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


def write_exports(table: list[list[str]], folder: Path) -> tuple[Path, Path]:
    """The filtered rows as CSV (with a BOM: Excel then reads UTF-8) and XLSX, in a folder
    named by their content: the same rows give the same files, other users' other rows never
    overwrite them."""
    text = to_csv(table)
    where = folder / hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    csv_path, xlsx_path = where / "民政指标.csv", where / "民政指标.xlsx"
    if not xlsx_path.exists():
        where.mkdir(parents=True, exist_ok=True)
        partial = where / f".{os.getpid()}.{threading.get_ident()}"
        partial.with_suffix(".csv").write_text(text, encoding="utf-8-sig")
        os.replace(partial.with_suffix(".csv"), csv_path)
        write_xlsx(table, partial.with_suffix(".xlsx"))
        os.replace(partial.with_suffix(".xlsx"), xlsx_path)
    return csv_path, xlsx_path


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
    records: list[dict]  # the target record of each row, for its source


def loaded(index) -> Loaded:
    return Loaded(index, indicator_rows(index.targets), indicator_records(index.targets))


class Handlers:
    """The event handlers, bound to the opened index; plain methods so tests can call them.

    `watch` starts a thread that opens (and warms) a new build as soon as CURRENT names one,
    then swaps it in between requests: a request under way finishes on the index it started
    with, and none waits for the new one to load.
    """

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
        turn = {"question": question, "truncated": len(message.strip()) > MAX_QUESTION,
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

    def filter(self, query: str) -> tuple[pd.DataFrame, str]:
        found = filter_rows(self.rows, query or "")
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
        yield from self.respond(asked[:MAX_QUESTION * 2], turns)

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
    # text_lg: 16 px body and 14 px small text (the default theme's are 14 and 12)
    return gr.themes.Default(primary_hue="blue", font=FONTS, text_size=gr.themes.sizes.text_lg,
                             font_mono=["ui-monospace", "Consolas", "monospace"])


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
                    examples=[{"text": q} for q in EXAMPLES])
                with gr.Row(equal_height=True, elem_id="ask-row"):
                    box = gr.Textbox(show_label=False, placeholder="请输入问题，按回车发送",
                                     scale=8, min_width=200, elem_id="question", autofocus=True)
                    send = gr.Button("发送", variant="primary", scale=1, min_width=70)
                with gr.Row(equal_height=True, elem_id="tools"):
                    reason = gr.Textbox(show_label=False, scale=8, min_width=200,
                                        placeholder="反馈原因（选填），写好后点回答下方的 👍 或 👎",
                                        elem_id="reason")
                    clear = gr.Button("清空对话", scale=1, min_width=70)
                status = gr.Markdown(elem_id="feedback-status")
            with gr.Tab("指标查询") as targets_tab:
                query = gr.Textbox(label="搜索指标（任一词即可，如：社工、床位、县 养老）",
                                   placeholder="输入关键词，如：养老、低保、社工",
                                   elem_id="target-search")
                first = handlers.targets("")
                count = gr.Markdown(first[1], elem_id="target-count")
                with gr.Row(elem_id="targets-tools"):
                    csv_file = gr.DownloadButton("导出 CSV", first[4], elem_id="export-csv",
                                                 size="md", min_width=120)
                    xlsx_file = gr.DownloadButton("导出 Excel", first[5], elem_id="export-xlsx",
                                                  size="md", min_width=120)
                table = gr.Dataframe(first[0], interactive=False, wrap=True, max_height=520,
                                     elem_id="targets", label="“十四五”主要发展指标",
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
        shown = [table, count, cards, compare, csv_file, xlsx_file]
        # .change, not .input: Gradio fires input on key events only, which IME and paste skip
        query.change(handlers.targets, query, shown, trigger_mode="always_last", **private)
        table.select(handlers.select, None, detail, **private)
        targets_tab.select(None, None, None, js=FOCUS_SEARCH, **private)
        app.load(handlers.sources, None, [summary, listed], **private)
        app.load(handlers.targets, query, shown, **private)
        app.load(handlers.ask_link, turns, [box, chat, turns], **private)
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
                      css=CSS, js=JS, show_error=False, allowed_paths=[], footer_links=[],
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
