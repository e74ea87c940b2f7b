"""committee-threshold vectors: 0, 1, 24, 25, 26, vague counts, staff bound, CPA/law firm, women, bad input."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.rules import Count, Status
from assistant.rules.committee_threshold import CommitteeThreshold
from tests.rules.support import rule_result

RULE = CommitteeThreshold()


@pytest.mark.parametrize(
    ("facts", "status", "must"),
    [
        ({"members": 0}, Status.DECIDED, False),
        ({"members": 1}, Status.DECIDED, False),
        ({"members": 24}, Status.DECIDED, False),
        ({"members": 25}, Status.DECIDED, True),
        ({"members": 26}, Status.DECIDED, True),
        ({"members": 199}, Status.DECIDED, True),
        ({"members": 200}, Status.DECIDED, True),
        ({"members": 9_999_999}, Status.DECIDED, True),
        ({"members": Count(27, 33, "三十来个")}, Status.DECIDED, True),
        ({"members": Count(41, 49, "四十多")}, Status.DECIDED, True),
        ({"members": Count(18, 22, "二十来个")}, Status.DECIDED, False),
        ({"members": Count(0, 24, "不足25人")}, Status.DECIDED, False),
        ({"members": Count(21, 29, "二十多")}, Status.NEEDS_MORE_INFO, None),
        ({"members": Count(180, 220)}, Status.DECIDED, True),
        ({"staff": 18}, Status.DECIDED, False),  # members ≤ staff < 25
        ({"staff": 24}, Status.DECIDED, False),
        ({"staff": 25}, Status.NEEDS_MORE_INFO, None),  # staff alone cannot prove 25 members
        ({"staff": 300}, Status.NEEDS_MORE_INFO, None),
        ({}, Status.NEEDS_MORE_INFO, None),
        ({"members": -5}, Status.INVALID, None),
        ({"members": "0.5"}, Status.INVALID, None),
        ({"members": 10**15}, Status.INVALID, None),
        ({"members": 30, "staff": 18}, Status.INVALID, None),
        ({"staff": 0}, Status.INVALID, None),
        ({"women_count": 30, "staff": 10, "members": 5}, Status.INVALID, None),
    ],
)
def test_vectors(facts: dict[str, Any], status: Status, must: bool | None) -> None:
    r = rule_result(RULE, facts)
    assert r.status is status, r.conclusion
    if status is Status.DECIDED:
        assert r.result["must_establish"] is must
        assert "union-law-2021/art-11" in r.clause_ids
    if status is Status.NEEDS_MORE_INFO:
        assert [s.name for s in r.missing] == ["members"]
    if status is Status.INVALID:
        assert r.message and "请" in r.message


def test_exactly_25_must_and_trace_names_the_clause() -> None:
    r = rule_result(RULE, {"members": 25})
    assert "应当建立基层工会委员会" in r.conclusion
    assert r.trace[0].text == "会员人数 25 ≥ 25 →《工会法》第十一条 → 应当建立基层工会委员会"
    assert r.trace[0].clause_id == "union-law-2021/art-11"


def test_below_threshold_lists_three_options() -> None:
    r = rule_result(RULE, {"members": 24})
    assert len(r.result["options"]) == 3
    assert "选举组织员一人" in r.conclusion and "联合建立" in r.conclusion


def test_cpa_firm_uses_the_notice() -> None:
    r = rule_result(RULE, {"members": 18, "entity": "会计师事务所"})
    assert r.conclusion.startswith("贵所")
    assert "就近就便与其他会计师事务所联合建立" in r.conclusion
    assert "guidance/4.p2" in r.clause_ids
    asked = rule_result(RULE, {"entity": "会计师事务所"})
    assert asked.missing[0].question == "贵所目前有多少名工会会员？"


def test_law_firm_is_an_employer_too() -> None:
    r = rule_result(RULE, {"members": 30, "entity": "律师事务所"})
    assert r.result["must_establish"] is True
    assert {"guidance/4.p1", "union-law-2021/art-3"} <= set(r.clause_ids)


@pytest.mark.parametrize(("women", "body"), [("较多", "女职工委员会"), ("较少", "女职工委员")])
def test_women(women: str, body: str) -> None:
    r = rule_result(RULE, {"members": 40, "women": women})
    assert r.result["women_body"] == body
    assert body in r.conclusion


def test_vague_straddle_asks_for_exact_number() -> None:
    r = rule_result(RULE, {"members": Count(21, 29, "二十多人")})
    assert r.status is Status.NEEDS_MORE_INFO
    assert "二十多人" in (r.message or "") and "二十五人上下" in (r.message or "")


def test_zero_members_points_to_article_3() -> None:
    r = rule_result(RULE, {"members": 0})
    assert "union-law-2021/art-3" in r.clause_ids


def test_too_few_people_is_tested_against_the_members() -> None:
    r = rule_result(RULE, {"alone_possible": False})
    assert r.status is Status.NEEDS_MORE_INFO and r.missing[0].name == "members"
    assert "人数少并不是不建工会的理由" in r.conclusion and "会员二十五人" in r.conclusion
    assert rule_result(RULE, {"alone_possible": False, "members": 12}).result["must_establish"] is False


@pytest.mark.parametrize(
    "question",
    [
        "老板说我们公司人太少，不用建工会，是真的吗？",
        "单位规模小，没必要成立工会吧？",
        "我们厂想组织工人加入工会，怎么弄？",
    ],
)
def test_whether_a_small_unit_needs_a_union_routes_here(engine, question: str) -> None:  # type: ignore[no-untyped-def]
    route = engine.route(question)
    assert route is not None and route.rule_id == "committee-threshold"
