from pathlib import Path

import pytest

from assistant.chunk import chunk_document, names_title
from assistant.clean import CLOSERS, TERMINAL, split_sentences
from assistant.load import load_corpus

REAL_CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def chunks_of(folder: Path):
    documents, _ = load_corpus(folder)
    return {d.name: chunk_document(d) for d in documents}


def test_table_flattened_one_cell_per_line_becomes_self_contained_rows(corpus):
    chunks, rows = chunks_of(corpus)["national.txt"]
    row = next(c for c in chunks if c.kind == "table_row" and "护理型床位" in c.text)
    assert "2025年目标值：≥55" in row.text and "约束性" in row.text
    assert "“十四五”民政事业发展规划" in row.text and "国家级" in row.text
    assert len(rows) == 2


def test_tab_table_with_broken_words_carries_every_column_header(corpus):
    chunks, _ = chunks_of(corpus)["county.txt"]
    row = next(c for c in chunks if c.kind == "table_row")
    assert "养老机构护理型床位占比" in row.text
    assert "我县2020年实际值：3.8" in row.text and "我县2025年目标值：≥55" in row.text
    assert "属性：约束性" in row.text


def test_heading_paths_and_digest_items_stay_apart(corpus):
    chunks, _ = chunks_of(corpus)["digest.txt"]
    assert [c.section[1:] for c in chunks] == [
        ("社会救助", "民政部适当放宽特困人员认定标准"),
        ("社会救助", "江苏扬州因病支出型贫困家庭低保救助最高可享30个月"),
        ("社会救助", "北京市晒出“我为群众办实事”年度清单31项重点任务"),
    ]
    assert chunks[0].section[0] == "社会救助"  # no manifest entry: the title comes from the text


def test_broken_lines_are_rejoined_inside_a_sentence(corpus):
    chunks, _ = chunks_of(corpus)["national.txt"]
    box = next(c for c in chunks if "专栏10" in c.section_path)
    assert "增加护理型床位,提升失能照护能力。" in box.text


def test_real_corpus_chunks_are_clean_whole_sentences_with_heading_paths():
    for name, (chunks, _) in chunks_of(REAL_CORPUS).items():
        text_chunks = [c for c in chunks if c.kind == "text"]
        for chunk, following in zip(text_chunks, text_chunks[1:] + [None]):
            assert "\ufffd" not in chunk.text, name
            assert chunk.section and chunk.section[0], name
            if following is not None and following.section == chunk.section:
                # a chunk is only ever cut after a sentence end, or after an unpunctuated
                # short line that ends a paragraph (a signature, a date)
                last = split_sentences(chunk.text)[-1]
                assert last.rstrip(CLOSERS + " ")[-1] in TERMINAL or len(last) <= 40, (name, last)


def test_every_indicator_row_of_the_three_real_tables_reads_on_its_own():
    tables = {"000_7a1c3741144be74a.txt": 15, "002_5366459dd2a9c16e.txt": 15,
              "004_bcb06eedc5e15154.txt": 13}
    documents = chunks_of(REAL_CORPUS)
    for name, count in tables.items():
        rows = [c for c in documents[name][0] if c.kind == "table_row" and "指标" in c.section_path]
        assert len(rows) == count, name
        for row in rows:
            assert "目标值：" in row.text and "属性：" in row.text, row.text
    county = [c for c in documents["004_bcb06eedc5e15154.txt"][0] if "护理型床位占比" in c.text
              and c.kind == "table_row"][0]
    assert "我县2020年实际值：3.8" in county.text and "我县2025年目标值：≥55" in county.text


def test_a_markdown_table_is_one_self_contained_passage_per_row():
    """A deployer's table typed in Markdown is read as a table, as a tab-separated one is."""
    from assistant.chunk import chunk_document, names_title
    from assistant.load import make_document

    text = ("# 某县2024年社会救助标准\n\n下表为本县2024年各项救助标准。\n\n"
            "| 项目 | 城市（元/月） | 农村（元/年） |\n|---|:---:|---|\n"
            "| 最低生活保障标准 | 900 | 6600 |\n| 孤儿基本生活费 | 1500 | 1500 |\n\n"
            "以上标准自2024年1月1日起执行。\n")
    chunks = chunk_document(make_document("标准.md", text, {}))[0]
    rows = [c.text.split("\n")[0] for c in chunks if c.kind == "table_row"]
    assert rows == ["《某县2024年社会救助标准》（县级）：项目：最低生活保障标准；城市（元/月）：900；农村（元/年）：6600。",
                    "《某县2024年社会救助标准》（县级）：项目：孤儿基本生活费；城市（元/月）：1500；农村（元/年）：1500。"]
    assert not any("|" in c.text for c in chunks)


