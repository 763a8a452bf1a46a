"""Jieba tokenization with a civil-affairs dictionary, and the BM25 keyword index over it."""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
from collections import Counter
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from .lexicon import words


@cache
def data_words(name: str) -> frozenset[str]:
    """The words of a word-list file in assistant/data/ ("#" lines are comments)."""
    return frozenset(words(name))


def stopwords() -> frozenset[str]:
    """Function words and question words (data/stopwords.txt): they carry no topic; a user's
    "请问……是多少呢" must not match every passage that happens to contain 多少."""
    return data_words("stopwords.txt")


def word_tag(word: str) -> str:
    """jieba's part-of-speech tag for a word of its dictionary ("v" for 减), "" for a word it
    does not know (减减)."""
    import jieba.posseg

    segmenter()  # the tags of the civil-affairs user dictionary too
    if not jieba.posseg.dt.word_tag_tab:
        jieba.posseg.dt.initialize()
    return jieba.posseg.dt.word_tag_tab.get(word, "") if segmenter().dt.FREQ.get(word) else ""


PART_WEIGHT = 0.5  # chosen on the seed train/dev and regulation train/dev sets
_KEEP = re.compile(r"[\u3400-\u9fffA-Za-z0-9≥≤%]")


def dictionary_version() -> str:
    """A fingerprint of the user dictionary and the stopwords: tokens cut or kept by other ones
    are cut anew."""
    data = resources.files("assistant") / "data"
    text = b"".join((data / name).read_bytes() for name in ("userdict.txt", "stopwords.txt"))
    text += TOKENIZER.encode()
    return hashlib.sha256(text).hexdigest()[:16]


@lru_cache(maxsize=1)
def segmenter():
    """jieba, loaded once with the civil-affairs user dictionary."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    with resources.as_file(resources.files("assistant") / "data" / "userdict.txt") as path:
        jieba.load_userdict(str(path))
    return jieba


# "本办法所称特困人员，是指…", "前款所称家庭收入，指…": a document's own defined terms.
_DEFINED = re.compile(r"所称([\u4e00-\u9fff“”]{2,14}?)[”]?[，,]?(?:是指|指|包括)")
# "第五条【婚姻登记机关】": a heading some regulations print after the article number.
_ARTICLE_TITLE = re.compile(r"第[一二三四五六七八九十百零]+条\s*[【〔\[]([\u4e00-\u9fff]{2,14})[】〕\]]")
TERM_CHARS = (2, 16)  # shorter is a character, longer a clause rather than a term


def corpus_terms(texts: list[str], places: list[str], row_names: list[str]) -> list[tuple[str, str]]:
    """(word, jieba tag) for the words a corpus defines that the curated dictionary may lack:
    the places its documents are of, its defined terms and article headings, its table rows'
    indicator names. Each is kept whole by jieba, so "社会工作专业人才总量" is one token (and
    its parts, in search mode)."""
    terms: dict[str, str] = {p: "ns" for p in places}
    for text in texts:
        for pattern in (_DEFINED, _ARTICLE_TITLE):
            for match in pattern.finditer(text):
                terms.setdefault(match.group(1).strip("“”"), "n")
    for name in row_names:
        name = re.sub(r"[（(].*?[）)]|\s", "", name)
        terms.setdefault(name, "n")
    low, high = TERM_CHARS
    return sorted((w, t) for w, t in terms.items() if low <= len(w) <= high
                  and re.fullmatch(r"[\u4e00-\u9fff]+", w))


def add_terms(terms: list[tuple[str, str]]) -> None:
    """Teach the shared segmenter a corpus's terms (idempotent)."""
    jieba = segmenter()
    for word, tag in terms:
        jieba.add_word(word, freq=USER_FREQ, tag=tag)


USER_FREQ = 20  # as the curated userdict.txt: high enough to keep a term whole


def tokenize(text: str) -> list[str]:
    """Search-mode tokens (long words and their parts), lower-cased, stopwords dropped."""
    tokens = [unglued(t) for t in segmenter().lcut_for_search(text)]
    return [t.lower() for t in tokens if _KEEP.search(t) and t not in stopwords()]


# A modal verb jieba's HMM glues to the verb after it ("能领", "能罚", "要交", "该交": no words of
# its dictionary) leaves a token no document holds; the verb alone is the word. (A closed class
# of the grammar, like the measure words.)
MODALS = "能会要可该得"
TOKENIZER = "4"  # bumped when tokenize cuts differently: an index's stored tokens are cut anew


def unglued(token: str) -> str:
    """"能领" → "领", "期是" → "期", "费能" → "费" (墓碑费能报销吗); a word of the dictionary
    ("能力", "要求", "可以", "还是", "具有", "可能") stays."""
    if len(token) == 2 and not segmenter().dt.FREQ.get(token):
        if token[0] in MODALS:
            return token[1]
        if token[1] in COPULAS or token[1] in MODALS:
            return token[0]
    return token


# The copula the HMM glues to the word before it ("冷静期是多少天" → 冷静, 期是): "期是" is no word.
COPULAS = "是有"


class KeywordIndex:
    """BM25 over jieba tokens (bm25s), keyed by chunk id."""

    def __init__(self, ids: list[str], bm25, df: dict[str, int]) -> None:
        self.ids = ids
        self._bm25 = bm25
        self.df = df  # in how many chunks each token occurs

    def idf(self, token: str) -> float:
        """Rarity of a token; one the corpus never uses is rarest of all."""
        return math.log(1 + (len(self.ids) + 1) / (self.df.get(token, 0) + 0.5))

    @classmethod
    def build(cls, ids: list[str], tokens: list[list[str]]) -> KeywordIndex:
        import bm25s

        bm25 = bm25s.BM25()
        # An empty token list would make bm25s drop the row; keep rows aligned with ids.
        bm25.index([t or ["∅"] for t in tokens], show_progress=False)
        return cls(list(ids), bm25, dict(Counter(t for doc in tokens for t in set(doc))))

    def scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every chunk, aligned with `ids`. A token that is part of a longer one
        of the query (婚姻, 登记 of 婚姻登记: jieba's search mode yields all three) counts
        PART_WEIGHT: otherwise a compound topic outweighs the one word that asks (收费)."""
        total = np.zeros(len(self.ids))
        if not tokens or not self.ids:
            return total
        parts = {t for t in tokens if any(t != o and t in o for o in tokens)}
        for weight, group in ((1.0, [t for t in tokens if t not in parts]),
                              (PART_WEIGHT, [t for t in tokens if t in parts])):
            known = [t for t in group if t in self.df]
            if known:
                total += weight * np.asarray(self._bm25.get_scores(known), dtype=float)
        return total

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._bm25.save(str(folder), show_progress=False)
        (folder / "ids.json").write_text(json.dumps(self.ids), encoding="utf-8")
        (folder / "df.json").write_text(json.dumps(self.df, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> KeywordIndex:
        import bm25s

        bm25 = bm25s.BM25.load(str(folder), show_progress=False, verbosity=0)
        def read(name: str):
            return json.loads((folder / name).read_text(encoding="utf-8"))

        return cls(read("ids.json"), bm25, read("df.json"))
