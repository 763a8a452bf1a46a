"""A saved web page (.html, .htm) as the text a reader sees on it: its article's title first,
its publication date, headings as Markdown headings, paragraphs and list items as lines, table
rows as tab-separated cells (as a tab table reads; a cell spanning rows or columns repeated in
each), and none of the page's furniture (scripts, styles, navigation, the site's bars, and
whatever stands above the article's title)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Tags whose text is not the document's: code, styling, and the site around the article.
SKIPPED = frozenset({"script", "style", "noscript", "template", "head", "nav", "header", "footer",
                     "aside", "form", "select", "button", "iframe", "svg"})
# A class or id naming the site's furniture ("nav", "menu", "breadcrumb", "footer", "share", …):
# government sites mark their menus so rather than with <nav>.
FURNITURE = re.compile(r"(?:^|[\s_-])(?:nav|navbar|menu|breadcrumb|crumb|footer|header|share|"
                       r"sidebar|topbar|top-bar|toolbar|copyright|links?|search|logo)(?:$|[\s_-])",
                       re.I)
BLOCKS = frozenset({"p", "div", "section", "article", "main", "li", "dt", "dd", "blockquote", "pre",
                    "br", "hr", "tr", "table", "ul", "ol", "dl", "center"})
HEADINGS = {f"h{n}": n for n in range(1, 7)}
VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr"})
# A cell this long holds the page's text, not a table's value: its row lays the page out.
LAYOUT_CELL = 150  # characters; a standards table's longest cell (a 备注) is well under it
# How sites name the article in their <meta> tags (TRS, 政府网站集约化平台) and its date.
TITLE_META = ("ArticleTitle", "title", "og:title")
DATE_META = ("PubDate", "pubdate", "publishdate", "firstpublishedtime", "article:published_time")
# Where an article ends and the site's lists begin ("相关文章"), and its page buttons ("【打印本页】").
ARTICLE_END = re.compile(r"^#*\s*(?:相关文章|相关链接|相关阅读|相关新闻|相关信息|推荐阅读|上一篇|下一篇)[:：]?")
BUTTONS = re.compile(r"^(?:\s*【[^】]{1,8}】\s*)+$")
SITE_SUFFIX = re.compile(r"\s*[_|｜\-—]\s*[^_|｜\-—]*$")  # "标题_部门信息_某某县人民政府"


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.line: list[str] = []
        self.cells: list[str] | None = None  # the table row being read
        self.layout = False  # the row lays the page out (a table in a cell): not data
        self.spans: list[dict[int, list]] = []  # per open table: column → [text, rows left]
        self.column = 0
        self.spanning = (1, 1)  # the open cell's rowspan and colspan
        self.skipping: list[str] = []  # open tags whose text is skipped
        self.meta: dict[str, str] = {}
        self.title = ""
        self.in_title = False

    def break_line(self) -> None:
        self.add(self.line)
        self.line = []

    def add(self, pieces: list[str]) -> None:
        for text in "".join(pieces).split("\n"):
            text = re.sub(r"[ \t\u00a0\u3000]+", " ", text).strip()
            if text:
                self.lines.append(text)

    def carried(self, upto: int | None = None) -> None:
        """The cells spanning down from rows above, from the current column on (to `upto`)."""
        spans = self.spans[-1] if self.spans else {}
        while self.column in spans and (upto is None or self.column < upto):
            held = spans[self.column]
            self.cells.append(held[0])
            held[1] -= 1
            if held[1] <= 0:
                del spans[self.column]
            self.column += 1

    def end_row(self) -> None:
        """A row of data as tab-separated cells; a row that lays the page out, its cells' lines."""
        if self.cells is not None:
            self.carried()
            layout = self.layout or any(len(c) > LAYOUT_CELL for c in self.cells)
            if any(c.strip() for c in self.cells):
                if layout:
                    self.add(["\n".join(self.cells)])
                else:
                    self.lines.append("\t".join(re.sub(r"\s+", " ", c).strip() for c in self.cells))
        self.cells, self.layout = None, False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        named = dict(attrs)
        if tag == "meta" and named.get("content"):
            self.meta[(named.get("name") or named.get("property") or "").lower()] = named["content"]
        marks = " ".join(v or "" for k, v in attrs if k in ("class", "id", "role"))
        if self.skipping or tag in SKIPPED or (tag not in VOID and FURNITURE.search(marks)):
            if tag not in VOID:
                self.skipping.append(tag)
            return
        if tag == "table":
            if self.cells is not None:  # a table in a table: the outer one lays the page out
                self.cells.append("".join(self.line))
                self.line, self.layout = [], True
                self.end_row()
            self.spans.append({})
        elif tag == "tr":
            self.break_line()
            self.end_row()
            self.cells, self.column = [], 0
        elif tag in ("td", "th") and self.cells is not None:
            self.carried()
            self.line = []
            self.spanning = (_count(named.get("rowspan")), _count(named.get("colspan")))
        elif (tag in HEADINGS or tag in BLOCKS) and self.cells is not None:
            self.line.append("\n")
        elif tag in HEADINGS:
            self.break_line()
            self.line.append("#" * HEADINGS[tag] + " ")
        elif tag in BLOCKS:
            self.break_line()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag in ("td", "th") and self.cells is not None:
            text = "".join(self.line).strip()  # its paragraphs kept, for a row that lays out
            rows, columns = self.spanning
            for _ in range(columns):
                self.cells.append(text)
                if rows > 1 and self.spans:
                    self.spans[-1][self.column] = [text, rows - 1]
                self.column += 1
            self.line, self.spanning = [], (1, 1)
        elif tag == "tr" and self.cells is not None:
            self.end_row()
        elif tag == "table":
            self.end_row()
            if self.spans:
                self.spans.pop()
        elif (tag in HEADINGS or tag in BLOCKS) and self.cells is not None:
            self.line.append("\n")
        elif tag in HEADINGS or tag in BLOCKS:
            self.break_line()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data.strip()
        if not self.skipping:
            self.line.append(data if self.cells is not None or not data.isspace() else " ")


def _count(value: str | None) -> int:
    """A rowspan or colspan attribute as a number of rows or columns (1 when absent or odd)."""
    return max(1, min(int(value), 50)) if value and value.strip().isdigit() else 1


def page_text(html: str) -> str:
    """The page's article: its title (the page's <meta> title, else its first heading, else its
    <title> without the site's name) as a heading, its publication date, then its text from the
    title on (the site's bars and breadcrumb above it left out)."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    reader.break_line()
    reader.end_row()
    lines = reader.lines
    meta = reader.meta
    title = next((meta[k.lower()].strip() for k in TITLE_META if meta.get(k.lower(), "").strip()), "")
    heading = next((line.lstrip("# ") for line in lines if line.startswith("#")), "")
    title = title or heading or SITE_SUFFIX.sub("", reader.title).strip() or reader.title
    at = next((n for n, line in enumerate(lines) if line.lstrip("# ") == title), None)
    if at is not None:
        lines = lines[at + 1:]
    end = next((n for n, line in enumerate(lines) if ARTICLE_END.match(line)), len(lines))
    lines = [line for line in lines[:end] if not BUTTONS.match(line)]
    date = next((meta[k.lower()] for k in DATE_META if meta.get(k.lower())), "")
    found = re.match(r"\s*((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})", date)
    dated = [f"{found.group(1)}年{int(found.group(2))}月{int(found.group(3))}日发布"] if found else []
    return "\n".join(([f"# {title}"] if title else []) + dated + lines)
