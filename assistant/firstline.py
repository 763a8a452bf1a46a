"""The answer's first line: what a citizen reads before any quote. A yes or no where a sentence
of the first quote forbids or permits what was asked ("不可以，文件明确禁止。", "可以。"), "不收费。"
where a fee asked costs nothing, then the sentence that states what was asked, or the list of
materials, conditions or steps. Pure functions of the question part and the quote."""

from __future__ import annotations

import re

from .clean import BULLET, CN_NUM, ITEM, enumeration_blocks
from .lexicon import pattern
from .quantities import age_bands, asked_ages, free, overlaps, unit_stated
from .question import NUMBER_SLOTS, Part, clause_terms, coverage

_YES_NO, _ALLOWED, _FORBIDS = pattern("yes_no"), pattern("allowed"), pattern("forbids")
# A prohibition of those who did something ("已在户籍所在村登记参加选举的村民，不得再参加其他地方…的
# 选举") says nothing of those who did not: it answered "户口在村里、人在外地打工，能参加选举吗"
# 不可以, while the list above it lets them.
_ONLY_IF = re.compile(rf"(?:的|已[^，,。；]*的[^，,。；]{{0,8}})[，,][^，,。；]*(?:{_FORBIDS.pattern})")
# "违法吗", "犯法吗" ask whether it is forbidden: "不可以" would answer the opposite question.
_BREAKS = pattern("breaks")
VERDICT_COVERAGE = 0.5  # share of the question's (rarity-weighted) terms the sentence names
# "能…吗", "可以…吗" ask whether one may; "要不要", "必须…吗" ask whether one must, which a
# sentence that permits does not answer.
_MAY, _MUST, _PERMITS = pattern("may"), pattern("must"), pattern("permits")


def permits(sentence: str) -> bool:
    """A sentence that permits something and forbids nothing; not one whose permission word only
    describes a case ("按照规划允许土葬或者允许埋葬骨灰的，墓穴占地面积…由…规定" permits nothing: it
    had answered "骨灰能埋自家承包的地里不" with "可以")."""
    return not _FORBIDS.search(sentence) and any(
        not _IN_CASE.match(sentence, m.start()) for m in _PERMITS.finditer(sentence))


def forbids(sentence: str) -> bool:
    """A sentence that forbids, not only those who did something (_ONLY_IF)."""
    return bool(_FORBIDS.search(sentence)) and not _ONLY_IF.search(sentence)


def asks_allowed(part: Part) -> bool:
    """A yes-no question whether something is allowed (能…吗, 合规吗, "…能让我爸替我投票不")."""
    return bool(_YES_NO.search(part.asking) and _ALLOWED.search(part.asking))


_IN_CASE = re.compile(rf"(?:{_PERMITS.pattern})[^，,。；;：:]*?的[，,]")
# A permission under a condition ("经老年人同意，…可以…", "…确有困难的，可以缓交"): the first
# line says so, and the quote below says which.
_CONDITION = pattern("condition")
_DENIES = pattern("denies")
# A sentence that permits answers "可以" only when it names most of what the question names: on
# the train sets a sentence naming half of it permitted something else about one time in four.
PERMIT_COVERAGE = 0.6


