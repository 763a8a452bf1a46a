"""Privacy: ID-card and phone numbers from questions reach neither logs nor feedback, and the
web app serves no files of the machine (index, feedback log, corpus, source, system)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from assistant import web
from assistant.feedback import record_feedback
from tests.test_browser import server  # noqa: F401  (the app served on a free loopback port)
from tests.test_web import ELIGIBILITY, ID_CARD, MOBILE, chat, handlers  # noqa: F401

QUESTION = f"我身份证{ID_CARD}，电话{MOBILE}，{ELIGIBILITY}"


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.slow
def test_the_app_serves_no_files_of_the_machine(server):  # noqa: F811
    url, settings = server
    record_feedback(settings.feedback_file, QUESTION, {"answer": ""}, "up")
    assert status_of(url) == 200
    private = [settings.feedback_file, settings.index_dir / "CURRENT",
               next(settings.corpus_dir.glob("*.txt")), Path("README.md").resolve(),
               Path("/etc/passwd")]
    for path in [*map(str, private), "README.md", "../../../../etc/passwd"]:
        for route in ("gradio_api/file=", "file="):
            assert status_of(url + route + path) in (403, 404), f"{route}{path} is served"


def test_a_failing_answer_logs_the_question_masked(handlers, monkeypatch, caplog):  # noqa: F811
    def fails(index, question, **options):
        raise RuntimeError(f"could not answer {question!r}")

    monkeypatch.setattr(web, "ask", fails)
    _, messages, _ = chat(handlers, QUESTION)[-1]
    assert web.SYSTEM_ERROR in messages[-1]["content"]
    assert "RuntimeError" in caplog.text and "110*************3X" in caplog.text
    assert ID_CARD not in caplog.text and MOBILE not in caplog.text


def test_feedback_keeps_no_personal_numbers(handlers):  # noqa: F811
    record_feedback(handlers.settings.feedback_file, QUESTION, {"answer": f"回电{MOBILE}"}, "down",
                    reason=f"身份证 {ID_CARD[:6]} {ID_CARD[6:]}")
    text = handlers.settings.feedback_file.read_text(encoding="utf-8")
    assert ID_CARD not in text and ID_CARD[6:] not in text and MOBILE not in text
    assert json.loads(text.splitlines()[-1])["question"].startswith("我身份证110*************3X")
