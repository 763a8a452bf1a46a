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
                           "latency_ms", "truncated"}
    assert answer["abstained"] is False and answer["truncated"] is False
    citation = answer["citations"][0]
    assert {"n", "doc", "title", "section", "text", "score"} <= set(citation)
    assert citation["doc"] == "digest.txt" and "无劳动能力" in citation["text"]
    assert len(answer["retrieved"]) >= 5  # all the fixture index holds
    assert all({"doc", "title", "section", "text", "score"} <= set(r) for r in answer["retrieved"])
    assert answer["related"] == []  # only a refusal lists related passages


def test_a_question_cut_to_its_end_says_so_and_answers_what_the_end_asks(env, capsys):
    """A long message tells its story first and asks last: its end is read, not its start."""
    long = "我家住在农村，" * 50 + "养老机构护理型床位占比2025年目标是多少？"
    assert main(["ask", "--json", long]) == 0
    assert json.loads(capsys.readouterr().out)["truncated"] is True
    assert main(["ask", long]) == 0
    out = capsys.readouterr().out
    assert out.startswith("（问题较长，只按最后 300 字作答）") and "55%" in out


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


def test_targets_csv_has_a_header_and_each_rows_source(env, capsys):
    import io

    import pandas as pd

    assert main(["targets", "--csv", "床位"]) == 0  # 床位 → 护理型床位 (synonyms.tsv)
    table = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str)
    assert list(table.columns[:3]) == ["文档", "级别", "指标"] and "出处" in table.columns
    assert set(table["指标"]) == {"养老机构护理型床位占比"} and len(table) == 2
    assert table["出处"].str.startswith("《").all()


def test_feedback_prints_the_final_vote_per_answer_and_the_worst_questions(env, tmp_path,
                                                                           monkeypatch, capsys):
    from assistant.feedback import record_feedback, withdraw_feedback

    path = tmp_path / "feedback.jsonl"
    monkeypatch.setenv("ASSISTANT_FEEDBACK_PATH", str(path))
    answer = {"answer": "答", "citations": []}
    record_feedback(path, "低保怎么申请？", answer, "up", answer_id="c1-1")  # 👍, cancel, 👎
    withdraw_feedback(path, "c1-1")
    record_feedback(path, "低保怎么申请？", answer, "down", "没说去哪里", answer_id="c1-1")
    record_feedback(path, "低保怎么申请？", answer, "down", "太长", answer_id="c2-1")
    record_feedback(path, "特困怎么认定？", answer, "up", answer_id="c2-2")
    with path.open("a", encoding="utf-8") as log:  # an older log repeating an id: last wins
        log.write(json.dumps({"id": "c2-2", "vote": "down", "question": "特困怎么认定？"}) + "\n")
    assert main(["feedback"]) == 0
    out = capsys.readouterr().out
    assert out.count("c1-1\t👎") == 1 and "👍" not in out.split("\n\n")[0]
    assert "共 3 个回答有评价：👍 0，👎 3" in out
    assert "1. 低保怎么申请？  （👎 2）\n   原因：没说去哪里\n   原因：太长" in out
    assert main(["feedback", "--eval"]) == 0
    drafts = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [d["question"] for d in drafts] == ["低保怎么申请？", "特困怎么认定？"]


def test_feedback_never_prints_a_terminal_escape_a_visitor_typed(env, tmp_path, monkeypatch,
                                                                 capsys):
    from assistant.feedback import record_feedback

    path = tmp_path / "feedback.jsonl"
    monkeypatch.setenv("ASSISTANT_FEEDBACK_PATH", str(path))
    record_feedback(path, "低保怎么申请？", {"answer": "答"}, "down", "不对\x1b[2J\x1b]0;PWNED\x07",
                    answer_id="c1-1")
    with path.open("a", encoding="utf-8") as log:  # a line written before reasons were cleaned
        log.write(json.dumps({"id": "c2\x1b[1m", "vote": "down", "question": "特困\x1b[2J",
                              "reason": "\x1b]0;X\x07"}) + "\n")
    assert main(["feedback"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "原因：不对[2J]0;PWNED" in out


def test_feedback_without_a_log_is_one_clear_line(env, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ASSISTANT_FEEDBACK_PATH", str(tmp_path / "none.jsonl"))
    assert main(["feedback"]) == 2
    assert capsys.readouterr().err.startswith("错误：")


def test_serve_on_a_port_in_use_says_which_setting_to_change(env, monkeypatch, capsys):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        monkeypatch.setenv("ASSISTANT_PORT", str(taken.getsockname()[1]))
        assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "已被占用" in err and "ASSISTANT_PORT" in err and "GRADIO" not in err
