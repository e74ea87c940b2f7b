"""Routing: deterministic, pattern + similarity, abstains on questions no rule decides."""

from __future__ import annotations

import pytest

from assistant.rules import Router, RulesEngine, all_rules


@pytest.mark.parametrize(
    ("question", "rule_id"),
    [
        ("劳务派遣工应该加入哪个工会？", "dispatch-affiliation"),
        ("我们所18个会员能单独建会吗", "committee-threshold"),
        ("派遣工工资每月20万，工会经费交多少", "dispatch-fund"),
        ("公司月工资总额20万，工会经费交多少", "union-fund"),
        ("工會經費可以稅前列支嗎", "union-fund"),
        ("出租车公司怎么建工会", "taxi-union"),
        ("农民工会员由哪里统计", "migrant-statistics"),
        ("职工300人能设专职工会主席吗", "full-time-chair"),
        ("因为组建工会被开除了怎么办", "dismissal-remedy"),
        ("基层工会任期几年", "governance-term"),
        ("多少会员提议可以临时召开会员大会", "extraordinary-meeting"),
        ("罢免工会主席要多少票", "chair-removal"),
        ("专职工会主席劳动合同到期了怎么办", "chair-contract-extension"),
        ("兼职工会委员每月能占用几天工作时间", "union-work-time"),
        ("老板的女儿能当工会委员吗", "committee-relatives"),
        ("公司被收购了工会怎么办", "restructuring"),
    ],
)
def test_routes(engine: RulesEngine, question: str, rule_id: str) -> None:
    route = engine.route(question)
    assert route is not None and route.rule_id == rule_id, route


@pytest.mark.parametrize(
    "question",
    [
        "外商投资企业建会有哪些措施？",
        "工会会员的会费每月交多少？",
        "工会法是哪年修订的？",
        "八大群体指的是哪些人？",
        "劳务派遣工加入工会难的根本原因是什么？",
        "工会经费主要用在哪些方面？",
        "乡镇工会怎么建？",
        "跨国公司怎么推动建会？",
        "上级工会可以派人帮助我们组建工会吗",
        "",
        "？",
        "hello",
    ],
)
def test_abstains(engine: RulesEngine, question: str) -> None:
    assert engine.route(question) is None
    assert engine.answer(question) is None


def test_deterministic(engine: RulesEngine) -> None:
    q = "我们律所30个会员，必须建工会吗"
    first = engine.router.scores(q)
    for _ in range(3):
        assert Router(all_rules()).scores(q) == first


def test_margin_abstains_when_two_rules_compete(engine: RulesEngine) -> None:
    q = "工会主席因为履行职责被解除劳动合同怎么办"
    assert len(engine.router.scores(q)) >= 2  # dismissal-remedy and chair-contract-extension both eligible
    assert engine.route(q) is not None and engine.route(q).rule_id == "dismissal-remedy"  # type: ignore[union-attr]
    assert Router(all_rules(), margin=1.0).route(q) is None  # demand an impossible margin: it abstains


def test_threshold_is_respected() -> None:
    strict = Router(all_rules(), threshold=1.01)
    assert strict.route("我们所18个会员能单独建会吗") is None


def test_route_explains_itself(engine: RulesEngine) -> None:
    route = engine.route("公司刚好25个会员，一定要建基层工会委员会吗？")
    assert route is not None
    assert route.hits >= 1 and 0.6 <= route.score <= 1.0 and route.margin >= engine.router.margin
