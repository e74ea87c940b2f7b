"""Answer selection on the real index: the sentence that answers leads, and a rule answers only what it decides."""

from __future__ import annotations

import pytest

from assistant.answer.reply import ReplyStatus
from assistant.core import Assistant

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("question", "clause", "fact"),
    [
        # guidance (一)2(1): one sentence of a long paragraph holds the answer
        ("私营企业主评先评优跟建不建工会有什么关系？", "guidance/1.2.1", "必备条件"),
        # guidance (三) 第5段: what taxi-company unions bargain over, not how taxi unions are formed
        ("出租车公司工会跟企业集体协商主要谈哪些内容？", "guidance/3.p5", "车辆承包费"),
        # guidance (六)4 explains why; the dispatch rule's decision is not the answer
        ("为什么不宜由劳务派遣公司工会牵头成立跨区域的工会联合会？", "guidance/6.4", "属地管理"),
        ("每天工作时间最多几个小时？", "labor-law/art-36", "八小时"),
    ],
)
def test_the_answering_sentence_leads(bot: Assistant, question: str, clause: str, fact: str) -> None:
    reply = bot.ask(question)
    assert reply.status is ReplyStatus.ANSWERED and reply.rule is None
    assert clause in [c.id for c in reply.citations]
    lead = reply.answer.split("\n依据")[0]
    assert fact in lead and len(lead) <= 420  # read out in about 20 seconds


def test_every_shown_sentence_is_quoted_verbatim(bot: Assistant) -> None:
    reply = bot.ask("私营企业主评先评优跟建不建工会有什么关系？")
    for c in reply.citations:
        assert c.quote in bot.store[c.id].text.replace("\n", "") or c.quote in reply.answer


@pytest.mark.parametrize(
    ("question", "rule_id", "status"),
    [
        ("出租车公司有80个会员司机，应当怎么建工会？", "taxi-union", ReplyStatus.ANSWERED),  # a fact to decide on
        ("兼职副主席任期3年，劳动合同还有4年，合同要延长吗？", "chair-contract-extension", ReplyStatus.ANSWERED),
        ("想临时开会员大会，要多少人提议才够？", "extraordinary-meeting", ReplyStatus.NEEDS_MORE_INFO),
    ],
)
def test_rules_answer_what_they_decide(bot: Assistant, question: str, rule_id: str, status: ReplyStatus) -> None:
    reply = bot.ask(question)
    assert reply.rule is not None and reply.rule.id == rule_id and reply.status is status


def test_a_yearly_follow_up_is_computed_by_the_rule(bot: Assistant) -> None:
    history = [
        {"role": "user", "content": "每月工资总额20万，工会经费多少？"},
        {"role": "assistant", "content": "按百分之二：20万元×2%＝4,000元。"},
    ]
    reply = bot.ask("一年下来总共多少？", history)
    assert reply.status is ReplyStatus.ANSWERED and reply.rule is not None
    assert reply.rule.result["amount"] == "48000.00" and "48,000元" in reply.answer
