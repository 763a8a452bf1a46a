"""The chat's messages as HTML: an answer (the first line the answer, quotes, numbered sources
that open to the passage, copy and share), a refusal marked as such, the user's question as
plain text, and the answer streaming in. Pure functions of the JSON answer (`present.to_json`).
"""

from __future__ import annotations

import html
import re
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

from .clean import split_sentences
from .compose import GAP, NO_DATE, PART_LABEL
from .present import TRUNCATED
from .question import MAX_QUESTION

STREAM_STEPS = 10  # an answer appears in this many growing pieces
SECTION_CHARS = 24  # a citation chip names the tail of its section, cut to fit a phone's line
PENDING = '<div class="pending">正在查找相关政策文件……</div>'
# ASCII punctuation: Gradio's Chatbot renders Markdown, so text is escaped for Markdown as well
# as HTML — `![x](https://…)` typed by a user must stay text, not become an image the browser
# fetches; a numeric entity is shown as the character and never parsed as syntax.
_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")
_STRAY_ITEM = re.compile(r"^0\d(?=[\u4e00-\u9fff])")  # 专栏 items "02居家社区…" lose "02"
_STRAY_QUOTED_ITEM = re.compile(r"“0\d(?=[\u4e00-\u9fff])")  # the same in copied text


def text_html(text: str) -> str:
    """`text` shown literally in a Chatbot message: no tag, entity or Markdown survives; a date
    (2023-07-20) is kept on one line (a phone broke it after its hyphen)."""
    escaped = _PUNCTUATION.sub(lambda m: f"&#{ord(m.group())};", text)
    return _DATE.sub(lambda m: f'<span class="date">{m.group()}</span>', escaped)


_DATE = re.compile(r"\d{4}(?:&#45;\d{1,2}){1,2}")


def highlight(text: str, quote: str) -> str:
    """Escaped passage with the quoted answering sentence(s) wrapped in <mark>."""
    spans: list[tuple[int, int]] = []
    pieces = [s for stretch in quote.split(GAP) for s in split_sentences(stretch)]
    for piece in [quote] if quote in text else pieces:
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
    for raw in logical_lines(answer["answer"]):
        if not raw.strip():
            continue
        refs = tuple(int(n) for n in re.findall(r"\[(\d+)\]", raw) if int(n) in citations)
        quoted = [n for n in refs if citations[n].get("quote")
                  and f"“{citations[n]['quote']}”" in raw]
        if quoted:
            quote = citations[quoted[0]]["quote"]
            # a part of a several-part answer keeps the words saying which part it answers
            label = raw[:raw.index("”：") + 2] if raw.startswith(PART_LABEL) and "”：" in raw else ""
            lines.append(Line(label + _STRAY_ITEM.sub("", quote.strip()), refs, "quote"))
        elif refs and f" [{refs[0]}]（" in raw:  # an indicator row: summary [n]（source）
            lines.append(Line(raw.split(f" [{refs[0]}]")[0], refs, "text"))
        elif raw.startswith(("注：", "以上内容摘自")):
            lines.append(Line(raw, (), "note"))
        else:
            lines.append(Line(re.sub(r"\[\d+\]", "", raw) if refs else raw, refs, "text"))
    return lines


_QUOTE_OPENS = re.compile(rf"^(?:{PART_LABEL}[^”]*”：)?根据《.*?：“")  # as compose.quote_line writes
_QUOTE_ENDS = re.compile(r"”\[\d+\]$")


def logical_lines(text: str) -> list[str]:
    """The answer's lines, a quote that runs over several lines (an article's items, a notice's
    paragraphs) kept as one: split at each line, it had shown as plain text with its "根据《…》"
    and without its quote's mark."""
    lines, open_quote = [], None
    for raw in text.split("\n"):
        if open_quote is not None:
            open_quote += "\n" + raw
            if _QUOTE_ENDS.search(raw.strip()):
                lines.append(open_quote)
                open_quote = None
        elif _QUOTE_OPENS.match(raw) and not _QUOTE_ENDS.search(raw.strip()):
            open_quote = raw
        else:
            lines.append(raw)
    return lines + ([open_quote] if open_quote is not None else [])


