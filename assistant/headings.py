"""Which lines head a section: 章/节/条 and numbered headings, Markdown headings, a web page's
unpunctuated section titles, and the numbered lines that are a list's items instead."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .clean import ARTICLE, FAQ_QUESTION, ITEM, LABEL, Line
from .lexicon import pattern

NUM = r"[一二三四五六七八九十百千零〇]{1,7}"  # up to 第一千二百六十条
# (rank, pattern): a smaller rank is an outer heading. Ranks only order headings within a
# document; the digests and the plans never mix their heading styles.
HEADINGS = [
    (1, re.compile(rf"^第{NUM}章")),
    (1, re.compile(r"^★+\s*([^★]+?)\s*★+$")),
    (2, re.compile(rf"^第{NUM}节")),
    (2, re.compile(r"^●\s*(.+)$")),
    (2, re.compile(r"^[^|｜。，,]{1,20}\s*[|｜]\s*\S.{0,60}$")),
    (3, re.compile(rf"^{NUM}、")),
    (4, re.compile(rf"^[（(]{NUM}[）)]")),
    (5, re.compile(r"^专栏\s*\d+")),
    (6, re.compile(r"^\d{1,2}\s*[.．、](?!\d)")),
    (7, re.compile(rf"^0\d\s+\S|^{FAQ_QUESTION}$")),  # "01 …", "01什么是高龄津贴?"
]
PARAGRAPH_RANK = 6
# "1.临时救助申请书;2.户口薄复印件; 3.身份证复印件": a list on one line, not a heading numbered 1.
INLINE_LIST = re.compile(r"[;；,，]\s*2\s*[.．、](?!\d)")
# A web page's section title on a line of its own, blank lines around it ("申请条件", "办理流程"):
# a heading, though unnumbered. (A line a page break cut has no blank line after it.)
BARE_HEADING = re.compile(r"^[\u4e00-\u9fff]{2,10}$")
BARE_HEADING_RANK = 3
BARE_HEADING_BODY = 20  # characters: a section's text, not a signature's date ("2022年5月31日印发")
MARKDOWN = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
# Legal text: 编 > 章 > 节 > 条; inside an article, 款 are paragraphs and 项 ("（一）", "1.") items.
LEGAL_HEADINGS = [(0, re.compile(rf"^第{NUM}编")), (1, re.compile(rf"^第{NUM}章")),
                  (2, re.compile(rf"^第{NUM}节"))]
ARTICLE_RANK = 3
LEGAL_ARTICLES = 3  # a document with this many lines opening "第X条" is read article by article
DIGEST_SECTION = 1  # a bare short line such as "社会救助" right above a "地区 | 标题" item
ITEM_CHARS = 40  # a numbered line this short may be a list's item as well as a heading
# ... and one ending as an item does (";"), up to this: "(二)现役军人须持团以上政治机关出具的《军人
# 婚姻登记证明》、军人证件、居民身份证;" (44) had made (一) and (三) beside it headings of nothing, lost
LONG_ITEM_CHARS = 80


@dataclass(frozen=True)
class Heading:
    rank: int
    title: str
    body: str  # text that followed the heading on the same line, if any


def parse_heading(text: str) -> Heading | None:
    markdown = MARKDOWN.match(text)
    if markdown:
        inner = markdown.group(2)
        return parse_heading(inner) or Heading(len(markdown.group(1)) - 1, inner, "")
    for rank, pattern in HEADINGS:
        match = pattern.match(text)
        if not match or INLINE_LIST.search(text):
            continue
        if match.groups():  # markers such as ★ and ● are not part of the title
            return Heading(rank, match.group(1).strip(), "")
        if len(text) <= 40 and not re.search(r"[。；]", text.rstrip("。")):
            # a short numbered line that ends a sentence ("2. 困难情况说明。") may be an item of a
            # list as well as a heading: it heads what follows and stays text, or it was lost
            return Heading(rank, text.rstrip("。"), text if text.endswith("。") else "")
        return Heading(rank, _lead(text), text)
    return field_heading(text)


# A guide's field on a line of its own, its label before a colon: "申请条件:城市居民户…",
# "收费标准:无", "时间:工作日上午8:00-12:00". It heads its value; lines of fields had been glued
# into one paragraph ("事项名称: …服务机构: 市民政局事项分类: …"), as if a page break had cut them.
FIELD = re.compile(r"^([\u4e00-\u9fff]{2,8})\s*[:：]\s*(.*)$")
FIELD_RANK = 8  # inside any numbered section ("六、办理时间和地点" › 时间)


def field_heading(text: str) -> Heading | None:
    field = FIELD.match(text)
    if (not field or not _FIELD_LABEL.search(field.group(1)) or _FURNITURE.search(field.group(1))
            or _ADDRESSEE.search(field.group(1)) or _FIELD_LABEL_PAIR.search(field.group(2))):
        return None
    label, value = field.groups()
    return Heading(FIELD_RANK, label, text if value.strip() else "")  # the line as written


_FIELD_LABEL, _FURNITURE = pattern("field_label"), pattern("page_furniture")
_ADDRESSEE = pattern("addressee")  # "县直各单位：" heads no section: the notice is sent to them
# a line of several fields ("索引号: … 组配分类: 政策法规文件") is a page's catalogue record
_FIELD_LABEL_PAIR = re.compile(rf"\s{LABEL}")


def parse_legal_heading(text: str) -> Heading | None:
    """编/章/节 and Markdown headings, and an article ("第五条 …", its text as the body).

    Items ("（一）", "1.") are not headings here: they belong to their article."""
    markdown = MARKDOWN.match(text)
    inner = markdown.group(2) if markdown else text
    article = ARTICLE.match(inner)
    if article:
        return Heading(ARTICLE_RANK, article.group(0),
                       f"{article.group(0)} {inner[article.end():].lstrip(' 　')}".rstrip())
    for rank, pattern in LEGAL_HEADINGS:
        if pattern.match(inner) and len(inner) <= 40 and "。" not in inner:
            return Heading(rank, re.sub(rf"^(第{NUM}[编章节])\s*", r"\1 ", inner), "")
    return Heading(len(markdown.group(1)) - 1, inner, "") if markdown else None


def is_legal(lines: list[Line]) -> bool:
    return sum(1 for line in lines if ARTICLE.match(line.text.lstrip("# "))) >= LEGAL_ARTICLES


def _lead(text: str) -> str:
    """A heading run into its paragraph: its first sentence, or first clause when that is long."""
    first = re.split(r"(?<=[。；])", text, maxsplit=1)[0].rstrip("。；")
    return first if len(first) <= 30 else re.split(r"[，,：:]", first)[0][:30]


def list_items(lines: list[Line]) -> set[int]:
    """The lines that are a list's items, not headings: short numbered lines ("1. 身份证、户口簿",
    "（二）收入证明") next to one numbered the same way. A guide's materials had each been taken
    for a heading with nothing under it, and lost. A heading has its own text under it before
    the next one of its kind."""
    def kind(line: Line) -> int | None:
        marker = ITEM.match(line.text)
        limit = LONG_ITEM_CHARS if line.text.endswith((";", "；", "。")) else ITEM_CHARS
        if not marker or len(line.text) > limit or re.search(r"[。；;]", line.text[:-1]):
            return None
        return 0 if re.match(r"[（(]", marker.group(0)) else 1

    kinds = [kind(line) for line in lines]
    return {i for i, k in enumerate(kinds) if k is not None and any(
        0 <= j < len(kinds) and kinds[j] == k for j in (i - 1, i + 1))}


def bare_heading(lines: list[Line], i: int, raw: str) -> Heading | None:
    """A short unpunctuated line with a blank line above and below it, over a paragraph."""
    line = lines[i]
    if (0 < i < len(lines) - 1 and BARE_HEADING.match(line.text)
            and len(lines[i + 1].text) >= BARE_HEADING_BODY
            and re.search(r"\n[ \t\u3000]*\n[ \t\u3000]*$", raw[:line.start])
            and re.match(r"[ \t\u3000]*\n[ \t\u3000]*\n", raw[line.end:])):
        return Heading(BARE_HEADING_RANK, line.text, "")
    return None


def digest_section(lines: list[Line], i: int) -> Heading | None:
    text = lines[i].text
    if len(text) > 12 or re.search(r"[，。：:；|｜]", text) or i + 1 >= len(lines):
        return None
    following = parse_heading(lines[i + 1].text)
    return Heading(DIGEST_SECTION, text, "") if following and following.rank == 2 else None
