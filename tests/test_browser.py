"""The web UI in headless Debian Chromium: ask, read the sources, vote, search the targets."""

from __future__ import annotations

import json
import socket
from dataclasses import replace
from pathlib import Path

import pytest

from tests.test_web import ELIGIBILITY, MOBILE, build_small_index

pytestmark = pytest.mark.slow
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TIMEOUT = 30_000  # ms; the first answer also loads jieba's dictionaries


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app over the fixture index, served on a free loopback port."""
    from assistant import web
    from assistant.index import open_assistant

    settings = build_small_index(tmp_path_factory.mktemp("browser"))
    app = web.build_app(open_assistant(settings), settings)
    settings = replace(settings, port=free_port())
    web.launch(app, settings, prevent_thread_lock=True, quiet=True)
    yield f"http://127.0.0.1:{settings.port}/", settings
    app.close()


@pytest.fixture(scope="module")
def browser(server):
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium 不存在：请先 `apt-get install -y chromium`（make browser）")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-US")
    page.set_default_timeout(TIMEOUT)
    page.goto(server[0])
    page.wait_for_selector("#question textarea")
    yield page
    page.close()


def ask(page, question: str, answers: int = 1):
    page.fill("#question textarea", question)
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"document.querySelectorAll('#chat .answer').length >= {answers}"
        " && !document.querySelector('#chat .pending')")
    return page.locator("#chat .answer").nth(answers - 1)


def test_answer_with_citation_panel(page):
    answer = ask(page, ELIGIBILITY)
    assert "三级智力、精神残疾人" in answer.inner_text()
    panel = answer.locator("details.citation")
    assert panel.count() == 1 and "《民政工作动态（测试）》" in panel.inner_text()
    assert not panel.locator("mark").first.is_visible()  # collapsed until clicked
    panel.locator("summary").click()
    assert "无劳动能力" in panel.locator("mark").first.inner_text()


def test_example_question_then_clear(page):
    page.get_by_text("养老机构护理型床位占比2025年目标是多少？").click()
    page.wait_for_selector("#chat .answer details.citation")
    assert "≥55" in page.locator("#chat .answer").inner_text()
    page.get_by_role("button", name="清空对话").click()
    page.wait_for_function("document.querySelectorAll('#chat .answer').length === 0")
    assert page.get_by_text("县里2020年护理型床位占比是多少？").is_visible()  # examples are back


def test_refusal_and_bad_input_show_no_error(page):
    refusal = ask(page, "北京市低保标准是多少？")
    assert "无法作答" in refusal.inner_text() and "refusal" in refusal.get_attribute("class")
    ask(page, "😀" * 5 + "？", answers=2)
    ask(page, "好" * 20000, answers=3)
    assert "只按前 300 字作答" in page.locator("#chat").inner_text()
    assert page.locator(".toast-body.error").count() == 0


def test_feedback_is_appended(page, server):
    feedback = server[1].feedback_file
    before = feedback.read_text(encoding="utf-8").splitlines() if feedback.exists() else []
    ask(page, ELIGIBILITY)
    page.fill("#reason textarea", f"没说怎么申请，请回电 {MOBILE}")
    page.locator("#chat button[aria-label='Dislike']").first.click()
    page.wait_for_function("document.querySelector('#feedback-status').innerText.includes('已记录')")
    lines = feedback.read_text(encoding="utf-8").splitlines()
    assert lines[:len(before)] == before and len(lines) == len(before) + 1
    record = json.loads(lines[-1])
    assert record["vote"] == "down" and record["question"] == ELIGIBILITY
    assert record["reason"] == "没说怎么申请，请回电 138****5678"
    assert record["citations"][0]["title"] == "民政工作动态（测试）"


def test_target_search_and_source(page):
    page.get_by_role("tab", name="指标查询").click()
    page.fill("#target-search textarea", "养老")
    page.wait_for_function("document.body.innerText.includes('共 3 项包含“养老”的指标')")
    for row in range(3):
        assert "养老" in page.locator(f'#targets [data-testid="cell-{row}-2"]').inner_text()
    page.locator('#targets [data-testid="cell-2-2"]').click()
    page.wait_for_function("document.querySelector('#target-source').innerText.includes('位置：')")
    source = page.locator("#target-source").inner_text()
    assert "民乐县“十四五”民政事业发展规划" in source and "3.8" in source


def test_phone_width(browser, server):
    phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone.set_default_timeout(TIMEOUT)
    phone.goto(server[0])
    phone.wait_for_selector("#question textarea")
    answer = ask(phone, ELIGIBILITY)
    assert answer.locator("details.citation").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    phone.close()