def test_a_table_captioned_by_a_numbered_heading_stands_in_its_section():
    """"二、发放标准" above a table is the section the rows stand in, beside "一、发放对象", not
    under it."""
    from assistant.chunk import chunk_document, names_title
    from assistant.load import make_document

    text = ("# 某县高龄津贴发放标准\n\n一、发放对象\n\n年满80周岁的老年人。\n\n二、发放标准\n\n"
            "| 年龄段 | 发放标准（元/人/月） |\n| --- | --- |\n| 80—89周岁 | 100 |\n\n"
            "三、发放方式\n\n按月发放。\n")
    chunks = chunk_document(make_document("标准.md", text, {}))[0]
    assert [c.section for c in chunks] == [("某县高龄津贴发放标准", "一、发放对象"),
                                           ("某县高龄津贴发放标准", "二、发放标准"),
                                           ("某县高龄津贴发放标准", "三、发放方式")]


def test_a_form_laid_out_as_a_table_is_read_label_by_value():
    """A guide's form: each label beside its value, not a table headed by its first row (every
    value had been filed under "最低生活保障审核确认")."""
    from assistant.chunk import chunk_document, names_title
    from assistant.load import make_document

    text = ("# 某县最低生活保障办事指南\n\n| 事项名称 | 最低生活保障审核确认 |\n| --- | --- |\n"
            "| 受理地点 | 乡镇人民政府社会救助窗口 |\n| 办理时限 | 30个工作日 |\n| 收费标准 | 不收费 |\n")
    chunks = chunk_document(make_document("指南.md", text, {}))[0]
    rows = [c.text.split("\n")[0].split("（县级）：")[1] for c in chunks if c.kind == "table_row"]
    assert rows == ["事项名称：最低生活保障审核确认。", "受理地点：乡镇人民政府社会救助窗口。",
                    "办理时限：30个工作日。", "收费标准：不收费。"]


@pytest.mark.parametrize("block, form", [
    ([["事项名称", "最低生活保障审核确认"], ["办理时限：", "30个工作日"]], True),
    ([["事项名称", "低保", "办理时限", "30个工作日"], ["收费标准", "不收费", "咨询电话", "0936-5520000"]], True),
    # a table of standards: its first column names items, not fields
    ([["项目", "标准（元/月）"], ["城市最低生活保障", "900"], ["孤儿基本生活费", "1500"]], False),
    ([["类别", "对象", "标准"], ["护理补贴", "一级", "120"]], False),  # three columns
    # its items named like fields (…标准), its values bare figures under a unit's header
    ([["类别", "标准（元/人/月）"], ["城市低保标准", "900"], ["农村低保标准", "600"],
      ["特困人员供养标准", "1200"]], False),
])
def test_a_form_is_told_from_a_table(block, form):
    from assistant.tables import label_value_rows

    assert bool(label_value_rows(block)) is form


@pytest.mark.parametrize("line, title, body", [
    ("申请条件:城市居民户月人均收入低于260元", "申请条件", "申请条件:城市居民户月人均收入低于260元"),
    ("收费标准：无", "收费标准", "收费标准：无"),
    ("时间:工作日上午8:00-12:00,下午2:30-5:30。", "时间", "时间:工作日上午8:00-12:00,下午2:30-5:30。"),
    ("办事指南:", "", ""),  # no field's name: no heading
    ("发布时间:2022-07-14 11:14", "", ""),  # a page's catalogue
    ("有效性: 有效 咨询电话: 0562-2741002", "", ""),  # several fields: a catalogue line
    ("各乡镇人民政府、县直有关单位：", "", ""),  # an addressee
    ("县直各单位：", "", ""), ("各有关部门：", "", ""),
])
def test_a_guides_field_on_its_own_line_heads_its_value(line, title, body):
    from assistant.headings import field_heading

    heading = field_heading(line)
    assert (heading.title, heading.body) == (title, body) if title else heading is None


