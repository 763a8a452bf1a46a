"""Numbers asked and numbers stated: whether a question asks a sum, a count, a period or any
number, in which unit, and whether a quoted text states it ("120元", "标准（元/月）：120", "增发10%",
"五个工作日", "收费全面取消"). Rules the judge weighs and the quote picker reads."""

from __future__ import annotations

import re
from functools import lru_cache

from .lexicon import pattern, rows, units
from .slots import asked_slots

_NUMERAL = "一二两三四五六七八九十百千万"

# 几 that asks a number: not "兄弟几个商量", not "好几年"
_JI = r"(?<![们弟妹兄姐好哪])几"  # 哪几条: which ones, a list, not how many

# The unit asked, wherever it is: "补助对象有多少人" asks people, not money. "几个人" asks
# people (个 is only the measure word before 人).
# the units of data/units.tsv, the longest first (块钱 before 块), but 个, the measure word
_ASKED_UNITS = "|".join(sorted((u for u in units() if u != "个"), key=len, reverse=True))

# (几个月, 多少个工作日 ask a period, the duration slot's business: no number of things of 个)
_NOT_A_PERIOD = r"(?!月|工作日|小时|星期|季度)"

_UNIT_ASKED = re.compile(rf"(?:多少|{_JI})个?({_ASKED_UNITS})"
                         rf"|(?:多少|{_JI})(个){_NOT_A_PERIOD}")

# Else a sum of money: "护理费是多少", "给多少建设补助".
_MONEY_ASKED = pattern("asks_money")

# A share or a multiple states a number of people or a sum too: "过半数通过", "三分之一以上",
# "增发10%", "当地职工月平均工资的50%", "一倍以上三倍以下" (not a number of households or homes).
_PROPORTION = re.compile(rf"\d\s*[%％]|百分之|[{_NUMERAL}\d]+分之|半数|\d\s*倍|[{_NUMERAL}]倍")

MONEY_UNITS = tuple(u for u, (_, kind) in units().items() if kind == "money")

SHARE_UNITS = tuple(u for u, (_, kind) in units().items() if kind in ("money", "people"))

# ... a sum only when the sum is named just before the share in the same sentence ("护理型床位
# 占比达到40%" is no subsidy); an enumeration's lead-in names it ("增发一次性退役金：…(二)荣获
# 二等功的，增发10%"), so the window runs over line breaks but not past a full stop.
_MONEY = pattern("money")

MONEY_WINDOW = 60  # characters

_ASKS_NUMBER = pattern("asks_number")

_MEASURE = "项支类种档次条批处座件位级个家所名户人张间栋辆台套"  # a closed class of the grammar

# (a run of numerals from its start: "第五十五条" states no number, nor does its 十五条)
_STATED_NUMBER = re.compile(rf"\d|(?<![第同{_NUMERAL}])[{_NUMERAL}]+(?:[年月日天倍元%{_MEASURE}](?!性)|周岁|岁"
                            r"|分之|小时|周|星期|平方米|公里|米)|半数")

# "几项指标", "分几档", "多少个乡镇": a count asked with its measure word. A sentence stating a
# number with that word ("9项", "三档") answers it; any other number (a year, another count) may
# not. (Not 年: "多少年" asks a period, and "2025年" is a date; not 第一级, an ordinal, nor
# 一次性.)
_COUNT_ASKED = re.compile(rf"(?:多少|{_JI})\s*([{_MEASURE}])(?!小时|月|工作日|星期|季度)")

def asks_count(question: str) -> bool:
    """"多少户", "几个乡镇": a count in a measure word is asked."""
    return _COUNT_ASKED.search(question) is not None


def counted(question: str, sentence: str) -> bool:
    """Whether `sentence` states a count in the measure word `question` asks for."""
    asked = _COUNT_ASKED.search(question)
    return bool(asked) and re.search(
        rf"(?<![第同])(?:\d+|[{_NUMERAL}]+)\s*{asked.group(1)}(?!性)", sentence) is not None

_FREE, _ENCOURAGES = pattern("free"), pattern("encourages")

def free(text: str) -> bool:
    """A sentence of `text` says something costs nothing ("婚姻登记收费全面取消"), which answers
    what a fee comes to; not one that only encourages it ("鼓励…提供免费或者优惠服务")."""
    return any(_FREE.search(s) and not _ENCOURAGES.search(s) for s in re.split(r"[。；\n]", text))

def asks_quantity(question: str) -> bool:
    """"多少钱", "几个人", "护理费是多少": a number of units or a sum is asked."""
    return bool(_UNIT_ASKED.search(question) or _MONEY_ASKED.search(question))

