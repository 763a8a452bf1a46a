"""Homophone typos: a citizen typing pinyin on a phone picks a character that sounds like the one
meant ("地保" for 低保, "临时就助" for 临时救助, "残急人" for 残疾人). A word of the question that the
corpus never uses and the dictionary hardly knows, which sounds exactly like a term the corpus
uses often and differs from it in one character, is read as that term. The terms come from the
corpus (Vocabulary.terms), the sounds from pypinyin; nothing here names a word."""

from __future__ import annotations

import re
from functools import lru_cache

from .keyword import segmenter, stopwords

# A word jieba's dictionary counts this often is a word people mean ("世故" 67, "扶养" 51 beside
# 抚养), not a slip of the input method ("地保" 20, an old word for a village constable).
RARE_WORD = 30
# A slip is looked for in three or four characters: "临时就助", "残急人", "特昆人员". Two are too
# few to tell a slip from any word the corpus lacks ("多远" sounds like 多元, "公募" like 公墓), and
# of three an end that differs is most often the next word ("户口不在" is no 户口簿): every such
# correction of the train/dev questions was wrong (session 22), and none is made of them. Two
# characters only for a word of the curated civil-affairs dictionary (data/userdict.txt: 低保,
# 失能, 殡葬 …) with no function word typed in them ("地保", "低宝" for 低保; not "是能").
LENGTHS = (4, 3, 2)
_RUN = re.compile(r"[\u4e00-\u9fff]+")


def sound(word: str) -> str:
    """"低保" → "di bao": the syllables without tones (a slip keeps the syllable, not the tone)."""
    from pypinyin import lazy_pinyin

    return " ".join(lazy_pinyin(word))


@lru_cache(maxsize=8)
def by_sound(terms: frozenset[str]) -> dict[str, tuple[str, ...]]:
    """The corpus's terms by how they sound."""
    found: dict[str, list[str]] = {}
    for term in terms:
        found.setdefault(sound(term), []).append(term)
    return {key: tuple(sorted(words)) for key, words in found.items()}


def corrected(text: str, terms: frozenset[str]) -> tuple[str, tuple[tuple[str, str], ...]]:
    """`text` with each homophone slip of a corpus term replaced by the term, and the
    (typed, meant) pairs replaced. A slip is looked for in whole words of the dictionary (cut
    without guessing unknown words, so a slip stands as the single characters it is)."""
    if not terms:
        return text, ()
    sounds = by_sound(terms)
    fixes: list[tuple[str, str]] = []

    def fix_run(run: str) -> str:
        words = segmenter().lcut(run, HMM=False)
        out, i = [], 0
        while i < len(words):
            # every word has a character at least: no window of more words is short enough
            for j in range(min(len(words), i + max(LENGTHS)), i, -1):
                window = "".join(words[i:j])
                meant = min(LENGTHS) <= len(window) <= max(LENGTHS) and meant_term(
                    window, terms, sounds)
                if meant:
                    out.append(meant)
                    fixes.append((window, meant))
                    i = j
                    break
            else:
                out.append(words[i])
                i += 1
        return "".join(out)

    return _RUN.sub(lambda m: fix_run(m.group(0)), text), tuple(fixes)


def meant_term(window: str, terms: frozenset[str], sounds: dict[str, tuple[str, ...]]) -> str:
    """The one corpus term `window` is a slip for, or "". Not a term holding a function word
    (我市, 就业): "我是" sounds like 我市, and 是 is what was meant."""
    if window in terms or (segmenter().dt.FREQ.get(window) or 0) >= RARE_WORD:
        return ""
    if len(window) == 2:
        if set(window) & _FUNCTION:
            return ""
        sounds = by_sound(curated())
    candidates = [t for t in sounds.get(sound(window), ()) if inner_slip(window, t)
                  and not set(t) & _FUNCTION]
    return candidates[0] if len(candidates) == 1 else ""


@lru_cache(maxsize=1)
def curated() -> frozenset[str]:
    """The curated civil-affairs words of two characters (data/userdict.txt)."""
    from .lexicon import rows

    return frozenset(row[0].split()[0] for row in rows("userdict.txt") if len(row[0].split()[0]) == 2)


_FUNCTION = frozenset(w for w in stopwords() if len(w) == 1)


def inner_slip(typed: str, term: str) -> bool:
    """One character differs: of three, the middle one; of two or four, any ("养老机沟" for
    养老机构, "地保" for 低保)."""
    differ = [i for i, (a, b) in enumerate(zip(typed, term)) if a != b]
    return len(typed) == len(term) and len(differ) == 1 and (
        len(term) != 3 or 0 < differ[0] < len(term) - 1)

