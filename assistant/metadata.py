"""A document's citation fields read from its own text and file name, for documents the
manifest does not describe: title, issuer and order number, promulgation, effective and version
dates, and the level and region its issuer implies."""

from __future__ import annotations

import re
from pathlib import Path

from .clean import LABEL
from .issuers import place_of
from .lexicon import furniture_line

_CN_NUM = "一二三四五六七八九十百零〇"
_LABELLED = re.compile(LABEL)  # a label of a catalogue line
DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
# "(2019-03-02)" or "_2019-03-02" in a file name: the version the file holds.
FILE_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_.](\d{2})[-_.](\d{2})(?!\d)")
# "中华人民共和国国务院令第649号", "民政部令第14号"
ORDER = re.compile(rf"(?:中华人民共和国)?(\w{{2,12}}?)令第([\d{_CN_NUM}]+)号")
# "贵州省第十四届人民代表大会第三次会议", "第八届全国人民代表大会常务委员会第二十一次会议"
CONGRESS = re.compile(rf"(\w{{0,12}}?)第[{_CN_NUM}]+届(全国)?人民代表大会(常务委员会)?")
# "〔2022〕64号" document numbers of government notices, with the issuing office before them.
NOTICE = re.compile(r"([\u4e00-\u9fff]{2,10}[发办函字规])\s*[〔\[(（]((?:19|20)\d{2})[〕\])）]\s*(\d+)\s*号")
# A promulgation line: a date, who, and what was done ("… 国务院令第649号公布").
ACTION_LINE = re.compile(r"^\s*(?:19|20)\d{2}\s*年.*(?:公布|发布|通过|印发|批准|施行|实施|修订|修正)\W*$")
PUBLISHED_BY = re.compile(r"日\s*([\u4e00-\u9fff]{2,20}?)(?:公布|发布|印发)")
PROMULGATED = ("公布", "发布", "印发", "通过", "批准")  # in this order of preference
EFFECTIVE = re.compile(r"施行|实施")
# "本条例自2017年12月1日起施行", a notice's "自2024年7月1日起执行/调整"
EFFECTIVE_IN_TEXT = re.compile(r"自\s*((?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*起\s*(?:施行|实施|执行|调整)")
_BODY_START = re.compile(rf"^第[{_CN_NUM}]+[章条节编]")  # the first chapter or article
HEADER_LINES = 12  # promulgation lines sit right under the title, before the first article
LEGAL_TITLE = re.compile(r"(?:法|条例|办法|规定|细则|规则|决定)$")


def derive(name: str, text: str) -> dict[str, str]:
    """Citation fields found in the document; absent ones are left out."""
    header = _header(text)
    title = derive_title(text, name)
    fields: dict[str, str] = {"title": title}
    issuer, number = _issuer(header) if header else ("", "")
    if not issuer:
        issuer, number = _notice(text)
    if not issuer:
        issuer = red_head(text, title)
    if issuer:
        fields["issuer"] = issuer
    if number:
        fields["number"] = number
    dated = [(iso_date(m), line) for line in header for m in [DATE.search(line)] if m]
    promulgated = next((d for word in PROMULGATED for d, line in dated if word in line), "")
    effective = next((d for d, line in dated if EFFECTIVE.search(line)
                      and not any(word in line for word in PROMULGATED)), "")
    if not effective:
        found = EFFECTIVE_IN_TEXT.search(text)
        effective = iso_date(DATE.search(found.group(1))) if found else ""
    promulgated = promulgated or _signed(text)
    version = _file_date(name) or max((d for d, _ in dated), default="")
    for key, value in (("promulgated", promulgated), ("effective", effective),
                       ("date", version or promulgated or effective or title_year(title))):
        if value:
            fields[key] = value
    place = place_of(issuer) or place_of(title) or next(
        (found for named in file_names(name) for found in [place_of(named)] if found), None)
    if place:
        fields["level"], fields["region"] = place.level, place.region
    kind = document_kind(title)
    if kind:
        fields["kind"] = kind
    return fields