def render_lines(lines: list[Line]) -> str:
    """Paragraphs: the first one is the answer and looks it (so does the first of each part of a
    several-part answer); quotes marked; notes secondary."""
    out, lead = [], True
    for line in lines:
        refs = "".join(ref_mark(n) for n in line.refs)
        body = with_marks(text_html(line.text).replace("\n", "<br>"), refs)
        lead = lead or line.text.startswith(PART_LABEL)
        classes = ["note"] if line.kind == "note" else (["lead"] if lead else [])
        classes += ["quote"] if line.kind == "quote" else []
        lead = lead and line.kind == "note"
        attribute = f' class="{" ".join(classes)}"' if classes else ""
        out.append(f"<p{attribute}>{body}</p>")
    return "".join(out)


_LAST = re.compile(r"(&[#\w]+;|[^>])$")  # the last character as shown (an entity is one)


def with_marks(body: str, refs: str) -> str:
    """The line with its [n] marks, the last character and the marks kept on one line: on a
    phone "见上文。" had ended a line and "[1]" stood alone on the next."""
    last = _LAST.search(body) if refs else None
    if last is None:
        return body + refs
    return f'{body[:last.start()]}<span class="tail">{last.group()}{refs}</span>'


def ref_mark(n: int) -> str:
    """The superscript [n] after a line: a button that opens source n below the answer (the
    page's script does it; without script it still reads as the number)."""
    return (f'<sup class="ref"><button type="button" class="ref-open">'
            f'<span class="sr-only">查看来源</span>[{n}]</button></sup>')  # Gradio drops aria-label


def render_text(text: str) -> str:
    """Plain answer text (while streaming, or an answer without citations) as paragraphs."""
    return render_lines(answer_lines({"answer": text, "citations": []}))


def _chip_label(citation: dict) -> str:
    section = citation.get("section", "")
    # the document is named above the chips: a section that is one heading after the title
    # ("《民政工作动态（2021年6月）》“十四五”时期…") is shown without it
    tail = section.split("›")[-1].strip().removeprefix(f"《{citation.get('title', '')}》").strip()
    tail = tail or "原文"
    # cut before a number the cut would part from its unit ("可享30…" of 可享30个月)
    if len(tail) <= SECTION_CHARS:
        return tail
    return re.sub(r"[\d.]+$", "", tail[:SECTION_CHARS - 1]) + "…"


def render_citation(citation: dict) -> str:
    """One numbered chip that opens to the passage, the answering sentences highlighted."""
    return (f'<details class="citation"><summary>[{citation["n"]}] '
            f"{text_html(_chip_label(citation))}</summary>"
            f'<div class="where">位置：{text_html(citation.get("section", ""))}</div>'
            f'<div class="passage">{highlight(citation.get("text", ""), citation.get("quote", ""))}'
            "</div></details>")


def _facts(item: dict) -> str:
    level = f"{item['level']}级" if item.get("level") else ""
    return " · ".join(f for f in (level, item.get("date") or NO_DATE) if f)


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
                     + f"（{c.get('date') or NO_DATE}）")
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


def render_related(passage: dict) -> str:
    """A passage on the topic under a refusal: where it is, opening to its text (nothing
    highlighted: it does not answer)."""
    facts = _facts(passage)
    facts = f'<span class="facts">（{text_html(facts)}）</span>' if facts else ""
    where = text_html(source_and_section(passage))
    return (f'<li><details class="related-passage"><summary>{where}'
            f'{facts}</summary><div class="passage">{highlight(passage.get("text", ""), "")}</div>'
            "</details></li>")


def render_answer(answer: dict, question: str = "") -> str:
    """A chat message: the answer (a refusal marked as such), its sources, copy and share."""
    if answer["abstained"]:
        first = answer["answer"].split("\n")[0]
        related = "".join(render_related(r) for r in answer.get("related", []))
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
    note = f'<div class="truncated">{TRUNCATED.format(MAX_QUESTION)}</div>' if truncated else ""
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
