"""Plain records that cross the pipeline's stage boundaries."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Document:
    """One source document as loaded, with its manifest entry."""

    name: str  # corpus file name, e.g. "004_bcb06eedc5e15154.txt"; citations key on it
    text: str  # raw extracted text, kept for display and quoting
    title: str
    issuer: str = ""
    number: str = ""  # order or document number: 国务院令第649号, 民政办发〔2022〕64号
    date: str = ""  # the version this text is (revision, file-name date), else promulgation
    promulgated: str = ""
    effective: str = ""
    region: str = ""
    level: str = ""  # 国家 / 省 / 市 / 区 / 县
    kind: str = ""  # 法规 / 规划 / 报告 / 工作动态 …


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage: a run of whole sentences, or one self-contained table row."""

    id: str
    doc: str
    text: str  # cleaned passage, quoted verbatim in answers
    section: tuple[str, ...]  # heading path, outermost first
    kind: str = "text"  # "text" | "table_row"
    start: int = 0  # offsets of the passage in the raw document text
    end: int = 0

    @property
    def section_path(self) -> str:
        return " > ".join(self.section)

    @property
    def article(self) -> str:
        """"第五条" when the passage is (part of) an article of legal text, else ""."""
        from .clean import ARTICLE

        last = self.section[-1] if len(self.section) > 1 else ""
        return last if ARTICLE.fullmatch(last) else ""

    @property
    def heading(self) -> str:
        """"《婚姻登记条例》第二章 结婚登记 › 第五条": how a citation names where it quotes."""
        return f"《{self.section[0]}》" + " › ".join(self.section[1:]) if self.section else ""


@dataclass(frozen=True)
class TableRow:
    """One table row with every cell under its column header."""

    doc: str
    table: str  # table title
    cells: tuple[tuple[str, str], ...]  # (header, value) pairs in column order
    section: tuple[str, ...] = ()
    start: int = 0
    end: int = 0
    printed: str = ""  # the row as the document prints it, when its cells were rebuilt from it

    def get(self, *headers: str) -> str:
        """Value of the first column whose header contains any of `headers`."""
        for header, value in self.cells:
            if any(h in header for h in headers):
                return value
        return ""


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its document's citation fields."""

    chunk: Chunk
    score: float
    title: str = ""
    level: str = ""
    date: str = ""
    region: str = ""
    doc_kind: str = ""  # 规划 / 报告 / 工作动态
    scores: dict[str, float] = field(default_factory=dict, compare=False)
    nearest: str = field(default="", compare=False)  # its sentence closest to the question


@dataclass(frozen=True)
class Citation:
    n: int
    hit: Hit
    quote: str  # the sentences of the passage that answer the question


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    abstained: bool
    citations: tuple[Citation, ...] = ()
    retrieved: tuple[Hit, ...] = ()
    latency_ms: float = 0.0
    related: tuple[Hit, ...] = ()  # with a refusal: passages on the topic that do not answer
    truncated: bool = False  # the question was longer than MAX_QUESTION: only its end was read
