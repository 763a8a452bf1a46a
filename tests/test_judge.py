"""The judge's signals, each a small rule with a table of real examples, and the fitted model."""

import pytest

from assistant.judge import FEATURES, decide, model, probability
from assistant.years import missing_year
from assistant.quantities import missing_quantity, number_met
from assistant.slots import asked_slots


@pytest.mark.parametrize("question, slots", [
    ("申请低保要带什么材料？", ("materials",)),
    ("骗低保被查出来要罚多少钱", ("amount", "penalty")),
    ("收养登记机关应当在多长时间内进行审查？", ("duration",)),
    ("离婚登记的登记发证期有多长？", ("duration",)),
    ("孤儿基本生活费的初步核实和审批决定时限分别是多少？", ("duration",)),
    ("临时救助的具体金额按什么来定？", ()),  # what sets the sum: a rule, not a figure
    ("一家人一起申请临时救助，救助金额是怎么算的？", ()),
    ("临时救助金额是多少", ("amount",)),
    ("细则的有效期多长？", ("duration",)),
    ("某县民政站周六能去办高龄补贴吗", ("hours",)),  # 能去办 as 能办
    ("退伍回来不按时去报到会咋样", ("penalty",)),  # what follows a breach
    ("某县高龄补贴什么时间能去办", ("hours",)),
    ("多长的公示期", ()),
    ("《志愿服务条例》从哪一天起施行？", ("date",)),
    ("遭了水灾想申请救助，归哪个部门管", ("where",)),
    ("低保怎么申请", ("procedure",)),
    ("两口子想去某县扯证要带些啥", ("materials",)),  # 带些啥, 带点什么, 带哪些: what to bring
    ("带孩子去哪里办", ("where",)),  # 带 a person along asks for nothing to bring
    ("特困人员是指什么人", ("conditions", "definition")),
    # what one must reach to count as something: a definition's threshold ("…是指六十周岁以上")
    ("多大岁数才算老年人", ("age", "definition")),
    ("委托书得找谁证明才算数", ("where", "materials")),  # 才算数: valid, nothing defined
    ("养老机构护理型床位占比目标", ()),
    ("结婚登记要花钱吗", ("fee",)),
    ("办离婚证收钱不", ("fee",)),
    ("区里会不会花钱请第三方机构来照顾孩子？", ()),  # the government spends: no fee asked
    ("民乐县民政局的电话是多少", ("contact",)),
    ("救助站的电话？", ("contact",)),
    ("子女一年到头不来看、电话也不打，算尽到赡养义务了吗", ()),  # a call not made, no number asked
    ("养老院乱收钱，归哪个部门管", ("where",)),  # who to complain to, not what it costs
    ("浙江省低保家庭成员申请就业救助，应当向哪个机构提出？", ("where",)),
    ("社区居委会到底算什么单位", ()),  # what kind of body it is, not where to go
    ("孤儿的保障标准和认定条件", ("amount", "conditions")),
    ("我妈瘫在床上好几年了，能领什么补贴", ()),  # 好几年 tells, it does not ask
    ("县里新建的殡仪馆建在哪个位置", ("location",)),
    ("我有没有资格申请低保", ("conditions",)),
    ("全县有多少人拿到了社工职业资格证", ()),  # a certificate named, no eligibility asked
    ("想去社区当医疗志愿者，需要有执业资格吗", ("conditions",)),
    ("慈善组织开展公开募捐需要取得什么资格？", ("conditions",)),
    # a qualification held, kept or had, not asked for
    ("社区工作者拿到社会工作职业资格后有没有额外津贴", ()),
    ("入伍前保留了入学资格，退伍后多长时间内可以去报到？", ("duration",)),
    ("那些日间照料中心都在哪些社区", ("location",)),
    # what is forbidden: a sentence saying 不得/禁止 answers it
    ("彩票代销者不能干什么", ("forbidden",)),
    ("养老机构有哪些禁止行为", ("forbidden",)),
    ("不能申请低保的有哪些人", ("conditions",)),  # who may not apply: a condition
    # the last clause asks; the clauses before it tell the circumstances
    ("村干部把低保批给了亲戚，人家根本不符合条件，这事谁来管", ("where",)),
    ("他根本不符合条件，也能批下来吗", ("conditions",)),  # the last asks for nothing of a kind
    # a sum per person, month or year (a deployer's 补贴标准 table had been asked so)
    ("一级重度残疾人护理补贴每月多少", ("amount",)),
    ("孤儿每人能领多少钱？", ("amount",)),
    ("每年多少人申请低保", ()),  # a count of people, not a sum
    ("临时救助最多是低保标准的几倍", ("amount",)),  # a multiple of a sum
    ("南京老人几岁开始能领高龄津贴？", ("age",)),
    ("打什么电话咨询？", ("contact",)),
    ("失能老人每月上门照料最少几个小时？", ("duration",)),
    ("残疾人两项补贴在哪交申请", ("where",)),
    ("补贴批下来以后从哪个月开始算钱", ("date",)),
    ("全国农村低保标准是在哪一年全部达到国家扶贫标准的", ("date",)),  # a year, not a place
    # asked of the document itself: its record, not a date or an office the policy sets
    ("桓台县《孤儿福利政策》的发文日期是哪一天？", ("issued",)),
    ("倡议的落款日期是？", ("issued",)),
    ("垣曲县提高农村低保标准的通知文号是什么？", ("number",)),
    ("那个孤儿福利政策是哪个单位发的", ("issuer",)),
    ("两项补贴由哪个部门发放？", ("where",)),  # paid out, not issued
])
def test_the_slot_a_question_asks(question, slots):
    assert asked_slots(question) == slots