def test_a_guide_of_fields_is_one_passage_a_field():
    """Lines of "label: value" had been glued into one paragraph as if a page break cut them."""
    from assistant.chunk import chunk_document, names_title
    from assistant.load import make_document

    text = ("城乡最低生活保障\n事项名称: 城乡最低生活保障\n服务机构: 市民政局\n"
            "申请条件:城市居民户月人均收入低于260元\n承诺时间:区民政局7-10个工作日。\n收费标准:无\n")
    chunks = chunk_document(make_document("指南.md", text, {}))[0]
    assert [c.text for c in chunks if c.section[-1] in ("申请条件", "承诺时间", "收费标准")] == [
        "申请条件:城市居民户月人均收入低于260元", "承诺时间:区民政局7-10个工作日。", "收费标准:无"]


def test_a_guide_loses_no_line_and_its_title_line_is_no_passage():
    """A plain-text guide: its first line is its title (in every path, not a passage of its own:
    it had been quoted as the answer to 临时救助), and a short numbered line ending a sentence
    stays text (2. 困难情况说明。 had been taken for a heading and dropped)."""
    from assistant.chunk import chunk_document, names_title
    from assistant.load import make_document

    text = ("临时救助办事指南\n一、申请条件\n因火灾、交通事故等意外事件导致基本生活暂时出现严重困难的家庭，"
            "可以申请临时救助。\n二、申请材料\n1. 身份证、户口簿；\n2. 困难情况说明。\n")
    chunks = chunk_document(make_document("临时救助办事指南.txt", text, {}))[0]
    passages = [c.text for c in chunks]
    assert "临时救助办事指南" not in passages
    assert any("困难情况说明" in p for p in passages) and any("户口簿" in p for p in passages)
    assert all(c.section[0] == "临时救助办事指南" for c in chunks)


def test_a_guides_numbered_items_are_one_list_under_their_section():
    """Short numbered lines without a full stop ("1. 申请人身份证、户口簿") next to one numbered
    alike are a list's items, not headings: each had been taken for a heading with nothing
    under it and lost, so 要带什么材料 on a deployer's guide was refused. A heading has its own
    text under it ("1. 政策制度体系健全完善。…")."""
    from assistant.load import make_document

    text = ("某县临时救助办事指南\n二、申请材料\n1. 申请人身份证、户口簿\n2. 困难情况说明\n3. 收入证明\n"
            "以上材料均需提供原件和复印件。\n三、办理流程\n（一）向乡镇人民政府提出申请\n（二）乡镇审核\n"
            "（三）县民政局审批\n四、发展基础\n1. 政策制度体系\n坚持把政策制定作为动力。\n")
    chunks = chunk_document(make_document("某县临时救助办事指南.txt", text, {}))[0]
    by_section = {c.section[-1]: c.text for c in chunks}
    assert by_section["二、申请材料"] == ("1. 申请人身份证、户口簿\n2. 困难情况说明\n3. 收入证明\n"
                                      "以上材料均需提供原件和复印件。")
    assert by_section["三、办理流程"] == "（一）向乡镇人民政府提出申请\n（二）乡镇审核\n（三）县民政局审批"
    assert by_section["1. 政策制度体系"] == "坚持把政策制定作为动力。"


def test_a_list_keeps_its_long_items_and_the_short_ones_beside_them():
    """An item longer than a heading may be ("(二)现役军人须持团以上政治机关出具的…居民身份证;")
    ends as an item does: the short items beside it had become headings of nothing, lost, and
    the sections after the list had been filed under its last item."""
    from assistant.load import make_document

    text = ("结婚登记办理指南\n申请材料:\n(一)本人有效的身份证、户口簿;\n"
            "(二)现役军人须持团以上政治机关出具的《军人婚姻登记证明》、军人证件、居民身份证;\n"
            "(三)提交3张大2寸红底双方近期半身免冠合影照片;\n"
            "(四)离婚、丧偶当事人应当提供法院生效司法文书、配偶居民死亡医学证明(推断)书等材料,且与本人户口薄上记载一致。\n"
            "收费情况:\n不收费\n")
    chunks = chunk_document(make_document("指南.txt", text, {}))[0]
    by_section = {c.section[-1]: c.text for c in chunks}
    assert by_section["申请材料"].startswith("(一)本人有效的身份证、户口簿;")
    assert "(三)提交3张大2寸红底" in by_section["申请材料"] and "(四)离婚" in by_section["申请材料"]
    assert by_section["收费情况"] == "收费情况：不收费"


