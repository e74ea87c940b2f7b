"""Mentions → facts: numerals, hedges, corrections, changes and several units (rules/slots.extract)."""

from decimal import Decimal

import pytest

from assistant.rules.facts import extract
from assistant.text.numerals import cn_years, expand_abbreviated, magnitude
from assistant.understand.values import Count, MoneyRange


@pytest.mark.parametrize(
    ("spoken", "written"),
    [("二十三万五", "23.5万"), ("4万8", "4.8万"), ("一千二", "1.2千"), ("一百八", "180"), ("四千五百", "四千五百")],
)
def test_abbreviated_numerals_keep_their_magnitude(spoken: str, written: str) -> None:
    assert expand_abbreviated(spoken) == written


def test_magnitude_and_years() -> None:
    assert magnitude(356000) == "35.6万" and magnitude(999) == "999"
    assert cn_years("二〇二〇年十月选举") == "2020年十月选举"


def test_head_noun_decides_the_fact() -> None:
    assert extract("我们所里有30名工会会员，必须单独建会吗").facts["members"] == Count.exact(30, "30名")
    assert "members" not in extract("3个部门共有40名职工").facts


def test_a_hedged_amount_is_an_estimate_not_a_range() -> None:
    wages = extract("差不多60万工资总额，经费多少").facts["wage_total"]
    assert isinstance(wages, MoneyRange) and wages.point == 600000
    vague = extract("工资总额五十多万").facts["wage_total"]
    assert isinstance(vague, MoneyRange) and vague.point is None


def test_the_figure_said_last_after_a_correction_counts() -> None:
    facts = extract("会员28个，不对，我说错了，是32个").facts
    assert facts["members"].low == 32


def test_a_change_applies_to_the_figure_stated_before() -> None:
    assert extract("会员原先有100人，调走了15人，又新入会8人").facts["members"].low == 93
    assert extract("员工80个，辞职走了8个").facts["staff"].low == 72
    # no earlier figure in the text: the change is kept for the conversation's earlier turn
    assert "members_added" in extract("又有5个人入会了").facts


def test_several_units_are_groups_not_a_contradiction() -> None:
    ex = extract("我们两家会计所，一家18名会员、一家11名，各自都得单独建工会委员会吗？能不能合起来建一个？")
    assert not ex.errors
    assert [g["members"].low for g in ex.groups] == [18, 11]
    same_unit = extract("我们有20个会员，会员30个")
    assert same_unit.errors and not same_unit.groups  # one unit, two figures: asked, never guessed


@pytest.mark.parametrize(
    ("text", "fact", "value"),
    [
        ("公司二十几号人，都是年轻人", "staff", Count(21, 29)),
        ("咱们厂子里干活的一共有六百来号人", "staff", Count(540, 660)),
        ("公司入会的三十出头", "members", Count(31, 39)),
        ("我们厂入会的二十好几个了", "members", Count(21, 29)),
        ("本单位职工人数为贰佰壹拾人", "staff", Count.exact(210)),
        ("就俩人联名，能提议开临时大会吗", "proposers", Count.exact(2)),
        ("投票结果：赞成27，反对10，弃权3", "votes", Count.exact(27)),
        ("本来15人联名，后来2人撤回了签名", "proposers", Count.exact(13)),
        ("女会员18个，男会员22个", "members", Count.exact(40)),
        ("我们单位职工96人，全部是会员", "members", Count.exact(96)),
    ],
)
def test_spoken_counts(text: str, fact: str, value: Count) -> None:
    got = extract(text).facts[fact]
    assert (got.low, got.high) == (value.low, value.high)


@pytest.mark.parametrize(
    ("text", "fact", "value"),
    [
        ("工资总额：每月¥456,000，经费应缴多少？", "wage_total", Decimal("456000")),
        ("月薪6k", "monthly_income", Decimal("6000")),
        ("工资总额月50w", "wage_total", Decimal("500000")),
        ("每个月大约三天用于工会工作", "days", Decimal("3")),
        ("我们每个月工资总额是六十万，派遣工每个月另算八万", "dispatch_wages", Decimal("80000")),
    ],
)
def test_spoken_amounts(text: str, fact: str, value: Decimal) -> None:
    assert extract(text).facts[fact] == value


@pytest.mark.parametrize("text", ["我们公司在18楼，想咨询建会", "我们队伍里人心齐", "每月5号发工资"])
def test_no_head_count(text: str) -> None:
    facts = extract(text).facts
    assert not {"staff", "members"} & set(facts)
