"""dismissal-remedy vectors: reinstatement or 2 × annual income, monthly estimate, not applicable, bad input."""

from __future__ import annotations

import pytest

from assistant.rules import Status
from assistant.rules.dismissal_remedy import DismissalRemedy
from tests.rules.support import rule_result

RULE = DismissalRemedy()


@pytest.mark.parametrize(
    ("income", "comp"),
    [("0", "0.00"), ("1", "2.00"), ("150000", "300000.00"), ("80000", "160000.00"), ("123456.785", "246913.58")],
)
def test_twice_annual_income(income: str, comp: str) -> None:
    r = rule_result(RULE, {"annual_income": income, "union_activity": True})
    assert r.status is Status.DECIDED
    assert r.result["compensation"] == comp
    assert "恢复其工作" in r.conclusion


def test_monthly_is_an_explicit_estimate() -> None:
    r = rule_result(RULE, {"monthly_income": "6000"})
    assert r.result["annual_income"] == "72000.00" and r.result["compensation"] == "144000.00"
    assert r.result["annual_income_estimated"] is True
    assert any(s.clause_id is None and "估算" in s.text for s in r.trace)


def test_amount_question_without_income_asks() -> None:
    r = rule_result(RULE, {"ask_amount": True})
    assert r.status is Status.NEEDS_MORE_INFO and r.missing[0].name == "annual_income"


def test_other_causes_not_covered() -> None:
    r = rule_result(RULE, {"union_activity": False})
    assert r.result["applies"] is False


def test_retaliatory_transfer() -> None:
    r = rule_result(RULE, {"transfer": True})
    assert "union-law-2021/art-52" in r.clause_ids


@pytest.mark.parametrize("bad", [-100, 10**15, "abc"])
def test_bad_income(bad: object) -> None:
    assert rule_result(RULE, {"annual_income": bad}).status is Status.INVALID


def test_dismissal_without_its_reason_asks_the_reason_and_income() -> None:
    r = rule_result(RULE, {"dismissed": True, "ask_amount": True})
    assert r.status is Status.NEEDS_MORE_INFO
    assert [s.name for s in r.missing] == ["union_activity", "annual_income"]
    assert "年收入二倍" in r.conclusion
    assert rule_result(RULE, {"dismissed": True}).missing[0].name == "union_activity"


def test_dismissal_for_union_activity_is_not_asked_again() -> None:
    r = rule_result(RULE, {"dismissed": True, "union_activity": True, "annual_income": "100000"})
    assert r.status is Status.DECIDED and r.result["compensation"] == "200000.00"


@pytest.mark.parametrize(
    ("question", "routed"),
    [
        ("我被单位开除了，能赔多少钱？", True),
        ("公司把我辞退了，能要求恢复工作吗？", True),
        ("老板能随便开除工会主席吗？", True),
        ("解除劳动合同的经济补偿怎么算？", False),  # 《劳动合同法》's compensation, not this article
        ("试用期被辞退了能赔吗？", False),
    ],
)
def test_dismissal_routing(engine, question: str, routed: bool) -> None:  # type: ignore[no-untyped-def]
    route = engine.route(question)
    assert (route is not None and route.rule_id == "dismissal-remedy") is routed


def test_dismissal_conversation_fills_the_reason(engine) -> None:  # type: ignore[no-untyped-def]
    chat = engine.conversation()
    first = chat.ask("我被单位开除了，能赔多少钱？")
    assert first is not None and first.status is Status.NEEDS_MORE_INFO
    second = chat.ask("是的")
    assert second is not None and second.missing[0].name == "annual_income"
    third = chat.ask("年收入10万")
    assert third is not None and third.result["compensation"] == "200000.00"


def test_a_hedged_income_is_computed_and_said_to_be_an_estimate() -> None:
    """"一年大概12万": the figure given, twice, marked as an estimate — as the fund rules treat "差不多60万"."""
    from decimal import Decimal

    from assistant.understand.values import MoneyRange

    hedged = MoneyRange(Decimal(108000), Decimal(132000), "大概12万", Decimal(120000))
    r = rule_result(RULE, {"annual_income": hedged, "union_activity": True})
    assert r.status is Status.DECIDED and r.result["compensation"] == "240000.00" and r.result["approx"] is True
    assert "大概数“大概12万”" in r.conclusion and "以本人实际年收入计算" in r.conclusion
    # a range with no figure ("十来万") still asks for the income
    vague = MoneyRange(Decimal(100000), Decimal(200000), "十来万")
    asked = rule_result(RULE, {"annual_income": vague, "union_activity": True})
    assert asked.status is Status.NEEDS_MORE_INFO and [s.name for s in asked.missing] == ["annual_income"]
