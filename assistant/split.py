"""How one message divides into the questions it asks, and whether a turn follows up the one
before: clauses that each ask, a short follow-up part that keeps the clause before it, the same
thing asked of two places or of two things, two asks of different kinds of one subject."""

from __future__ import annotations

import re

from .keyword import data_words
from .lexicon import pattern
from .places import asked_levels, named_places, tagged
from .slots import asked_slots

CJK = re.compile(r"[\u3400-\u9fff]")
_ASKS = pattern("asks")
_GOES_ON = pattern("goes_on").pattern  # a turn that opens so asks on about the last one
_FOLLOWUP = re.compile(rf"{_GOES_ON}|[呢吗]？?$")  # a short part ending so keeps the one before
_FOLLOWUP_MARK = re.compile(rf"{_GOES_ON}|呢[？?]?$")  # a new turn says so; 吗 ends new questions too


def asks_anew(clause: str) -> bool:
    """A clause that asks something itself ("能连任吗", "在哪儿办"), not only "…的呢", which
    asks again what the question before it asked."""
    return bool(asked_slots(clause) or _ASKS.search(clause.replace("呢", "")))


def follows_up(turn: str) -> bool:
    """Whether a turn of a conversation asks on about the one before: "那农村的呢？", "还有别的
    吗", "能在网上办吗" (a yes-no question naming nothing of its own); not "结婚登记要花钱吗"."""
    return bool(_FOLLOWUP_MARK.search(turn)) or elliptical(turn)


def resolve_followup(question: str, history: list[str]) -> str:
    """"那农村的呢？" after a question about cities is asked as that question plus this one, and
    so is "要带什么材料", which names nothing but what it asks for."""
    if not history or len(question) > 16 or not (_FOLLOWUP.search(question) or elliptical(question)):
        return question
    return f"{topic_turns(history)}，{question}"


FOLLOWUP_DEPTH = 2  # turns a follow-up may keep: "临时救助怎么申请" › "要带什么材料" › "多久能批下来"


def topic_turns(history: list[str]) -> str:
    """The turns a follow-up asks on about: the last one, and those before it back to the one
    that named its topic ("多久能批下来" after "要带什么材料" after "临时救助怎么申请" is about
    临时救助: it had been asked of 材料 alone, and answered from the adoption rules)."""
    kept = []
    for turn in reversed(history[-(FOLLOWUP_DEPTH + 1):]):
        kept.insert(0, turn.rstrip("？?。! "))
        if not follows_up(turn):
            break
    return "，".join(kept)


_SPACED = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")


def spaced_clauses(text: str) -> str:
    """A space between two Chinese characters read as the comma a phone's typist left out:
    "志愿服务时长证明找谁开 要收钱吗" asks two things, "收养的材料交上去了 多久能办下来" a period."""
    return _SPACED.sub("，", text)


def split_questions(question: str) -> list[tuple[str, str]]:
    """The separate questions in one message, each with its own words; a short follow-up part
    keeps the one before it.

    "…有多少张，其中护理型床位占比是多少" is two questions too: clauses that each ask."""
    parts = []
    for sentence in re.split(r"[？?；;]+", question):
        clauses = [c for c in re.split(r"[，,]", sentence) if c.strip()]
        if len(clauses) > 1 and sum(1 for c in clauses if _ASKS.search(c)) == len(clauses):
            parts += clauses
        else:
            parts.append(sentence)
    parts = [p.strip() for p in parts if len(CJK.findall(p)) >= 4]
    if len(parts) < 2:
        return [(question, question)]
    return [(parts[0], parts[0])] + [
        (f"{parts[n - 1].rstrip('？?')}，{p}" if elliptical(p) else resolve_followup(p, parts[:n]), p)
        for n, p in enumerate(parts) if n]


def elliptical(clause: str) -> bool:
    """A later clause that names nothing of its own ("到2025年底要达到多少", "十四五末目标是多少")
    asks about the clause before it: it holds no noun but the generic ones of
    data/generic_nouns.txt (目标, 标准, 规划 …)."""
    generic = data_words("generic_nouns.txt")
    return not any(flag.startswith("n") and len(word) >= 2 and word not in generic
                   for word, flag in tagged(clause))


