"""Slot extraction on realistic help-desk phrasings: counts, vague counts, money, percentages, entities, flags."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from assistant.rules import Count, MoneyRange, extract


def _norm(v: Any) -> Any:
    if isinstance(v, Count):
        return v.low if not v.approx else (v.low, v.high)
    if isinstance(v, MoneyRange):
        return ("range", str(v.low), None if v.high is None else str(v.high))
    if isinstance(v, Decimal):
        return v.normalize()
    return v


def _d(x: str) -> Decimal:
    return Decimal(x).normalize()


# (text, expected facts — a subset check; a tuple (low, high) means a vague count)
CASES: list[tuple[str, dict[str, Any]]] = [
    # exact counts with roles
    ("我们所有18名会员，能单独建工会吗", {"members": 18}),
    ("会员25人", {"members": 25}),
    ("有会员二十五人", {"members": 25}),
    ("18个会员", {"members": 18}),
    ("会员人数是30", {"members": 30}),
    ("会员人数正好二十五，", {"members": 25}),
    ("公司职工300人", {"staff": 300, "entity": "企业"}),
    ("我们单位199个员工", {"staff": 199}),
    ("職工兩百人的企業", {"staff": 200, "entity": "企业"}),
    ("公司四百名员工，会员三百人", {"staff": 400, "members": 300}),
    ("小公司就8个人", {"staff": 8}),
    ("女职工12人", {"women_count": 12}),
    ("派遣工50人", {"dispatched": 50}),
    ("全体会员100人，60人同意罢免", {"members": 100, "votes": 60}),
    ("60个代表里有30个同意", {"delegates": 60, "votes": 30}),
    ("有35个人联名要求开临时会员大会", {"proposers": 35}),
    ("一个会计师事务所有18人", {"staff": 18, "entity": "会计师事务所"}),
    # role-less counts go to `count`
    ("我们有18个", {"count": 18}),
    ("18人", {"count": 18}),
    ("会员只有1个人", {"members": 1}),
    # vague counts
    ("三十来个人", {"count": (27, 33)}),
    ("公司四十多人", {"staff": (41, 49)}),
    ("会员二十多人", {"members": (21, 29)}),
    ("二十几个员工", {"staff": (21, 29)}),
    ("十几个人", {"count": (11, 19)}),
    ("几十个人", {"count": (20, 99)}),
    ("会员二十五六个", {"members": (25, 26)}),
    ("三四十个员工", {"staff": (30, 40)}),
    ("一百多人的公司", {"count": (101, 199)}),
    ("大约200人", {"count": (180, 220)}),
    ("200人左右", {"count": (180, 220)}),
    ("将近30人", {"count": (27, 29)}),
    ("不到25人", {"count": (0, 24)}),
    ("会员不足25人", {"members": (0, 24)}),
    ("超过200人", {"count": (201, None)}),
    ("200人以上", {"count": (200, None)}),
    ("20到30人", {"count": (20, 30)}),
    ("员工有五百来人", {"staff": (450, 550)}),
    # money
    ("月工资总额35.5万元", {"wage_total": _d("355000"), "wage_period": "月"}),
    ("工资总额五十万", {"wage_total": _d("500000")}),
    ("每月工资总额80万", {"wage_total": _d("800000"), "wage_period": "月"}),
    ("全年工资总额1200万元", {"wage_total": _d("12000000"), "wage_period": "年"}),
    ("工资总额500,000元", {"wage_total": _d("500000")}),
    ("工资总额是500000", {"wage_total": _d("500000")}),
    ("月工资总额7654.32元", {"wage_total": _d("7654.32")}),
    ("工资总额1.2亿元", {"wage_total": _d("120000000")}),
    ("派遣工工资总额每月50万元", {"dispatch_wages": _d("500000"), "wage_period": "月"}),
    ("派遣工月工资合计8万5千元", {"dispatch_wages": _d("85000")}),
    ("工资总额八万五千元", {"wage_total": _d("85000")}),
    ("年收入12万", {"annual_income": _d("120000")}),
    ("我月薪8000被开除了", {"monthly_income": _d("8000")}),
    ("我们厂上个月工资一共发了65万", {"wage_total": _d("650000"), "wage_period": "月"}),
    ("工资总额五十多万", {"wage_total": ("range", "500000", "600000")}),
    # percentages
    ("按2%拨缴", {"rate": _d("2")}),
    ("百分之二的经费", {"rate": _d("2")}),
    ("按1.5%交", {"rate": _d("1.5")}),
    # entities
    ("我们律所", {"entity": "律师事务所"}),
    ("cpa事务所", {"entity": "会计师事务所"}),
    ("出租车公司只有十几个司机", {"entity": "出租车公司", "staff": (11, 19)}),
    ("个体的哥", {"entity": "个体出租车"}),
    ("派遣公司没有工会", {"entity": "劳务派遣单位", "agency_has_union": False}),
    ("我们是用工单位", {"entity": "用工单位"}),
    ("外企有120个会员", {"entity": "外商投资企业", "members": 120}),
    ("我们民营企业", {"entity": "私营企业"}),
    ("国企整体改制", {"entity": "国有企业", "restructuring_kind": "整体改制"}),
    ("事业单位要不要交", {"entity": "事业单位"}),
    ("机关单位工会", {"entity": "机关"}),
    # women
    ("女的占大多数", {"women": "较多"}),
    ("女职工比较多", {"women": "较多"}),
    ("女职工很少", {"women": "较少"}),
    ("女职工不多", {"women": "较少"}),
    # restructuring kinds and revocation
    ("公司被兼并了", {"restructuring_kind": "联合兼并"}),
    ("企业重组后", {"restructuring_kind": "重组"}),
    ("厂子租给别人承包经营了", {"restructuring_kind": "租赁承包转让"}),
    ("公司破产了", {"restructuring_kind": "终止"}),
    ("單位被撤銷了", {"restructuring_kind": "终止"}),
    ("企业分立成两家公司", {"restructuring_kind": "分立"}),
    ("领导要把工会撤销，合并到人力资源部", {"union_revoked": True}),
    ("工会和党办合署办公", {"union_revoked": True}),
    # yes/no facts
    ("我们还没有建工会", {"has_union": False}),
    ("我们已经成立了工会", {"has_union": True}),
    ("老板一直拖欠工会经费不交", {"delayed": True}),
    ("单位不按时拨缴工会经费", {"delayed": True}),
    ("用工单位以不存在劳动关系为由拒绝", {"refused": True}),
    ("派遣单位和用工单位都没有工会", {"agency_has_union": False, "user_has_union": False}),
    ("由劳务派遣公司牵头成立跨区域的工会联合会", {"cross_region": True}),
    ("用工单位工会代管派遣工会员", {"entrusted": True}),
    ("老板的儿子能不能当工会委员", {"relative": True}),
    ("老板娘能当工会主席吗", {"relative": True}),
    ("兼职工会副主席劳动合同比任期短", {"full_time": False, "contract_shorter": True}),
    ("专职工会主席", {"full_time": True}),
    ("工会主席快退休了", {"retirement": True}),
    ("因为搞工会被炒鱿鱼", {"union_activity": True}),
    ("老板想调走工会主席", {"transfer": True}),
    ("我们是劳务输出地的县总工会", {"migrant_role": "输出地"}),
    ("我们是务工地的工会", {"migrant_role": "输入地"}),
    ("每月占用4个工作日", {"days": _d("4")}),
    ("我们工会任期定4年可以吗", {"term_years": _d("4")}),
    ("3年一届", {"term_years": _d("3")}),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_extraction(text: str, expected: dict[str, Any]) -> None:
    got = extract(text)
    assert not got.errors, got.errors
    facts = {k: _norm(v) for k, v in got.facts.items()}
    for name, value in expected.items():
        assert facts.get(name) == value, (name, facts)


def test_at_least_sixty_phrasings() -> None:
    assert len(CASES) >= 60


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("三分之一以上会员提议", "members"),  # a fraction is the rule, not a fact
        ("工会法第十一条规定", "count"),
        ("2021年工会法修改了什么", "count"),
        ("我是一名会员，单位不交经费怎么办", "members"),  # describes the asker
        ("人少的单位选一个组织员行不行", "count"),  # counts an office
        ("每届任期几年", "term_years"),  # asks, does not state
        ("每个月能占用几天", "days"),
        ("任期还有两年", "term_years"),
        ("年收入两倍的赔偿", "annual_income"),
        ("基层工会能不能取得社会团体法人资格", "entity"),
        ("几个小门店的会员能不能合起来建一个工会", "staff"),
        ("基層工會換屆是三年還是五年", "term_years"),
        ("工会会不会被取消", "union_revoked"),
    ],
)
def test_not_a_fact(text: str, absent: str) -> None:
    assert absent not in extract(text).facts


@pytest.mark.parametrize(
    ("text", "name", "raw"),
    [
        ("公司有-5人", "staff", Decimal(-5)),
        ("会员负5人", "members", Decimal(-5)),
        ("我们有0.5个人", "count", Decimal("0.5")),
        ("工资总额10^15元", "wage_total", Decimal(10) ** 15),
        ("工资总额1e15元", "wage_total", Decimal("1e15")),
    ],
)
def test_bad_numbers_pass_through_for_the_rule_to_reject(text: str, name: str, raw: Decimal) -> None:
    assert extract(text).facts[name] == raw


@pytest.mark.parametrize(
    "text",
    ["我们会员18人，会员30人", "女职工较多，女职工较少", "职工100人。职工200人"],
)
def test_contradictions_are_reported(text: str) -> None:
    assert extract(text).errors


def test_alternatives_are_not_contradictions() -> None:
    assert not extract("会员是25人还是26人才要建").errors


def test_approx_flag() -> None:
    ex = extract("会员三十来个，工资总额五十多万")
    assert ex.approx == frozenset({"members", "wage_total"})
    assert not extract("会员30人").approx


def test_never_raises_on_odd_input() -> None:
    for text in ["", "？？？", "一一一一一", "第第第条", "9" * 400, "万亿亿万", "五十多万万", "-", "1e999元"]:
        extract(text)


@pytest.mark.parametrize(
    "text",
    ["全总提出“两个普遍”以后搞了什么行动？", "“双措并举、二次覆盖”是什么经验？", "改制要做到哪三个不？"],
)
def test_a_policy_name_with_a_numeral_is_no_head_count(text: str) -> None:
    facts = extract(text).facts
    assert "count" not in facts and "members" not in facts and "staff" not in facts


def test_a_count_with_fewer_than_is_still_a_count() -> None:
    assert "count" in extract("我们有30个不到").facts or "members" in extract("会员30个不到").facts
