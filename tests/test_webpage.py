"""A saved government web page read as the text its reader sees."""

from pathlib import Path

from assistant.chunk import chunk_document
from assistant.load import load_corpus
from assistant.webpage import page_text

PAGE = """<!DOCTYPE html><html><head><meta charset="gbk"><title>关于调整城乡低保标准的通知_某某市民政局</title>
<style>.x{color:red}</style><script>var a = "<p>不是正文</p>";</script></head>
<body><div class="top-nav"><a href="/">首页</a><a href="/zwgk">政务公开</a></div>
<div class="breadcrumb">当前位置：首页 &gt; 通知公告</div>
<div class="article"><h1>某某市民政局关于调整城乡低保标准的通知</h1>
<p>各县（区）民政局：</p>
<p>经市政府同意，自2024年7月1日起调整全市城乡最低生活保障标准。</p>
<table><tr><th>项目</th><th>城市（元/月）</th><th>农村（元/月）</th></tr>
<tr><td>低保标准</td><td>850</td><td>650</td></tr>
<tr><td>特困人员基本生活标准</td><td>1105</td><td>845</td></tr></table>
<p>咨询电话：0536-1234567</p></div>
<div id="footer">版权所有：某某市民政局 网站标识码 3707000001</div></body></html>"""


def test_a_web_page_is_its_article_without_the_sites_furniture():
    assert page_text(PAGE).split("\n") == [
        "# 某某市民政局关于调整城乡低保标准的通知",
        "各县（区）民政局：",
        "经市政府同意，自2024年7月1日起调整全市城乡最低生活保障标准。",
        "项目\t城市（元/月）\t农村（元/月）",
        "低保标准\t850\t650",
        "特困人员基本生活标准\t1105\t845",
        "咨询电话：0536-1234567"]


def test_a_page_without_a_heading_is_titled_by_its_title_tag():
    assert page_text("<html><head><title>临时救助办事指南</title></head><body><p>办理地点：乡镇民政办。</p>"
                     "</body></html>").split("\n") == ["# 临时救助办事指南", "办理地点：乡镇民政办。"]


def test_a_saved_page_in_gbk_is_loaded_and_its_table_read_row_by_row(tmp_path: Path):
    (tmp_path / "低保标准通知.html").write_bytes(PAGE.encode("gbk"))
    docs, skipped = load_corpus(tmp_path)
    assert not skipped and [d.title for d in docs] == ["某某市民政局关于调整城乡低保标准的通知"]
    assert docs[0].region == "某某市"
    rows = [c.text.split("\n")[0] for c in chunk_document(docs[0])[0] if c.kind == "table_row"]
    assert rows[0] == ("《某某市民政局关于调整城乡低保标准的通知》（市级）：项目：低保标准；"
                       "城市（元/月）：850；农村（元/月）：650。")


def test_a_page_laid_out_with_tables_reads_as_paragraphs_its_data_table_as_rows():
    page = ("<html><body><table><tr><td><div class='menu'>首页 政务公开</div></td></tr>"
            "<tr><td><h2>某某县临时救助实施办法</h2><p>第一条 为了保障困难群众基本生活，制定本办法。</p>"
            "<table><tr><td>类别</td><td>标准</td></tr><tr><td>一般困难</td><td>1000元</td></tr></table>"
            "<p>第二条 本办法自2024年1月1日起施行。</p></td></tr></table></body></html>")
    assert page_text(page).split("\n") == [
        "某某县临时救助实施办法", "第一条 为了保障困难群众基本生活，制定本办法。",
        "类别\t标准", "一般困难\t1000元", "第二条 本办法自2024年1月1日起施行。"]


SITE = """<html><head><title>某某县2024年社会救助标准公布_部门信息_某某县人民政府</title>
<meta name="ArticleTitle" content="某某县2024年社会救助标准公布"><meta name="PubDate" content="2024-07-08 09:30"></head>
<body><div class="top-bar">今天是： | 无障碍浏览 | 长者模式</div><div class="position">当前位置：首页 &gt; 政务公开</div>
<div class="article"><h1>某某县2024年社会救助标准公布</h1>
<table><tr><td><p>项目</p></td><td><p>类别</p></td><td><p>保障标准</p></td></tr>
<tr><td rowspan="2"><p>最低生活保障</p></td><td><p>城市</p></td><td><p>850元/人·月</p></td></tr>
<tr><td><p>农村</p></td><td><p>650元/人·月</p></td></tr>
<tr><td colspan="2">高龄津贴（80周岁以上）</td><td>50元/人·月</td></tr></table>
<p>【打印本页】 【关闭窗口】</p><h4>相关文章</h4><p>县民政局召开低保专项治理工作推进会</p></div></body></html>"""


def test_a_government_page_is_its_article_its_merged_cells_in_every_row_they_span():
    assert page_text(SITE).split("\n") == [
        "# 某某县2024年社会救助标准公布", "2024年7月8日发布",
        "项目\t类别\t保障标准",
        "最低生活保障\t城市\t850元/人·月",
        "最低生活保障\t农村\t650元/人·月",
        "高龄津贴（80周岁以上）\t高龄津贴（80周岁以上）\t50元/人·月"]
