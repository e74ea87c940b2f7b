"""Figure chains: which of several figures for one fact a question means (understand/chains.py)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from assistant.core import load_roles
from assistant.rules.facts import extract, walk
from assistant.understand import chains
from assistant.understand.chains import CURRENT, OLD, UNIT, Verdict
from assistant.understand.roles import RoleModel, by_fact
from assistant.understand.values import Count


@pytest.fixture(scope="module")
def model(corpus_dir: Path) -> RoleModel:
    roles = load_roles(corpus_dir)
    assert roles is not None and roles.chain is not None
    return roles


def test_a_bare_figure_joins_the_chain_of_the_fact_before_it() -> None:
    found = walk("會員原本四十人，現在只剩三十三人")
    chain = by_fact(found, lambda m: m.role)["members"]
    assert [p.value.low for p in chain] == [40, 33]
    assert "members" not in by_fact(walk("会员30个，职工50个"), lambda m: m.role)  # one value each: no chain


def test_labels_come_from_the_expected_facts() -> None:
    chain = by_fact(walk("会员从19人增加到26人"), lambda m: m.role)["members"]
    same = lambda got, want: got.low == want  # noqa: E731
    assert chains.labels(chain, 26, [], same) == [OLD, CURRENT]
    assert chains.labels(chain, None, [19, 26], same) == [UNIT, UNIT]
    assert chains.labels(chain, None, [], same) == [None, None]  # the line says nothing about them


def test_resolve_decides_only_when_every_reading_is_sure() -> None:
    chain = by_fact(walk("会员从19人增加到26人"), lambda m: m.role)["members"]
    assert chains.resolve(chain, [(OLD, 0.9), (CURRENT, 0.9)], 0.6) == Verdict(chain[1].value)
    assert chains.resolve(chain, [(UNIT, 0.9), (UNIT, 0.8)], 0.6) == Verdict(units=True)
    assert chains.resolve(chain, [(OLD, 0.5), (CURRENT, 0.9)], 0.6) is None
    assert chains.resolve(chain, [(CURRENT, 0.9), (CURRENT, 0.9)], 0.6) is None  # two values both meant: ask


@pytest.mark.parametrize(
    ("text", "fact", "value"),
    [
        ("会员总数从去年的19人增加到了26人，委员会还能不建吗", "members", 26),
        ("派遣工原来30人，现在扩到45人了", "dispatched", 45),
        ("会员人数原先报的是30个，其实是28个", "members", 28),
        ("工资总额不是52万，是每月55万", "wage_total", Decimal("550000")),
        ("会员代表从原来的四十名调整到了四十八名", "delegates", 48),
    ],
)
def test_the_later_or_corrected_figure_is_meant(model: RoleModel, text: str, fact: str, value: object) -> None:
    ex = extract(text, model)
    got = ex.facts.get(fact)
    assert (got.low if isinstance(got, Count) else got) == value, ex.facts
    assert not ex.errors


def test_each_unit_keeps_its_own_figure_and_period(model: RoleModel) -> None:
    ex = extract("两家子公司每月工资总额分别是40万和25万", model)
    assert [g.get("wage_total") for g in ex.groups] == [Decimal("400000"), Decimal("250000")]
    assert all(g.get("wage_period") == "月" for g in ex.groups)
    assert "wage_period" not in ex.facts


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("我们用了35名派遣工，他们的工资总额一年是210万", "dispatch_wages"),
        ("劳务派遣工四十多人，工资每月一共二十四万", "dispatch_wages"),
        ("派遣工62人，派遣工年工资总额三百七十二万，本单位年工资总额两千五百万", "wage_total"),
        ("公司共有员工七十五名，派遣工十名，月工资总额四十五万", "wage_total"),
        ("我每月实发工资六千二百元，被解聘了", "monthly_income"),
        ("我一年税前收入9.6万，因为维权被解除劳动合同", "annual_income"),
        ("我们公司每月发工资30万，经费交多少", "wage_total"),
    ],
)
def test_whose_money_the_sentence_says(text: str, fact: str) -> None:
    assert fact in extract(text).facts, extract(text).facts


def test_a_figure_after_increase_to_is_the_new_value_not_a_change() -> None:
    facts = extract("会员从19人增加到26人").facts
    assert "members_added" not in facts
    assert extract("原有会员40名，今年新发展了12名").facts["members"].low == 52
