"""The indicator table's pure functions: search with synonyms, sources, comparison, cards."""

from __future__ import annotations

from assistant import indicators

RECORDS = [
    {"title": "规划", "level": "国家", "date": "2021-05-24", "table": "主要发展指标",
     "section": "规划 > 第四节 发展目标 > 主要发展指标",
     "cells": {"指标": "养老机构护理型床位占比", "单位": "%", "2025年目标值": "≥55", "属性": "约束性"}},
    {"title": "县规划", "level": "县", "date": "2022-05-31", "table": "主要发展指标",
     "section": "县规划 > 二、总体要求",
     "cells": {"指标": "养老机构 护理型床位占比", "单位": "%", "我县2020年实际值": "3.8",
               "我县2025年目标值": "≥55", "国家2025年目标值": "≥55", "属性": "约束性"}},
    {"title": "县规划", "level": "县", "date": "2022-05-31", "table": "主要发展指标",
     "section": "县规划 > 二、总体要求",
     "cells": {"指标": "社会工作专业人才总量", "单位": "人", "国家2025年目标值": "200万人",
               "属性": "预期性"}},
    {"title": "县规划", "level": "县", "date": "", "table": "", "section": "",
     "cells": {"项目名称": "不是指标"}},
]
SYNONYMS = (("社工", ("社会工作",)), ("床位", ("床位", "护理型床位")))
ROWS = indicators.indicator_rows(RECORDS)


def test_rows_are_the_indicator_rows_in_their_columns():
    assert len(ROWS) == 3 and len(indicators.indicator_records(RECORDS)) == 3
    county = dict(zip(indicators.COLUMNS, ROWS[1]))
    assert county["2020年实际值"] == "3.8" and county["国家2025年目标"] == "≥55"


def test_any_word_matches_and_synonyms_widen_a_word():
    assert indicators.search(ROWS, "社工", SYNONYMS) == [2]
    assert indicators.search(ROWS, "社工", ()) == []  # the word alone is not in the row
    assert indicators.search(ROWS, "护理型 社会工作", SYNONYMS) == [0, 1, 2]
    assert indicators.search(ROWS, "县 养老", SYNONYMS)[0] == 1  # both words first
    assert indicators.search(ROWS, "  ", SYNONYMS) == [0, 1, 2]


def test_a_row_reprinted_by_a_later_document_is_listed_once_from_its_source():
    reprint = dict(RECORDS[0], title="工作动态", date="2021-06", section="工作动态 > 主要发展指标",
                   cells=dict(RECORDS[0]["cells"], 指标="养老机构护理型床位 占比"))
    undated = dict(RECORDS[2], title="摘编", date="")
    records = [reprint, undated] + RECORDS
    assert [r["title"] for r in indicators.indicator_records(records)] == ["规划", "县规划", "县规划"]
    assert [r[0] for r in indicators.indicator_rows(records)] == ["规划", "县规划", "县规划"]


def test_source_names_the_title_once_and_the_table():
    assert indicators.source_of(RECORDS[0]) == "《规划》第四节 发展目标 › 主要发展指标"
    assert indicators.source_of(RECORDS[1]) == "《县规划》二、总体要求 › 主要发展指标"


def test_comparison_puts_the_same_indicator_of_each_document_side_by_side():
    groups = indicators.comparison(ROWS, [1])
    assert [name for name, _ in groups] == ["养老机构 护理型床位占比"]
    assert [row[0] for row in groups[0][1]] == ["规划", "县规划"]
    assert indicators.comparison(ROWS, [2]) == []


def test_cards_and_csv():
    cards = indicators.render_cards(ROWS, RECORDS, [2])
    assert "200万人</dd>" in cards and "预期性" in cards and "《县规划》" in cards
    table = indicators.export_rows(ROWS, RECORDS, [0])
    text = indicators.to_csv(table)
    assert text.splitlines()[0] == ",".join(indicators.EXPORT_COLUMNS)
    assert text.splitlines()[1].endswith(",2021-05-24,《规划》第四节 发展目标 › 主要发展指标")
