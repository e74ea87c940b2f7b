"""The chat page in Debian's chromium (Playwright) against a real server: ask, read the basis, rate, follow up."""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.feedback import FeedbackStore

CHROMIUM = Path("/usr/bin/chromium")
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
CPA = "我们会计师事务所有18名会员，可以单独建工会吗？"
FOLLOW_UP = "如果有30名会员呢？"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is missing: run tests/ui/setup_browser.sh"),
]


@pytest.fixture(scope="module")
def requested() -> list[str]:
    """Every URL the page fetched."""
    return []


@pytest.fixture(scope="module")
def page(ui_url: str, requested: list[str]) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        tab = browser.new_page(viewport={"width": 1280, "height": 1700}, locale="zh-CN")
        tab.on("request", lambda request: requested.append(request.url))
        tab.set_default_timeout(30_000)
        tab.goto(ui_url + "/")
        tab.wait_for_selector("#ua-question textarea")
        yield tab
        browser.close()


def _ask(page: Any, question: str, answers_before: int) -> Any:
    page.locator("#ua-question textarea").fill(question)
    page.locator("#ua-send").click()
    bot_messages = page.locator('#ua-chat [data-testid="bot"]')
    page.wait_for_function(
        "n => document.querySelectorAll('#ua-chat [data-testid=\"bot\"]').length > n", arg=answers_before)
    answer = bot_messages.nth(answers_before)
    _settled(answer)
    return answer


def _settled(message: Any, timeout: float = 30) -> None:
    """Wait until a streamed answer stops changing: a click meanwhile (清空对话) races the stream on a busy machine."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        text = message.inner_text()
        if text and text == last:
            return
        last = text
        time.sleep(0.5)


def _stored(store: FeedbackStore, question: str, timeout: float = 10) -> list[Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [r for r in store.records() if r.question == question]
        if found:
            return found
        time.sleep(0.1)
    return []


def test_chat_page_end_to_end(page: Any, bot: Any, ui_feedback: FeedbackStore) -> None:
    assert page.title() == "工会建会入会政策助手"
    header = page.locator(".ua-sources").inner_text()
    assert "《工会法》2021-12-24（现行）" in header and "已失效" in header and bot.manifest.model_id in header
    for topic in ("会计师事务所", "劳务派遣工", "工会经费", "出租车", "改制", "农民工"):
        assert page.get_by_text(topic, exact=True).count() >= 1, topic

    # 1. A CPA question: the conclusion comes first, the basis sits in a closed panel.
    expected = bot.ask(CPA)
    answer = _ask(page, CPA, 0)
    text = answer.inner_text()
    assert text.startswith("贵所会员18人") and "不足二十五人" in text
    panel = answer.locator("details.ua-basis")
    quote = panel.locator(".ua-quote").first
    assert not quote.is_visible()
    panel.locator("summary").click()
    assert quote.is_visible()
    cite = panel.locator(".ua-cite").first
    clause_id = cite.locator(".ua-cite-head code").inner_text().strip()
    shown = quote.inner_text().strip()
    assert clause_id in {c.id for c in expected.citations}
    squash = re.compile(r"\s+")
    assert squash.sub("", shown) in squash.sub("", bot.store[clause_id].text)  # verbatim from the clause
    assert panel.locator(".ua-cite", has_text="第十一条").count() == 1
    assert answer.locator("details.ua-trace summary").inner_text().startswith("推理过程")

    # 2. 👍 on that answer lands in SQLite with the question and the full reply.
    page.locator('#ua-chat button[aria-label="赞"], #ua-chat button[aria-label="Like"]').last.click()
    stored = _stored(ui_feedback, CPA)
    assert stored and stored[0].rating == "up"
    assert stored[0].reply["citations"] == expected.to_dict()["citations"]
    with sqlite3.connect(ui_feedback.path) as db:
        assert db.execute("SELECT rating FROM feedback WHERE question=?", (CPA,)).fetchone() == ("up",)

    # 3. A follow-up: answered from the history, with the rewritten question shown.
    history = [{"role": "user", "content": CPA}, {"role": "assistant", "content": expected.answer}]
    follow = bot.ask(FOLLOW_UP, history)
    assert follow.rewritten_question
    second = _ask(page, FOLLOW_UP, 1)
    assert f"本轮按此问题回答：{follow.rewritten_question}" in second.inner_text()
    assert second.inner_text().startswith(follow.answer.splitlines()[0][:12])
    second.locator("details.ua-basis summary").click()
    page.locator('#ua-chat [data-testid="bot"]').nth(0).scroll_into_view_if_needed()

    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "ui-chat.png"), full_page=True)


def test_needs_more_info_then_the_answer_then_new_conversation(page: Any, bot: Any) -> None:
    page.locator("#ua-new").click()
    page.wait_for_function("() => document.querySelectorAll('#ua-chat [data-testid=\"bot\"]').length === 0")
    first = _ask(page, "我们会计所想建工会，可以单独建吗？", 0)
    assert "请在下一条消息中告诉我：贵所目前有多少名工会会员？" in first.inner_text()
    second = _ask(page, "有18名会员", 1)
    assert "不足二十五人" in second.inner_text()
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "ui-needs-more-info.png"), full_page=True)


def test_the_chat_clear_button_also_forgets_the_history(page: Any) -> None:
    page.locator('#ua-chat button[aria-label="清空对话"], #ua-chat button[aria-label="Clear"]').first.click()
    page.wait_for_function("() => document.querySelectorAll('#ua-chat [data-testid=\"bot\"]').length === 0")
    answer = _ask(page, FOLLOW_UP, 0)  # a bare follow-up: nothing left to rewrite it from
    assert "本轮按此问题回答" not in answer.inner_text()


def test_the_page_fetches_nothing_from_outside(page: Any, ui_url: str, requested: list[str]) -> None:
    # A help desk on an intranet: fonts, scripts and styles all come from this server.
    outside = [u for u in requested if not u.startswith((ui_url, "data:", "blob:"))]
    assert requested and outside == []
