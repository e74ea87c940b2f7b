"""Money: Decimal yuan, fen rounding half-up, "10,000元（1万元）" display; 2% exactly to the fen."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.rules import format_yuan, percent_of, to_fen
from assistant.rules.union_fund import UnionFund
from tests.rules.support import rule_result

YUAN = st.decimals(min_value=0, max_value=Decimal("99999999999.99"), places=2, allow_nan=False, allow_infinity=False)


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        ("10000", "10,000元（1万元）"),
        ("9999.5", "9,999.50元"),
        ("9999.99", "9,999.99元"),
        ("0", "0元"),
        ("0.5", "0.50元"),
        ("0.004", "0元"),
        ("0.005", "0.01元"),
        ("16000", "16,000元（1.6万元）"),
        ("7100", "7,100元"),
        ("12345.67", "12,345.67元（1.234567万元）"),
        ("355000", "355,000元（35.5万元）"),
        ("100000000", "100,000,000元（10,000万元）"),
        ("9999.995", "10,000元（1万元）"),
    ],
)
def test_format_yuan(amount: str, shown: str) -> None:
    assert format_yuan(Decimal(amount)) == shown


def test_half_up_not_bankers() -> None:
    assert to_fen(Decimal("0.125")) == Decimal("0.13")
    assert to_fen(Decimal("0.135")) == Decimal("0.14")
    assert percent_of(Decimal("0.25"), Decimal(2)) == Decimal("0.01")  # 0.005 → 0.01


@given(YUAN)
def test_two_percent_is_exact_to_the_fen(wages: Decimal) -> None:
    amount = percent_of(wages, Decimal(2))
    assert amount == amount.quantize(Decimal("0.01"))
    assert abs(amount - wages * Decimal("0.02")) <= Decimal("0.005")
    assert amount == to_fen(wages / 50)


@given(YUAN, YUAN)
def test_two_percent_is_monotonic(a: Decimal, b: Decimal) -> None:
    lo, hi = sorted((a, b))
    assert percent_of(lo, Decimal(2)) <= percent_of(hi, Decimal(2))


@given(YUAN)
def test_union_fund_rule_amount_matches(wages: Decimal) -> None:
    result = rule_result(UnionFund(), {"wage_total": wages})
    assert result.result["amount"] == str(to_fen(wages * Decimal("0.02")))
    assert result.result["amount_text"] == format_yuan(to_fen(wages * Decimal("0.02")))
