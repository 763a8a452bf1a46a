"""Table tests of the retrieval rules that lift a passage (assistant/retrieve.py)."""

import pytest

from assistant.question import Vocabulary, part
from assistant.retrieve import holds_count, holds_slot, rerank, sentence_coverage
from assistant.rows import names_indicator
from assistant.schema import Chunk, Hit
from assistant.store import passage_sentences


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
    # a sum asked in its unit: an age is no sum of money
    ("80岁老人高龄津贴多少钱一个月", "具有本县户籍、年满80周岁及以上的老年人。", False),
    ("80岁老人高龄津贴多少钱一个月", "高龄津贴：80—89周岁每人每月100元。", True),
])
def test_holds_slot(question, text, held):
    assert holds_slot(part(question), text) is held


@pytest.mark.parametrize("question, text, held", [
    ("梁山县给多少个乡镇配了儿童督导员", "采用政府购买为14个乡镇（街道）配备儿童督导员。", True),
    ("梁山县给多少个乡镇配了儿童督导员", "加强基层儿童督导员队伍建设。", False),  # the topic alone
    ("梁山县给多少个乡镇配了儿童督导员", "为14名儿童督导员开展培训。", False),  # no count of 个
    ("儿童督导员怎么配备", "为14个乡镇配备儿童督导员。", False),  # no count asked
])
def test_holds_count(question, text, held):
    assert holds_count(part(question), text) is held


def test_a_tables_row_is_one_sentence_for_its_slot():
    row = "《某县高龄津贴发放标准》（县级）：年龄段：80—89周岁；发放标准（元/人/月）：100。"
    assert holds_slot(part("高龄津贴多少钱一个月"), row, row=True)
    assert not holds_slot(part("高龄津贴多少钱一个月"), row)  # its cells read as sentences


@pytest.mark.parametrize("question, text, inside", [
    ("我爸85岁了", "年龄段：80—89周岁", 1),
    ("奶奶92岁", "80—89周岁", 0),
    ("爷爷101岁", "100周岁及以上", 1),
    ("百岁老人", "100周岁以上600元/月", 1),
    ("90多岁的老人", "90-99周岁400元/月", 1),
    ("八十五岁", "80至89岁", 1),
    ("我爸85岁了", "年满80周岁以上的老年人", 1),
    ("孩子16岁", "不满18周岁的未成年人", 1),
    ("孩子18岁", "不满18周岁的未成年人", 0),
    ("2023年", "2020-2025年", 0),  # years are no ages
    ("80-89岁老人每月多少", "80—89周岁100元/月", 1),  # a band asked: one band, not the age 89
    ("80-89岁老人每月多少", "90—99周岁", 0),
])
def test_an_age_given_lies_in_a_band_stated(question, text, inside):
    from assistant.quantities import aged_in_band

    assert aged_in_band(question, text) == inside


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


def _hit(name: str, score: float) -> Hit:
    return Hit(chunk=Chunk(id=name, doc="d", text=name, section=("d",), kind="text", start=0,
                           end=1), score=score)


@pytest.mark.parametrize("scores, closest, order", [
    # a passage on many things, one of whose sentences is what was asked, comes first
    ({"topic": 1.0, "mixed": 0.7, "other": 0.2}, {"topic": 0.86, "mixed": 0.90, "other": 0.80},
     ["mixed", "topic", "other"]),
    # closeness alike: the score decides
    ({"a": 0.9, "b": 0.5}, {"a": 0.88, "b": 0.88}, ["a", "b"]),
    # a passage without sentence vectors counts as the farthest
    ({"a": 0.9, "b": 0.85, "c": 0.1}, {"b": 0.9}, ["b", "a", "c"]),
])
def test_rerank_weighs_the_closest_sentence_with_the_score(scores, closest, order):
    hits = [_hit(name, score) for name, score in scores.items()]
    nearest = {name: (cosine, f"{name}的句子") for name, cosine in closest.items()}
    ranked = rerank(hits, nearest)
    assert [h.chunk.id for h in ranked] == order
    assert all(h.nearest == nearest.get(h.chunk.id, (0, ""))[1] for h in ranked)


@pytest.mark.parametrize("kind, text, sentences", [
    ("text", "婚姻登记收费全面取消。养老床位达到823.8万张。", ("婚姻登记收费全面取消。", "养老床位达到823.8万张。")),
    # a piece too short to mean anything alone gets no vector of its own
    ("text", "一是。加强殡葬管理工作。", ("加强殡葬管理工作。",)),
    ("table_row", "《规划》主要发展指标：养老机构护理型床位占比——单位：%；属性：约束性",
     ("《规划》主要发展指标：养老机构护理型床位占比——单位：%；属性：约束性",)),
])
def test_passage_sentences(kind, text, sentences):
    chunk = Chunk(id="c", doc="d", text=text, section=("d",), kind=kind, start=0, end=1)
    assert passage_sentences(chunk) == sentences


