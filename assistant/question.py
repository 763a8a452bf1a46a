"""Understand a question once: cleaned, a follow-up resolved, split into the parts it asks,
everyday words mapped to policy terms, and for each part its tokens, terms, places, years and
the slot it asks (amount, where, materials …). Retrieval, the judge and the composer read the
record; none of them cleans, expands or tokenizes the question again."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .articles import legal_numbers, named_articles
from .keyword import data_words, stopwords, tokenize, word_tag
from .lexicon import pattern, rows
from .places import asked_levels, named_places
from .typos import corrected
from .quantities import measure_spans, states_measure
from .slots import answers, asked_slots, slots
from .split import (CJK, asks_anew, compared_parts, follows_up, resolve_followup, spaced_clauses,
                    split_questions)

MAX_QUESTION = 300
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# Generic tokens that say nothing of the topic: a bare unit, a bare level, a digit, a count of
# one ("一届干几年": 每届任期五年 holds no 一届).
_NOT_A_TERM = pattern("not_a_term")


@dataclass(frozen=True)
class Vocabulary:
    """What understanding needs to know of the corpus: the places its documents are of, and
    its documents' titles."""

    places: frozenset[str] = frozenset()
    titles: frozenset[str] = frozenset()
    terms: frozenset[str] = frozenset()  # the words its passages use often (typos.corrected)


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
    # terms that only ask for a slot (带 of 要带啥 asks for materials), with the slot they ask
    asking_words: tuple[tuple[str, str], ...] = ()
    articles: tuple[str, ...] = ()  # articles it names, as the documents number them (第二十五条)
    label: str = ""  # what an answer of several parts calls it: its own words ("那个市呢")


@dataclass(frozen=True)
class Question:
    asked: str  # as typed
    text: str  # printable, one line, at most MAX_QUESTION characters
    parts: tuple[Part, ...]
    problem: str = ""  # "empty" or "not_chinese" when there is nothing to look up
    corrected: tuple[tuple[str, str], ...] = ()  # (typed, meant): input-method slips (typos.py)


def understand(asked: str, history: list[str] | tuple[str, ...] = (),
               vocabulary: Vocabulary = Vocabulary()) -> Question:
    text, fixes = corrected(spaced_clauses(simplified(sanitize(asked))), vocabulary.terms)
    if not re.search(r"[^\W_]", text):  # nothing but punctuation or emoji ("？？？", "😀")
        return Question(asked, text, (), "empty")
    if not CJK.search(text):
        return Question(asked, text, (), "not_chinese")
    earlier = [simplified(sanitize(str(h))) for h in history]
    # a turn of a conversation follows up the one before only when it says so (那…, …呢) or names
    # nothing of its own: "结婚登记要花钱吗" after a question on beds is a new question
    resolved = resolve_followup(text, earlier) if follows_up(text) else text
    if resolved != text and asked_slots(text):  # asks something of its own about that topic
        return Question(asked, text, (part(resolved, vocabulary, text),), corrected=fixes)
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
        for p, own in parts), corrected=fixes)


def part(text: str, vocabulary: Vocabulary = Vocabulary(), asking: str = "", *,
         own: str = "") -> Part:
    """One part understood; also how the langchain retriever reads a bare query. `asking`: the
    words that ask, where they are not all of `text` (see Part.asking); `own`: the part's own
    words, where it keeps the question before it."""
    asking = asking or text
    words = legal_numbers(unreduplicated(text))
    search, added = expand(words)
    terms = content_terms(words)
    return Part(
        text=text, search=search, added=added, tokens=tuple(tokenize(search)), terms=terms,
        alternatives=tuple(alternatives(t) for t in terms), search_terms=content_terms(search),
        places=named_places(text, vocabulary.places), levels=asked_levels(text),
        documents=named_documents(text, vocabulary.titles), years=asked_years(text, own),
        numbers=tuple(n for n in _NUMBER.findall(words) if len(n) >= 2 or "." in n),
        slots=asked_slots(asking), asking=asking, asking_words=asking_words(words, terms),
        articles=named_articles(own) or named_articles(text),  # "第十条呢" after 第八条
        label=own or asking)


# A verb said twice softens it, and says the same once: "管一管", "减减负", "让居民也用用". Doubled,
# it made terms no document holds (一管, 管一管; 减 apart from 减负).
_VERB_A_YI_A = re.compile(r"([\u4e00-\u9fff])一\1")
_DOUBLED = re.compile(r"([\u4e00-\u9fff])\1")
VERB_TAGS = ("v", "vn", "vd")


def unreduplicated(text: str) -> str:
    """`text` with each doubled verb said once (管一管 → 管, 减减负 → 减负), not a doubled word
    that is no verb (妈妈, 天天, 常常, 等等)."""
    def once(match: re.Match) -> str:
        doubled, single = match.group(0), match.group(1)
        if doubled in stopwords():  # 看看, 帮帮: already no term, said once they would be one
            return doubled
        tag = word_tag(doubled) or word_tag(single)
        return single if tag in VERB_TAGS else doubled

    return _DOUBLED.sub(once, _VERB_A_YI_A.sub(lambda m: m.group(1) if word_tag(m.group(1)) in VERB_TAGS
                                               else m.group(0), text))


NUMBER_SLOTS = ("amount", "duration", "date", "age")


