import pytest

from assistant.clean import clean_lines, join_cjk, repair, split_sentences


def test_spaces_inside_chinese_words_are_removed_but_latin_spacing_stays():
    assert join_cjk("养老机构 护理型床 位占比") == "养老机构护理型床位占比"
    assert join_cjk("6 月 16 日 Hello world") == "6月16日 Hello world"


def test_extraction_debris_is_removed():
    assert repair("增长38%。\ufffd**加粗**") == "增长38%。加粗"
    assert repair("不低于 $30\\text{ m}^2/\\text{户}$ ，") == "不低于 30 m²/户 ，"


def test_sentences_keep_their_closing_quotes():
    assert split_sentences("他说：“好的。”然后走了；再见！") == ["他说：“好的。”", "然后走了；", "再见！"]


def test_lines_keep_offsets_into_the_raw_text():
    raw = "第一行\n\n养老 服务\n"
    lines = clean_lines(raw)
    assert [line.text for line in lines] == ["第一行", "养老服务"]
    assert raw[lines[1].start:lines[1].end] == "养老 服务"


def test_a_pdfs_running_header_and_page_numbers_are_not_text():
    from assistant.clean import clean_lines

    page = "青禾县人民政府办公室文件\n第{n}章 总则\n第一条 为了规范管理，制定本办法。\n·{n}·\nPage {n} of 3\n约束性\n"
    text = "".join(page.format(n=n) for n in (1, 2, 3))
    assert [line.text for line in clean_lines(text)] == [
        "第1章总则", "第一条为了规范管理，制定本办法。", "约束性",
        "第2章总则", "第一条为了规范管理，制定本办法。", "约束性",
        "第3章总则", "第一条为了规范管理，制定本办法。", "约束性"]


@pytest.mark.parametrize("raw, lines", [
    # a page copied without its line breaks: bullets start lines
    ("▻80-89岁 每人每月30元 ▻90-99岁 每人每月60元", ["▻80-89岁每人每月30元", "▻90-99岁每人每月60元"]),
    # a numbered FAQ's question, run into the answer before and after it
    ("共计1627.94万元。 01什么是高龄津贴?高龄津贴,是一种社会保障制度。",
     ["共计1627.94万元。", "01什么是高龄津贴?", "高龄津贴,是一种社会保障制度。"]),
    ("增长了5.2%。 2023年起执行。", ["增长了5.2%。2023年起执行。"]),  # no question: one line
    ("咨询请联系约翰•史密斯。", ["咨询请联系约翰•史密斯。"]),  # a foreign name's dot
    ("■■■■■■", []),  # a decorative rule
    ("补贴标准：▻80-89岁 每人每月30元", ["补贴标准：▻80-89岁每人每月30元"]),
])
def test_a_run_on_page_is_split_at_its_bullets_and_questions(raw, lines):
    assert [line.text for line in clean_lines(raw)] == lines


@pytest.mark.parametrize("raw, lines", [
    # a web page's catalogue copied as text: one field a line
    ("有效性: 有效 咨询电话: 0562-2741002", ["有效性: 有效", "咨询电话: 0562-2741002"]),
    ("发布时间:2017-07-13 16:55:20    资料来源:    责任编辑:张园",
     ["发布时间:2017-07-13 16:55:20", "资料来源:", "责任编辑:张园"]),
    ("发布时间:2022-07-14 11:14 来源: 市民政局 浏览量: 【字体:   打印",
     ["发布时间:2022-07-14 11:14", "来源: 市民政局", "浏览量: 【字体:   打印"]),
    ("申请条件: 年满 60 周岁", ["申请条件: 年满60周岁"]),  # one field: its spaces joined only
    ("根据 规定: 第一 条", ["根据规定: 第一条"]),  # no field first: no catalogue
])
def test_a_line_of_several_fields_is_one_field_a_line(raw, lines):
    assert [line.text for line in clean_lines(raw)] == lines


@pytest.mark.parametrize("sentence, quoted", [
    # a page's stamp and view counter before its first sentence, on a line of its own or joined
    ("2022-11-11 14:49 阅读人数:1\n残疾人两项补贴由残疾人本人自愿申请。", "残疾人两项补贴由残疾人本人自愿申请。"),
    ("2022-11-11 14:49阅读人数:1残疾人两项补贴由残疾人本人自愿申请。", "残疾人两项补贴由残疾人本人自愿申请。"),
    ("发布时间:2022-07-14 11:14 来源: 市民政局 浏览量:\n民政工作关系民生。", "民政工作关系民生。"),
    # the catalogue alone stays (asked of the document, it is the answer)
    ("发布时间:2017-07-13 16:55:20    资料来源:    责任编辑:张园", "发布时间:2017-07-13 16:55:20    资料来源:    责任编辑:张园"),
    ("2022年工作总结\n全年发放资金。", "2022年工作总结\n全年发放资金。"),  # a heading, no furniture
])
def test_a_quote_leaves_out_the_page_furniture_it_opens_with(sentence, quoted):
    from assistant.clean import unfurnished

    assert unfurnished(sentence) == quoted
