"""The web UI in headless Debian Chromium at a phone's 390×844 and a desk's 1366×768: ask, read
the answer from its start, copy, share, vote, search and export the targets, and axe-core's
accessibility check on every tab."""

from __future__ import annotations

import json
import re
import socket
import time
from dataclasses import replace
from pathlib import Path

import pytest

from tests.test_web import ELIGIBILITY, MOBILE, build_small_index

pytestmark = pytest.mark.slow
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TIMEOUT = 30_000  # ms; the first answer also loads jieba's dictionaries
# `make browser` installs axe-core here (npm); the check is skipped, saying so, without it
AXE = Path(__file__).resolve().parent.parent / ".cache/npm/node_modules/axe-core/axe.min.js"
SIZES = {"phone": {"width": 390, "height": 844}, "desk": {"width": 1366, "height": 768}}
BODY_PX, SECONDARY_PX, TAP_PX = 16, 14, 44  # the sizes (WCAG AA, WCAG 2.5.5)
TAPPED = ("#chat button.icon-button, #chat .copy-answer, "
          "#chat .share-answer, #chat .sources summary, #chat .related-passage summary, #ask-row button, #tools button, "
          "button[role=tab], #question textarea, #reason textarea")


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


def open_page(browser, url: str, size: str = "desk"):
    phone = size == "phone"
    page = browser.new_page(viewport=SIZES[size], is_mobile=phone, has_touch=phone,
                            locale="en-US", accept_downloads=True)
    page.set_default_timeout(TIMEOUT)
    page.goto(url)
    page.wait_for_selector("#question textarea")
    return page


@pytest.fixture
def page(browser, server):
    page = open_page(browser, server[0])
    yield page
    page.close()


@pytest.fixture(params=list(SIZES))
def sized(request, browser, server):
    page = open_page(browser, server[0], request.param)
    yield page
    page.close()


def ask(page, question: str, answers: int = 1):
    page.fill("#question textarea", question)
    page.keyboard.press("Enter")
    page.wait_for_function(  # the finished message ends with the copy and share buttons
        f"document.querySelectorAll('#chat .answer .actions').length >= {answers}"
        " && !document.querySelector('#chat .pending')")
    return page.locator("#chat .answer").nth(answers - 1)


def test_answer_with_citation_panel(page):
    answer = ask(page, ELIGIBILITY)
    assert "三级智力、精神残疾人" in answer.inner_text()
    panel = answer.locator("details.citation")
    assert panel.count() == 1 and "《民政工作动态（测试）》" in answer.locator(".doc-title").inner_text()
    assert not panel.locator("mark").first.is_visible()  # collapsed until clicked
    panel.locator("summary").click()
    assert "无劳动能力" in panel.locator("mark").first.inner_text()
    panel.locator("summary").click()  # closed again; the [1] after the answer opens it too
    assert not panel.locator("mark").first.is_visible()
    answer.get_by_role("button", name="查看来源").first.click()
    assert panel.locator("mark").first.is_visible()


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
    related = refusal.locator("details.related-passage").first
    assert not related.locator(".passage").is_visible()  # a related passage opens when tapped
    related.locator("summary").click()
    assert related.locator(".passage").inner_text().strip()
    ask(page, "😀" * 5 + "？", answers=2)
    ask(page, "好" * 20000, answers=3)
    assert "只按最后 300 字作答" in page.locator("#chat").inner_text()
    assert page.locator(".toast-body.error").count() == 0


def test_feedback_is_appended(page, server):
    feedback = server[1].feedback_file
    before = feedback.read_text(encoding="utf-8").splitlines() if feedback.exists() else []
    ask(page, ELIGIBILITY)
    assert page.locator("#reason").inner_text().startswith("对回答的意见")  # labelled: no question box
    page.fill("#reason textarea", f"没说怎么申请，请回电 {MOBILE}")
    page.press("#reason textarea", "Enter")  # says how an opinion is sent, sends nothing
    page.wait_for_function("document.querySelector('.vote-said')?.innerText.includes('赞或踩')")
    page.locator("#chat button[aria-label='Dislike']").first.click()
    page.wait_for_function("document.querySelector('#feedback-status').innerText.includes('已记录')")
    page.wait_for_selector(".vote-said")  # the confirmation, by the button
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
    page.locator('#targets [data-testid="cell-2-2"]').click()  # the desk's table
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