def verdict(part: Part, quote: str, idf=lambda term: 1.0) -> str:
    """The yes or no first: "不可以，文件明确禁止。" when a yes-no question asks whether something
    is allowed (能…吗, 合规吗) and a sentence of the first quote forbids it, naming most of what
    the question names; "可以。" when it asks whether one may and a sentence permits it, naming
    most of what it names ("符合文件所说情形的，可以。" when the permission has a condition, which
    the quote then shows); "" otherwise. (On the regulations train set, a sentence naming any
    one term of the question gave a wrong "不可以" one time in three. Of the train and dev
    questions, thirteen get "可以", each right; at a share of 0.45 two more did, one of them on a
    sentence about another matter.)"""
    if "fee" in part.slots and (_YES_NO.search(part.asking) or "多少" in part.asking
                                and "免费" not in part.asking):  # 免费照料多少小时 asks hours
        return free_of_charge(part, quote, idf)
    if not asks_allowed(part) or _BREAKS.search(part.asking):
        return ""
    terms = {term: tuple(a for a in alternatives if len(a) >= 2)
             for term, alternatives in zip(part.terms, part.alternatives)
             if len(term) >= 2 and not _ALLOWED.fullmatch(term)}
    # a permission may name only what the last clause asks, apart from what the ones before
    # tell ("家里出了车祸，…，能申请临时救助吗": "有下列情形之一的家庭，可以申请临时救助"); a
    # prohibition may not (on the regulations train set, "老人能找他要赡养费吗" was answered
    # "不可以" from "赡养人不得…拒绝履行赡养义务", and two more like it)
    clause = clause_terms(terms, part.asking)
    sentences = with_lead_ins(re.split(r"[。；\n]", quote))
    for sentence in sentences:
        if (forbids(sentence) and coverage(terms, idf, sentence) >= VERDICT_COVERAGE
                and coverage(clause, idf, sentence) >= VERDICT_COVERAGE):  # and what is asked
            asked = re.search(r"合法|合规|允许", part.asking)
            return f"不{asked.group() if asked else '可以'}，文件明确禁止。"
    if not _MAY.search(part.asking) or _MUST.search(part.asking):
        return ""
    for sentence in sentences:
        if (permits(sentence) and max(coverage(terms, idf, sentence), coverage(clause, idf, sentence))
                >= PERMIT_COVERAGE and not denied(terms, sentence, idf)):
            return "符合文件所说情形的，可以。" if _CONDITION.search(sentence) else "可以。"
    return ""


def denied(terms: dict[str, tuple[str, ...]], sentence: str, idf) -> bool:
    """Whether a clause of the sentence denies what the question names ("特困人员…不享受困难残疾人
    生活补贴，可以享受重度残疾人护理补贴": the 可以 is of another benefit)."""
    return any(_DENIES.search(part) and coverage(terms, idf, part) >= PERMIT_COVERAGE / 2
               for part in re.split(r"[，,]", sentence))


def free_of_charge(part: Part, quote: str, idf=lambda term: 1.0) -> str:
    """"不收费。" first when a fee is asked ("结婚登记要花钱吗", "…费用是多少") and a sentence of the
    quote says it costs nothing ("婚姻登记收费全面取消"), naming most of what the question names;
    not one that only encourages it ("鼓励…提供免费或者优惠服务")."""
    terms = {term: tuple(a for a in alternatives if len(a) >= 2)
             for term, alternatives in zip(part.terms, part.alternatives) if len(term) >= 2}
    for sentence in re.split(r"[。；\n]", quote):
        if free(sentence) and coverage(terms, idf, sentence) >= VERDICT_COVERAGE:
            return "不收费。"
    return ""


def with_lead_ins(sentences: list[str]) -> list[str]:
    """Each item of an enumeration with its lead-in before it: "(三)向未成年人销售彩票" says
    nothing alone of "彩票代销者不得有下列行为：", and led an answer to 未成年人能买彩票吗 as if
    permitted."""
    joined, lead_in = [], ""
    for sentence in sentences:
        if ITEM.match(sentence.strip()) and lead_in:
            joined.append(lead_in + sentence.strip())
            continue
        lead_in = sentence.strip() if sentence.strip().endswith(("：", ":")) else ""
        joined.append(sentence)
    return joined


_ARTICLE_NUMBER = re.compile(rf"^第{CN_NUM}条\s*")


def without_number(text: str) -> str:
    """A sentence without the article number it opens with ("第十一条 申请…" → "申请…")."""
    return _ARTICLE_NUMBER.sub("", text)


def bare(text: str) -> str:
    """The text as compared, not as read: no article number, item mark, punctuation or space."""
    return re.sub(r"[。；：，\s]", "", _ENUMERATOR.sub("", without_number(text.strip())))


WORD_ONLY = 0.5  # a number asked, the slot held by a word only (期限, 之日起): half the weight
_FIGURE = re.compile(r"[\d一二三四五六七八九十百千两半]")
LEAD_CHARS = 80  # longer than this and the first line stops being a line one reads at a glance
NEW_CHARS = 6  # a sentence that only restates the question ("申请特困人员供养") is no answer