_AND = pattern("and")
_EACH_OF_TWO = pattern("each_of_two")  # not 各 alone: 各级, 各地
SUBJECT_CHARS = 12  # a thing named, not a clause ("我和老伴都退休了，各自…")
_EACH = pattern("each")


def compared_parts(question: str, known: frozenset[str] = frozenset()) -> list[str]:
    """"金牛区和国家的护理型床位占比目标分别是多少" asks the same of two places (or levels of
    government): one part for each, "金牛区的…" and "国家的…", each answered from its own source."""
    for conjunction in _AND.finditer(question):
        first, rest = question[:conjunction.start()], question[conjunction.end():]
        second, of, asked = rest.partition("的")
        if of and asked and _is_place(first, known) and _is_place(second, known):
            asked = _EACH.sub("", asked, count=1)
            return [f"{first}的{asked}", f"{second}的{asked}"]
    each = _EACH.search(question)
    if each:  # "金牛区2020年农村低保标准和全国十三五末农村低保平均标准分别是多少"
        subjects, asked = question[:each.start()], question[each.end():]
        for conjunction in _AND.finditer(subjects):
            first, second = subjects[:conjunction.start()], subjects[conjunction.end():]
            if _opens_with_place(first, known) and _opens_with_place(second, known):
                return [f"{first}{asked}", f"{second}{asked}"]
    return each_of_two(question)


def two_asks(question: str) -> list[str]:
    """"孤儿的保障标准和认定条件" asks two things of one subject, each of its own kind (an
    amount, who qualifies): a part for each, "孤儿的保障标准" and "孤儿的认定条件", so that
    each is answered by its own evidence or said to be missing."""
    body = question.rstrip("？?。 ")
    pair = _AND.split(body)
    if len(pair) != 2 or re.search(r"[，,。；;]", body):
        return [question]
    subject, of, first = pair[0].rpartition("的")  # 某县的孤儿的保障标准: 某县的孤儿
    kinds = [asked_slots(first), asked_slots(pair[1])]
    if not of or not all(kinds) or set(kinds[0]) & set(kinds[1]):
        return [question]
    return [f"{subject}的{first.strip()}", f"{subject}的{pair[1].strip()}"]


def each_of_two(question: str) -> list[str]:
    """"居委会和村委会分别由几个人组成" asks the same of two things: a part for each; "城市和农村的
    低保标准分别是多少" shares what follows 的. One part when the first may only qualify the
    second ("一级和二级残疾分别…") or either is a clause."""
    each = _EACH_OF_TWO.search(question)
    if not each:
        return two_asks(question)
    pair = [s.strip() for s in _AND.split(question[:each.start()])]
    asked = question[each.end():]
    if len(pair) != 2 or any(re.search(r"[，,。；;]", s) for s in pair):
        return [question]
    first, second = pair
    second_thing, of, shared = second.partition("的")
    if of:
        first, second = f"{first}的{shared}", f"{second_thing}的{shared}"
    elif len(first) + 1 < len(second):
        return [question]
    if not all(2 <= len(CJK.findall(s)) <= SUBJECT_CHARS for s in (first, second)):
        return [question]
    return [f"{first}{asked}", f"{second}{asked}"]


def _opens_with_place(words: str, known: frozenset[str]) -> bool:
    """"金牛区2020年农村低保标准", "全国十三五末…": a subject of its own, opening with a place or a
    level of government."""
    from .keyword import segmenter

    first = segmenter().lcut(words.strip())[:1]
    return len(words) >= 6 and bool(first) and _is_place(first[0], known)


def _is_place(words: str, known: frozenset[str]) -> bool:
    """Words that only name a place or a level of government ("金牛区", "国家", "省里")."""
    words = words.strip()
    return 2 <= len(words) <= 12 and (
        named_places(words, known) == (words,) or asked_levels(words) and len(words) <= 3)