def in_view(page, selector: str) -> dict:
    return page.evaluate("""(selector) => {
        const all = document.querySelectorAll(selector), box = all[all.length - 1].getBoundingClientRect();
        return {top: box.top, bottom: box.bottom, height: innerHeight};
    }""", selector)


def test_answer_starts_in_view_with_its_question_above(sized):
    for question in ("养老机构护理型床位占比2025年目标是多少？", ELIGIBILITY):
        count = sized.locator("#chat .user-text").count()  # before sending: the echo can be quick
        started = time.perf_counter()
        sized.fill("#question textarea", question)
        sized.keyboard.press("Enter")
        sized.wait_for_function(f"document.querySelectorAll('#chat .user-text').length > {count}"
                                f" && document.querySelectorAll('#chat .answer p.lead').length > {count}")
        first_text = time.perf_counter() - started
        sized.wait_for_function(f"document.querySelectorAll('#chat .answer .actions').length > {count}")
        print(f"\n{sized.viewport_size}: first text {first_text:.2f} s, "
              f"whole answer {time.perf_counter() - started:.2f} s")
    sized.wait_for_timeout(500)
    lead, asked = in_view(sized, "#chat .answer p.lead"), in_view(sized, "#chat .user-text")
    assert 0 <= asked["top"] < lead["top"] and lead["bottom"] <= lead["height"], (asked, lead)


def test_sizes_measured_from_the_page(sized):
    ask(sized, "养老机构护理型床位占比2025年目标是多少？")
    ask(sized, ELIGIBILITY, answers=2)
    fonts = sized.evaluate("""() => [...document.querySelectorAll(
        '#chat .answer p:not(.note), #chat .user-text, #chat .answer .note, #chat .sources summary,'
        + ' #chat .doc-title, #chat .actions button, #chat .actions a, #chat .sources .head')]
        .map((e) => {
            let opacity = 1;
            for (let at = e; at; at = at.parentElement) opacity *= +getComputedStyle(at).opacity;
            return {what: e.className || e.tagName, px: parseFloat(getComputedStyle(e).fontSize),
                    opacity, body: e.matches('.answer p:not(.note), .user-text')};
        })""")
    assert fonts and all(f["opacity"] == 1 for f in fonts), fonts
    assert all(f["px"] >= (BODY_PX if f["body"] else SECONDARY_PX) for f in fonts), fonts
    # a line's last character, kept with its [n] marks, is as large as the rest of its line
    uneven = sized.evaluate("""() => [...document.querySelectorAll('#chat .answer p .tail')]
        .filter((t) => getComputedStyle(t).fontSize !== getComputedStyle(t.closest('p')).fontSize)
        .map((t) => t.closest('p').innerText.slice(-12))""")
    assert not uneven, uneven
    targets = sized.evaluate("""(selector) => [...document.querySelectorAll(selector)]
        .filter((e) => e.offsetParent !== null)
        .map((e) => ({what: e.getAttribute('aria-label') || e.innerText.slice(0, 12),
                      width: e.getBoundingClientRect().width,
                      height: e.getBoundingClientRect().height}))""", TAPPED)
    assert len(targets) >= 10
    # a placeholder is the boxes' only instruction: readable (WCAG AA 4.5:1 on white)
    grey = sized.evaluate("""() => [...document.querySelectorAll('textarea, input[type=text]')]
        .map((e) => getComputedStyle(e, '::placeholder').color)""")
    assert grey and all(contrast_on_white(c) >= 4.5 for c in grey), grey
    small = [t for t in targets if t["width"] < TAP_PX or t["height"] < TAP_PX]
    assert not small, small
    print(f"\n{sized.viewport_size}: fonts {sorted({f['px'] for f in fonts})} px; tap targets "
          f"min {min(t['width'] for t in targets):.0f}×{min(t['height'] for t in targets):.0f} px")


def contrast_on_white(css_color: str) -> float:
    """WCAG contrast ratio of an "rgb(r, g, b)" colour against white."""
    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (float(v) for v in re.findall(r"[\d.]+", css_color)[:3])
    luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    return 1.05 / (luminance + 0.05)


