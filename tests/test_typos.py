"""Input-method slips read as the corpus's terms (typos.py)."""

import pytest

TERMS = frozenset({"临时救助", "残疾人", "特困人员", "养老机构", "多元", "公墓", "户口簿", "我市",
                   "全面", "达到", "低保", "缴费"})


@pytest.mark.parametrize("typed, meant", [
    # a character that sounds like the one meant, inside a term the corpus uses
    ("临时就助怎么申请", "临时救助怎么申请"),
    ("残急人有啥补贴", "残疾人有啥补贴"),
    ("特昆人员每月多少", "特困人员每月多少"),
    ("养老机沟护理型床位", "养老机构护理型床位"),  # of four characters, the last may differ
    # words the corpus lacks that sound like its terms are what was meant
    ("出门多远能找到养老服务", "出门多远能找到养老服务"),  # 多元
    ("公募基金会的原始基金是多少", "公募基金会的原始基金是多少"),  # 公墓
    ("我户口不在这个村", "我户口不在这个村"),  # 户口簿: the next word, not a slip
    ("我是低保户", "我是低保户"),  # 我市
    ("费用能全免吗", "费用能全免吗"),  # 全面
    ("低保金几号打到卡上", "低保金几号打到卡上"),  # 达到
    ("保教费能减免吗", "保教费能减免吗"),  # 缴费
    ("临时救助怎么申请", "临时救助怎么申请"),
    # two characters: only a curated civil-affairs word, no function word typed in them
    ("地保怎么申请", "低保怎么申请"),
    ("低宝怎么申请", "低保怎么申请"),
    ("我是能申请吗", "我是能申请吗"),  # 失能
])
def test_a_slip_of_the_input_method_is_read_as_the_term_meant(typed, meant):
    from assistant.typos import corrected

    assert corrected(typed, TERMS)[0] == meant


def test_the_question_says_what_it_read_a_slip_as():
    from assistant.question import Vocabulary, understand

    asked = understand("临时就助怎么申请", (), Vocabulary(terms=TERMS))
    assert asked.text == "临时救助怎么申请"
    assert asked.corrected == (("临时就助", "临时救助"),)
    assert "临时救助" in asked.parts[0].terms
    # without the corpus's terms nothing is read otherwise
    assert understand("临时就助怎么申请").corrected == ()