@pytest.mark.parametrize("question, quotes, missing", [
    ("80岁老人高龄津贴每月发多少钱？", ["完善经济困难的高龄老年人津贴制度。"], "数额（元）"),
    ("临时救助最多能给多少钱", ["临时救助金额一般不超过当地低保标准的6倍，最高3000元。"], ""),
    ("全县有多少户低保户？", ["全县共有低保对象1200户。"], ""),
    ("特困人员怎么认定？", ["无劳动能力、无生活来源。"], ""),
    ("政府应当确保该家庭至少几人就业？", ["应当确保该家庭至少有一人就业。"], ""),
    ("骗低保被查出来要罚多少钱", ["并处冒领金额一倍以上三倍以下的罚款。"], ""),
    # a share or a multiple is a quantity stated; "几个人" asks people
    ("罢免村委会成员投票，要多少人通过？", ["须有登记参加选举的村民过半数投票，并须经投票的村民过半数通过。"], ""),
    ("立过二等功，退役金能多发多少？", ["立功的退役士兵，由部队按照下列比例增发一次性退役金：\n"
                                       "(一)荣获一等功的，增发15%；\n(二)荣获二等功的，增发10%；"], ""),
    ("因战一级残疾的护理费是多少钱？", ["护理费按照当地职工月平均工资的50%发给。"], ""),
    ("中心敬老院每张床补贴多少钱？", ["年底前全省中心敬老院护理型床位占比达到40%。"], "数额（元）"),
    ("每新增一张床位，政府给多少建设补助？", ["支持社会力量新增养老床位。"], "数额（元）"),
    ("居委会由几个人组成？", ["居民委员会由主任、副主任和委员共五至九人组成。"], ""),
    ("居委会由几个人组成？", ["居民委员会由主任、副主任和委员组成。"], "数额（人）"),
    ("一个居委会管几个小区？", ["居民委员会根据居民居住状况设立。"], "数额（个）"),
    ("应急响应分为几级？", ["(五)自然灾害救助应急响应的等级和相应措施。"], "数目（级）"),
    ("应急响应分为几级？", ["启动第一级响应。"], "数目（级）"),  # an ordinal is no count
    ("补助对象有多少人？", ["补助对象共1200人。"], ""),  # people asked, not money
    ("民政有多少种补贴？", ["共有三种补贴。"], ""),
    ("退役金能多发多少？", ["按照国家标准，护理型床位占比达到40%。"], "数额（元）"),
    ("全省有多少家养老机构？", ["护理型床位占比达到55%。"], "数额（家）"),  # a share is no count of homes
    ("规划设置了几项主要指标？", ["《规划》共设置9项主要指标。"], ""),
    # 几个月, 多少个工作日 ask a period, stated as a count of 个 all the same
    ("救助最少能给几个月的低保？", ["提高至最低救助3个月低保标准。"], ""),
    ("多少个工作日内审批？", ["自收到初审意见之日起五个工作日内予以审批。"], ""),
    ("多少个工作日内审批？", ["由县级人民政府民政部门审批。"], "数字"),  # a period, no count of 个
    # a number of no known unit: any number stated answers, none does not
    ("新建小区要给特困老人预留多少床位？", ["应当预留一定比例的特困老年人床位。"], "数字"),
    ("老人住院，子女能请几天护理假？", ["给予其子女一定时间的护理照料假。"], "数字"),
    ("新建小区要给特困老人预留多少床位？", ["第五十五条 应当预留一定比例的特困老年人床位。"], "数字"),  # no number
    ("村里发救灾款，发给了谁、发了多少要公开吗", ["救助款物的发放情况应当公开。"], ""),  # asks whether
    ("失能老人每月免费照料最少几个小时？", ["每月免费提供不少于四十八小时的照料服务。"], ""),
    ("养老用房按什么比例配建？", ["按照每百户不少于三十平方米的标准配建。"], ""),
    # a table row: the unit in its column's header (a deployer's 补贴标准.md had been refused)
    ("一级重度残疾人护理补贴每月多少钱", ["《某县补贴标准》（县级）：类别：护理补贴；对象：一级重度残疾人；"
                               "标准（元/月）：120。"], ""),
    ("一级重度残疾人护理补贴每月多少钱", ["《某县补贴标准》（县级）：类别：护理补贴；备注：按月（元）发放。"],
     "数额（元）"),
    ("结婚登记费用是多少", ["婚姻登记收费全面取消,《中华人民共和国民法典》增设“离婚冷静期”制度。"], ""),  # free
    # 个 counts whatever is counted: people in a yearbook's row
    ("2021年农村低保里残疾人有多少个？", ["农村最低生活保障人数(人)其中：残疾人——2021年（人）：100460。"], ""),
    # 哪几条 asks which ones, a list: no count is missing
    ("低保要坚持哪几条原则？", ["最低生活保障坚持规范运行、分类施保、应保尽保。"], ""),
    # 多少万 asks a sum in 万元: a date is no sum (a standards notice had been quoted as one)
    ("家庭金融资产人均不能超过多少万？", ["金融资产的人均金额标准自2025年6月1日起按新标准计算执行。"], "数额（元）"),
    ("项目总投资多少万元", ["项目汇总表（单位：万元）：殡仪服务中心——总投资：800。"], ""),
    ("人才总量目标是多少万人", ["社会工作专业人才总量——单位：万人；2025年目标值：200。"], ""),
])
def test_a_quantity_asked_must_be_stated(question, quotes, missing):
    assert missing_quantity(question, quotes) == missing


