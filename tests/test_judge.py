"""The judge's signals, each a small rule with a table of real examples, and the fitted model."""

import pytest

from assistant.judge import FEATURES, decide, missing_quantity, missing_year, model, probability
from assistant.question import asked_slots


@pytest.mark.parametrize("question, slots", [
    ("申请低保要带什么材料？", ("materials",)),
    ("骗低保被查出来要罚多少钱", ("amount", "penalty")),
    ("收养登记机关应当在多长时间内进行审查？", ("duration",)),
    ("《志愿服务条例》从哪一天起施行？", ("date",)),
    ("遭了水灾想申请救助，归哪个部门管", ("where",)),
    ("低保怎么申请", ("procedure",)),
    ("特困人员是指什么人", ("conditions", "definition")),
    ("养老机构护理型床位占比目标", ()),
    ("结婚登记要花钱吗", ("fee",)),
    ("民乐县民政局的电话是多少", ("contact",)),
    ("孤儿的保障标准和认定条件", ("amount", "conditions")),
    ("我妈瘫在床上好几年了，能领什么补贴", ()),  # 好几年 tells, it does not ask
])
def test_the_slot_a_question_asks(question, slots):
    assert asked_slots(question) == slots


@pytest.mark.parametrize("question, quotes, missing", [
    ("80岁老人高龄津贴每月发多少钱？", ["完善经济困难的高龄老年人津贴制度。"], "数额（元）"),
    ("临时救助最多能给多少钱", ["临时救助金额一般不超过当地低保标准的6倍，最高3000元。"], ""),
    ("全县有多少户低保户？", ["全县共有低保对象1200户。"], ""),
    ("特困人员怎么认定？", ["无劳动能力、无生活来源。"], ""),
])
def test_a_quantity_asked_must_be_stated(question, quotes, missing):
    assert missing_quantity(question, quotes) == missing


@pytest.mark.parametrize("question, text, missing", [
    ("2030年养老床位目标是多少？", "到2025年，养老机构护理型床位占比达到55%。", "2030"),
    ("2025年护理型床位占比目标", "“十四五”时期主要发展指标", ""),
    ("护理型床位占比目标", "到2025年", ""),
])
def test_a_year_asked_must_be_in_the_passages(question, text, missing):
    from assistant.question import part

    assert missing_year(part(question).years, text) == missing


@pytest.mark.parametrize("values, reason", [
    ({"_slots": [], "_asked": ["procedure"], "_topic": "低保"}, "文件里有关于“低保”的内容，但没有写明办理流程"),
    ({"_slots": ["fee"], "_asked": ["fee"], "_topic": "结婚登记"}, "文件里有关于“结婚登记”的内容，但没有写明收费规定"),
    ({"_slots": [], "_asked": [], "_topic": "殡葬"}, "文件里有关于“殡葬”的内容，但没有直接回答这个问题"),
    ({"_slots": [], "_asked": [], "_topic": ""}, ""),
    ({"_slots": [], "_asked": [], "_topic": "低保", "_place": "杭州"}, "文件中没有关于“杭州”的这方面内容"),
])
def test_a_refusal_says_what_the_documents_hold_and_what_they_lack(values, reason):
    from assistant.judge import refusal_reason

    values = {"_place": "", "_year": "", "asks_now": 0.0, "_quantity": "", **values}
    assert refusal_reason(values) == reason


def test_the_fitted_model_is_complete_and_decides_by_its_threshold():
    fitted = model()
    assert fitted["features"] == list(FEATURES)
    assert len(fitted["coef"]) == len(fitted["mean"]) == len(fitted["scale"]) == len(FEATURES)
    assert 0 < fitted["threshold"] < 1
    values = {name: mean for name, mean in zip(fitted["features"], fitted["mean"])}
    values.update(_place="", _year="", _quantity="", _slots=[], _citations_empty=False)
    assert decide(values).answer == (probability(values) >= fitted["threshold"])
    refused = decide({**values, "_citations_empty": True, "_place": "杭州"})
    assert not refused.answer and "杭州" in refused.reason


def test_a_question_is_understood_once_into_parts():
    from assistant.question import Vocabulary, understand

    asked = understand("请问低保怎么申请？请问低保怎么申请？")
    assert [p.text for p in asked.parts] == ["请问低保怎么申请"]
    two = understand("县里护理型床位占比是多少？国家的呢？", (),
                     Vocabulary(titles=frozenset({"社会救助暂行办法"})))
    assert len(two.parts) == 2 and two.parts[0].levels == ("县",)
    assert "国家" in two.parts[1].levels
    followup = understand("那农村的呢？", ["城市低保标准怎么定？"])
    assert followup.parts[0].text == "城市低保标准怎么定，那农村的呢？"
    colloquial = understand("我奶奶瘫痪在床能领什么补贴").parts[0]
    assert "重度残疾人" in colloquial.added and "重度残疾人" in colloquial.tokens
    named = understand("《社会救助暂行办法》什么时候施行", (),
                       Vocabulary(titles=frozenset({"社会救助暂行办法"}))).parts[0]
    assert named.documents == ("社会救助暂行办法",) and "date" in named.slots
    assert understand("   ").problem == "empty" and understand("hello").problem == "not_chinese"


