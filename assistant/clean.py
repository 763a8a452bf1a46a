"""Repair what PDF extraction broke, keeping each line's offsets into the raw text."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from .lexicon import furniture_line

CJK = r"\u3400-\u9fff\uf900-\ufaff"
CJK_PUNCT = r"\u3000-\u303f\uff00-\uffef“”‘’…—·"
TERMINAL = "。！？；!?;"
CN_NUM = r"[一二三四五六七八九十百千零〇]{1,7}"  # 第一百二十二条 had been no article
# Legal text: an article opens "第五条", an item (项) "（一）", "(二)" or "1."
# A title in 《》 (a document named or cited): two to eighty characters on one line, the
# shortest abbreviation (《规划》) to the longest notice title of the corpora.
QUOTED_TITLE = re.compile(r"《([^《》\n]{2,80})》")
ARTICLE = re.compile(rf"^第{CN_NUM}条(?:之{CN_NUM})?")
ITEM = re.compile(rf"^(?:[（(](?:{CN_NUM}|\d{{1,2}})[）)]|\d{{1,2}}\s*[.．、](?!\d))")
CLOSERS = "”’」』）)》】"

_NOISE = re.compile(r"[\ufffd\ufeff\u200b-\u200f\u2028\u2029\x00-\x08\x0b-\x1f\x7f]")
_BOLD = re.compile(r"\*\*")
# "$30\text{ m}^2/\text{户}$" -> "30 m²/户": the county plan was run through a math-aware OCR.
_LATEX_TEXT = re.compile(r"\\text\{([^}]*)\}")
_LATEX_DOLLAR = re.compile(r"\$([^$\n]{1,80})\$")
# Spaces PDF extraction puts inside CJK words ("养老机构 护理型床 位占比", "6 月 16 日").
_SPACE_IN_CJK = re.compile(rf"(?<=[{CJK}{CJK_PUNCT}])[ \u3000\u00a0]+(?=[{CJK}{CJK_PUNCT}0-9%])"
                           rf"|(?<=[0-9%])[ \u3000\u00a0]+(?=[{CJK}{CJK_PUNCT}])")
BULLET = "▻►▶•◆■"  # a list's marks (● heads a digest's item: see headings)
# Page furniture and distribution notes printed on government documents (a rule of bullets too).
_FURNITURE = re.compile(
    r"^(?:[-—–·•]\s*\d{1,3}\s*[-—–·•]|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|[-—–\s]{3,}|Page\s*\d+\s*(?:of\s*\d+)?"
    rf"|抄送[:：].*|公开属性[:：].*|共印\s*\d+\s*份|目\s*录|录|[{BULLET}●★\s]+)$"
)
# A digest section marker glued to the next item: "★★★社会事务★★★● 贵州遵义 …".
_GLUED_MARKER = re.compile(r"(★{2,}[^★]{1,20}★{2,})(?!★)\s*(?=\S)")
# A run-on line (a page that lost its newlines) with "一、" style headings inside.
_INLINE_HEADING = re.compile(r"(?<=[。；:：])\s*(?=[一二三四五六七八九十]{1,3}、)")


@dataclass(frozen=True)
class Line:
    text: str
    start: int  # offsets into the raw document text
    end: int


def repair(text: str) -> str:
    """One line's characters repaired; never changes the words, only extraction debris."""
    text = _NOISE.sub("", text)
    text = _BOLD.sub("", text)
    text = _LATEX_DOLLAR.sub(lambda m: _LATEX_TEXT.sub(r"\1", m.group(1)).replace("^2", "²"), text)
    return text


def join_cjk(text: str) -> str:
    """Remove spaces that split CJK words; spaces between Latin words stay."""
    return _SPACE_IN_CJK.sub("", text).strip()


def clean_lines(raw: str) -> list[Line]:
    """Cleaned non-empty lines with raw offsets; tab-separated table lines keep their tabs."""
    lines, offset, in_comment = [], 0, False
    for piece in raw.splitlines(keepends=True):
        start, offset = offset, offset + len(piece)
        text, in_comment = strip_comments(repair(piece.rstrip("\r\n")), in_comment)
        for part in _split_run_on(text):
            cells = part.split("\t")
            part = "\t".join(join_cjk(c) for c in cells) if len(cells) > 1 else join_cjk(part)
            if part.strip("\t ") and not _FURNITURE.match(part.strip()):
                lines.append(Line(part, start, start + len(piece.rstrip("\r\n"))))
    return without_running_lines(lines)


