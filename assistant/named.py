"""Passages a question names, put ahead of what the rankers found: the articles it names
("彩票管理条例第二十五条说什么") and the record of a document it names (its 文号 under the head, the
date at its foot). Words alone rank neither first. And what a question names that the
documents lack (an article, a document in 《》): a reason to refuse it."""

from __future__ import annotations

import re

from .clean import QUOTED_TITLE, char_pairs
from .index import Index
from .question import Part, synonyms
from .schema import Hit
from .slots import RECORD, evidence


def named_articles_first(index: Index, part: Part, hits: list[Hit]) -> list[Hit]:
    """The articles the question names ("彩票管理条例第二十五条说什么") first: of the document it
    names, or of the one document that has such an article, or else those retrieved. Words
    alone had put 第五条 first, the article named second."""
    if not part.articles:
        return hits
    named = [c for a in part.articles for c in index.articles.get(a, [])]
    if part.documents:
        named = [c for c in named if index.citations.get(c.doc, {}).get("title") in part.documents]
    elif len({c.doc for c in named}) > 1:  # several documents have it: those retrieved, in order
        wanted = {c.id for c in named}
        named = [h.chunk for h in hits if h.chunk.id in wanted]
    return put_first(index, named, hits)


def record_first(index: Index, part: Part, hits: list[Hit]) -> list[Hit]:
    """Asked for a named document's record ("…规划的发文字号是什么", "…倡议是哪天发的"), the
    passages at its head or foot that hold it first: the line "民政办发〔2022〕64号" shares no word
    with the question but the title, which every passage of the document shares, so neither
    ranker had it among a long plan's candidates."""
    asked = RECORD & set(part.slots)
    if not asked or not part.documents:
        return hits
    # "某县“十四五”…规划" names "“十四五”…规划" too: the longest of the titles it names
    named = [t for t in part.documents if not any(t != o and t in o for o in part.documents)]
    wanted = [evidence(slot) for slot in asked]
    record = [c for title in named for c in index.ends.get(title, ())
              if any(w.search(c.text) for w in wanted)]
    return put_first(index, record, hits)


def put_first(index: Index, chunks: list, hits: list[Hit]) -> list[Hit]:
    """`chunks` first, as the hits they are if retrieved, then the other hits in order."""
    found = {h.chunk.id: h for h in hits}
    top = hits[0].score if hits else 1.0
    first = [found.get(c.id) or index.hit(c, top, {}) for c in chunks]
    placed = {c.id for c in chunks}
    return first + [h for h in hits if h.chunk.id not in placed]


def missing_article(named: tuple[str, ...], articles, documents: tuple[str, ...] = (),
                    citations: dict[str, dict] | None = None) -> str:
    """The first article the question names ("第一百条说什么") that no document has, or that the
    document it names does not have ("《某细则》第九条", where another document has a 第九条: its
    articles had been quoted as if they answered)."""
    for article in named:
        if article not in articles:
            return article
        if documents and citations is not None and not any(
                citations.get(c.doc, {}).get("title") in documents for c in articles[article]):
            return f"《{documents[0]}》{article}"
    return ""


# A title the question names is one the documents name when this share of its character pairs
# is in one of theirs: "《社会救助办法》" is the 社会救助暂行办法 (0.8), "《低收入人口认定办法》" no
# 特困人员认定办法 (0.38). (Set by hand on the train/dev titles: each title named by an answerable
# question is in its corpus whole; the two named by out-of-scope ones share at most 0.44.)
TITLE_PAIRS = 0.6
# A title the documents name this short is an abbreviation (以下简称《规划》, 《办法》): a longer
# title the question names that holds it ("《全国低收入人口认定规划》") is not one of theirs.
SHORT_TITLE = 4


def unknown_document(text: str, titles: frozenset[str]) -> str:
    """The first document the question names in 《》 that the documents neither are nor name
    ("《低收入人口认定办法》是哪一年出台的" of a corpus without it): its passages on the topic
    had been quoted as if they answered."""
    for named in QUOTED_TITLE.findall(text):
        named = re.sub(r"\s", "", named)
        pairs = char_pairs(named)
        if pairs and not any(named in t or len(t) > SHORT_TITLE and t in named
                             or len(pairs & char_pairs(t)) / len(pairs) >= TITLE_PAIRS for t in titles):
            return f"《{named}》"
    return ""


# "整容费" of a list "(1)遗体运接费,…(2)冷藏(冻)费,…(3)火化费,": an item's kind is its last
# character (费, 金, 证), what sets it apart the two characters before it; each item opens after
# its number, perhaps with a word of its own (遗体), and its name ends at a comma or colon.
_ITEM_OF_KIND = (r"(?:^|\n|[(（][\d一二三四五六七八九十]+[)）]|\d+[.、．])\s*[\u4e00-\u9fff]{0,4}?"
                 r"([\u4e00-\u9fff]{2})(?:[(（][^)）]{0,4}[)）])?")
LISTED = 2  # others of the kind the quote names: a list of them, not a passing mention


def unlisted_item(part: Part, quote: str, document: str) -> str:
    """An item the question names ("遗体整容费") of a kind the quote lists others of (运接费,
    火化费), when its document never writes what sets the asked one apart (整容): the list's
    figures answer for the others, not for it."""
    for asked in items(part):
        kind, own = asked[-1], asked[-3:-1]
        if own in document:
            continue
        found = re.findall(_ITEM_OF_KIND + re.escape(kind) + r"\s*[,，:：;；]", quote, re.MULTILINE)
        others = [o + kind for o in dict.fromkeys(found) if o != own]
        if len(others) >= LISTED:
            return f"“{asked}”，所列的只有{'、'.join(others)}"
    return ""


def items(part: Part) -> list[str]:
    """What the question names as an item of a kind: a word and the one character after it
    ("整容" "费"), as written."""
    tokens = [t for t in part.tokens if re.fullmatch(r"[\u4e00-\u9fff]+", t)]
    return list(dict.fromkeys(a + b for a, b in zip(tokens, tokens[1:])
                              if len(a) >= 2 and len(b) == 1 and a + b in part.text))


def another_procedure(part: Part, title: str, document: str) -> str:
    """What the question asks about, in the policy term its word maps to ("离婚" → 离婚登记), when
    the quote's document never writes it and its title names another of that kind (《结婚登记办理
    指南》), one the question does not name and whose word maps to a policy term of the asked one's
    too (结婚 and 离婚 both to 婚姻登记, data/synonyms.tsv): the guide's materials are for the other
    procedure. "离婚的人再结婚要带什么" names 结婚, and asks the guide's own."""
    for term, alternatives in zip(part.terms, part.alternatives):
        for asked in alternatives:
            kind = asked[len(term):]
            if not asked.startswith(term) or len(kind) < 2 or asked in document:
                continue
            others = [m for m in re.findall(rf"([\u4e00-\u9fff]{{2}}){re.escape(kind)}", title)
                      if m != term and m not in part.text and set(mapped(m)) & set(mapped(term))]
            if others:
                return f"“{asked}”的内容，文件讲的是{others[0]}{kind}"
    return ""


def mapped(word: str) -> tuple[str, ...]:
    """The policy terms data/synonyms.tsv maps the word itself to."""
    return next((terms for phrase, terms in synonyms() if phrase == word), ())