def test_a_bare_value_under_its_heading_reads_with_the_heading():
    """"0936-1234567" alone under "五、咨询电话" was close to no question."""
    from assistant.load import make_document

    text = "某县办事指南\n四、办理时限\n自受理之日起10个工作日内办结。\n五、咨询电话\n0936-1234567\n"
    chunks = chunk_document(make_document("某县办事指南.txt", text, {}))[0]
    assert [c.text for c in chunks] == ["自受理之日起10个工作日内办结。", "咨询电话：0936-1234567"]

    # a phone number ends its line: the address label after it is not glued to the number
    text = "某县办事指南\n七、咨询电话\n0931-5123456\n办公地址\n某县民政局社会救助股（人民路18号）\n"
    chunks = chunk_document(make_document("某县办事指南.txt", text, {}))[0]
    assert [c.text for c in chunks] == ["0931-5123456\n办公地址某县民政局社会救助股（人民路18号）"]


def test_a_pipe_escaped_in_a_markdown_cell_and_a_heading_caption():
    """"含 \\| 说明" is a pipe inside a cell (it had turned the whole table into one block of
    pipes), and a Markdown heading above the table is its caption without its # marks."""
    from assistant.load import make_document

    text = ("# 某县2024年残疾人两项补贴标准\n\n| 类别 | 对象 | 标准（元/月） | 备注 |\n|---|---|---|---|\n"
            "| 护理补贴 | 一级重度残疾人 | 120 | 按月发放 |\n| 生活补贴 | 低保家庭残疾人 | 80 | 含 \\| 分隔说明 |\n")
    chunks = chunk_document(make_document("标准.md", text, {}))[0]
    assert [c.text.split("\n")[0] for c in chunks] == [
        "《某县2024年残疾人两项补贴标准》（县级）：类别：护理补贴；对象：一级重度残疾人；标准（元/月）：120；备注：按月发放。",
        "《某县2024年残疾人两项补贴标准》（县级）：类别：生活补贴；对象：低保家庭残疾人；标准（元/月）：80；备注：含 | 分隔说明。"]
    assert not any("#" in part for c in chunks for part in c.section)


def test_an_article_past_the_hundred_and_tenth_is_an_article():
    """第一百二十二条 (five numerals) had been read as text glued to the article before it."""
    from assistant.load import make_document

    text = "# 某法\n\n第一条 为了规范，制定本法。\n第二条 适用本法。\n第三条 另行规定。\n第一百二十二条 城乡社区可以开展互助。\n"
    chunks = chunk_document(make_document("某法.md", text, {}))[0]
    assert [c.section[-1] for c in chunks] == ["第一条", "第二条", "第三条", "第一百二十二条"]


def test_a_yearbook_table_of_yearly_figures_is_one_passage_per_row():
    from assistant.load import make_document

    text = ("20-2 社会救济情况\nStatistics of Social Relief\n项目 Item 2010 2015 2020 2021\n"
            "  社会救济  Social Relief\n    城镇居民最低生活保障人数(人)   Number of Persons Receiving\n"
            "  Allowance in Urban Areas(person)\n181530 129477 62379 64992\n"
            "    #女性    Female 59498 50814 29041 30134\n    #老年人    Old People 35936 14524 14830\n"
            "  农村低保资金全年计划支出(万元)  The Annual Plan Expenditure\n56571 152879  232460 249509\n")
    rows = [c.text for c in chunk_document(make_document("社会救济情况.md", text, {}))[0] if c.kind == "table_row"]
    assert [r.split("：", 1)[1].split("\n")[0] for r in rows] == [
        "城镇居民最低生活保障人数(人)——2010年（人）：181530；2015年（人）：129477；2020年（人）：62379；2021年（人）：64992。",
        "城镇居民最低生活保障人数(人)其中：女性——2010年（人）：59498；2015年（人）：50814；2020年（人）：29041；2021年（人）：30134。",
        # three figures under four years: which years, the text does not say
        "城镇居民最低生活保障人数(人)其中：老年人——数值（人）（表列2010年、2015年、2020年、2021年，本行只有3个数，对应年份原文未标明）：35936 14524 14830。",
        "农村低保资金全年计划支出(万元)——2010年（万元）：56571；2015年（万元）：152879；2020年（万元）：232460；2021年（万元）：249509。"]
    # the row as printed, for the quote
    assert rows[1].endswith("原表行：#女性 Female 59498 50814 29041 30134")


