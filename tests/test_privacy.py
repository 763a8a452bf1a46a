"""Privacy: ID-card and phone numbers from questions reach neither logs nor feedback, and the
web app serves no files of the machine (index, feedback log, corpus, source, system)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant import handlers as web_handlers
from assistant.feedback import record_feedback
from tests.test_browser import free_port, server  # noqa: F401  (the app on a loopback port)
from tests.test_web import (  # noqa: F401  (handlers: a fixture)
    ELIGIBILITY,
    ID_CARD,
    MOBILE,
    build_small_index,
    chat,
    handlers,
)

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

    monkeypatch.setattr(web_handlers, "ask", fails)
    _, messages, _ = chat(handlers, QUESTION)[-1]
    assert web_handlers.SYSTEM_ERROR in messages[-1]["content"]
    assert "RuntimeError" in caplog.text and "110*************3X" in caplog.text
    assert ID_CARD not in caplog.text and MOBILE not in caplog.text


def test_feedback_keeps_no_personal_numbers(handlers):  # noqa: F811
    record_feedback(handlers.settings.feedback_file, QUESTION, {"answer": f"回电{MOBILE}"}, "down",
                    reason=f"身份证 {ID_CARD[:6]} {ID_CARD[6:]}")
    text = handlers.settings.feedback_file.read_text(encoding="utf-8")
    assert ID_CARD not in text and ID_CARD[6:] not in text and MOBILE not in text
    assert json.loads(text.splitlines()[-1])["question"].startswith("我身份证110*************3X")


# ---------- end to end: a real `assistant serve`, every log it writes ----------

SEPARATORS = [" ", "-", ".", "\u3000", "－", "．", "  "]
FULL_WIDTH = str.maketrans("0123456789+X", "０１２３４５６７８９＋Ｘ")
CUTS = {11: [(3, 7)], 15: [(6, 12)], 18: [(6, 14), (6, 10, 14), (4, 8, 12, 16)]}


@st.composite
def personal_numbers(draw) -> tuple[str, str]:
    """(the number's digits, the number as someone might type it)."""
    kind = draw(st.sampled_from(["mobile", "id15", "id18"]))
    digit = st.sampled_from("0123456789")
    if kind == "mobile":
        digits = "1" + draw(st.sampled_from("3456789")) + "".join(draw(st.lists(
            digit, min_size=9, max_size=9)))
    else:
        count = 15 if kind == "id15" else 18
        digits = "".join(draw(st.lists(digit, min_size=count - 1, max_size=count - 1)))
        digits += draw(st.sampled_from("0123456789X" if count == 18 else "0123456789"))
    layout = draw(st.sampled_from(["plain", "grouped", "spaced"]))
    separator = draw(st.sampled_from(SEPARATORS))
    if layout == "grouped":
        cuts = draw(st.sampled_from(CUTS[len(digits)]))
        typed = "".join((separator if i in cuts else "") + d for i, d in enumerate(digits))
    elif layout == "spaced":
        typed = separator[0].join(digits)
    else:
        typed = digits
    if kind == "mobile":
        typed = draw(st.sampled_from(["", "86", "+86", "+86 ", "86-", "＋８６"])) + typed
    if draw(st.booleans()):
        flags = draw(st.lists(st.booleans(), min_size=len(typed), max_size=len(typed)))
        typed = "".join(c.translate(FULL_WIDTH) if f else c for c, f in zip(typed, flags))
    return digits, typed


def squeezed(text: str) -> str:
    """Digits as plain ASCII with every separator between them gone, for grepping."""
    text = unicodedata.normalize("NFKC", text).upper()
    return re.sub(r"(?<=[\dX])[\s.\-－—–．·・]+(?=[\dX])", "", text)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`assistant serve` in its own process over the fixture index; its stdout and stderr go to
    files, as a deployment's logs would."""
    root = tmp_path_factory.mktemp("served")
    settings = build_small_index(root)
    port = free_port()
    env = dict(os.environ, ASSISTANT_CORPUS_DIR=str(settings.corpus_dir),
               ASSISTANT_INDEX_DIR=str(settings.index_dir), ASSISTANT_PORT=str(port),
               ASSISTANT_FEEDBACK_PATH=str(settings.feedback_file), PYTHONUNBUFFERED="1")
    logs = [root / "stdout.log", root / "stderr.log"]
    with logs[0].open("wb") as out, logs[1].open("wb") as err:
        process = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve"], env=env,
                                   stdout=out, stderr=err)
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(600):
            if process.poll() is not None:
                pytest.fail(logs[1].read_text(encoding="utf-8")[-2000:])
            try:
                if status_of(url) == 200:
                    break
            except OSError:
                time.sleep(0.1)
        yield url, [*logs, settings.feedback_file]
    finally:
        process.terminate()
        process.wait(timeout=20)