TITLE_LINES = 12  # a red-letter head, the document number and the notice's title come first
TITLE_CHARS = 60  # a longer line is a paragraph
NOTICE_TITLE = re.compile(r"关于[^。；：:，,]{2,80}?的(?:通知|意见|决定|批复|通报|公告|函|报告)")
RED_HEAD = re.compile(r"^.{2,20}(?:局|厅|委|办|办公室|人民政府|委员会|部)$")  # an office's name alone
ISSUED = re.compile(r"关于印发\s*《?([^《》\n]{4,60}?)》?\s*的通知")


def derive_title(text: str, name: str) -> str:
    """The first Markdown heading, else the first short line that reads like a title, else the
    file name without its suffix and version date."""
    for line in text.splitlines():
        heading = re.match(r"^#\s+(.+?)\s*#*$", line.strip())
        if heading:
            return heading.group(1)
        if line.strip():
            break
    # the head squashed, so that a title broken over lines ("关于印发…养老服务体系\n建设规划的通知")
    # or letter-spaced ("青 禾 县 民 政 局") reads whole
    head = re.sub(r"[\s\ufffd]+", "", "\n".join(text.splitlines()[:TITLE_LINES]))
    for line in text.splitlines():
        if "\t" in line or line.strip() == "序号":  # a table before any title line
            break
        catalogue = len(_LABELLED.findall(line)) >= 2  # "名称: 某某办事指南 文号:"
        line = re.sub(r"[*#★●|｜\s\ufffd]+", "", line)
        if NOTICE.fullmatch(line) or furniture_line(line) or catalogue:
            # the document's number above its title ("穗府办规〔2021〕19号"), a web page's catalogue
            # line ("索引号:…组配分类:…", "发布时间:2017-07-13")
            continue
        if line.endswith((":", "：")):
            continue  # a salutation or a label ("广大市民朋友们:", "联系方式:") heads no document
        if line.endswith("。") or len(line) > TITLE_CHARS and "。" in line:
            break  # the body has begun: a title stands above it
        if 4 <= len(line) <= TITLE_CHARS and re.search(r"[\u4e00-\u9fff]", line):
            issued, notice = ISSUED.search(head), NOTICE_TITLE.search(head)
            # a red-letter head ("某县人民政府办公室文件", "某县民政局") or the notice that issues the
            # document: the document is the one issued ("关于印发某县“十四五”民政事业发展规划的通知"),
            # else the notice itself ("关于调整城乡低保等社会救助标准的通知")
            if line.endswith("文件") or "关于印发" in line or RED_HEAD.search(line):
                if issued:
                    return own_place(issued.group(1), head[:issued.start()])
                if notice:
                    return notice.group(0)
            return line
    stem = re.sub(r"[（(]\s*[）)]", "", undated_stem(name)).strip(" _-")
    office = re.search(r"[（(]\s*([^（）()]+?)\s*[）)]$", stem)  # "…倡议(某市民政局 )": whose it is
    if office and RED_HEAD.match(office.group(1)):
        stem = stem[:office.start()].strip(" _-")
    return stem or Path(name).stem


def own_place(title: str, before: str) -> str:
    """An issued title that names its place as the issuer's ("我市2025年最低生活保障…标准", issued
    by 某市民政局): the place named ("某市2025年…"), so that it reads on its own."""
    own = re.match(r"^(?:我|本)([省市县区])", title)
    office = re.search(r"[^号]{2,40}$", before)  # the offices after the document number
    place = place_of(office.group()) if own and office else None
    if not place or place.region == "全国":
        return title
    name = place.region if place.region.endswith(own.group(1)) else place.region + own.group(1)
    return name + title[own.end():]


