"""A Word document read in reading order: its headings as headings, its tables where they stand."""

from pathlib import Path

from assistant.chunk import chunk_document
from assistant.formats import read_text
from assistant.load import load_corpus


def _write_guide(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("某某县高龄津贴发放办法", level=0)
    document.add_heading("一、发放标准", level=1)
    document.add_paragraph("高龄津贴按月发放，标准如下：")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([("年龄段", "标准（元/月）", "备注"), ("80-89周岁", "100", "按月发放"),
                             ("90-99周岁", "200", "按月发放")]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.add_heading("二、申请材料", level=1)
    document.add_paragraph("申请人身份证、户口簿。")
    document.save(str(path))


def test_a_word_documents_table_stands_where_it_is_under_its_heading(tmp_path: Path):
    _write_guide(tmp_path / "高龄津贴.docx")
    text = read_text(tmp_path / "高龄津贴.docx")
    assert text.split("\n") == [
        "# 某某县高龄津贴发放办法", "# 一、发放标准", "高龄津贴按月发放，标准如下：",
        "年龄段\t标准（元/月）\t备注", "80-89周岁\t100\t按月发放", "90-99周岁\t200\t按月发放",
        "# 二、申请材料", "申请人身份证、户口簿。"]
    docs, _ = load_corpus(tmp_path)
    chunks = chunk_document(docs[0])[0]
    rows = [c for c in chunks if c.kind == "table_row"]
    assert rows[0].text.startswith("《某某县高龄津贴发放办法》（县级）：年龄段：80-89周岁；标准（元/月）：100")
    assert rows[0].section[-2:] == ("一、发放标准", "表格")
    assert [c.section[-1] for c in chunks if c.kind == "text"][-1] == "二、申请材料"


def test_a_merged_cell_is_read_once(tmp_path: Path):
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "类别"
    table.cell(0, 2).text = "标准"
    table.cell(1, 0).text, table.cell(1, 1).text, table.cell(1, 2).text = "低保", "城市", "850"
    document.save(str(tmp_path / "t.docx"))
    assert read_text(tmp_path / "t.docx").split("\n") == ["类别\t标准", "低保\t城市\t850"]


def test_a_spreadsheet_of_standards_is_a_table_row_by_row(tmp_path: Path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "2024年社会救助标准"
    for row in [("项目", "城市（元/月）", "农村（元/月）"), ("低保标准", 850, 650), (None, None, None),
                ("孤儿基本生活费", 1500, 1200)]:
        sheet.append(row)
    book.save(str(tmp_path / "某某县2024年社会救助标准.xlsx"))
    docs, skipped = load_corpus(tmp_path)
    assert not skipped
    rows = [c.text.split("\n")[0] for c in chunk_document(docs[0])[0] if c.kind == "table_row"]
    assert docs[0].title == "某某县2024年社会救助标准"
    assert rows == [
        "《某某县2024年社会救助标准》2024年社会救助标准（县级）：项目：低保标准；城市（元/月）：850；农村（元/月）：650。",
        "《某某县2024年社会救助标准》2024年社会救助标准（县级）：项目：孤儿基本生活费；城市（元/月）：1500；农村（元/月）：1200。"]