def ui_event(url: str, session: str, fn_index: int, data: list, event_data=None) -> dict:
    """One event of the web page (the chat's send, a 👍), as the browser sends it."""
    body = json.dumps({"data": data, "event_data": event_data, "fn_index": fn_index,
                       "trigger_id": None, "session_hash": session}).encode()
    request = urllib.request.Request(url + "gradio_api/queue/join", body,
                                     {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        event = json.load(response)["event_id"]
    with urllib.request.urlopen(f"{url}gradio_api/queue/data?session_hash={session}",
                                timeout=60) as stream:
        for line in stream:
            message = json.loads(line[5:]) if line.startswith(b"data:") else {}
            if message.get("msg") == "process_completed" and message.get("event_id") == event:
                return message
    raise AssertionError("the event never completed")


def call_form(url: str, data: list) -> str:
    """/ask in Gradio's curl form: POST the inputs, then GET the result stream."""
    request = urllib.request.Request(url + "gradio_api/call/ask", json.dumps({"data": data})
                                     .encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        event = json.load(response)["event_id"]
    with urllib.request.urlopen(f"{url}gradio_api/call/ask/{event}", timeout=60) as result:
        return result.read().decode("utf-8")


def fn_index(url: str, name: str) -> int:
    with urllib.request.urlopen(url + "config", timeout=10) as response:
        config = json.load(response)
    return next(i for i, d in enumerate(config["dependencies"]) if d["api_name"] == name)


@pytest.mark.slow
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(number=personal_numbers())
def test_no_log_or_feedback_file_holds_a_personal_number(served, number):
    from gradio_client import Client

    url, files = served
    digits, typed = number
    question = f"我的号码是{typed}，{ELIGIBILITY}"
    session = uuid.uuid4().hex[:12]
    chat = ui_event(url, session, fn_index(url, "respond"), [question, None])
    assert chat["success"]
    vote = ui_event(url, session, fn_index(url, "vote"), [None, f"请回电 {typed}"],
                    event_data={"index": 1, "value": "", "liked": False})
    assert vote["output"]["data"][0].startswith("已记录")
    assert Client(url, verbose=False).predict(question, [typed], api_name="/ask")["answer"]
    assert "event: complete" in call_form(url, [question, []])
    assert "event: error" in call_form(url, [question])  # Gradio: not enough inputs
    assert "event: error" in call_form(url, [question, 5])  # the handler itself fails
    status_of(f"{url}?n={urllib.parse.quote(typed)}")
    time.sleep(0.3)  # the server's last lines reach its log files
    written = "".join(path.read_text(encoding="utf-8") for path in files)
    assert "Received inputs" in written and "answering" in written  # the errors were logged
    assert typed not in written
    assert digits not in squeezed(written), f"{typed!r} is in a log"


@pytest.mark.parametrize("text, masked", [
    ("８６１３８１２３４５６７８", "１３８****５６７８"),
    ("+86 138.1234.5678", "138****5678"),
    ("1 3 8 1 2 3 4 5 6 7 8", "138****5678"),
    ("老身份证110105900101123", "老身份证110**********23"),
    ("110105 900101 123", "110**********23"),
    ("电话13812345678 2024年", "电话138****5678 2024年"),
    ("builds/20261126-142240-10886-5017e5", "builds/20261126-142240-10886-5017e5"),
    ("2026-11-26 14:22:40,123", "2026-11-26 14:22:40,123"),
])
def test_mask_variants_from_the_issue(text, masked):
    from assistant.privacy import mask

    assert mask(text) == masked
