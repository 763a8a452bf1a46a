"""How a question names an article: "第25条", "第二十五条" and "第两百条" are the article legal
text numbers 第二十五条, 第二百条."""

from __future__ import annotations

import re

_ARTICLE_NAMED = re.compile(r"第\s*([一二三四五六七八九十百千零〇两]{1,7}|\d{1,4})\s*条(?!件)")  # not 第一条件
_DIGITS = "零一二三四五六七八九"


def named_articles(text: str) -> tuple[str, ...]:
    """The articles a question names, numbered as legal text numbers them: "第25条" and
    "第二十五条" are both 第二十五条."""
    return tuple(dict.fromkeys(article_name(n) for n in _ARTICLE_NAMED.findall(text)))


def article_name(number: str) -> str:
    return f"第{chinese_number(number) if number.isdigit() else number.replace('两', '二')}条"


def chinese_number(digits: str) -> str:
    """25 → 二十五, 10 → 十, 105 → 一百零五, 110 → 一百一十, 1260 → 一千二百六十, 1005 → 一千零五:
    how articles are numbered."""
    n = int(digits)
    text, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            if zero and text:
                text += "零"
            text += ("" if value == 10 and digit == 1 and not text else _DIGITS[digit]) + unit
            zero = False
        else:
            zero = zero or bool(text)
    return text or "零"


def legal_numbers(text: str) -> str:
    """The text with each article it names numbered as legal text numbers it ("第25条" →
    "第二十五条"), so that its words are the passage's."""
    return _ARTICLE_NAMED.sub(lambda m: article_name(m.group(1)), text)