RUNNING = 3  # a line printed this often is a page's running header or footer, not the text
RUNNING_CHARS = 6  # shorter repeated lines are table cells (约束性, 预期性, %)


def without_running_lines(lines: list[Line]) -> list[Line]:
    """The lines without a PDF's running header or footer ("青禾县人民政府办公室文件" atop every
    page): a line of RUNNING_CHARS or more, no sentence, printed RUNNING times or more."""
    counts = Counter(line.text for line in lines)
    return [line for line in lines if counts[line.text] < RUNNING or len(line.text) < RUNNING_CHARS
            or re.search(rf"[{TERMINAL}]", line.text) or "\t" in line.text]


def strip_comments(text: str, in_comment: bool) -> tuple[str, bool]:
    """The line without `<!-- … -->` comments, and whether a comment is still open after it."""
    kept = []
    while text:
        if in_comment:
            end = text.find("-->")
            if end < 0:
                return "".join(kept), True
            text, in_comment = text[end + 3:], False
        else:
            start = text.find("<!--")
            if start < 0:
                kept.append(text)
                break
            kept.append(text[:start])
            text, in_comment = text[start + 4:], True
    return "".join(kept), in_comment


def _split_run_on(text: str) -> list[str]:
    text = _GLUED_MARKER.sub(r"\1\n", text)
    if len(text) > 300:
        text = _INLINE_HEADING.sub("\n", text)
    text = _INLINE_BULLET.sub("\n", _INLINE_QUESTION.sub("\n", text))
    return [piece for line in text.split("\n") for field in fields_apart(line)
            for piece in _question_first(field)]


# A web page's catalogue or a form copied as text puts several fields on a line ("有效性: 有效
# 咨询电话: 0562-2741002", "发布时间:2017-07-13 16:55:20  资料来源:  责任编辑:张园"): once its
# spaces were joined, the phone number's label was glued to the value before it.
LABEL = r"[\u4e00-\u9fff]{2,6}\s*[:：]"  # a field's label and its colon: 2–6 characters (索引号, 咨询电话)
FIELD_START = re.compile(rf"^{LABEL}")  # a line opening with a field's label
_NEXT_FIELD = re.compile(rf"(?<=\S)[ \u3000\u00a0]+(?={LABEL})")


def fields_apart(line: str) -> list[str]:
    """A line of "label: value" fields, one field a line."""
    if not FIELD_START.match(line.strip()):
        return [line]
    return [field for field in _NEXT_FIELD.split(line) if field.strip()]


# A page copied without its line breaks: its bullets ("▻80-89岁 每人每月30元 ▻90-99岁 …") and a
# numbered FAQ's questions ("…共计1627.94万元。 01什么是高龄津贴?高龄津贴,是…") start lines.
# (after a space or a sentence's end only: "约翰•史密斯" is one name, "■■■■" one rule)
_INLINE_BULLET = re.compile(rf"(?:(?<=[。；！？!?;])\s*|(?<=\S)\s+)(?=[{BULLET}])")
FAQ_QUESTION = r"0\d\s*[\u4e00-\u9fff][^。！？!?]{0,30}[？?]"  # "01什么是高龄津贴?": 30 characters at most
_INLINE_QUESTION = re.compile(rf"(?<=[。！？!?])\s*(?={FAQ_QUESTION})")
_QUESTION = re.compile(rf"^{FAQ_QUESTION}")


def _question_first(line: str) -> list[str]:
    """A numbered FAQ question ("02市区津贴标准?") on a line of its own, its answer after it."""
    question = _QUESTION.match(line)
    if question and line[question.end():].strip():
        return [line[:question.end()], line[question.end():].strip()]
    return [line]


def ends_sentence(text: str) -> bool:
    return text.rstrip(CLOSERS + " ")[-1:] in TERMINAL + "：:" if text else True


def join_broken(lines: list[Line], keep: list[bool]) -> list[Line]:
    """Rejoin prose lines that a page or column break cut mid-sentence.

    `keep[i]` marks a line that must stay on its own (a heading, a table row).
    """
    out: list[Line] = []
    previous_kept = True
    for line, kept in zip(lines, keep):
        if out and not kept and not previous_kept and not ends_sentence(out[-1].text):
            last = out[-1]
            out[-1] = replace(last, text=join_cjk(last.text + " " + line.text), end=line.end)
        else:
            out.append(line)
        previous_kept = kept
    return out