# Asked whether one may ("能让我爸替我投票不", "村主任的老婆能当监督委员吗"), a sentence that says
# whether one may ("…可以书面委托…近亲属代为投票", "…近亲属不得担任…") is weighed this much more
# than one naming as much of the question ("另行选举的，第一次投票未当选的人员…" had led). On
# train/dev 8 first lines gained, 1 lost (an article with two prohibitions, the other one led);
# at 1.5, 9 gained and 2 lost.
MODAL_WEIGHT = 1.25


def says_may(sentence: str) -> bool:
    """A sentence that says whether one may: it forbids, or permits."""
    return forbids(sentence) or permits(sentence)


# In choosing the line that answers, a word the part does not write itself weighs this much
# beside one it does: a word kept from the question before it ("村委会几年换一届，村主任能连任吗":
# 换 of 换一届 had picked "…不得指定、委派或者撤换…" over "…可以连选连任"), or a policy term added for
# its everyday words ("骨灰盒能补多少钱" had led with the 生态安葬费 item). On train/dev no score
# changes; 15 first lines change, 10 for the better by reading, 2 for the worse, 3 alike.
BORROWED_WEIGHT = 0.5


def lead(part: Part, quote: str, idf, said: frozenset[str] = frozenset()) -> str:
    """The answer in one line: the sentence of the first quote that holds what was asked (the
    slot's evidence: an amount, a period, an office …) and most of the question's terms, and
    says something the question did not. "" when no sentence is short and clear enough.
    `said`: the terms every sentence of the quote says without writing them (its document's
    place, title and headings: quotes.said_throughout)."""
    from .slots import slots

    # a number asked leads (多长时间内要开死亡证明: the period, not any sentence naming 证明)
    numbers = [slot for slot in part.slots if slot in NUMBER_SLOTS]
    held = [pattern for slot, _, pattern in slots() if slot in (numbers or part.slots)]
    bare = [t.strip() for t in re.split(r"(?<=[。；！？])|\n", quote) if t.strip()]
    sentences = with_lead_ins(bare)
    items = {joined: alone for joined, alone in zip(sentences, bare) if joined != alone}
    if len(sentences) < 2:
        return ""  # the quote is the answer already

    asks_may = asks_allowed(part)

    own = part.label or part.text  # its own words

    def score(sentence: str) -> float:
        words = sum(idf(t) * (1.0 if t in own else BORROWED_WEIGHT) for t in part.search_terms
                    if t in sentence or t in said)
        new = sum(1 for ch in sentence if ch not in part.text) >= NEW_CHARS
        slot = not held or any(p.search(sentence) for p in held)
        # a number asked: a sentence stating one beats one holding only the slot's word
        # ("自公告之日起满60日", not "公告期间不计算在登记办理期限内" for 要公告多长时间)
        figure = not numbers or any(_FIGURE.search(m.group()) for p in held
                                    for m in p.finditer(sentence))
        modal = MODAL_WEIGHT if asks_may and says_may(sentence) else 1.0
        return words * new * slot * modal * (1.0 if figure else WORD_ONLY)

    best = max(sentences, key=score)
    if len(best) > LEAD_CHARS and best in items and not _FORBIDS.search(best):
        best = items[best]  # an item under a long lead-in that forbids nothing reads alone
    if score(best) <= 0 or len(best) > LEAD_CHARS:
        return ""
    best = _ENUMERATOR.sub("", without_number(best))
    return best if best.endswith(("。", "：")) else best.rstrip("，；,;") + "。"


# An item's mark at the head of the line ("（一）", "3.", "三是"): the quote keeps it; the line
# that answers reads without it ("答：三是对救助标准的上限…" had led).
_ENUMERATOR = re.compile(rf"^(?:{ITEM.pattern[1:]}|{CN_NUM}是(?=[\u4e00-\u9fff]{{2}}))\s*")


def document_number(part: Part, quote: str) -> str:
    """The 文号 asked ("…规划的发文字号是什么") as the quote writes it: the head of a document
    is one long sentence, no line to lead with. Not one the text cites ("《某办法》(甘政发〔2019〕5
    号)"): that is another document's."""
    from .slots import evidence, issuer_before

    if "number" not in part.slots:
        return ""
    for found in evidence("number").finditer(quote):
        before = quote[:found.start()]
        issuer = issuer_before(before)
        if issuer and not before[:len(before) - len(issuer)].endswith(("(", "（", "》")):
            return issuer + found.group() + "。"
    return ""


