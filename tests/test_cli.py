import json

import pytest

from assistant.cli import main


@pytest.fixture
def env(built, monkeypatch):
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(built / "corpus"))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(built / "index"))
    return built


def test_ask_json_prints_exactly_the_contract(env, capsys):
    assert main(["ask", "--json", "三级精神残疾人能认定为特困人员吗？"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert set(answer) == {"question", "answer", "abstained", "citations", "retrieved", "related",
                           "latency_ms"}
    assert answer["abstained"] is False
    citation = answer["citations"][0]
    assert {"n", "doc", "title", "section", "text", "score"} <= set(citation)
    assert citation["doc"] == "digest.txt" and "无劳动能力" in citation["text"]
    assert len(answer["retrieved"]) >= 5  # all the fixture index holds
    assert all({"doc", "title", "section", "text", "score"} <= set(r) for r in answer["retrieved"])
    assert answer["related"] == []  # only a refusal lists related passages


def test_a_refusal_lists_related_passages_apart_and_cites_nothing(env, capsys):
    assert main(["ask", "--json", "上海的低保标准是多少？"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["abstained"] is True and answer["citations"] == []
    assert 1 <= len(answer["related"]) <= 2
    assert "相关内容（不直接回答您的问题）" in answer["answer"]


def test_ask_prints_the_answer_and_its_sources(env, capsys):
    assert main(["ask", "养老机构护理型床位占比2025年目标？"]) == 0
    out = capsys.readouterr().out
    assert "≥55" in out and "来源" in out and "《“十四五”民政事业发展规划》" in out


def test_interactive_ask_resolves_follow_ups(env, capsys, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("养老机构护理型床位占比2025年目标？\n县里的呢？\n\n"))
    assert main(["ask"]) == 0
    assert "3.8" in capsys.readouterr().out


def test_chunks_shows_heading_paths(env, capsys):
    assert main(["chunks", "--doc", "digest"]) == 0
    assert "社会救助 > 民政部适当放宽特困人员认定标准" in capsys.readouterr().out


def test_user_errors_are_one_clear_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "none"))
    assert main(["ask", "低保怎么申请"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "assistant index" in err and len(err.splitlines()) == 1
    monkeypatch.setenv("ASSISTANT_EMBEDDINGS", "word2vec")
    assert main(["ask", "低保怎么申请"]) == 2
    assert "ASSISTANT_EMBEDDINGS" in capsys.readouterr().err