def test_the_closest_sentence_of_a_passage_is_found_in_the_index(index):
    """Real embedder, real Chroma: the digest passage's sentence on 扬州 is the closest one to
    a question about 扬州, not its headline on 特困人员."""
    question = "扬州因病支出型贫困家庭低保最长能救助多久"
    chunks = [c for c in index.chunks.values() if "扬州" in c.text]
    nearest = index.store.nearest_sentences(index.store.embeddings.embed_query(question), chunks)
    assert chunks and all("30个月" in nearest[c.id][1] for c in chunks)


def test_a_question_naming_its_document_keeps_the_order_of_scores():
    """《志愿服务条例》自何时起施行: the title the passages are embedded with decides, not which
    sentence (embedded without it) is closest."""
    hits = [_hit("the closing article", 1.0), _hit("a definition", 0.9)]
    nearest = {"the closing article": (0.86, "本条例自2017年12月1日起施行。"),
               "a definition": (0.90, "本条例所称志愿服务，是指…")}
    assert [h.chunk.id for h in rerank(hits, nearest, 0.0)] == ["the closing article", "a definition"]
    assert part("《志愿服务条例》从哪一天起施行？", Vocabulary(titles=frozenset({"志愿服务条例"}))).documents


@pytest.mark.parametrize("question, title, terms", [
    # the title's words are shared by every passage of the document: the rest picks the passage
    ("乙县特困人员救助供养实施细则什么时候施行", "乙县特困人员救助供养实施细则", ("施行",)),
    ("《志愿服务条例》规定的志愿者年龄是多少", "志愿服务条例", ("愿者", "志愿者", "年龄")),
    # nothing left but the title: the question as it is
    ("志愿服务条例", "志愿服务条例", ("志愿", "服务", "志愿服务", "条例")),
])
def test_a_question_naming_its_document_is_searched_without_the_titles_words(question, title, terms):
    from assistant.question import Vocabulary, understand
    from assistant.retrieve import within_document

    part = understand(question, (), Vocabulary(titles=frozenset({title}))).parts[0]
    assert within_document(part).terms == terms


@pytest.mark.parametrize("token, places, citations, dropped", [
    # a county's guide is of 洛川 throughout: the keyword ranker does not favour rows naming it
    ("洛川", ("洛川",), [{"region": "洛川县", "level": "县", "title": "高龄老人津贴申请"}], True),
    ("高龄", ("洛川",), [{"region": "洛川县", "level": "县", "title": "高龄老人津贴申请"}], False),
    # a province's regulation names its province in the articles about it: kept
    ("北京", ("北京",), [{"region": "北京", "level": "省", "title": "北京市居家养老服务条例"}], False),
    ("泾县", ("泾县",), [{"region": "某县", "level": "县", "title": "某县工作总结"}], False),  # no document of it
    # a city's table names the county in a row: the name finds that row
    ("洛川", ("洛川",), [{"region": "洛川县", "level": "县", "title": "高龄老人津贴申请"},
                       {"region": "延安市", "level": "市", "title": "延安市高龄补贴标准",
                        "text": "洛川县：每人每月600元"}], False),
])
def test_a_place_every_passage_of_a_local_document_is_of(token, places, citations, dropped):
    from types import SimpleNamespace

    from assistant.retrieve import documents_of

    index = SimpleNamespace(citations={f"d{i}": c for i, c in enumerate(citations)},
                            chunks={f"c{i}": SimpleNamespace(doc=f"d{i}", text=c.get("text", c["title"]))
                                    for i, c in enumerate(citations)})
    assert documents_of(index, token, places) is dropped


@pytest.mark.parametrize("text, number", [
    ("八十五", 85), ("九十", 90), ("百", 100), ("一百零一", 101), ("两", 2), ("十", 10),
    ("七八十", 80),  # "七八十岁": the upper of two digits said together
    ("八十周", 0),  # no numeral
])
def test_a_chinese_numeral_up_to_the_hundreds(text, number):
    from assistant.quantities import numeral

    assert numeral(text) == number


def test_a_year_its_documents_title_names_lifts_each_of_its_passages_alike():
    """"某市低保标准2025年多少" of a notice titled 《某市2025年最低生活保障标准》: its preamble,
    which repeats 2025年, had outranked its item stating the standard."""
    from assistant.question import part
    from assistant.retrieve import boost
    from assistant.schema import Chunk, Hit

    asked = part("某市低保标准2025年多少")
    def hit(text):
        return Hit(chunk=Chunk(id=text[:4], doc="n.md", text=text, section=("通知",)), score=1.0,
                   title="某市2025年最低生活保障及相关社会救助标准", level="市", region="某市")
    preamble = hit("现公布我市2025年城乡最低生活保障等标准。")
    item = hit("（一）全市城乡最低生活保障标准为每人每月1309元。")
    assert boost(asked, item) >= boost(asked, preamble)
