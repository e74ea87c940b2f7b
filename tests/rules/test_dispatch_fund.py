"""dispatch-fund vectors: 2% of dispatched workers' wages, paid by the user unit to the agency's union."""

from __future__ import annotations

import pytest

from assistant.rules import Status
from assistant.rules.dispatch_fund import DispatchFund
from tests.rules.support import rule_result

RULE = DispatchFund()


@pytest.mark.parametrize(
    ("wages", "amount"),
    [("0", "0.00"), ("1", "0.02"), ("500000", "10000.00"), ("120000", "2400.00"), ("85000", "1700.00")],
)
def test_amounts(wages: str, amount: str) -> None:
    r = rule_result(RULE, {"dispatch_wages": wages})
    assert r.status is Status.DECIDED
    assert r.result["amount"] == amount
    assert r.result["payer"] == "用工单位" and r.result["payee"] == "劳务派遣单位工会"
    assert "acftu-dispatch-rule/art-3" in r.clause_ids


def test_entrusted_retained_part() -> None:
    r = rule_result(RULE, {"entrusted": True})
    assert "留用部分由用工单位工会使用" in r.conclusion


def test_upward_ratio_is_not_invented() -> None:
    r = rule_result(RULE, {"dispatch_wages": "100000"})
    assert "按规定比例" in r.conclusion
    assert "资料未载明具体比例" in r.result["upward"]


def test_refusal_points_to_guidance() -> None:
    r = rule_result(RULE, {"delayed": True})
    assert "guidance/6.2" in r.clause_ids


@pytest.mark.parametrize("bad", [-1, 10**15, "x"])
def test_bad(bad: object) -> None:
    assert rule_result(RULE, {"dispatch_wages": bad}).status is Status.INVALID


def test_amount_question_asks() -> None:
    r = rule_result(RULE, {"ask_amount": True})
    assert r.status is Status.NEEDS_MORE_INFO and r.missing[0].name == "dispatch_wages"
