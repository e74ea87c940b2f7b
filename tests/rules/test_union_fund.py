"""union-fund vectors: 2% of the monthly wage bill, 税前列支, 支付令, no union yet, bad input."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.rules import MoneyRange, Status
from assistant.rules.union_fund import UnionFund
from tests.rules.support import rule_result

RULE = UnionFund()


@pytest.mark.parametrize(
    ("wages", "amount", "text"),
    [
        ("0", "0.00", "0元"),
        ("1", "0.02", "0.02元"),
        ("0.24", "0.00", "0元"),
        ("0.25", "0.01", "0.01元"),  # half-up
        ("9999", "199.98", "199.98元"),
        ("500000", "10000.00", "10,000元（1万元）"),
        ("800000", "16000.00", "16,000元（1.6万元）"),
        ("355000", "7100.00", "7,100元"),
        ("7654.32", "153.09", "153.09元"),
        ("999999999999", "19999999999.98", "19,999,999,999.98元（1,999,999.999998万元）"),
    ],
)
def test_amounts(wages: str, amount: str, text: str) -> None:
    r = rule_result(RULE, {"wage_total": wages})
    assert r.status is Status.DECIDED
    assert r.result["amount"] == amount
    assert r.result["amount_text"] == text
    assert "税前列支" in r.conclusion


def test_annual_bill() -> None:
    r = rule_result(RULE, {"wage_total": "12000000", "wage_period": "年"})
    assert r.result["amount"] == "240000.00" and "全年" in r.conclusion


def test_delay_gives_payment_order() -> None:
    r = rule_result(RULE, {"delayed": True})
    assert r.status is Status.DECIDED
    assert "支付令" in r.conclusion and "union-law-2021/art-44" in r.clause_ids


def test_amount_question_without_wages_asks() -> None:
    r = rule_result(RULE, {"ask_amount": True})
    assert r.status is Status.NEEDS_MORE_INFO
    assert r.missing[0].question == "贵单位每月全部职工工资总额是多少元？"


def test_no_union_yet() -> None:
    r = rule_result(RULE, {"has_union": False, "wage_total": "100000"})
    assert r.result["applies"] is False
    assert r.result["amount_after_union"] == "2000.00"
    assert "建立工会组织" in r.conclusion


def test_no_union_cites_the_old_constitution_with_its_version() -> None:
    r = rule_result(RULE, {"has_union": False})
    assert "建会筹备金" in r.conclusion and "2008年文本" in r.conclusion and "已被修订" in r.conclusion
    assert "acftu-constitution-2008/art-37" in r.clause_ids


def test_wrong_rate_is_corrected() -> None:
    r = rule_result(RULE, {"wage_total": "100000", "rate": "1"})
    assert r.conclusion.startswith("您提到的1%与法定比例不符")
    assert r.result["amount"] == "2000.00"


def test_vague_amount_gives_estimate_and_asks() -> None:
    from decimal import Decimal

    r = rule_result(RULE, {"wage_total": MoneyRange(Decimal(500000), Decimal(600000), "五十多万")})
    assert r.status is Status.NEEDS_MORE_INFO
    assert r.result["estimate"] == {"low": "10000.00", "high": "12000.00"}


@pytest.mark.parametrize("bad", [-1, "-5", 10**15, "1e13", "abc", True, float("inf")])
def test_bad_wages(bad: Any) -> None:
    r = rule_result(RULE, {"wage_total": bad})
    assert r.status is Status.INVALID and r.message
