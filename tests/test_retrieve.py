"""Table tests of the retrieval rules that lift a passage (assistant/retrieve.py)."""

import pytest

from assistant.question import part
from assistant.retrieve import holds_slot, names_indicator, sentence_coverage


@pytest.mark.parametrize("question, text, held", [
    # a fee question: the sentence names the topic and says what it costs
    ("结婚登记要花钱吗", "婚姻登记收费全面取消,《民法典》增设“离婚冷静期”制度。", True),
    ("结婚登记要花钱吗", "推动实现婚姻登记“跨省通办”。", False),
    # where to go: a sentence naming the topic and an office
    ("发现有个志愿者协会乱搞，去哪儿投诉",
     "可以向民政部门、其他有关部门或者志愿服务行业组织投诉、举报。", True),
    # the slot's answer in one sentence, the topic in another, is not held
    ("发现有个志愿者协会乱搞，去哪儿投诉", "志愿者协会开展活动。民政部门负责登记。", False),
    # no slot asked: nothing to hold
    ("志愿服务是什么", "本条例所称志愿服务，是指志愿者自愿、无偿向社会提供的公益服务。", False),
])
def test_holds_slot(question, text, held):
    assert holds_slot(part(question), text) is held


@pytest.mark.parametrize("question, text, share", [
    ("婚姻登记收费", "婚姻登记收费全面取消。", 1.0),
    # 婚姻 登记 婚姻登记 in one sentence, 收费 in the next: three of four terms at most
    ("婚姻登记收费", "婚姻登记跨省通办。收费标准另定。", 0.75),
    ("婚姻登记收费", "养老床位达到823.8万张。", 0.0),
])
def test_sentence_coverage_counts_one_sentence(question, text, share):
    asked = part(question)
    assert sentence_coverage(asked, text, {t: 1.0 for t in asked.terms}) == pytest.approx(share)


@pytest.mark.parametrize("question, row, named", [
    ("养老机构护理型床位占比2025年目标?",
     "《规划》主要发展指标：养老机构护理型床位占比——单位：%；2025年目标值：≥55", True),
    ("养老机构护理型床位占比2025年目标?",
     "《规划》主要发展指标：城乡低保标准年度增速——单位：%", False),
])
def test_names_indicator(question, row, named):
    assert names_indicator(question, row) is named
