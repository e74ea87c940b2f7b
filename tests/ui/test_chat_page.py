"""The chat page's handlers over the real assistant: answer, follow-up history, feedback, new conversation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr
import pytest

from assistant.feedback import FeedbackStore
from assistant.ui import ChatPage
from assistant.ui.app import EXAMPLES

pytestmark = pytest.mark.integration
CPA = "我们会计师事务所有18名会员，可以单独建工会吗？"


@pytest.fixture
def page(bot: Any, tmp_path: Path) -> ChatPage:
    return ChatPage(bot, FeedbackStore(tmp_path / "feedback.sqlite3"))


def test_respond_appends_question_and_rendered_reply(page: ChatPage, bot: Any) -> None:
    chat, turns, box = page.respond(CPA, [], [])
    assert box == "" and [m["role"] for m in chat] == ["user", "assistant"]
    assert turns[0]["reply"] == bot.ask(CPA).to_dict() and turns[0]["history"] == []
    assert chat[1]["content"].startswith("贵所会员18人")  # conclusion first
    assert "依据" in chat[1]["content"]
    chat, turns, _ = page.respond("如果有30名会员呢？", chat, turns)
    assert turns[1]["history"] == [{"role": "user", "content": CPA},
                                   {"role": "assistant", "content": turns[0]["reply"]["answer"]}]
    assert "本轮按此问题回答" in chat[3]["content"]


def test_respond_refuses_empty_and_over_long_without_asking(page: ChatPage) -> None:
    with pytest.warns(UserWarning, match="请输入要咨询的问题"):
        assert page.respond("   ", [], []) == ([], [], "   ")
    long = "问" * 1001
    with pytest.warns(UserWarning, match="1000字以内"):
        assert page.respond(long, [], []) == ([], [], long)


def test_a_cleared_chat_drops_its_history(page: ChatPage) -> None:
    _, turns, _ = page.respond(CPA, [], [])
    _, turns, _ = page.respond("如果有30名会员呢？", [], turns)  # the page cleared the chat, the state lags
    assert turns[0]["history"] == [] and turns[0]["reply"]["rewritten_question"] is None


def test_history_is_capped_at_twenty_messages(page: ChatPage) -> None:
    chat: list[dict[str, Any]] = []
    turns: list[dict[str, Any]] = []
    for _ in range(12):
        chat, turns, _ = page.respond("工会经费怎么拨缴？", chat, turns)
    assert len(turns[-1]["history"]) == 20


def test_feedback_is_stored_and_can_be_withdrawn(page: ChatPage) -> None:
    chat, turns, _ = page.respond(CPA, [], [])
    page.rate(turns, "conv-1", gr.LikeData(None, {"index": 1, "value": chat[1]["content"], "liked": True}))
    rec = page.feedback.records()
    assert len(rec) == 1 and rec[0].rating == "up" and rec[0].question == CPA and rec[0].reply == turns[0]["reply"]
    page.rate(turns, "conv-1", gr.LikeData(None, {"index": 1, "value": "", "liked": False}))
    assert page.feedback.records()[0].rating == "down"
    page.rate(turns, "conv-1", gr.LikeData(None, {"index": 1, "value": "", "liked": ""}))
    assert len(page.feedback) == 0
    page.rate(turns, "conv-1", gr.LikeData(None, {"index": 9, "value": "", "liked": True}))  # stale index: ignored
    assert len(page.feedback) == 0


def test_new_conversation_resets_everything() -> None:
    chat, turns, conversation, box = ChatPage.new_conversation()
    assert (chat, turns, box) == ([], [], "") and len(conversation) == 32


def test_examples_cover_every_topic_and_are_answered(bot: Any) -> None:
    assert set(EXAMPLES) == {"会计师事务所", "劳务派遣工", "工会经费", "出租车", "改制", "农民工"}
    for questions in EXAMPLES.values():
        for q in questions:
            reply = bot.ask(q)
            assert reply.status.value != "out_of_scope" and reply.citations, q


def test_eval_tab_shows_the_newest_report(bot: Any, tmp_path: Path) -> None:
    class Bot:  # only the data dir matters for the report tab
        settings = bot.settings.model_copy(update={"data_dir": tmp_path})

    page = ChatPage(Bot(), FeedbackStore(tmp_path / "fb.sqlite3"))  # type: ignore[arg-type]
    assert "assistant eval" in page.eval_report()
    run = tmp_path / "eval" / "reports" / "20261128T000000Z"
    run.mkdir(parents=True)
    (run / "report.html").write_text("<html><body><table><tr><td>全系统</td></tr></table></body></html>")
    shown = page.eval_report()
    assert shown.startswith("<iframe") and "全系统" in shown
