"""A saved web page (.html, .htm) as the text a reader sees on it: headings as Markdown headings,
paragraphs and list items as lines, table rows as tab-separated cells (as a tab table reads), and
none of the page's furniture (scripts, styles, navigation, header and footer bars)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Tags whose text is not the document's: code, styling, and the site around the article.
SKIPPED = frozenset({"script", "style", "noscript", "template", "head", "nav", "header", "footer",
                     "aside", "form", "select", "button", "iframe", "svg"})
# A class or id naming the site's furniture ("nav", "menu", "breadcrumb", "footer", "share", …):
# government sites mark their menus so rather than with <nav>.
FURNITURE = re.compile(r"(?:^|[\s_-])(?:nav|navbar|menu|breadcrumb|crumb|footer|header|share|"
                       r"sidebar|topbar|toolbar|copyright|links?)(?:$|[\s_-])", re.I)
BLOCKS = frozenset({"p", "div", "section", "article", "main", "li", "dt", "dd", "blockquote", "pre",
                    "br", "hr", "tr", "table", "ul", "ol", "dl", "center"})
HEADINGS = {f"h{n}": n for n in range(1, 7)}
VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr"})


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.line: list[str] = []
        self.cells: list[str] | None = None  # the table row being read
        self.layout = False  # the row lays the page out (paragraphs in its cells): not data
        self.skipping: list[str] = []  # open tags whose text is skipped
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

    def end_row(self) -> None:
        """A row of data as tab-separated cells; a row that lays the page out, its cells' lines."""
        if self.cells is not None and any(c.strip() for c in self.cells):
            if self.layout:
                self.add(["\n".join(self.cells)])
            else:
                self.lines.append("\t".join(re.sub(r"\s+", " ", c).strip() for c in self.cells))
        self.cells, self.layout = None, False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        marks = " ".join(v or "" for k, v in attrs if k in ("class", "id", "role"))
        if self.skipping or tag in SKIPPED or (tag not in VOID and FURNITURE.search(marks)):
            if tag not in VOID:
                self.skipping.append(tag)
            return
        if tag == "table" and self.cells is not None:  # a table in a table: the outer lays out
            self.cells.append("".join(self.line))
            self.line, self.layout = [], True
            self.end_row()
        elif tag == "tr":
            self.break_line()
            self.end_row()
            self.cells = []
        elif tag in ("td", "th") and self.cells is not None:
            self.line = []
        elif (tag in HEADINGS or tag in BLOCKS) and self.cells is not None:
            self.line.append("\n")
            self.layout = self.layout or tag not in ("br",)
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
            self.cells.append("".join(self.line))
            self.line = []
        elif tag == "tr" and self.cells is not None:
            self.end_row()
        elif (tag in HEADINGS or tag in BLOCKS) and self.cells is not None:
            self.line.append("\n")
        elif tag in HEADINGS or tag in BLOCKS:
            self.break_line()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data.strip()
        if not self.skipping:
            self.line.append(data if self.cells is not None or not data.isspace() else " ")


def page_text(html: str) -> str:
    """The page's text, one block a line; its <title> first when the page has no heading."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    reader.break_line()
    reader.end_row()
    lines = reader.lines
    if reader.title and not any(line.startswith("#") for line in lines[:3]):
        lines = [f"# {reader.title}", *lines]
    return "\n".join(lines)