def test_copy_gives_plain_text_and_the_link_asks_again(browser, server):
    page = open_page(browser, server[0])
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    answer = ask(page, ELIGIBILITY)
    answer.locator(".copy-answer").click()
    page.wait_for_selector("#chat .actions .said")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "<" not in copied and "三级智力、精神残疾人" in copied
    assert "\n来源：\n[1] 《民政工作动态（测试）》" in copied
    link = answer.locator(".share-answer").get_attribute("href")
    page.close()
    shared = open_page(browser, server[0] + link)
    shared.wait_for_selector("#chat .answer .actions")
    assert shared.locator("#chat .user-text").inner_text() == ELIGIBILITY
    shared.close()


def test_user_markdown_fetches_nothing(page):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    typed = "![x](https://example.invalid/x.png) <img src=https://example.invalid/y.png> 低保？"
    ask(page, typed)
    page.wait_for_timeout(500)
    assert not [url for url in requested if "example.invalid" in url]
    assert page.locator("#chat .message img").count() == 0
    assert "![x](https://example.invalid/x.png)" in page.locator("#chat .user-text").inner_text()


def test_vote_then_cancel_then_down_counts_once(page, server, monkeypatch, capsys):
    from assistant.cli import main

    question = "养老机构护理型床位占比2025年目标是多少？"
    ask(page, question)
    status = "document.querySelector('#feedback-status').innerText.includes('{}')"
    page.locator("#chat button[aria-label='Like']").first.click()
    page.wait_for_function(status.format("好评"))
    page.locator("#chat button[aria-label='Liked']").first.click()  # clicked again: cancelled
    page.wait_for_function(status.format("已取消"))
    page.locator("#chat button[aria-label='Dislike']").first.click()
    page.wait_for_function(status.format("差评"))
    said = page.locator(".vote-said")
    said.wait_for()
    box = said.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= page.viewport_size["height"]
    monkeypatch.setenv("ASSISTANT_FEEDBACK_PATH", str(server[1].feedback_file))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(server[1].index_dir))
    capsys.readouterr()
    assert main(["feedback"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.endswith(question)]
    assert len(lines) == 1 and "\t👎\t" in lines[0]


def test_targets_search_synonyms_and_export(sized):
    import pandas as pd

    sized.get_by_role("tab", name="指标查询").click()
    sized.wait_for_function("document.activeElement === document.querySelector('#target-search textarea')")
    sized.fill("#target-search textarea", "社工")
    sized.wait_for_function("document.body.innerText.includes('共 1 项包含“社工”的指标')")
    phone = sized.viewport_size["width"] < 700
    shown = sized.locator("#target-cards" if phone else "#targets")
    assert "社会工作专业人才总量" in shown.inner_text()
    assert sized.locator("#targets").is_visible() != phone  # cards on a phone, a table at a desk
    sized.fill("#target-search textarea", "床位")
    sized.wait_for_function("document.body.innerText.includes('共 2 项')")
    with sized.expect_download() as download:
        sized.locator("#export-csv").click()
    table = pd.read_csv(download.value.path(), dtype=str)
    assert list(table.columns[:3]) == ["文档", "级别", "指标"] and len(table) == 2
    assert table["出处"].str.startswith("《").all()
    sized.get_by_text("对比：同一指标的国家与县目标并列").click()
    assert "县级" in sized.locator("#compare table.compare").inner_text()


@pytest.mark.parametrize("size", list(SIZES))
def test_axe_finds_no_serious_violations(browser, server, size):
    if not AXE.exists():
        pytest.skip(f"{AXE} 不存在：请运行 `make browser`（npm install axe-core）")
    page = open_page(browser, server[0], size)
    ask(page, ELIGIBILITY)
    found = {}
    for tab in ("政策问答", "指标查询", "文件来源"):
        page.get_by_role("tab", name=tab).click()
        page.wait_for_timeout(300)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        found[tab] = [(v["id"], v["impact"], len(v["nodes"]), [(n["target"], n["any"][0]["message"][:90] if n["any"] else "") for n in v["nodes"]][:8]) for v in result["violations"]]
    page.close()
    print(f"\naxe {size}: {found}")
    serious = {tab: [v for v in found[tab] if v[1] in ("serious", "critical")] for tab in found}
    assert not any(serious.values()), serious
