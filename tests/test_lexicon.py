"""The vocabulary files: every named pattern compiles, and says what it recognises."""

import pytest


def test_every_wording_pattern_compiles_and_is_described():
    from assistant.lexicon import pattern, rows

    table = rows("wording.tsv")
    assert len({row[0] for row in table}) == len(table)  # one pattern per name
    for row in table:
        assert len(row) == 3 and row[2].strip(), row[0]
        pattern(row[0])


@pytest.mark.parametrize("name, text, found", [
    ("now", "现在一年标准多少钱", True),
    ("now", "奶奶今年92周岁，高龄津贴一个月多少钱", False),  # 今年 of an age, not of a figure
    ("now", "我爸今年刚满80周岁，能领多少", False), ("now", "今年都90岁了，补贴多少", False),
    ("now", "奶奶今年九十二岁，每月多少", False), ("now", "今年 92岁，每月多少", False),
    ("now", "今年的高龄津贴标准是多少", True),
    ("yes_no", "结婚登记要花钱吗", True),
    # a question ending in 不 asks yes or no, as 吗 does ("能…不", "要钱不")
    ("yes_no", "村里选举能让我爸替我投票不", True), ("yes_no", "骨灰能埋自家承包的地里不？", True),
    ("yes_no", "不想跑乡镇，两项补贴在哪个上面能申请", False),
    ("permits", "不可以代为办理", False),  # 不可以 permits nothing
    ("asks_money", "护理费是多少", True),
    ("asks_money", "拉遗体的车钱能补多少啊", True), ("asks_money", "纸棺的钱给报吗，报多少", True),
    ("asks_money", "从申请到发钱要多少个工作日", False),  # a period, not a sum
    ("greeting", "您好，请问低保怎么申请", True),
])
def test_a_named_pattern_recognises_real_wording(name, text, found):
    from assistant.lexicon import pattern

    assert bool(pattern(name).search(text)) == found


def test_units_say_what_kind_of_quantity_they_are():
    from assistant.lexicon import units, year_aliases

    assert units()["块钱"] == ("元", "money") and units()["人"][1] == "people"
    assert {kind for _, kind in units().values()} == {"money", "people", "count"}
    assert year_aliases()["2020"] == ("十三五",)


def test_an_unknown_pattern_name_says_so():
    from assistant.lexicon import pattern

    with pytest.raises(KeyError, match="wording.tsv"):
        pattern("no-such-pattern")


@pytest.mark.parametrize("line, furniture", [
    ("发布时间:2017-07-13 16:55:20", True),
    ("资料来源:", True),
    ("索引号: 11340722003126629G/202312-00045", True),
    ("公开征求《某市养老服务条例（草案）》意见的公告", False),  # a title, no field
    ("公开招聘社区工作者岗位表", False),
    ("发布机构: 金社镇", True),
])
def test_a_pages_catalogue_field_is_told_from_a_title(line, furniture):
    from assistant.lexicon import furniture_line

    assert furniture_line(line) is furniture
