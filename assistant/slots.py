"""What a question asks for (an amount, an office, materials …) and what a quoted sentence must
hold to answer it, read from data/slots.tsv."""

from __future__ import annotations

import re
from functools import lru_cache

from .lexicon import pattern, rows


@lru_cache(maxsize=1)
def _slot_rows() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(row) for row in rows("slots.tsv"))


@lru_cache(maxsize=1)
def slots() -> tuple[tuple[str, re.Pattern, re.Pattern], ...]:
    """(slot, question pattern, evidence pattern) from data/slots.tsv."""
    return tuple((slot, re.compile(asked), re.compile(held)) for slot, asked, held, _ in _slot_rows())


def evidence(slot: str) -> re.Pattern:
    """What a quoted sentence holds that answers `slot`."""
    return next(held for name, _, held in slots() if name == slot)


@lru_cache(maxsize=1)
def _answers() -> dict[str, re.Pattern]:
    return {slot: re.compile(held) for slot, held in rows("slot_answers.tsv")}


def answers(slot: str) -> re.Pattern:
    """What a passage holds that answers a word asking for `slot` (带 of 要带啥): its own line
    of data/slot_answers.tsv where the evidence a quote is checked for is too broad, else that
    evidence."""
    return _answers().get(slot) or evidence(slot)


def slot_names() -> dict[str, str]:
    """What a refusal says the documents lack, by slot ("办理流程")."""
    return {slot: lacking for slot, _, _, lacking in _slot_rows()}


def asked_slots(question: str) -> tuple[str, ...]:
    """What the question asks for. When its last clause asks for something, that is what it
    asks: the clauses before it tell the circumstances ("人家根本不符合条件，这事谁来管" asks
    who deals with it, not the conditions). Dev false refusals 0.068 → 0.066, nothing lost."""
    clauses = [c for c in _CLAUSE.split(question) if c.strip()]
    last = _slots_in(clauses[-1]) if len(clauses) > 1 else ()
    return of_basis(question, of_record(last or _slots_in(question)))


def of_basis(question: str, asked: tuple[str, ...]) -> tuple[str, ...]:
    """The slots asked, without the amount when what the sum is set by is asked ("具体金额按什么
    来定" → "按照申请对象的实际需要确定"): a rule answers it, not a figure."""
    basis = pattern("asks_basis").search(question)
    return tuple(s for s in asked if s != "amount") if basis else asked


# Asked of the document itself (its number, the date it was issued, who issued it: "发文日期是
# 哪一天", "是哪个单位发的"), a day or an office is the document's record, not a date or an
# office the policy sets.
RECORD = frozenset({"issued", "number", "issuer"})
# Slots asking for a value (a sum, a period, a date, an age, a fee, a phone, an address, hours):
# a quote states it or does not. Conditions, a procedure, a definition or an office are told in
# words their evidence ("下列", "经", "部门", "村委会") shares with much else.
VALUES = frozenset({"amount", "duration", "date", "age", "fee", "contact", "location", "hours"})
RECORD_SLOTS = frozenset({"date", "where"})
# A document number's issuer is a short name before its year and number ("民政办发〔2022〕64号",
# "某政办发〔2014〕6号"), read back to the character before it, at most this many characters: a
# head runs "…办公室文件民政办发〔2022〕64号" without a break, and "文件" ends the office's name.
ISSUER_CHARS = 5


def issuer_before(before: str) -> str:
    """The issuer's short name a 文号 follows, read back from the text before the number
    ("…办公室文件民政办发" → 民政办发): the characters "文件" may end, then the name's own."""
    tail = re.search(rf"[\u4e00-\u9fff]{{0,{ISSUER_CHARS + 2}}}$", before).group()
    return tail.rpartition("文件")[2][-ISSUER_CHARS:]


def of_record(asked: tuple[str, ...]) -> tuple[str, ...]:
    """The slots asked, without a date or office that the document's record answers."""
    return tuple(s for s in asked if s not in RECORD_SLOTS) if RECORD & set(asked) else asked


_CLAUSE = re.compile(r"[，,。；;]")


def _slots_in(text: str) -> tuple[str, ...]:
    return tuple(slot for slot, asked, _ in slots() if asked.search(text))