@pytest.mark.parametrize("question, quotes, met", [
    ("一个居委会一般管多少户？", ["一般在一百户至七百户的范围内设立。"], 1.0),
    ("需要多少村民联名？", ["本村五分之一以上有选举权的村民联名"], 1.0),
    ("罢免要多少人同意？", ["须经投票的村民过半数通过。"], 1.0),
    ("收养登记要几天？", ["收养登记机关应当进行审查。"], -1.0),
    ("低保怎么申请？", ["向乡镇人民政府提出。"], 0.0),
    ("一年能申请几次临时救助？", ["给予一次性临时救助。"], -1.0),  # 一次性 is no number
    ("风险分为几档？", ["分为高、中、低三档。"], 1.0),
])
def test_a_number_asked_and_a_number_stated(question, quotes, met):
    assert number_met(question, quotes) == met


@pytest.mark.parametrize("question, text, missing", [
    ("2030年养老床位目标是多少？", "到2025年，养老机构护理型床位占比达到55%。", "2030"),
    ("2025年护理型床位占比目标", "“十四五”时期主要发展指标", ""),
    ("护理型床位占比目标", "到2025年", ""),
    # a year in the title of a document the quote cites is that document's
    ("2024年某市低保标准是多少", "本通知有效期1年。《关于提高我市2024年最低生活保障标准的通知》同时废止。",
     "2024"),
])
def test_a_year_asked_must_be_in_the_quote(question, text, missing):
    from assistant.question import part

    assert missing_year(part(question).years, text) == missing


@pytest.mark.parametrize("values, reason", [
    ({"_slots": ["procedure"], "_asked": ["procedure"], "_topic": "低保"}, "文件里有关于“低保”的内容，但没有写明办理流程"),
    # the quote names 收费 (婚姻登记收费全面取消): not "没有写明收费规定"
    ({"_slots": [], "_asked": ["fee"], "_topic": "结婚登记"}, "文件里有关于“结婚登记”的内容，但没有直接回答这个问题"),
    ({"_slots": ["fee"], "_asked": ["fee"], "_topic": "结婚登记"}, "文件里有关于“结婚登记”的内容，但没有写明收费规定"),
    ({"_slots": ["location"], "_asked": ["location"], "_topic": "殡仪馆"}, "文件里有关于“殡仪馆”的内容，但没有写明具体位置"),
    ({"_slots": [], "_asked": [], "_topic": "殡葬"}, "文件里有关于“殡葬”的内容，但没有直接回答这个问题"),
    ({"_slots": [], "_asked": [], "_topic": ""}, ""),
    ({"_slots": [], "_asked": [], "_topic": "低保", "_place": "杭州"}, "文件中没有关于“杭州”的这方面内容"),
    ({"_slots": [], "_asked": [], "_topic": "第一", "_missing": "第一百条"}, "现有文件中没有第一百条"),
    # a year asked: not of that year's anything (the documents are full of 2025 targets)
    ({"_slots": [], "_asked": ["amount"], "_topic": "低保标准", "_year": "2025"},
     "文件里有关于“低保标准”的内容，但没有2025年的具体金额或标准"),
    ({"_slots": [], "_asked": [], "_topic": "", "_year": "2019"}, "文件中没有2019年的相关内容"),
])
def test_a_refusal_says_what_the_documents_hold_and_what_they_lack(values, reason):
    """(An article named that no document has is always refused: judge.decide.)"""
    from assistant.judge import refusal_reason

    values = {"_place": "", "_year": "", "_now": False, "_quantity": "", **values}
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


