"""Understand a question once: cleaned, a follow-up resolved, split into the parts it asks,
everyday words mapped to policy terms, and for each part its tokens, terms, places, years and
the slot it asks (amount, where, materials …). Retrieval, the judge and the composer read the
record; none of them cleans, expands or tokenizes the question again."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .keyword import data_words, tokenize
from .places import asked_levels, named_places, tagged

MAX_QUESTION = 300
_CJK = re.compile(r"[\u3400-\u9fff]")
_ASKS = re.compile(r"多少|什么|哪|(?<!好)几(?!乎)|吗|呢|怎么|如何|是否|能不能|有没有|多久|多大")
_FOLLOWUP = re.compile(r"^(?:那|那么|还有|另外|再问|再说)|[呢吗]？?$")
_FOLLOWUP_MARK = re.compile(r"^(?:那|那么|还有|另外|再问|再说)|呢[？?]?$")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# Generic tokens that say nothing of the topic: a bare unit, a bare level, a digit, a count of
# one ("一届干几年": 每届任期五年 holds no 一届).
_NOT_A_TERM = re.compile(r"\d|年|月|日|个|元|县|区|市|省|[一两几][届次趟遍回]")


@dataclass(frozen=True)
class Vocabulary:
    """What understanding needs to know of the corpus: the places its documents are of, and
    its documents' titles."""

    places: frozenset[str] = frozenset()
    titles: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Part:
    """One thing the question asks."""

    text: str  # as asked, a follow-up resolved against the one before
    search: str  # with the policy terms of its everyday words appended: what retrieval reads
    added: tuple[str, ...]  # those policy terms
    tokens: tuple[str, ...]  # the keyword index's tokens of `search`
    terms: tuple[str, ...]  # the part's own content terms
    alternatives: tuple[tuple[str, ...], ...]  # per term: itself and the policy terms it maps to
    search_terms: tuple[str, ...]  # content terms of `search`, for picking the sentences to quote
    places: tuple[str, ...]  # particular places named (贵州, 岳麓区)
    levels: tuple[str, ...]  # levels of government pointed to (县里 -> 县)
    documents: tuple[str, ...]  # titles of the corpus's documents it names
    years: tuple[str, ...]
    numbers: tuple[str, ...]  # numbers of two digits or more, or with a decimal point
    slots: tuple[str, ...]  # what it asks for: amount, duration, date, where, materials …
    # the words that ask: a follow-up's own when it asks something of its own ("那要去哪里办？"
    # after "…每月发多少钱？" asks where, not how much), else `text`
    asking: str = ""


@dataclass(frozen=True)
class Question:
    asked: str  # as typed
    text: str  # printable, one line, at most MAX_QUESTION characters
    parts: tuple[Part, ...]
    problem: str = ""  # "empty" or "not_chinese" when there is nothing to look up


def understand(asked: str, history: list[str] | tuple[str, ...] = (),
               vocabulary: Vocabulary = Vocabulary()) -> Question:
    text = sanitize(asked)
    if not text:
        return Question(asked, text, (), "empty")
    if not _CJK.search(text):
        return Question(asked, text, (), "not_chinese")
    earlier = [sanitize(str(h)) for h in history]
    # a turn of a conversation follows up the one before only when it says so (那…, …呢) or names
    # nothing of its own: "结婚登记要花钱吗" after a question on beds is a new question
    resolved = resolve_followup(text, earlier) if follows_up(text) else text
    if resolved != text and asked_slots(text):  # asks something of its own about that topic
        return Question(asked, text, (part(resolved, vocabulary, text),))
    # a follow-up resolved against the history, or the separate questions of one message, each
    # with its own words; the same question typed twice is asked once
    asked_parts = dict([(resolved, text)] if resolved != text else split_questions(text))
    parts = [(p, own) for asked_part, own in asked_parts.items()
             for p in compared_parts(asked_part, vocabulary.places)]
    # a later question of the message that keeps the one before it ("要带什么证件？在哪儿办？")
    # asks what its own words ask, about that topic
    return Question(asked, text, tuple(
        part(p, vocabulary, own if own != p and own in p and asks_anew(own) else "",
             own=own if own != p and own in p else "")
        for p, own in parts))


def asks_anew(clause: str) -> bool:
    """A clause that asks something itself ("能连任吗", "在哪儿办"), not only "…的呢", which
    asks again what the question before it asked."""
    return bool(asked_slots(clause) or _ASKS.search(clause.replace("呢", "")))


def part(text: str, vocabulary: Vocabulary = Vocabulary(), asking: str = "", *,
         own: str = "") -> Part:
    """One part understood; also how the langchain retriever reads a bare query. `asking`: the
    words that ask, where they are not all of `text` (see Part.asking); `own`: the part's own
    words, where it keeps the question before it."""
    asking = asking or text
    search, added = expand(text)
    terms = content_terms(text)
    return Part(
        text=text, search=search, added=added, tokens=tuple(tokenize(search)), terms=terms,
        alternatives=tuple(alternatives(t) for t in terms), search_terms=content_terms(search),
        places=named_places(text, vocabulary.places), levels=asked_levels(text),
        documents=named_documents(text, vocabulary.titles), years=asked_years(text, own),
        numbers=tuple(n for n in _NUMBER.findall(text) if len(n) >= 2 or "." in n),
        slots=asked_slots(asking), asking=asking)