def test_a_web_guides_unnumbered_section_titles_head_their_text():
    from assistant.load import make_document

    text = ("临时救助\n\n办理地点各乡镇人民政府民政办。\n\n申请条件\n\n因火灾、交通事故等意外事故，家庭基本生活出现暂时困难的家庭。\n\n"
            "办理材料\n\n1.临时救助申请书;2.户口薄复印件; 3.身份证复印件; 4.临时救助申请审批表。\n\n"
            "某县民政局\n\n2022年5月31日印发\n")
    chunks = chunk_document(make_document("临时救助办事指南.md", text, {}))[0]
    sections = {c.section[-1]: c.text for c in chunks}
    assert sections["申请条件"].startswith("因火灾")
    # a list on one line is no heading numbered 1.
    assert sections["办理材料"].startswith("1.临时救助申请书;2.户口薄复印件")
    # a signature over its date is no section title
    assert "某县民政局" not in sections


@pytest.mark.parametrize("line, heading", [
    ("1.临时救助申请书;2.户口薄复印件; 3.身份证复印件", None),
    ("1. 申请人身份证，2. 户口簿", None),
    ("1. 基本情况", "1. 基本情况"),
    ("2.5万元以上", None),
])
def test_a_list_on_one_line_is_no_numbered_heading(line, heading):
    from assistant.headings import parse_heading

    found = parse_heading(line)
    assert (found.title if found else None) == heading


PLAN = "某市“十四五”养老服务体系规划\n\n表1 “十四五”时期养老服务主要指标\n{table}\n\n二、主要任务\n（一）完善居家养老服务。推进家庭养老床位建设。\n"


HEAD = "《某市“十四五”养老服务体系规划》表1“十四五”时期养老服务主要指标（市级）："


@pytest.mark.parametrize("table, rows", [
    # a row per line, cells separated by spaces; a name broken by a space joins again
    ("序号 指标 单位 2020年 2025年 属性\n1 养老机构护理型床位占比 % 45 ≥55 约束性\n"
     "2 每千名老年人 拥有养老床位数 张 32 35 预期性",
     ["养老机构护理型床位占比——单位：%；2020年：45；2025年：≥55；属性：约束性。",
      "每千名老年人拥有养老床位数——单位：张；2020年：32；2025年：35；属性：预期性。"]),
    # as pypdf extracts a printed table: the header's last cells run together
    ("序号 指标名称 单位2020年2025年属性\n1 养老机构护理型床位占比 % 45 ≥55 约束性\n"
     "2 每千名老年人拥有养老床位数 张 32 35 预期性",
     ["养老机构护理型床位占比——单位：%；2020年：45；2025年：≥55；属性：约束性。",
      "每千名老年人拥有养老床位数——单位：张；2020年：32；2025年：35；属性：预期性。"]),
    # a category cell merged over the rows of its group
    ("类别 指标 单位 2020年 2025年 属性\n养老服务 养老机构护理型床位占比 % 45 ≥55 约束性\n"
     "每千名老年人拥有养老床位数 张 32 35 预期性",
     ["养老机构护理型床位占比——类别：养老服务；单位：%；2020年：45；2025年：≥55；属性：约束性。",
      "每千名老年人拥有养老床位数——类别：养老服务；单位：张；2020年：32；2025年：35；属性：预期性。"]),
    # one cell per line, no serial column
    ("指标\n单位\n2020年\n2025年\n属性\n养老机构护理型床位占比\n%\n45\n≥55\n约束性\n"
     "每千名老年人拥有养老床位数\n张\n32\n35\n预期性",
     ["养老机构护理型床位占比——单位：%；2020年：45；2025年：≥55；属性：约束性。",
      "每千名老年人拥有养老床位数——单位：张；2020年：32；2025年：35；属性：预期性。"]),
])
def test_a_plans_indicator_table_flattened_by_text_extraction(table, rows):
    from assistant.load import make_document

    chunks = chunk_document(make_document("规划.txt", PLAN.format(table=table), {}))[0]
    assert [c.text.split("\n")[0] for c in chunks if c.kind == "table_row"] == [HEAD + r for r in rows]
    assert [c.section[-1] for c in chunks if c.kind == "text"] == ["（一）完善居家养老服务"]


@pytest.mark.parametrize("cells, figures", [
    (["45", "≥55", "3.8%", "-2", "—", "1:1", "≤ 10"], (True,) * 7),
    (["2025年", "约束性", "%", "养老机构护理型床位占比", "张/千人"], (False,) * 5),
])
def test_which_cells_are_figures(cells, figures):
    from assistant.flattened import figure_columns

    assert figure_columns(cells) == figures


