"""dismissal-remedy vectors: reinstatement or 2 × annual income, monthly estimate, not applicable, bad input."""

from __future__ import annotations

import pytest

from assistant.rules import Status
from assistant.rules.dismissal_remedy import DismissalRemedy

RULE = DismissalRemedy()


@pytest.mark.parametrize(
    ("income", "comp"),
    [("0", "0.00"), ("1", "2.00"), ("150000", "300000.00"), ("80000", "160000.00"), ("123456.785", "246913.58")],
)
def test_twice_annual_income(income: str, comp: str) -> None:
    r = RULE.decide({"annual_income": income, "union_activity": True})
    assert r.status is Status.DECIDED
    assert r.result["compensation"] == comp
    assert "恢复其工作" in r.conclusion


def test_monthly_is_an_explicit_estimate() -> None:
    r = RULE.decide({"monthly_income": "6000"})
    assert r.result["annual_income"] == "72000.00" and r.result["compensation"] == "144000.00"
    assert r.result["annual_income_estimated"] is True
    assert any(s.clause_id is None and "估算" in s.text for s in r.trace)


def test_amount_question_without_income_asks() -> None:
    r = RULE.decide({"ask_amount": True})
    assert r.status is Status.NEEDS_MORE_INFO and r.missing[0].name == "annual_income"


def test_other_causes_not_covered() -> None:
    r = RULE.decide({"union_activity": False})
    assert r.result["applies"] is False


def test_retaliatory_transfer() -> None:
    r = RULE.decide({"transfer": True})
    assert "union-law-2021/art-52" in r.clause_ids


@pytest.mark.parametrize("bad", [-100, 10**15, "abc"])
def test_bad_income(bad: object) -> None:
    assert RULE.decide({"annual_income": bad}).status is Status.INVALID