def test_the_wording_prior_is_the_fitted_tfidf_and_logistic_regression():
    """prior.asked_prior reproduces, without scikit-learn, what `make train` fitted with it."""
    import sys
    from pathlib import Path

    import numpy as np

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from train_judge import fit_prior

    from assistant.prior import PRIOR_FLOOR, asked_prior, char_ngrams

    texts = ["特困人员的认定条件是什么", "低保审批要多少个工作日", "收养登记要带哪些材料",
             "志愿者是指什么人", "哄抢救灾物资会被怎么处罚", "我们市民政局的电话是多少",
             "今年高龄津贴每月发多少钱", "民政局办公地址在哪", "明年低保标准涨多少钱",
             "养老院的电话多少"]
    labels = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
    prior, held_out = fit_prior(texts, labels, [str(i) for i in range(len(texts))])
    assert len(held_out) == len(texts)
    vectorizer = TfidfVectorizer(analyzer=char_ngrams, sublinear_tf=True, min_df=2, max_features=1500)
    matrix = vectorizer.fit_transform(texts)
    model = LogisticRegression(C=1.0, max_iter=2000).fit(matrix, np.asarray(labels))
    for text in ["残疾人补贴的电话是多少", "特困人员认定要什么条件", "今年标准"]:
        expected = max(model.predict_proba(vectorizer.transform([text]))[0, 1], PRIOR_FLOOR)
        assert asked_prior(text, {"prior": prior}) == pytest.approx(expected, abs=1e-3)
    assert asked_prior("特困人员认定要什么条件", {"prior": prior}) > asked_prior(
        "今年民政局电话是多少", {"prior": prior})


@pytest.mark.parametrize("question, floored", [
    ("民政局的电话是多少", True),  # an n-gram weighed far against: the prior stops at its floor
    ("离婚登记需要哪些材料", False),  # nothing it knows: the intercept alone
])
def test_the_wording_prior_never_refuses_alone(question, floored):
    """However a question is worded, the prior goes no lower than PRIOR_FLOOR: the evidence
    decides whether the documents answer it."""
    from assistant.prior import PRIOR_FLOOR, asked_prior

    fitted = {"prior": {"ngrams": {"电话": [1.0, -30.0]}, "intercept": 1.0}}
    value = asked_prior(question, fitted)
    assert value == PRIOR_FLOOR if floored else value > PRIOR_FLOOR


