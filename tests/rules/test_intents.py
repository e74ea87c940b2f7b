"""What a question asks of a rule, beyond its facts: a head count, a check of one case, a yearly total,
a comparison of two durations, the women's committee alone, and a return to an earlier rule's topic."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.rules import RulesEngine
from assistant.rules.base import Status
from assistant.rules.facts import extract


@pytest.mark.parametrize(
    ("question", "shorter"),
    [
        ("兼职副主席任期3年，劳动合同还有4年，合同要延长吗？", False),
        ("兼职主席任期五年，合同还剩两年", True),
        ("非专职委员任期3年，合同剩余3年", False),  # equal is not shorter (第十九条: 短于任期)
        ("任期5年，合同还剩半年", True),
    ],
)
def test_remaining_contract_is_compared_with_the_term(question: str, shorter: bool) -> None:
    assert extract(question).facts["contract_shorter"] is shorter


def test_one_duration_alone_compares_nothing() -> None:
    assert "contract_shorter" not in extract("兼职主席任期5年，合同要延长吗").facts


def test_contract_longer_than_term_is_decided_not_asked(engine: RulesEngine) -> None:
    r = engine.answer("兼职副主席任期3年，劳动合同还有4年，合同要延长吗？")
    assert r is not None and r.rule_id == "chair-contract-extension"
    assert r.status is Status.DECIDED and r.result["extended"] is False


@pytest.mark.parametrize(
    ("question", "rule_id", "slot"),
    [
        ("想临时开会员大会，要多少人提议才够？", "extraordinary-meeting", "members"),
        ("罢免工会主席需要多少票？", "chair-removal", "members"),
        ("兼职工会委员占用工作时间搞工会活动，这个月超没超？", "union-work-time", "days"),
    ],
)
def test_asking_for_a_number_or_a_check_asks_for_the_fact_it_needs(
    engine: RulesEngine, question: str, rule_id: str, slot: str
) -> None:
    r = engine.answer(question)
    assert r is not None and r.rule_id == rule_id
    assert r.status is Status.NEEDS_MORE_INFO and [m.name for m in r.missing] == [slot]


def test_the_number_follows_once_the_fact_is_given(engine: RulesEngine) -> None:
    conv = engine.conversation()
    conv.ask("想临时开会员大会，要多少人提议才够？")
    r = conv.ask("我们有100个会员")
    assert r is not None and r.status is Status.DECIDED and r.result["min_proposers"] == 34
    conv = engine.conversation()
    conv.ask("罢免工会主席需要多少票？")
    r = conv.ask("全体会员有51人")
    assert r is not None and r.status is Status.DECIDED and r.result["min_votes"] == 26


def test_the_general_question_still_gets_the_principle(engine: RulesEngine) -> None:
    r = engine.answer("临时召开会员大会需要什么条件？")
    assert r is not None and r.status is Status.DECIDED and "三分之一" in r.conclusion


@pytest.mark.parametrize(
    ("wage", "monthly", "yearly"),
    [("35.5万", "7100.00", "85200.00"), ("10万", "2000.00", "24000.00"), ("1234.56元", "24.69", "296.28")],
)
def test_a_yearly_total_is_twelve_monthly_levies(engine: RulesEngine, wage: str, monthly: str, yearly: str) -> None:
    conv = engine.conversation()
    first = conv.ask(f"每月工资总额{wage}，工会经费多少？")
    assert first is not None and first.result["amount"] == monthly
    r = conv.ask("一年下来总共多少？")
    assert r is not None and r.rule_id == "union-fund" and r.status is Status.DECIDED
    assert r.result["amount"] == yearly and r.result["monthly_amount"] == monthly
    assert Decimal(yearly) == (Decimal(monthly) * 12)  # rounded once per month, as the law levies monthly


def test_an_annual_wage_bill_is_not_multiplied_again(engine: RulesEngine) -> None:
    r = engine.answer("全年工资总额480万，一年要交多少工会经费？")
    assert r is not None and r.result["amount"] == "96000.00" and "monthly_amount" not in r.result


@pytest.mark.parametrize(("women", "body"), [("不多", "女职工委员"), ("较多", "女职工委员会")])
def test_womens_committee_question_is_decided_without_the_head_count(
    engine: RulesEngine, women: str, body: str
) -> None:
    r = engine.answer(f"事务所女职工{women}，还要建女职工委员会吗？")
    assert r is not None and r.rule_id == "committee-threshold" and r.status is Status.DECIDED
    assert r.result["women_body"] == body and "must_establish" not in r.result
    assert "二十五人" in r.conclusion  # says the committee itself still turns on the members


def test_head_count_and_women_together_decide_both(engine: RulesEngine) -> None:
    r = engine.answer("我们所有30个会员，女职工较多，要建什么？")
    assert r is not None and r.result["must_establish"] is True and r.result["women_body"] == "女职工委员会"


def test_a_turn_can_return_to_an_earlier_rule(engine: RulesEngine) -> None:
    conv = engine.conversation()
    first = conv.ask("我们单位会员20人，要建工会委员会吗？")
    assert first is not None and first.rule_id == "committee-threshold" and first.result["must_establish"] is False
    fee = conv.ask("每月工资总额40万，工会经费交多少？")
    assert fee is not None and fee.rule_id == "union-fund"
    back = conv.ask("那要是以后会员发展到30个呢？")
    assert back is not None and back.rule_id == "committee-threshold" and back.result["must_establish"] is True


def test_an_unrelated_turn_returns_to_nothing(engine: RulesEngine) -> None:
    conv = engine.conversation()
    conv.ask("我们单位会员20人，要建工会委员会吗？")
    conv.ask("每月工资总额40万，工会经费交多少？")
    assert conv.ask("工会法是哪年修订的？") is None