def asking_words(text: str, terms: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The terms every mention of which in `text` lies within words asking for a slot, with
    that slot: 带 in "两口子想离婚要带啥" asks for materials and names nothing a passage holds;
    the materials it lists answer it. Not a number's slots: any number is their evidence, and
    钱 of 多少钱 held by any figure let out-of-scope amount questions through (train q285); but
    a number in a measure ("多少天", "几张", "90多岁": quantities.measure_spans)."""
    spans = [(slot, m.span()) for slot, asked, _ in slots() if slot not in NUMBER_SLOTS
             for m in asked.finditer(text)] + measure_spans(text)
    found = []
    for term in terms:
        starts = [m.start() for m in re.finditer(re.escape(term), text)]
        slot = next((slot for slot in dict.fromkeys(slot for slot, _ in spans)
                     if starts and all(any(own == slot and a <= s and s + len(term) <= b
                                           for own, (a, b) in spans) for s in starts)), "")
        if slot:
            found.append((term, slot))
    return tuple(found)


def asked_years(text: str, own: str = "") -> tuple[str, ...]:
    """The years a part asks about: those its own words name ("…2020年是多少，2025年要达到多少"
    asks 2025 in its second part), else those of the question it keeps ("2020年城市低保标准是
    多少？农村的呢？" asks 2020 twice)."""
    return tuple(_YEAR.findall(own)) or tuple(_YEAR.findall(text))


def too_long(question: str) -> bool:
    """Whether sanitize cuts the question: only its last MAX_QUESTION characters are read."""
    return len(_one_line(str(question))) > MAX_QUESTION


# A long message tells its story first and asks at the end ("我妈今年八十六岁……，能领什么补贴？"):
# its end is kept, from the first sentence or clause that starts within this many characters.
CUT_SEARCH = 60


def sanitize(question: str) -> str:
    """Printable text only: control characters, lone surrogates and runs of spaces removed; a
    message over MAX_QUESTION characters keeps its end, from a sentence's or clause's start."""
    text = _one_line(question)
    if len(text) <= MAX_QUESTION:
        return text
    tail = text[-MAX_QUESTION:]
    start = re.search(r"[。！？!?；;，,]", tail[:CUT_SEARCH])
    return tail[start.end():].strip() if start else tail


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", printable(text)).strip()


def printable(text: str) -> str:
    """`text` without control characters (an escape sequence a terminal would obey) and lone
    surrogates; tabs and line breaks kept."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    return "".join(c for c in text if unicodedata.category(c)[0] != "C" or c in "\t\n")


def simplified(text: str) -> str:
    """The question in simplified characters (OpenCC's t2s: 結婚登記要帶什麼 → 结婚登记要带什么):
    the documents, the dictionaries and the word lists are simplified. Simplified text passes
    unchanged (all 1,929 questions of the evaluation sets do)."""
    return _t2s().convert(text) if text else text


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s.json")


@lru_cache(maxsize=1)
def synonyms() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(everyday phrase, policy terms) from data/synonyms.tsv, longest phrase first."""
    pairs = [(phrase.strip(), tuple(" ".join(terms).split()))
             for phrase, *terms in rows("synonyms.tsv")]
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


def last_clause(text: str) -> str:
    """What a question asks after what it tells: "两口子闹离婚，民政那边有没有离婚辅导"."""
    return re.split(r"[，,；;]", text.rstrip("？?。 "))[-1]


def clause_terms(terms: dict[str, tuple[str, ...]], text: str) -> dict[str, tuple[str, ...]]:
    """Those of the question's `terms` its last clause names (all of them when it names none,
    or names only what it asks for: "城镇居民怎么申请低保，流程是啥"): what it asks, apart from
    the circumstances it tells first."""
    asked = last_clause(text)
    named = {t: a for t, a in terms.items() if t in asked}
    if all(t in data_words("generic_nouns.txt") for t in named):
        return terms
    return named


def coverage(terms: dict[str, tuple[str, ...]], idf, text: str,
             asking: tuple[tuple[str, str], ...] = ()) -> float:
    """Rarity-weighted share of the question's terms the text contains (or paraphrases); a
    term that only asks for a slot (`asking`, see asking_words) is held by the slot's evidence."""
    weights = {t: idf(t) for t in terms}
    total = sum(weights.values())
    answered = {t for t, slot in asking if holds_asked(slot, text)}
    found = sum(w for t, w in weights.items()
                if t in answered or any(a in text for a in terms[t]))
    return found / total if total else 0.0


def holds_asked(slot: str, text: str) -> bool:
    """Whether `text` holds what a word asking for `slot` asks: the slot's evidence, or a number
    in the measure asked ("measure:天", see quantities.measure_spans)."""
    return states_measure(slot, text) if ":" in slot else answers(slot).search(text) is not None


def alternatives(term: str) -> tuple[str, ...]:
    """The term, and the policy terms of the everyday phrases it belongs to: its own first,
    then those of the phrases it holds, then those of the phrases holding it (a refusal names
    孩子 as 子女, not as 继子女 of "带过来的孩子")."""
    own, held, holding = [], [], []
    for phrase, mapped in synonyms():
        if phrase == term:
            own += mapped
        elif len(term) >= 2 and phrase in term:
            held += mapped
        elif len(term) >= 2 and term in phrase:
            holding += mapped
    return tuple(dict.fromkeys([term, *own, *held, *holding]))


def named_documents(question: str, titles: frozenset[str]) -> tuple[str, ...]:
    """Titles of the corpus's documents the question names, in full or without 中华人民共和国
    ("老年人权益保障法")."""
    return tuple(t for t in titles if len(t) >= 4 and (t in question or (
        t.startswith("中华人民共和国") and len(t) > 10 and t[7:] in question)))