@pytest.mark.parametrize("question, parts", [
    ("民乐县和国家的养老机构护理型床位占比目标分别是多少？",
     ["民乐县的养老机构护理型床位占比目标是多少？", "国家的养老机构护理型床位占比目标是多少？"]),
    ("国家和省里的低保标准增速目标各是多少", ["国家的低保标准增速目标是多少", "省里的低保标准增速目标是多少"]),
    ("浙江和江苏的低保标准分别是多少", ["浙江的低保标准是多少", "江苏的低保标准是多少"]),
    # two topics, not two places: one part
    ("低保和特困的认定条件是什么", ["低保和特困的认定条件是什么"]),
])
def test_a_question_about_two_places_is_asked_of_each(question, parts):
    from assistant.question import compared_parts

    assert compared_parts(question, frozenset({"民乐县"})) == parts


@pytest.mark.parametrize("question, quote, first", [
    ("申请特困人员供养应当向哪里提出？",
     "第十六条 申请特困人员供养，由本人向户籍所在地的乡镇人民政府、街道办事处提出书面申请；"
     "本人申请有困难的，可以委托村民委员会、居民委员会代为提出申请。",
     "申请特困人员供养，由本人向户籍所在地的乡镇人民政府、街道办事处提出书面申请。"),
    ("政府投资兴办的养老机构应当优先保障哪些老年人？",
     "第四十一条 政府投资兴办的养老机构，应当优先保障经济困难的孤寡、失能、高龄等老年人的服务需求。", ""),
    ("特困人员怎么申请", "特困人员供养。申请特困人员供养。", ""),
])
def test_the_first_line_answers_in_a_sentence_that_says_something_new(question, quote, first):
    from assistant.compose import lead
    from assistant.question import part

    assert lead(part(question), quote, lambda term: 1.0) == first


def test_the_wording_prior_is_the_fitted_tfidf_and_logistic_regression():
    """judge.asked_prior reproduces, without scikit-learn, what `make train` fitted with it."""
    import sys
    from pathlib import Path

    import numpy as np

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from train_judge import fit_prior

    from assistant.judge import asked_prior, char_ngrams

    texts = ["特困人员的认定条件是什么", "低保审批要多少个工作日", "收养登记要带哪些材料",
             "志愿者是指什么人", "哄抢救灾物资会被怎么处罚", "我们市民政局的电话是多少",
             "今年高龄津贴每月发多少钱", "民政局办公地址在哪", "明年低保标准涨多少钱",
             "养老院的电话多少"]
    labels = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
    prior, held_out = fit_prior(texts, labels, [str(i) for i in range(len(texts))])
    assert len(held_out) == len(texts)
    vectorizer = TfidfVectorizer(analyzer=char_ngrams, sublinear_tf=True, min_df=2, max_features=3000)
    matrix = vectorizer.fit_transform(texts)
    model = LogisticRegression(C=1.0, max_iter=2000).fit(matrix, np.asarray(labels))
    for text in ["残疾人补贴的电话是多少", "特困人员认定要什么条件", "今年标准"]:
        expected = model.predict_proba(vectorizer.transform([text]))[0, 1]
        assert asked_prior(text, {"prior": prior}) == pytest.approx(expected, abs=1e-3)
    assert asked_prior("特困人员认定要什么条件", {"prior": prior}) > asked_prior(
        "今年民政局电话是多少", {"prior": prior})


@pytest.mark.parametrize("question, quote, said", [
    ("子女能要求老人干重活吗", "赡养人不得要求老年人承担力不能及的劳动。", "不可以，文件明确禁止。"),
    ("社会救助资金可以被挪作他用吗？", "社会救助资金实行专项管理，任何单位或者个人不得挤占挪用。", "不可以，文件明确禁止。"),
    ("单位领导硬派我们去当志愿者，这样合规吗", "任何组织和个人不得强行指派志愿者、志愿服务组织提供服务。", "不合规，文件明确禁止。"),
    # allowed under a condition: the quote says so, no verdict
    ("我们兄弟几个商量轮流养老，老人不同意也能签协议吗", "经老年人同意，赡养人之间可以就履行赡养义务签订协议。", ""),
    # a prohibition on another topic is no verdict on this one
    ("低保户能养宠物吗", "任何单位或者个人不得挤占挪用社会救助资金。", ""),
    # not a yes-no question
    ("志愿服务组织不得做什么", "不得向志愿服务对象收取或者变相收取报酬。", ""),
])
def test_a_yes_no_question_on_what_is_forbidden_is_answered_no(question, quote, said):
    from assistant.compose import verdict
    from assistant.question import part

    assert verdict(part(question), quote) == said


def test_a_figure_asked_for_now_is_given_with_its_date_and_a_caution():
    from types import SimpleNamespace

    from assistant.compose import _notes

    cited = SimpleNamespace(quote="农村低保标准由年3420元提高到4428元。",
                            hit=SimpleNamespace(date="2022-05-31", chunk=SimpleNamespace(kind="text")))
    now = _notes([cited], 2026, asks_now=True)
    assert "2022-05-31" in now[0] and "可能已经调整" in now[0]
    assert not any("可能已经调整" in note for note in _notes([cited], 2026))