def asked_years(text: str, own: str = "") -> tuple[str, ...]:
    """The years a part asks about: those its own words name ("…2020年是多少，2025年要达到多少"
    asks 2025 in its second part), else those of the question it keeps ("2020年城市低保标准是
    多少？农村的呢？" asks 2020 twice)."""
    return tuple(_YEAR.findall(own)) or tuple(_YEAR.findall(text))


def sanitize(question: str) -> str:
    """Printable text only: control characters, lone surrogates and runs of spaces removed."""
    question = question.encode("utf-8", "replace").decode("utf-8")
    question = "".join(c for c in question if unicodedata.category(c)[0] != "C" or c in "\t\n")
    return re.sub(r"\s+", " ", question).strip()[:MAX_QUESTION]


def follows_up(turn: str) -> bool:
    """Whether a turn of a conversation asks on about the one before: "那农村的呢？", "还有别的
    吗", "能在网上办吗" (a yes-no question naming nothing of its own); not "结婚登记要花钱吗"."""
    return bool(_FOLLOWUP_MARK.search(turn)) or elliptical(turn)


def resolve_followup(question: str, history: list[str]) -> str:
    """"那农村的呢？" after a question about cities is asked as that question plus this one."""
    if not history or len(question) > 16 or not _FOLLOWUP.search(question):
        return question
    return f"{history[-1].rstrip('？?。! ')}，{question}"


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
    parts = [p.strip() for p in parts if len(_CJK.findall(p)) >= 4]
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


_AND = re.compile(r"以及|和|与|跟|同|及|、")
_EACH_OF_TWO = re.compile(r"分别|各自")  # not 各 alone: 各级, 各地
SUBJECT_CHARS = 12  # a thing named, not a clause ("我和老伴都退休了，各自…")
_EACH = re.compile(r"分别|各自|各")


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
    if not all(2 <= len(_CJK.findall(s)) <= SUBJECT_CHARS for s in (first, second)):
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


@lru_cache(maxsize=1)
def synonyms() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(everyday phrase, policy terms) from data/synonyms.tsv, longest phrase first."""
    text = (resources.files("assistant") / "data" / "synonyms.tsv").read_text(encoding="utf-8")
    pairs = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            phrase, _, terms = line.partition("\t")
            pairs.append((phrase.strip(), tuple(terms.split())))
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def expand(question: str) -> tuple[str, tuple[str, ...]]:
    """The question with the policy terms of every everyday phrase in it appended."""
    added: list[str] = []
    for phrase, terms in synonyms():
        if phrase in question:
            added += [t for t in terms if t not in question and t not in added]
    return f"{question} {' '.join(added)}".strip(), tuple(added)


def content_terms(text: str) -> tuple[str, ...]:
    """Distinct query terms that say what the question is about."""
    terms: list[str] = []
    for token in tokenize(text):
        if token not in terms and not _NOT_A_TERM.fullmatch(token):
            terms.append(token)
    return tuple(terms)


def coverage(terms: dict[str, tuple[str, ...]], idf, text: str) -> float:
    """Rarity-weighted share of the question's terms the text contains (or paraphrases)."""
    weights = {t: idf(t) for t in terms}
    total = sum(weights.values())
    found = sum(w for t, w in weights.items() if any(a in text for a in terms[t]))
    return found / total if total else 0.0


def alternatives(term: str) -> tuple[str, ...]:
    """The term, and the policy terms of the everyday phrases it belongs to."""
    found = [term]
    for phrase, mapped in synonyms():
        if phrase == term or (len(term) >= 2 and (term in phrase or phrase in term)):
            found += mapped
    return tuple(found)


@lru_cache(maxsize=1)
def _slot_rows() -> tuple[tuple[str, ...], ...]:
    text = (resources.files("assistant") / "data" / "slots.tsv").read_text(encoding="utf-8")
    return tuple(tuple(line.split("\t")) for line in text.splitlines()
                 if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def slots() -> tuple[tuple[str, re.Pattern, re.Pattern], ...]:
    """(slot, question pattern, evidence pattern) from data/slots.tsv."""
    return tuple((slot, re.compile(asked), re.compile(held)) for slot, asked, held, _ in _slot_rows())


def slot_names() -> dict[str, str]:
    """What a refusal says the documents lack, by slot ("办理流程")."""
    return {slot: lacking for slot, _, _, lacking in _slot_rows()}


def asked_slots(question: str) -> tuple[str, ...]:
    return tuple(slot for slot, asked, _ in slots() if asked.search(question))


def named_documents(question: str, titles: frozenset[str]) -> tuple[str, ...]:
    """Titles of the corpus's documents the question names, in full or without 中华人民共和国
    ("老年人权益保障法")."""
    return tuple(t for t in titles if len(t) >= 4 and (t in question or (
        t.startswith("中华人民共和国") and len(t) > 10 and t[7:] in question)))