def red_head(text: str, title: str) -> str:
    """The office a notice's red-letter head names ("青 禾 县 民 政 局", "某县民政局文件"), when
    the document's title is another line: its issuer."""
    for line in text.splitlines()[:TITLE_LINES]:
        line = re.sub(r"[\s\ufffd]+", "", line).removesuffix("文件")
        if line == title or title and title in line:
            break
        if RED_HEAD.match(line) and not furniture_line(line):
            return line
    return ""


def _header(text: str) -> list[str]:
    """The lines between the title and the body: where promulgation lines are printed."""
    lines = []
    for line in text.splitlines()[1:HEADER_LINES + 1]:
        line = line.strip()
        if line.startswith(("<!--", "#")) or _BODY_START.match(line):
            break
        if line:
            lines.append(line)
    return [line for line in lines if ACTION_LINE.match(line)]


SIGNED_LINES = 30  # a notice's office and date sign it above the document it issues


def _signed(text: str) -> str:
    """The date a notice is signed on: a line holding only a date ("2023年3月1日") near the top,
    under the office that issues it, before the first article."""
    for line in text.splitlines()[:SIGNED_LINES]:
        line = line.strip()
        if _BODY_START.match(line):
            break
        found = DATE.fullmatch(line)
        if found:
            return iso_date(found)
    return ""


def _issuer(header: list[str]) -> tuple[str, str]:
    for line in header:
        order = ORDER.search(line)
        if order:
            return order.group(1), f"{order.group(1)}令第{order.group(2)}号"
    for line in header:
        congress = CONGRESS.search(line)
        if congress:
            place = congress.group(1) or ""
            whole = "全国" if congress.group(2) else ""
            return f"{place}{whole}人民代表大会{congress.group(3) or ''}", ""
    for line in header:  # "2025年6月22日民政部公布": a rule published without an order number
        published = PUBLISHED_BY.search(line)
        if published:
            return published.group(1), ""
    return "", ""


def _notice(text: str) -> tuple[str, str]:
    """A notice's issuing office and number ("民政办发〔2022〕64号") near its top."""
    found = NOTICE.search(text[:2000])
    if not found:
        return "", ""
    return "", f"{found.group(1)}〔{found.group(2)}〕{found.group(3)}号"


def iso_date(match: re.Match) -> str:
    year, month, day = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def title_year(title: str) -> str:
    """The year a title is of ("某县2024年社会救助标准", "2022年工作总结"): its date when the text
    gives no other, so that a citation says which year's figures it quotes."""
    found = re.search(r"(?<!\d)((?:19|20)\d{2})年(?!\d)", title)
    return found.group(1) if found else ""


def file_names(name: str) -> tuple[str, ...]:
    """What a deployer's file name says of whom a document is, when its text does not: the name
    itself and what it puts in brackets ("临时救助办事指南(某市民政局).md", a guide whose text
    is headed only 临时救助), its version date left out."""
    stem = undated_stem(name)
    return (stem, *re.findall(r"[（(]([^（）()]+)[）)]", stem))


def undated_stem(name: str) -> str:
    """The file's name without its suffix and its version date."""
    return FILE_DATE.sub("", Path(name).stem)


def _file_date(name: str) -> str:
    found = FILE_DATE.search(Path(name).stem)
    return "-".join(found.groups()) if found else ""


def document_kind(title: str) -> str:
    if LEGAL_TITLE.search(title):
        return "法规"
    for kind in ("规划", "报告", "通知", "意见", "方案"):
        if kind in title:
            return kind
    return ""


UNDATED = "9999"  # sorts after every date: a document without one is never taken for the source


def earliest_of_each(items: list, key, date) -> dict:
    """Of the items sharing a `key` (one indicator row a bulletin reprints from a plan), the one
    of the earliest `date`, the first of them on a tie: the source, not the copy."""
    first: dict = {}
    for item in items:
        k = key(item)
        if k not in first or (date(item) or UNDATED) < (date(first[k]) or UNDATED):
            first[k] = item
    return first