@pytest.mark.parametrize("tokens, cells", [
    (["序号", "指标", "2020", "年", "2025", "年目标"], ["序号", "指标", "2020年", "2025年目标"]),
    (["1", "护理型床位占比", "45", "%", "≥", "55"], ["1", "护理型床位占比", "45%", "≥55"]),
    (["年度", "计划"], ["年度", "计划"]),
])
def test_a_cell_broken_at_a_space_is_joined_again(tokens, cells):
    from assistant.flattened import rejoined

    assert rejoined(tokens) == cells


@pytest.mark.parametrize("cell, pieces", [
    ("单位2020年2025年属性", ["单位", "2020年", "2025年", "属性"]),
    ("2025年目标值", ["2025年", "目标值"]),
    ("指标名称", ["指标名称"]),
])
def test_a_header_cell_of_columns_run_together_is_split_at_its_years(cell, pieces):
    from assistant.flattened import years_apart

    assert years_apart(cell) == pieces


@pytest.mark.parametrize("line, title, named", [
    ("金社镇临时救助办事指南", "金社镇临时救助办事指南", True),  # the title again, under the catalogue
    ("名称: 金社镇临时救助办事指南", "金社镇临时救助办事指南", True),  # a catalogue's field
    ("事项名称: 城乡居(村)民最低生活保障", "城乡居(村)民最低生活保障", True),
    ("事项名称: 临时救助", "金社镇临时救助办事指南", False),  # a field of the guide's own
    ("金社镇临时救助办事指南规定了救助标准。", "金社镇临时救助办事指南", False),
    ("临时救助", "", False),  # an untitled document
    # a one-sentence document is titled by its sentence: its sentence is its text
    ("临时救助对象包括遭遇突发事件的家庭。", "临时救助对象包括遭遇突发事件的家庭。", False),
])
def test_a_line_that_is_the_documents_title_again(line, title, named):
    assert names_title(line, title) is named


@pytest.mark.parametrize("line, field", [
    ("办理时限：30个工作日", True),
    ("发布时间:2017-07-13 16:55:20", True),  # a page's catalogue
    ("标准为：每人每月900元。", False),  # the end of a sentence a PDF broke
])
def test_a_field_stands_on_its_own_line(line, field):
    from assistant.chunk import is_field

    assert is_field(line) is field


def test_items_numbered_in_brackets_stay_a_list_under_their_field():
    """"(1)遗体运接费,最高补贴额度390元;" and the lines after it are a list's items, each on its
    own line, under "可申报项目:": they had been run together as one wrapped line and filed
    under the materials before them."""
    from assistant.load import make_document

    text = ("惠民殡葬补贴\n所需材料:\n(1)火化证原件及复印件3份;\n(2)死亡证明原件及复印件3份;\n"
            "可申报项目:\n(1)遗体运接费,最高补贴额度390元;\n(2)冷藏(冻)费,最高补贴额度300元;\n")
    chunks = chunk_document(make_document("补贴.txt", text, {}))[0]
    by_section = {c.section[-1]: c.text for c in chunks}
    assert by_section["可申报项目"] == "(1)遗体运接费,最高补贴额度390元;\n(2)冷藏(冻)费,最高补贴额度300元;"
    assert by_section["所需材料"] == "(1)火化证原件及复印件3份;\n(2)死亡证明原件及复印件3份;"


def test_a_title_lines_document_number_stays_in_the_head():
    """"…标准的通知(某民发[2022]44号)" as the first line: the title line goes (every path names
    it), its 文号 stays, the document's record ("通知文号是什么" had been refused)."""
    from assistant.load import make_document

    text = ("某县民政局关于提高农村低保标准的通知(某民发[2022]44号)\n发布日期:2022-07-21\n"
            "此次提标后,我县农村低保标准调整为:5832元/人/年。\n")
    document = make_document("某县民政局关于提高农村低保标准的通知(某民发[2022]44号).md", text, {})
    chunks = chunk_document(document)[0]
    assert chunks[0].text.startswith("某民发[2022]44号\n")
    assert not any("关于提高农村低保标准的通知" in c.text for c in chunks)


@pytest.mark.parametrize("line, number", [
    ("某县民政局关于提高农村低保标准的通知(某民发[2022]44号)", "某民发[2022]44号"),
    ("某县人民政府办公室文件某政办发〔2014〕6号", "某政办发〔2014〕6号"),  # 文件 ends the office
    ("某县民政局关于提高农村低保标准的通知", ""),
])
def test_a_title_lines_number_with_its_issuer(line, number):
    from assistant.chunk import title_number

    assert title_number(line) == number
