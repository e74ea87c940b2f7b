"""Follow-ups and the failure classes of holdout3: bare amounts, refer-back questions, members vs staff, routing gaps.

Each table replays a conversation the way the answer pipeline does (a fresh Conversation, the earlier user
turns, then the question) and checks the rule that answers, the fact it received and the decided value.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from assistant.rules import Count, RuleResult, RulesEngine, Status, extract
from assistant.rules.router import mask_amounts
from tests.rules.support import rule_result


def _replay(engine: RulesEngine, history: list[str], question: str) -> tuple[RuleResult | None, dict[str, Any]]:
    conv = engine.conversation()
    for turn in history:
        conv.ask(turn)
    result = conv.ask(question)
    return result, dict(conv.facts)


def _same(got: Any, expected: Any) -> bool:
    if isinstance(got, Count):
        if isinstance(expected, tuple):
            return (got.low, got.high) == expected
        return not got.approx and got.low == expected
    if isinstance(got, Decimal):
        return got == Decimal(str(expected))
    return bool(got == expected)


# -- class 1: a bare amount continues the previous money rule and fills its money slot -----------------------

MONEY_FOLLOW_UPS = [
    (
        ["派遣工每月工资总额30万，工会经费要交多少？"],
        "那40万的话呢？",
        "dispatch-fund",
        "dispatch_wages",
        "400000",
        "amount",
        "8000.00",
    ),
    (
        ["派遣工每月工资总额30万，工会经费要交多少？"],
        "要是二十五万呢",
        "dispatch-fund",
        "dispatch_wages",
        "250000",
        "amount",
        "5000.00",
    ),
    (
        ["公司每月工资总额100万元，经费交多少"],
        "如果才六十万呢",
        "union-fund",
        "wage_total",
        "600000",
        "amount",
        "12000.00",
    ),
    (
        ["公司每月工资总额100万元，经费交多少"],
        "換成25萬元呢？",
        "union-fund",
        "wage_total",
        "250000",
        "amount",
        "5000.00",
    ),
    (
        ["因为组织工会被辞退了，年薪10万，能赔多少"],
        "要是15万块呢",
        "dismissal-remedy",
        "annual_income",
        "150000",
        "compensation",
        "300000.00",
    ),
    (
        ["工会委员因为履行职责被开除，月薪6000元，能赔多少"],
        "那九千块呢",
        "dismissal-remedy",
        "monthly_income",
        "9000",
        "compensation",
        "216000.00",
    ),
]


@pytest.mark.parametrize(("history", "question", "rule", "slot", "value", "key", "decided"), MONEY_FOLLOW_UPS)
def test_bare_amount_continues_the_money_rule(
    engine: RulesEngine, history: list[str], question: str, rule: str, slot: str, value: str, key: str, decided: str
) -> None:
    result, facts = _replay(engine, history, question)
    assert result is not None and result.rule_id == rule and result.status is Status.DECIDED
    assert _same(facts[slot], value)
    assert result.result[key] == decided


@pytest.mark.parametrize("question", ["那如果是25万呢？", "25万元呢", "那二十五万块呢", "要是25万的话"])
def test_an_amount_is_never_a_head_count(engine: RulesEngine, question: str) -> None:
    facts = extract(question).facts
    assert "amount" in facts and not any(isinstance(v, Count) for v in facts.values())
    assert engine.route(question) is None  # no "25人" threshold pattern, no rule at all without context
    result, _ = _replay(engine, ["公司刚好25个会员，一定要建基层工会委员会吗？"], question)
    assert result is None  # a head-count rule takes no amount: the follow-up goes to retrieval


def test_a_new_amount_replaces_the_alternative_one(engine: RulesEngine) -> None:
    """年收入 and 月收入 are alternatives: stating one drops the other from the earlier turn."""
    result, facts = _replay(engine, ["因为搞工会被解雇，年收入12万，赔偿怎么算？"], "那按月薪一万算呢")
    assert result is not None and result.rule_id == "dismissal-remedy"
    assert "annual_income" not in facts and facts["monthly_income"] == Decimal("10000")
    assert result.result["compensation"] == "240000.00"


def test_a_period_in_the_follow_up_picks_the_slot(engine: RulesEngine) -> None:
    result, facts = _replay(engine, ["我们厂一个月发工资60万，工会经费交多少"], "那要是一年720万呢")
    assert result is not None and result.rule_id == "union-fund"
    assert facts["wage_total"] == Decimal("7200000") and facts["wage_period"] == "年"
    result, facts = _replay(engine, ["工会委员因为履行职责被开除，月薪6000元，能赔多少"], "那要是一年15万呢")
    assert result is not None and result.rule_id == "dismissal-remedy"
    assert facts["annual_income"] == Decimal("150000") and "monthly_income" not in facts
    assert result.result["compensation"] == "300000.00"


@pytest.mark.parametrize(
    ("text", "masked"),
    [("那如果是25万呢", "那如果是¥呢"), ("工资总额36万元", "工资总额¥"), ("八千块", "¥"), ("会员25人", "会员25人")],
)
def test_mask_amounts(text: str, masked: str) -> None:
    assert mask_amounts(text) == masked


def test_mask_keeps_people_counted_in_wan() -> None:
    assert mask_amounts("全省有2万名会员") == "全省有2万名会员"


# -- class 2: follow-ups that refer back without numbers -----------------------------------------------------

REFER_BACK = [
    (["派遣工每月工资总额30万，工会经费要交多少？"], "这钱最后归谁？", "dispatch-fund", "payee", "劳务派遣单位工会"),
    (["派遣工每月工资总额30万，工会经费要交多少？"], "那由谁来出？", "dispatch-fund", "payer", "用工单位"),
    (["公司每月工资总额100万元，经费交多少"], "這筆錢交給誰？", "union-fund", "payee", "工会"),
    (["公司每月工资总额100万元，经费交多少"], "谁出这笔钱", "union-fund", "payer", "建立工会组织的用人单位"),
    (
        ["派遣工入会先入派遣公司工会还是用工单位工会？"],
        "派遣公司根本就没有工会呢",
        "dispatch-affiliation",
        "join",
        "用工单位工会",
    ),
    (
        ["劳务派遣工应该加入哪个工会？"],
        "如果派遣單位至今還沒建工會呢？",
        "dispatch-affiliation",
        "join",
        "用工单位工会",
    ),
    (["专职工会主席的劳动合同到期了怎么办？"], "那不脱产的委员呢", "chair-contract-extension", None, None),
]


@pytest.mark.parametrize(("history", "question", "rule", "key", "value"), REFER_BACK)
def test_refer_back_continues_the_rule(
    engine: RulesEngine, history: list[str], question: str, rule: str, key: str | None, value: str | None
) -> None:
    result, _ = _replay(engine, history, question)
    assert result is not None and result.rule_id == rule
    if key is not None:
        assert result.status is Status.DECIDED and result.result[key] == value


def test_part_time_follow_up_sets_full_time_false(engine: RulesEngine) -> None:
    result, facts = _replay(engine, ["专职工会主席的劳动合同到期了怎么办？"], "那兼职的委员呢？")
    assert result is not None and result.rule_id == "chair-contract-extension"
    assert facts["full_time"] is False and result.result["extension"] == "至任期期满"


COUNT_FOLLOW_UPS = [
    (["我们单位会员18人，需要建基层工会委员会吗？"], "那要是以后会员发展到30个呢？", 30, True),
    (["我们单位有24个会员，必须建立工会委员会吗？"], "刚又有1个人入会了", 25, True),
    (["我們會員22個，要不要建工會委員會"], "最近又有3個人入了會", 25, True),
    (["单位有26个会员，必须建立基层工会委员会吗？"], "又走了2个会员", 24, False),
    (["公司刚好25个会员，一定要建基层工会委员会吗？"], "那不够这个人数的呢？", (0, 24), False),
    (["会员25人的单位一定要建工会委员会吗？"], "要是人数没这么多呢", (0, 24), False),
    (["公司22个会员，要建工会委员会吗"], "那以后发展到三十来个呢", (27, 33), True),
    (["单位有30个会员，必须建立基层工会委员会吗？"], "要是二十个人呢", 20, False),
]


@pytest.mark.parametrize(("history", "question", "members", "must"), COUNT_FOLLOW_UPS)
def test_count_follow_ups_update_the_members(
    engine: RulesEngine, history: list[str], question: str, members: Any, must: bool
) -> None:
    result, facts = _replay(engine, history, question)
    assert result is not None and result.rule_id == "committee-threshold"
    assert _same(facts["members"], members)
    assert "staff" not in facts  # a bare count in a follow-up is the members count it follows, not staff
    assert result.status is Status.DECIDED and result.result["must_establish"] is must


def test_everyone_joined_makes_members_equal_staff(engine: RulesEngine) -> None:
    result, facts = _replay(engine, ["公司40个员工，入会的有15个，要建工会委员会吗"], "那要是全部都入会了呢")
    assert result is not None and result.rule_id == "committee-threshold"
    assert _same(facts["members"], 40) and result.result["must_establish"] is True


def test_below_a_count_that_straddles_the_threshold_asks(engine: RulesEngine) -> None:
    result, facts = _replay(engine, ["单位有30个会员，必须建立基层工会委员会吗？"], "不够这个数呢")
    assert result is not None and result.status is Status.NEEDS_MORE_INFO
    assert _same(facts["members"], (0, 29))


def test_relative_facts_are_not_carried(engine: RulesEngine) -> None:
    conv = engine.conversation()
    conv.ask("我们会员18人，要建工会委员会吗")
    conv.ask("又有7个人入会了")
    assert not {"members_added", "members_left", "count_ref"} & set(conv.facts)
    again = conv.ask("要是女职工比较多呢")
    assert again is not None and again.inputs["members"] == 25  # the 7 are not added twice


def test_member_change_without_an_earlier_count_is_not_staff(engine: RulesEngine) -> None:
    r = engine.answer("刚又有3个人入会了，要建工会委员会吗？")
    assert r is not None and r.rule_id == "committee-threshold"
    assert "staff" not in r.inputs and "members" not in r.inputs and r.status is Status.NEEDS_MORE_INFO


# -- class 3: staff and members in one sentence ---------------------------------------------------------------

STAFF_AND_MEMBERS = [
    ("公司有50个员工，但入会的只有20人，必须建工会委员会吗？", 20, 50, False),
    ("厂里120名工人，加入了工会的有30个，要不要建工会委员会", 30, 120, True),
    ("我們單位職工四十人，入了會的才十八個，一定要建工會委員會嗎？", 18, 40, False),
    ("员工80人，其中26个人交了会费，需要成立工会委员会吗", 26, 80, True),
    ("公司两百个员工，参加工会的24个，必须建工会委员会吗", 24, 200, False),
]


@pytest.mark.parametrize(("question", "members", "staff", "must"), STAFF_AND_MEMBERS)
def test_members_not_staff_decide_the_threshold(
    engine: RulesEngine, question: str, members: int, staff: int, must: bool
) -> None:
    r = engine.answer(question)
    assert r is not None and r.rule_id == "committee-threshold" and r.status is Status.DECIDED
    assert r.inputs["members"] == members and r.inputs["staff"] == staff
    assert r.result["must_establish"] is must


def test_earlier_and_new_members_in_one_sentence() -> None:
    facts = extract("我们原来有20个会员，最近又有5个人入会了").facts
    assert _same(facts["members"], 25) and "members_added" not in facts


# -- class 4: questions the router used to leave to retrieval -------------------------------------------------

ROUTED = [
    ("职工500人的社会组织（基金会）工会能设专职主席吗？", "full-time-chair", "may_have_full_time_chair", True),
    ("基金会职工三百人，工会能不能配专职主席", "full-time-chair", "may_have_full_time_chair", True),
    ("老家的工会也把在外打工的农民工会员报上去，可以吗？", "migrant-statistics", "not_reported_by", "输出地工会"),
    ("我们户籍地工会把外出打工的会员也算进去了，这样行吗", "migrant-statistics", "counted_by", "输入地（务工地）工会"),
    ("基层工会定的三年一届，2022年选举的，哪年该换届？", "governance-term", "next_election_year", 2025),
    ("工会五年一届，2019年选出来的，哪年任期届满？", "governance-term", "next_election_year", 2024),
    ("我们22年选的工会委员会，三年一届，哪年换届", "governance-term", "next_election_year", 2025),
    ("工会委员会三年一届，2024年换的届，下一届哪年选？", "governance-term", "next_election_year", 2027),
]


@pytest.mark.parametrize(("question", "rule", "key", "value"), ROUTED)
def test_router_routes(engine: RulesEngine, question: str, rule: str, key: str, value: Any) -> None:
    route = engine.route(question)
    assert route is not None and route.rule_id == rule
    r = engine.answer(question)
    assert r is not None and r.status is Status.DECIDED and r.result[key] == value


def test_full_time_chair_routes_after_another_rule(engine: RulesEngine) -> None:
    result, _ = _replay(
        engine, ["公司刚好25个会员，一定要建基层工会委员会吗？"], "职工500人的社会组织（基金会）工会能设专职主席吗？"
    )
    assert result is not None and result.rule_id == "full-time-chair" and result.result["may_have_full_time_chair"]


def test_next_election_has_a_trace_step(engine: RulesEngine) -> None:
    r = engine.answer("基层工会定的三年一届，2022年选举的，哪年该换届？")
    assert r is not None
    step = next(s for s in r.trace if "2025" in s.text)
    assert step.clause_id == "union-law-2021/art-16" and "2022年选举 + 每届3年" in step.text
    assert "2025年任期届满" in r.conclusion


GOVERNANCE = [
    ({"elected_year": 2022, "term_years": 3}, Status.DECIDED, {"next_election_year": 2025}),
    ({"elected_year": 2022, "term_years": 5}, Status.DECIDED, {"next_election_year": 2027}),
    ({"elected_year": 2021, "union_level": "地方总工会"}, Status.DECIDED, {"next_election_year": 2026}),
    ({"elected_year": 2021, "union_level": "产业工会"}, Status.DECIDED, {"next_election_year": 2026}),
    ({"elected_year": 2022}, Status.NEEDS_MORE_INFO, {"next_election_year_options": {"3": 2025, "5": 2027}}),
    ({"elected_year": 2022, "term_years": 4}, Status.DECIDED, {"conforms": False}),
    ({"elected_year": 1800, "term_years": 3}, Status.INVALID, {}),
    ({"elected_year": "2022.5", "term_years": 3}, Status.INVALID, {}),
]


@pytest.mark.parametrize(("facts", "status", "expected"), GOVERNANCE)
def test_governance_next_election(
    engine: RulesEngine, facts: dict[str, Any], status: Status, expected: dict[str, Any]
) -> None:
    r = rule_result(engine.rule("governance-term"), facts)
    assert r.status is status
    for key, value in expected.items():
        assert r.result[key] == value
    if status is Status.DECIDED and "next_election_year" in expected:
        assert "union-law-2021/art-16" in r.clause_ids and "acftu-constitution-2008/art-26" in r.clause_ids


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2022年选举的", 2022),
        ("上次换届是2021年", 2021),
        ("2023年選出來的", 2023),
        ("2020年成立的基层工会委员会", 2020),
        ("工会是2019年成立的", 2019),
        ("我们22年选的", 2022),
        ("公司2015年成立的，有30个会员", None),
        ("工会法是2021年修正的", None),
        ("任期5年", None),
    ],
)
def test_elected_year_extraction(text: str, year: int | None) -> None:
    assert extract(text).facts.get("elected_year") == year


# -- precision: what must still fall back to retrieval ------------------------------------------------------

NOT_FOLLOW_UPS = [
    (["公司每月工资总额100万元，经费交多少"], "女职工委员会主任由谁担任"),
    (["公司每月工资总额100万元，经费交多少"], "公司克扣工资，工会可以做什么？"),
    (["公司每月工资总额100万元，经费交多少"], "会员证补办要多少钱"),
    (["派遣工工资总额每月50万元，工会经费交多少？"], "会费交多少？"),
    (["单位有30个会员，必须建立基层工会委员会吗？"], "那钱给谁？"),
    (["单位有30个会员，必须建立基层工会委员会吗？"], "那25万呢"),
    (["公司职工300人，可以设专职工会主席吗？"], "又有2个人入会了"),
    (["劳务派遣工应该加入哪个工会？"], "工会法是哪年修订的？"),
    (["基层工会委员会每届任期几年？"], "全国总工会是哪年成立的？"),
]


@pytest.mark.parametrize(("history", "question"), NOT_FOLLOW_UPS)
def test_unrelated_follow_ups_fall_back(engine: RulesEngine, history: list[str], question: str) -> None:
    result, _ = _replay(engine, history, question)
    assert result is None


@pytest.mark.parametrize("question", ["这钱谁出啊？", "钱给谁？", "那不够这个人数的呢？", "又有5个人入会了，现在呢？"])
def test_follow_ups_without_a_conversation_abstain(engine: RulesEngine, question: str) -> None:
    assert engine.answer(question) is None
