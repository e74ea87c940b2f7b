"""Composer sentence choice: sub-words count once, list items keep their lead-in, no sentence is shown twice."""

from __future__ import annotations

import re

import pytest

from assistant.answer.reply import ReplyStatus
from assistant.answer.select import longest as _longest
from assistant.core import Assistant
from assistant.text.sentences import sentences

_ITEM = re.compile(r"[（(][一二三四五六七八九十]+[）)]")


def test_a_word_counts_once_by_its_longest_match() -> None:
    assert _longest({"会计", "会计师", "事务所", "会计师事务所", "原则"}) == {"会计师事务所", "原则"}
    assert _longest({"工会", "经费"}) == {"工会", "经费"}
    assert _longest(set()) == set()


@pytest.mark.integration
@pytest.mark.parametrize(
    "question",
    [
        "用人单位克扣工资，劳动保障部门能罚吗？",
        "企业随意延长劳动时间，工会可以怎么办？",
        "工会经费有哪些来源？",
    ],
)
def test_a_list_item_is_shown_with_the_sentence_that_introduces_it(bot: Assistant, question: str) -> None:
    reply = bot.ask(question)
    assert reply.status is ReplyStatus.ANSWERED
    lead = reply.answer.split("\n依据")[0]
    first = _ITEM.search(lead)
    assert first is not None, lead
    # whatever item is shown, the text before it ends the lead-in with a colon
    before = lead[: first.start()]
    assert before.rstrip().endswith(("：", ":")), lead


@pytest.mark.integration
@pytest.mark.parametrize(
    "question",
    ["劳务派遣工入会的规定有哪些背景？", "派遣工会员由哪个工会代管？", "用工单位工会代管派遣工会员要签什么协议"],
)
def test_a_sentence_repeated_word_for_word_is_shown_once(bot: Assistant, question: str) -> None:
    # the guidance quotes the dispatch rule verbatim; the answer must not read the same sentence twice
    lead = bot.ask(question).answer.split("\n依据")[0]
    shown = [s.strip('“”"') for s in sentences(lead)]
    assert len(shown) == len(set(shown)), lead