def test_the_threshold_is_read_from_each_corpus_left_out():
    """make train cuts where a judge fitted on the other corpora separates the left-out one's
    answerable parts from its out-of-scope ones."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))
    from train_judge import corpus_held_out_threshold

    asked = ["特困人员的认定条件是什么", "收养登记要带哪些材料", "志愿者是指什么人",
             "我们市民政局的电话是多少", "今年高龄津贴每月发多少钱", "民政局办公地址在哪"]
    rows, labels, groups, outside, texts = [], [], [], [], []
    for corpus in ("a", "b", "c"):
        for i, text in enumerate(asked):
            answerable = i < 3
            row = [0.0] * len(FEATURES)
            row[FEATURES.index("coverage")] = (0.9 if answerable else 0.3) + 0.01 * i
            rows.append(row)
            labels.append(int(answerable))
            outside.append(not answerable)
            groups.append(f"{corpus}/{i}")
            texts.append(text)
    threshold, accuracy = corpus_held_out_threshold(rows, labels, groups, outside, texts,
                                                    [0.0] * len(rows), FEATURES)
    assert 0.2 <= threshold <= 0.8 and accuracy == 1.0


@pytest.mark.parametrize("terms, never_used, kept", [
    # an everyday word the documents never use counts once, not once per piece
    (("两口", "口子", "两口子", "离婚"), {"两口", "口子", "两口子"}, ("两口子", "离婚")),
    (("交上", "上去", "交上去", "申请"), {"交上", "交上去"}, ("交上去", "申请")),
    # pieces of a word the documents use stay: 结婚 is held where a passage says 结婚
    (("结婚", "登记", "结婚登记"), set(), ("结婚", "登记", "结婚登记")),
    # a corpus saying 婚姻登记, never 结婚登记: the word counts once (its policy words 婚姻登记)
    (("结婚", "登记", "结婚登记", "花钱"), {"结婚登记"}, ("结婚登记", "花钱")),
])
def test_the_pieces_of_a_word_the_corpus_never_uses_are_not_counted(terms, never_used, kept):
    from assistant.judge import whole_words

    def idf(term):  # rarest for a word no passage holds
        return 9.0 if term in never_used or term == "\x00" else 2.0

    assert tuple(whole_words({t: (t,) for t in terms}, idf)) == kept


@pytest.mark.parametrize("question, read", [
    ("金牛区民政局的电话是多少", "某地民政局的电话是多少"),
    ("在威海有难处了打哪个热线找政府", "在某地有难处了打哪个热线找政府"),
    ("农村老人在城乡有啥补贴", "农村老人在城乡有啥补贴"),
    ("请问低保怎么申请？", "低保问？"),
    ("您好，想咨询一下，低保怎么申请", "低保问"),
    # whether the documents hold a procedure, materials, an office or conditions is theirs to say
    ("离婚要带什么材料，去哪办", "离婚要问问，问办"),
    ("特困人员认定要什么条件", "特困人员认定要什么问"),
    ("残疾人补贴每月发多少钱", "残疾人补贴每月发多少钱"),  # an amount is seldom held: kept
])
def test_the_wording_prior_reads_the_question_with_its_places_masked(question, read):
    from assistant.prior import wording
    from assistant.question import understand

    assert wording(understand(question).parts[0]) == read


def test_a_place_of_the_corpus_is_masked_in_its_short_form_too():
    from assistant.prior import wording
    from assistant.question import Vocabulary, understand

    asked = understand("金牛农村低保一年多少钱", (), Vocabulary(places=frozenset({"金牛区"}))).parts[0]
    assert wording(asked, frozenset({"金牛区"})) == "某地农村低保一年多少钱"


@pytest.mark.parametrize("places, text, regions, missing", [
    (("杭州",), "上海市殡葬管理条例 第二十四条 运至殡仪馆的遗体应当在十五日内火化", ("上海",), "杭州"),
    (("浙江",), "浙江省社会救助条例 第十一条 申请最低生活保障……", ("浙江",), ""),
    ((), "任何文字", (), ""),
    # a place within a province is held by a text on the province
    (("北京郊区",), "北京市居家养老服务条例 第十条 ……", ("北京",), ""),
    # a city by a document of its province; not by one that only mentions the province
    (("杭州",), "浙江省社会救助条例 第十一条 申请最低生活保障……", ("浙江",), ""),
    (("宁波市",), "浙江平湖启动失智症照护专区建设", ("全国",), "宁波市"),
    # a county named with its city: a neighbouring district's guide does not hold it …
    (("长沙", "岳麓区"), "城乡居民最低生活保障办事指南 长沙市天心区", ("长沙市天心区",), "岳麓区"),
    # … a document of its city does, and so does one of the county itself
    (("长沙市", "岳麓区"), "长沙市临时救助实施细则 第八条 ……", ("长沙",), ""),
    (("长沙", "天心区"), "城乡居民最低生活保障办事指南 长沙市天心区", ("长沙市天心区",), ""),
])
def test_a_place_asked_must_be_in_the_passages(places, text, regions, missing):
    from assistant.places import missing_place

    assert missing_place(places, text, regions) == missing


def test_a_refusal_names_the_topic_the_first_passages_speak_of_most():
    from types import SimpleNamespace

    from assistant.judge import topic

    def hit(text):
        return SimpleNamespace(chunk=SimpleNamespace(text=text, section_path=""), title="")

    terms = {"低保": ("低保", "最低生活保障"), "申请": ("申请",), "怎么": ("怎么",)}
    hits = [hit("低保标准提高。"), hit("最低生活保障审核确认。"), hit("申请低保的家庭。")]
    assert topic(terms, hits) == "低保"
    assert topic(terms, [hit("养老床位")]) == ""
    # named in the documents' words, not the asker's
    fee = {"花钱": ("花钱", "收费", "费用"), "结婚": ("结婚",)}
    assert topic(fee, [hit("婚姻登记收费全面取消。"), hit("收费标准另定。")]) == "收费"


@pytest.mark.parametrize("question, level, applies", [
    # a national rule on who may marry where holds in 上海 too
    ("我户口在南京，对象户口在杭州，我们俩能在上海领证吗", "国家", True),
    # an amount or an office is set or found locally
    ("北京市残疾人两项补贴的标准是多少", "国家", False),
    ("宁波市救助管理站在哪儿", "国家", False),
    # a provincial passage does not speak for another province
    ("我们俩能在上海领证吗", "省", False),
])
def test_a_national_rule_answers_for_a_place_unless_a_local_slot_is_asked(question, level, applies):
    from types import SimpleNamespace

    from assistant.judge import place_applies
    from assistant.question import part

    assert place_applies(part(question), [SimpleNamespace(level=level)]) is applies



@pytest.mark.parametrize("named, documents, missing", [
    (("第一百条",), (), "第一百条"),
    (("第二条",), (), ""),
    ((), (), ""),
    # the document named has no 第九条, another one has: its 第九条 is no answer
    (("第九条",), ("某县实施细则",), "《某县实施细则》第九条"),
    (("第二条",), ("某县实施细则",), ""),
])
def test_an_article_named_that_no_document_has(named, documents, missing):
    from types import SimpleNamespace

    from assistant.named import missing_article

    articles = {"第一条": [SimpleNamespace(doc="a.md"), SimpleNamespace(doc="b.txt")],
                "第二条": [SimpleNamespace(doc="b.txt")], "第九条": [SimpleNamespace(doc="a.md")]}
    citations = {"a.md": {"title": "社会救助暂行办法"}, "b.txt": {"title": "某县实施细则"}}
    assert missing_article(named, articles, documents, citations) == missing


@pytest.mark.parametrize("question, missing", [
    ("《低收入人口认定办法》是哪一年出台的？", "《低收入人口认定办法》"),  # neither is nor is named
    ("《社会救助暂行办法》第二条说什么", ""),  # a document's own title
    ("《社会救助办法》里低保怎么申请", ""),  # a title as people misremember it
    ("辰溪县调整低保标准是否依据了《城市居民最低生活保障条例》？", ""),  # one a passage cites
    ("民政部出的《行政区划代码管理办法》从什么时候起施行？", "《行政区划代码管理办法》"),
    ("低保怎么申请", ""),
    # the documents' abbreviation (以下简称《规划》) is no title a longer one holds
    ("《全国低收入人口认定规划》是哪一年出台的", "《全国低收入人口认定规划》"),
])
def test_a_document_named_that_the_documents_neither_are_nor_name(question, missing):
    from assistant.named import unknown_document

    titles = frozenset({"社会救助暂行办法", "特困人员认定办法", "城市居民最低生活保障条例",
                        "行政区划管理条例", "规划"})
    assert unknown_document(question, titles) == missing


_FEES = "(1)遗体运接费,最高补贴额度390元;\n(2)冷藏(冻)费,最高补贴额度300元;\n(3)火化费,最高补贴额度240元;"


@pytest.mark.parametrize("question, quote, document, missing", [
    # the list's figures are for the others of its kind; 整容 is nowhere in the document
    ("某区惠民殡葬补贴中遗体整容费的补贴额度是多少？", _FEES, _FEES,
     "“整容费”，所列的只有运接费、冷藏费、火化费"),
    ("某区遗体火化费最高补多少", _FEES, _FEES, ""),  # listed
    ("某区遗体整容费补多少", _FEES, _FEES + "遗体整容、化妆按实际发生费用补贴。", ""),  # written elsewhere
    ("某区遗体整容费补多少", "(1)遗体运接费,最高补贴额度390元;", _FEES, ""),  # one, not a list
    # a verb after a word ("自己" "养") is no item of a kind
    ("在路边捡了个弃婴想自己养，收养登记得去哪儿办",
     "(一)收养人的居民户口簿;\n(二)抚养、教育被收养人的能力;", "收养、抚养", ""),
])
def test_an_item_of_a_kind_the_quote_lists_others_of(question, quote, document, missing):
    from assistant.named import unlisted_item
    from assistant.question import part

    assert unlisted_item(part(question), quote, document) == missing


@pytest.mark.parametrize("question, title, document, missing", [
    # 离婚 maps to 离婚登记, which the guide never writes; its title names 结婚登记, and 结婚 maps
    # to 婚姻登记 as 离婚 does (data/synonyms.tsv)
    ("两口子想在某县离婚要带啥材料", "结婚登记办理指南", "离婚、丧偶当事人应当提供法院生效司法文书",
     "“离婚登记”的内容，文件讲的是结婚登记"),
    ("离婚的人再结婚要带什么材料", "结婚登记办理指南", "离婚、丧偶当事人", ""),  # names 结婚
    ("某县离婚登记要带啥", "婚姻登记条例", "第十一条 办理离婚登记的…", ""),  # written there
    # 户口 and 婚姻 map to no common term: 户口 is no other procedure of the title's kind
    ("下个月领证，我俩都是本地户口，要带什么材料去？", "婚姻登记条例", "本人的户口簿、身份证", ""),
])
def test_a_procedure_the_document_is_not_about(question, title, document, missing):
    from assistant.named import another_procedure
    from assistant.question import part

    assert another_procedure(part(question), title, document) == missing


@pytest.mark.parametrize("prior, tabled, given", [
    (0.5, 1.0, 0.75),  # a table row states the sum asked: the wording says no less than the mean
    (0.9, 1.0, 0.9),
    (0.5, 0.0, 0.5),
])
def test_a_table_row_stating_the_sum_asked_lifts_the_wording_prior(prior, tabled, given):
    from assistant.judge import prior_given

    assert prior_given(prior, tabled) == given


def _cited(text: str, quote: str, section: str = "", title: str = ""):
    from types import SimpleNamespace

    return SimpleNamespace(quote=quote, hit=SimpleNamespace(
        title=title, chunk=SimpleNamespace(text=text, section_path=section)))


@pytest.mark.parametrize("question, text, quote, section, missing", [
    # a list of targets opened by the year asked
    ("莆田到2020年机构养老床位要达到多少张？", "到2020年,全面建成养老服务体系。——全市机构养老床位至少需达到15800张以上。",
     "——全市机构养老床位至少需达到15800张以上。", "", ""),
    # a work summary's figures under the year's heading
    ("2022年9月当月发放低保资金多少？", "9月份,当月共发放资金572.4万元。", "9月份,当月共发放资金572.4万元。",
     "一、2022年工作总结", ""),
    # the passage after the quote is of another year: not what the quote is said of
    ("2023年低保标准是多少？", "低保标准为每月600元。2023年起另行公布。", "低保标准为每月600元。", "", "2023"),
    # the nearest scope naming a year decides: a 十四五 plan's look back at 十三五 is of 2020
    ("2025年城市低保标准一年多少钱", "“十三五”时期，城市低保标准由5016元提高到6934元。",
     "城市低保标准由5016元提高到6934元。", "某县“十四五”民政事业发展规划 > 发展基础", "2025"),
    ("2025年城市低保标准一年多少钱", "城市低保标准年度增速不低于消费支出增速。",
     "城市低保标准年度增速不低于消费支出增速。", "某县“十四五”民政事业发展规划 > 主要任务", ""),
])
def test_a_year_asked_is_held_by_the_quote_or_what_scopes_it(question, text, quote, section, missing):
    from assistant.years import year_scope
    from assistant.question import part

    assert missing_year(part(question).years, year_scope(_cited(text, quote, section))) == missing


@pytest.mark.parametrize("question, sentence, states", [
    ("南京老人几岁开始能领高龄津贴？", "八十周岁以上的老年人，按月发放高龄津贴。", True),
    ("南京老人几岁开始能领高龄津贴？", "高龄津贴由市人民政府另行规定。", False),
    ("泾县给低保户发的一次性生活补贴总共发了多少钱？", "发放城乡低保一次性生活补贴245.1万元。", True),
    ("一次性生活补贴发了多少钱？", "做好一次性生活补贴发放工作。", False),
    ("低保去哪里申请？", "向户籍所在地的乡镇人民政府提出书面申请。", True),
    ("婚姻登记中心在哪儿", "办公地址：民政局地址为致远路399号", True),  # an address says where
    ("婚姻登记中心在哪儿", "办公时间：周一至周五", False),
    ("婚姻登记中心在哪儿", "户籍地址证明。", False),  # a material named 地址 is no address
    ("婚姻登记中心周六上班吗", "周一至周五,夏季上午8:30-12:00;下午:3:00-6:30", True),  # its hours
    ("婚姻登记中心周六上班吗", "办理机构：民政局婚姻登记中心", False),
    ("补贴批下来以后从哪个月开始算钱", "资格审定合格的残疾人自递交申请当月计发补贴。", True),
    ("孤儿福利政策的发文日期是哪一天？", "发文日期: 2020-07-21 发布机构: 桓台县民政局", True),
    ("孤儿福利政策的发文日期是哪一天？", "(四)保障标准:每人每月920元。", False),
    ("那个通知的文号是什么？", "辰溪县人民政府办公室 辰政办发〔2014〕6号", True),
    # a list item's number states no sum; nor does a year, a date or a document's number
    ("某区农村低保标准是多少", "4.区政府《某区城市居民最低生活保障办法》", False),
    ("某市2024年低保标准是多少", "《关于提高我市2024年最低生活保障标准的通知》（某民规字〔2024〕5号）同时废止。", False),
    ("某县低保标准是多少", "自2022年1月1日起执行。", False),
    ("失能老人居家养老服务资助标准多少", "1.80周岁及以上的；", False),  # an age is no sum
    ("某区低保标准是多少", "3. 最低生活保障家庭、最低生活保障边缘家庭", False),  # an item's number
    ("服务资助一个月多少", "优抚对象、80周岁及以上的老年人等4类人员中独居的", False),  # a count of kinds
    ("某区低保标准是多少", "农村低保标准为每人每月3.5元", True),  # a decimal is one
    ("某县低保标准是多少", "城市低保标准由5016元提高到6934元。", True),
    ("某区农村低保标准是多少", "(2)农村低保标准为每人每月800元;", True),
])
def test_a_sentence_states_what_is_asked(question, sentence, states):
    from assistant.judge import states_asked
    from assistant.question import part

    assert states_asked(part(question), sentence) == states


@pytest.mark.parametrize("question, row, asked", [
    ("在洛川办高龄补贴要交钱不", "《高龄老人津贴申请》（县级）：收费依据及标准：免费。\n原表行：免费", True),
    ("洛川办高龄补贴要带啥东西", "《高龄老人津贴申请》（县级）：办理材料：身份证原件、农行卡。", True),
    ("洛川办高龄补贴要带啥东西", "《高龄老人津贴申请》（县级）：收费依据及标准：免费。", False),  # another field
    ("孤儿每月多少钱", "《某县标准》（县级）：项目：孤儿基本生活费；城市（元/月）：1500。", False),  # no form
    # a document of no level, a value listing several items
    ("办低保要带啥东西", "《某县低保办事指南》：申请材料：1.申请书；2.户口簿、身份证。", True),
])
def test_a_forms_field_named_for_what_is_asked(question, row, asked):
    from assistant.lookups import form_field_asked
    from assistant.question import part

    assert form_field_asked(part(question), row) is asked


@pytest.mark.parametrize("question, quotes, title, missing", [
    # two years asked, each held by its own quote
    ("2020年和2025年城市低保标准分别是多少", ["2020年城市低保标准为每人每月418元。",
                                         "2025年城市低保标准为每人每月578元。"], "", ""),
    ("2020年和2025年城市低保标准分别是多少", ["2020年城市低保标准为每人每月418元。"], "", "2025"),
    # a date a standard applies from is not the year it is of: the title says which
    ("2025年城市低保标准是多少", ["自2024年12月1日起，城市低保标准调整为每人每月900元。"],
     "关于公布2025年城乡低保标准的通知", ""),
    ("2023年城市低保标准是多少", ["自2024年12月1日起，城市低保标准调整为每人每月900元。"],
     "关于公布2025年城乡低保标准的通知", "2023"),

    # no scope names which year it is of: a document's number holds the year it gives
    ("莆政综〔2014〕76号这个文件还有效吗", ["本意见自印发之日起施行。"],
     "莆田市人民政府关于加快发展养老服务业的实施意见(莆政综〔2014〕76号)", ""),
])
def test_each_year_asked_is_held_by_some_quote(question, quotes, title, missing):
    from assistant.years import unheld_year, year_scope
    from assistant.question import part

    scopes = [year_scope(_cited(q, q, "", title)) for q in quotes]
    assert unheld_year(part(question).years, scopes) == missing


@pytest.mark.parametrize("question, quote, title, listed", [
    ("电厂这边骨灰盒能补多少钱", "(4)卫生纸棺费,最高补贴额度200元;\n(5)骨灰盒费,最高补贴额度200元;", "", True),
    ("某镇临时救助一次能给多少钱", "市县标准:2000元/人/次。", "", False),  # the label names nothing asked
    # …but the guide it is a field of does: its fields do not repeat what it is about
    ("某镇临时救助一次能给多少钱", "市县标准:2000元/人/次。", "某镇临时救助办事指南", True),
    ("在某县领结婚证男的要满多少岁", "(三)当事人男年满22周岁,女年满20周岁;", "结婚登记办理指南", True),
    ("在某县领结婚证男的要满多少岁", "(三)当事人男年满22周岁,女年满20周岁;", "", False),
    ("某县离婚要满多少岁", "(三)当事人男年满22周岁,女年满20周岁;", "结婚登记办理指南", False),
    ("临时救助标准:一次能给多少钱", "临时救助标准:2000元/人/次。", "", True),
    # an item that states no sum, or a sum of something else
    ("骨灰盒能补多少钱", "(2)火化证原件及复印件3份;", "", False),
    ("骨灰盒能补多少钱", "(3)火化费,最高补贴额度240元;", "", False),
    # a sentence of a paragraph is no lookup
    ("骨灰盒能补多少钱", "对选用骨灰盒的，给予200元补贴。", "", False),
    # a period, an age: the figure its slot asks
    ("离婚登记的登记发证期有多长？", "2、登记发证期计算。自冷静期届满之日的次日开始计算30日。", "", True),
    ("离婚登记的登记发证期有多长？", "1、冷静期计算。自发放回执单之日的次日开始计算30日。", "", False),
    ("高龄补贴几岁能领", "(一)高龄补贴发放对象为年满80周岁的老年人;", "", True),
    ("高龄补贴怎么申请", "申请条件:本县户籍年满70周岁的老年人。", "", False),  # no figure asked
    ("孤儿生活费去哪儿申请", "(三)审批程序:申请:由孤儿监护人向户籍所在地街道办事处提出申请;", "", True),
])
def test_a_list_item_stating_the_figure_asked_is_a_lookup(question, quote, title, listed):
    from assistant.lookups import listed_figure
    from assistant.question import part

    asked = part(question)
    terms = dict(zip(asked.terms, asked.alternatives))
    assert listed_figure(asked, quote, terms, title) == listed


@pytest.mark.parametrize("question, section, headed", [
    ("办惠民殡葬补贴要带啥材料", ("惠民殡葬补贴", "所需材料"), True),
    ("桓台孤儿生活费交了申请以后要走哪些步骤", ("孤儿福利政策", "办理流程"), True),
    ("办惠民殡葬补贴要带啥材料", ("惠民殡葬补贴", "享受条件"), False),
    ("办惠民殡葬补贴要带啥材料", ("惠民殡葬补贴",), False),  # the document's title heads no section
    # a heading naming a slot not asked besides the one asked: a fee's standard
    ("某区农村低保标准是多少", ("城乡居民最低生活保障", "收费标准"), False),
    ("办低保收费标准是多少", ("城乡居民最低生活保障", "收费标准"), True),
    ("办低保要不要收费", ("城乡居民最低生活保障", "收费标准"), True),  # the fee asked
])
def test_a_guides_section_headed_by_what_is_asked(question, section, headed):
    from assistant.lookups import heads_slot
    from assistant.question import part
    from assistant.schema import Chunk, Hit

    hit = Hit(chunk=Chunk(id="a", doc="a.md", text="……", section=section), score=1.0)
    assert heads_slot(part(question), hit) == headed


def test_a_question_naming_its_document_is_judged_by_its_passages_closeness(index):
    """Of a question naming its document ("《志愿服务条例》从哪一天起施行"), the closest passage
    (embedded with the title) weighs as the closest sentence: the sentences, embedded without
    the title, share none of the words the question gives."""
    from assistant.ask import assess
    from assistant.judge import TOP_PASSAGES
    from assistant.question import understand

    (named,) = understand("《“十四五”民政事业发展规划》里特困人员的生活标准是低保的几倍",
                          (), index.vocabulary).parts
    hits, _, _, values = assess(index, named)
    assert named.documents
    assert values["sentence_best"] == max(h.scores.get("dense", 0.0) for h in hits[:TOP_PASSAGES])


@pytest.mark.parametrize("question, sentence, for_period", [
    ("农村低保和农村特困一年各是多少钱", "农村低保标准调整为:5832元/人/年。", True),
    ("农村低保和农村特困一年各是多少钱", "农村低保保障标准每人每月提高70元。", False),
    ("孤儿一个月给多少钱", "(四)保障标准:每人每月920元。", True),
    ("孤儿一个月给多少钱", "散居孤儿基本生活费标准为每人每年11040元。", False),
    ("住院照料每天最多补多少", "按每人每天100元的标准给予补助。", True),
    ("丧葬补贴多少钱", "一次性发放丧葬补助费5000元。", False),  # no period asked
])
def test_a_sum_for_the_period_asked(question, sentence, for_period):
    from assistant.quantities import for_period_asked

    assert for_period_asked(question, sentence) == for_period