def aged_amount(part: Part, quote: str) -> str:
    """A sum asked for an age ("某县90多岁的老人高龄补贴一个月给多少") of a quote stating one per
    age band ("标准:70-79周岁50元/月;80-89周岁100元/月;90-99周岁400元/月"): the clause of the
    band holding that age, and its sum ("90-99周岁400元/月。"). The whole row had led, four sums
    for one asked."""
    ages = asked_ages(part.text)
    if "amount" not in part.slots or not ages:
        return ""
    stated = unit_stated(part.asking)[1]
    for clause in _CLAUSE.split(quote):
        clause = clause.strip().lstrip(BULLETS).strip()
        if stated.search(clause) and overlaps(ages, age_bands(clause)):
            return clause + "。"
    return ""


_CLAUSE = re.compile(r"[；;。\n（）()]")
BULLETS = BULLET + "●·"  # a list's marks before a band ("▻90-99岁…")


LIST_SLOTS = {"materials", "conditions", "procedure", "forbidden"}
LIST_CHARS = 120  # a list longer than this is read in the quote below, not in one line


def listed(part: Part, quote: str, led: str = "") -> str:
    """Materials, conditions or steps asked, and the sentence that would lead is one item of an
    enumeration in the first quote, or its lead-in, or none: the items in one line, after their
    lead-in where it fits ("…提交下列材料：书面申请书；户口簿和身份证；低保证明。"). The item that
    named most of the question had led alone (the last of three materials), and a guide's list,
    whose items name nothing of the question, not at all. A sentence that answers on its own
    ("收养继子女的，可以只提交…") still leads; so does nothing for a yes-no question."""
    from .slots import slots

    wanted = [held for slot, _, held in slots() if slot in part.slots and slot in LIST_SLOTS]
    if not wanted or _YES_NO.search(part.asking):
        return ""
    led_bare = bare(led)
    for block in enumeration_blocks(quote):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        items = [ITEM.sub("", line).strip().rstrip("。；;，,") for line in lines if ITEM.match(line)]
        head = without_number(lines[0]) if not ITEM.match(lines[0]) else ""
        # a lead-in says what the items are ("…提交下列材料："); a guide's section has none
        if len(items) < 2 or not any(w.search(head or block) for w in wanted):
            continue
        if led and head and not (led_bare == bare(head)
                                 or any(led_bare.endswith(bare(i)) for i in items)):
            continue  # the sentence that leads is not of this list (a guide's list has no lead-in)
        body = "；".join(items) + "。"
        if len(head) + len(body) <= LIST_CHARS:
            return head + body
        if len(body) <= LIST_CHARS:
            return body
        # too long for a line: an item the question names leads ("现役军人…" for "现役军人要交
        # 什么证明"); else the first items, not the one item that shares the slot's words
        return "" if led and names_of_question(part, led) else first_items(items)
    return ""


def names_of_question(part: Part, text: str) -> bool:
    """Whether `text` names a term of the question other than the words asking for a slot, a
    place, or a piece of a longer term (登记 of 结婚登记: "现役军人须持…《军人婚姻登记证明》" names
    nothing of "结婚登记需要提交哪些材料", and had led alone over the list of four)."""
    asking = {w for w, _ in part.asking_words}
    whole = [t for t in part.terms if not any(t != u and t in u for u in part.terms)]
    return any(t in text for t in whole if len(t) >= 2 and t not in asking
               and not any(t in p or p in t for p in part.places))


def first_items(items: list[str]) -> str:
    """A list too long for one line: its first items, and how many there are ("死亡人员户口本、
    身份证原件及复印件3份；火化证原件及复印件3份…等8项，见下文。")."""
    shown = []
    for item in items:
        if len("；".join(shown + [item])) > LIST_CHARS:
            break
        shown.append(item)
    return f"{'；'.join(shown)}等{len(items)}项，见下文。" if shown else ""