def missing_quantity(question: str, quotes: list[str]) -> str:
    """What a "多少钱/多少户" question asks for, when no quoted sentence states it."""
    asked = _UNIT_ASKED.search(question)
    if not asked and not _MONEY_ASKED.search(question):
        return missing_count(question, quotes)
    unit, stated = unit_stated(question)
    held = any(stated.search(q) or unit in SHARE_UNITS and states_share(q, unit in MONEY_UNITS)
               or "fee" in asked_slots(question) and free(q)  # free: nothing to pay
               for q in quotes)
    return "" if held else f"数额（{'元' if unit in MONEY_UNITS else unit}）"

@lru_cache(maxsize=256)
def unit_stated(question: str) -> tuple[str, re.Pattern]:
    """The unit a "多少钱/多少户" question asks a number in, and how a text states a number in it:
    "120元", "单位：万元", or a table's column "标准（元/月）：120" (its unit in the header)."""
    asked = _UNIT_ASKED.search(question)
    unit = next((g for g in asked.groups() if g), "元") if asked else "元"
    stated_units = units().get(unit, (unit, ""))[0]
    return unit, re.compile(rf"(?:\d[\d.,，万亿千百]*|[{_NUMERAL}]+)\s*(?:{stated_units})"
                            rf"|单位：[^；]*(?:{stated_units})"
                            rf"|[（(][^）)]*(?:{stated_units})[^）)]*[）)][：:\s]*\d")

def missing_count(question: str, quotes: list[str]) -> str:
    """"分为几级", "有几项": the count asked in its measure word, when no quote states it."""
    count = _COUNT_ASKED.search(question)
    if not count:
        return missing_number(question, quotes)
    if any(counted(question, q) for q in quotes):
        return ""
    return f"数目（{count.group(1)}）"

def missing_number(question: str, quotes: list[str]) -> str:
    """"预留多少床位", "按多大比例配备", "能请几天": a number asked of no unit or measure word
    one knows, and no quote states any number at all ("预留一定比例", "给予一定时间的护理照料
    假" had been quoted as answers)."""
    if (not _ASKS_NUMBER.search(question) or re.search(r"[吗么][？?]?\s*$", question)
            or any(_STATED_NUMBER.search(q) for q in quotes)):
        return ""  # (a yes-no question: "发了多少要公开吗" asks whether, not how much)
    return "数字"

def states_share(text: str, money: bool) -> bool:
    """A share or multiple in `text`; of a sum of money named just before it, if `money`."""
    for share in _PROPORTION.finditer(text):
        before = text[max(0, share.start() - MONEY_WINDOW):share.start()].rsplit("。", 1)[-1]
        if not money or _MONEY.search(before):
            return True
    return False

def number_met(question: str, quotes: list[str]) -> float:
    """1 when the question asks a number and a quote states one, -1 when none does, 0 when no
    number is asked."""
    if not _ASKS_NUMBER.search(question):
        return 0.0
    return 1.0 if _STATED_NUMBER.search("".join(quotes)) else -1.0


# An age band a table or rule states: "80—89周岁", "80至89岁", "80周岁至89周岁", "90周岁以上",
# "100周岁及以上", "不满18周岁". A citizen gives an age ("我爸85岁了"), not the band.
_AGE = r"\s*(?:周岁|岁)"
_BAND = re.compile(rf"(\d{{1,3}})(?:{_AGE})?\s*[—–\-－~～至到]+\s*(\d{{1,3}}){_AGE}")
_AND_OVER = re.compile(rf"(?:年满|满)?(\d{{1,3}}){_AGE}(?:及以上|以上|\(含\)以上|（含）以上)")
_UNDER = re.compile(rf"(?:不满|未满)(\d{{1,3}}){_AGE}|(\d{{1,3}}){_AGE}以下")
NO_AGE_ABOVE = 150  # years: the open end of "100周岁及以上"


def age_bands(text: str) -> list[tuple[int, int]]:
    """The age bands `text` states, each (lowest, highest) age in it, ends included."""
    bands = [(int(lo), int(hi)) for lo, hi in _BAND.findall(text) if int(lo) <= int(hi)]
    bands += [(int(lo), NO_AGE_ABOVE) for lo in _AND_OVER.findall(text)]
    bands += [(0, int(a or b) - (1 if a else 0)) for a, b in _UNDER.findall(text)]
    return bands


def asked_ages(question: str) -> list[tuple[int, int]]:
    """The ages a question gives, each as the band it means: "我爸85岁了" (85, 85), "90多岁"
    (90, 99), "百岁老人" (100, 100), "八十五岁" (85, 85), "80-89岁" (80, 89)."""
    ages = [(int(lo), int(hi)) for lo, hi in _BAND.findall(question) if int(lo) <= int(hi)]
    question = _BAND.sub("", question)  # "80-89岁": one band, not the age 89
    for number, more in _AGE_ASKED.findall(question):
        age = int(number) if number.isdigit() else numeral(number)
        if age:
            ages.append((age, age + (DECADE - 1 if more and age % DECADE == 0 else 0)))
    return ages