def enumeration_blocks(text: str) -> list[str]:
    """A passage's lines grouped so that an enumeration's lead-in ("…下列材料：") and all its
    items form one block; every other line is a block of its own."""
    blocks: list[list[str]] = []
    for line in text.split("\n"):
        previous = blocks[-1] if blocks else []
        if previous and ITEM.match(line) and (previous[-1].rstrip().endswith(("：", ":"))
                                              or ITEM.match(previous[-1])):
            previous.append(line)
        else:
            blocks.append([line])
    return ["\n".join(block) for block in blocks]


def split_sentences(text: str) -> list[str]:
    """Split on Chinese sentence ends (。！？；), keeping closing quotes with their sentence."""
    parts = re.findall(rf"[^{TERMINAL}]+(?:[{TERMINAL}]+[{CLOSERS}]*|$)", text)
    return [p.strip() for p in parts if p.strip()]


def char_pairs(text: str) -> set[str]:
    """The text's pairs of adjacent characters: how near two Chinese strings are, where words
    are not delimited (two quotes saying the same thing, a title as people misremember it)."""
    return {text[i:i + 2] for i in range(len(text) - 1)}


# Two quotes sharing this share of their character pairs (Jaccard) say the same thing: a county
# plan repeating the national plan's sentence with a clause added. The second is not quoted. (The
# share of the shorter quote's pairs instead, at 0.8, also merged parallel articles of a
# regulation that differ in who they are about: all dev correct 0.759 → 0.751.)
SAME_TEXT = 0.7


def same_text(a: str, b: str) -> bool:
    """One quote inside the other, or nearly the same words (character-pair Jaccard)."""
    if a in b or b in a:
        return True
    pairs_a, pairs_b = char_pairs(a), char_pairs(b)
    union = pairs_a | pairs_b
    return bool(union) and len(pairs_a & pairs_b) / len(union) >= SAME_TEXT


def catalogue(sentence: str) -> bool:
    """Lines of a web page's catalogue only ("索引号: …\n组配分类: 政策法规文件\n发布机构: 某镇")."""
    lines = [line for line in sentence.split("\n") if line.strip()]
    return bool(lines) and all(furniture_line(line) for line in lines)


# "2022-11-11 14:49 阅读人数:1": a page's date and time before its toolbar's field
_STAMP = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*")


def unfurnished(sentence: str) -> str:
    """The sentence without the page's catalogue or toolbar lines it opens with (the web page's
    "2022-11-11 14:49 阅读人数:1" above its first sentence, which ends none), when more follows."""
    lines = sentence.split("\n")
    start = 0
    while start < len(lines) - 1 and furniture_line(_STAMP.sub("", lines[start].strip())):
        start += 1
    rest = "\n".join(lines[start:]).strip() if start else sentence
    glued = _GLUED_COUNTER.match(rest)  # the same line joined to the sentence after it
    return rest[glued.end():].strip() if glued and rest[glued.end():].strip() else rest


# "2022-11-11 14:49阅读人数:1残疾人两项补贴由…": a page's stamp and view counter, joined to the first
# sentence when lines broken inside sentences were joined again
_GLUED_COUNTER = re.compile(r"\d{4}-\d{1,2}-\d{1,2}\s*\d{1,2}:\d{2}(?::\d{2})?\s*"
                            r"(?:阅读|浏览|点击|访问)[\u4e00-\u9fff]{0,3}\s*[:：]\s*\d+")


def lead_in(sentence: str) -> bool:
    """A sentence announcing what follows ("…发起倡议:", "…应当提交下列材料："): the items
    it announces are the answer, not it."""
    return sentence.rstrip().split("\n")[-1].endswith(("：", ":"))


def opens_list(sentence: str) -> bool:
    """A lead-in, alone or with the first of its items ("…下列证件：\n(一)本人的户口簿；")."""
    lines = [line.strip() for line in sentence.split("\n")]
    return any(line.endswith(("：", ":")) and all(ITEM.match(after) for after in lines[i + 1:])
               for i, line in enumerate(lines))
