"""Never a crash: arbitrary facts into every rule, arbitrary text into extraction and the engine."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.rules import RulesEngine, Status, all_rules, extract
from tests.rules.support import rule_result

RULES = all_rules()
SLOT_NAMES = sorted({s.name for r in RULES for s in r.slots})

VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**16), max_value=10**16),
    st.decimals(allow_nan=True, allow_infinity=True, places=3),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=6),
    st.sampled_from(["是", "否", "较多", "较少", "月", "年", "重组", "终止", "企业", "会计师事务所", "输出地"]),
    st.fixed_dictionaries({"low": st.integers(-5, 300), "high": st.one_of(st.none(), st.integers(-5, 300))}),
)
FACTS = st.dictionaries(st.sampled_from(SLOT_NAMES), VALUES, max_size=6)
ALPHABET = (
    "0123456789.-%万亿元人名个位会员职工女派遣工资总额经费二十五百千几多来左右"
    "以上不到超过公司所律出租车专职主席罢免临时任期合同"
)


@settings(max_examples=300, deadline=None)
@given(FACTS)
def test_rules_never_crash(facts: dict[str, Any]) -> None:
    for rule in RULES:
        result = rule_result(rule, facts)
        assert result.status in (Status.DECIDED, Status.NEEDS_MORE_INFO, Status.INVALID)
        json.dumps(result.to_dict(), ensure_ascii=False)
        if result.status is Status.INVALID:
            assert result.message


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_extraction_never_crashes(text: str) -> None:
    ex = extract(text)
    for v in ex.facts.values():
        assert not isinstance(v, float)
    json.dumps(ex.json(), ensure_ascii=False)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=ALPHABET + "建会吗能要怎么，？", max_size=40))
def test_engine_never_crashes(engine: RulesEngine, text: str) -> None:
    result = engine.answer(text)
    if result is not None:
        json.dumps(result.to_dict(), ensure_ascii=False)


def test_decimal_inputs_are_kept_exact() -> None:
    rule = next(r for r in RULES if r.id == "union-fund")
    assert rule_result(rule, {"wage_total": Decimal("0.1") + Decimal("0.2")}).result["wage_total"] == "0.30"