DECADE = 10  # "90多岁": any age of the nineties, 90 to 99
_AGE_ASKED = re.compile(rf"(\d{{1,3}}|[{_NUMERAL}零]{{1,5}})(多)?{_AGE}")
_DIGIT = {c: n for n, c in enumerate("零一二三四五六七八九")} | {"两": 2}


def numeral(text: str) -> int:
    """A Chinese numeral up to the hundreds: 八十五 85, 九十 90, 百 100, 一百零一 101 (0 if none)."""
    total, digit = 0, None
    for char in text:
        if char in _DIGIT:
            digit = _DIGIT[char]
        elif char in "十百":
            total += (1 if digit is None else digit) * (10 if char == "十" else 100)
            digit = None
        else:
            return 0
    return total + (digit or 0)


def aged_in_band(question: str, text: str) -> int:
    """How many ages the question gives lie in an age band the text states (85岁 in "80—89周岁",
    90多岁 in "90-99周岁", 百岁 in "100周岁以上")."""
    bands = age_bands(text)
    return sum(1 for age in asked_ages(question) if overlaps([age], bands))


def overlaps(ages: list[tuple[int, int]], bands: list[tuple[int, int]]) -> bool:
    """Whether an age band of `ages` and one of `bands` share an age (ends included)."""
    return any(lo <= b_hi and b_lo <= hi for lo, hi in ages for b_lo, b_hi in bands)


def without_ages(text: str) -> str:
    """`text` without the ages it states ("年满80周岁的老年人" → "年满的老年人")."""
    return _AGE_ASKED.sub("", text)


# A number asked in a measure ("冷静期是多少天", "要交几张照片", "下午几点", "90多岁的老人"): the
# words asking it (天, 几张, 几点, 90 and 多岁) name nothing a passage holds; a number in that
# measure does ("30日", "2张", "2:30", "90-99周岁"). Not a sum of money: 钱 of 多少钱, held by
# any figure, let out-of-scope amount questions through (train q285).
def measure_spans(question: str) -> list[tuple[str, tuple[int, int]]]:
    """Where `question` asks or gives a number in a measure, and what states it: "measure:天"
    (a number of days, in 天 or 日), "age:90-99" (an age in that band)."""
    spans = [(f"measure:{m.group(1)}", m.span()) for m in _MEASURE_ASKED.finditer(question)]
    for m in _AGE_ASKED.finditer(question):
        (lo, hi), = asked_ages(m.group(0)) or [(0, 0)]
        if hi:
            spans.append((f"age:{lo}-{hi}", m.span()))
    if "amount" in asked_slots(question):  # "一天给多少": a sum for a day, "240元/人/日"
        spans += [(f"period:{period}", m.span()) for period, asked, _ in periods()
                  for m in asked.finditer(question)]
    return spans


def states_measure(slot: str, text: str) -> bool:
    """Whether `text` states the number `slot` (of measure_spans) asks for; of a period, a sum
    for it."""
    kind, _, what = slot.partition(":")
    if kind == "period":
        return any(p == what and stated.search(text) for p, _, stated in periods())
    if kind == "age":
        lo, hi = (int(n) for n in what.split("-"))
        return overlaps([(lo, hi)], age_bands(text) + asked_ages(text))
    stated = measures().get(what)
    return bool(stated) and re.search(
        rf"(?:\d[\d.]*|[{_NUMERAL}]+)\s*(?:{stated})", text) is not None


@lru_cache(maxsize=1)
def measures() -> dict[str, str]:
    """Measure asked → the measures a number of it is stated in (data/measures.tsv, and the
    units of data/units.tsv that are no money)."""
    own = {asked: stated for asked, (stated, kind) in units().items() if kind != "money"}
    return own | {asked: stated for asked, stated in rows("measures.tsv")}


_MEASURE_ASKED = re.compile(rf"(?:多少|{_JI})个?({'|'.join(sorted(measures(), key=len, reverse=True))})")


@lru_cache(maxsize=1)
def periods() -> tuple[tuple[str, re.Pattern, re.Pattern], ...]:
    """(period, how a question asks a sum for it, how a sentence states one) from data/periods.tsv."""
    return tuple((period, re.compile(asked), re.compile(stated))
                 for period, asked, stated in rows("periods.tsv"))


def for_period_asked(question: str, sentence: str) -> bool:
    """Whether `sentence` states a sum for the period the question asks one for ("一年各是多少钱"
    → "5832元/人/年"; not "每人每月提高70元")."""
    return any(asked.search(question) and stated.search(sentence) for _, asked, stated in periods())
