"""Mentions → facts: numerals, hedges, corrections, changes and several units (rules/slots.extract)."""

import pytest

from assistant.rules.base import Count, MoneyRange
from assistant.rules.slots import extract
from assistant.text.numerals import cn_years, expand_abbreviated, magnitude


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
