"""Two counts with different roles fill two slots: what the people counted do ("联名提议…的只有40人", "45票同意")
decides their role over the nouns near them, and a count's verb never reaches over another count."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.rules import RulesEngine, Status
from assistant.rules.chair_removal import ChairRemoval
from assistant.rules.extraordinary_meeting import ExtraordinaryMeeting
from assistant.rules.facts import extract
from assistant.understand.values import Count
from tests.rules.support import rule_result


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the verb after the count, not reaching over another count
        ("会员代表大会罢免主席，60个代表30个同意", {"delegates": 60, "votes": 30}),
        ("六十个代表三十个同意罢免", {"delegates": 60, "votes": 30}),
        ("120个会员，35个人联名要求开临时会员大会", {"members": 120, "proposers": 35}),
        ("10人一起联名提议", {"proposers": 10}),
        # those who do it, said before the count
        ("我们工会会员210人，联名提议临时开会员大会的只有40人", {"members": 210, "proposers": 40}),
        ("同意罢免的有30人，全体会员70人", {"votes": 30, "members": 70}),
        # "赞成票26" is 26 votes for: two independent phrasing banks read it so ("赞成票数：60", "罢免票数２６")
        ("全体会员50人，赞成票26", {"members": 50, "votes": 26}),
        # ballots: only those for the motion count
        ("会员代表大会表决罢免工会主席，45票同意", {"votes": 45}),
        ("45票赞成，10票反对", {"votes": 45}),
    ],
)
def test_roles(text: str, expected: dict[str, int]) -> None:
    ex = extract(text)
    assert not ex.errors
    got = {k: v.low for k, v in ex.facts.items() if isinstance(v, Count)}
    assert got == expected


@pytest.mark.parametrize("text", ["一票否决", "10票反对", "投了3票弃权"])
def test_ballots_against_count_no_one(text: str) -> None:
    assert not any(isinstance(v, Count) for v in extract(text).facts.values())


@pytest.mark.parametrize(
    ("text", "delegates"),
    [("会员代表大会表决罢免主席", True), ("全体代表过半数", True), ("职工代表大会讨论", None), ("会员大会表决", None)],
)
def test_delegate_body(text: str, delegates: bool | None) -> None:
    assert extract(text).facts.get("delegate_body") is delegates


# -- extraordinary meeting: two routes, either one suffices ---------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "enough", "can_convene"),
    [
        ({"members": 210, "proposers": 69}, False, False),
        ({"members": 210, "proposers": 70}, True, True),
        ({"members": 210, "proposers": 69, "by_committee": True}, False, True),
        ({"members": 210, "proposers": 70, "by_committee": True}, True, True),
        ({"members": 210, "by_committee": True}, None, True),
        ({"by_committee": True}, None, True),
        ({"members": 210, "proposers": {"low": 60, "high": 80}, "by_committee": True}, None, True),
    ],
)
def test_either_route_suffices(facts: dict[str, Any], enough: bool | None, can_convene: bool) -> None:
    r = rule_result(ExtraordinaryMeeting(), facts)
    assert r.status is Status.DECIDED
    assert r.result.get("enough") is enough and r.result["can_convene"] is can_convene
    if facts.get("by_committee"):
        assert "基层工会委员会提议" in r.conclusion
    if "members" in facts:
        assert r.result["min_proposers"] == 70 and "三分之一以上" in r.conclusion


def test_the_members_route_falling_short_is_said(engine: RulesEngine) -> None:
    q = "我们工会会员210人，联名提议临时开会员大会的只有40人，不过基层工会委员会也决定提议，能开吗？"
    r = engine.answer(q)
    assert r is not None and r.rule_id == "extraordinary-meeting" and r.status is Status.DECIDED
    assert r.result["enough"] is False and r.result["can_convene"] is True
    assert "未达到三分之一以上" in r.conclusion and "基层工会委员会提议" in r.conclusion


# -- chair removal: 过半数 counts the whole body, so the votes alone do not decide -------------------------------


@pytest.mark.parametrize(
    ("facts", "missing"),
    [({"votes": 45}, "members"), ({"votes": 45, "delegate_body": True}, "delegates")],
)
def test_votes_without_the_body_ask_its_size(facts: dict[str, Any], missing: str) -> None:
    r = rule_result(ChairRemoval(), facts)
    assert r.status is Status.NEEDS_MORE_INFO and r.missing[0].name == missing
    assert "过半数" in r.conclusion and "全体代表" in r.conclusion


@pytest.mark.parametrize(("delegates", "passes"), [(88, True), (89, True), (90, False)])
def test_delegates_decide(delegates: int, passes: bool) -> None:
    r = rule_result(ChairRemoval(), {"votes": 45, "delegate_body": True, "delegates": delegates})
    assert r.result["removal_passes"] is passes and r.result["body"] == delegates
    assert "全体代表" in r.conclusion


def test_the_delegates_asked_for_complete_the_decision(engine: RulesEngine) -> None:
    chat = engine.conversation()
    first = chat.ask("会员代表大会表决罢免工会主席，45票同意，能罢免吗？")
    assert first is not None and first.rule_id == "chair-removal" and first.status is Status.NEEDS_MORE_INFO
    assert first.missing[0].name == "delegates"
    second = chat.ask("一共90个代表")
    assert second is not None and second.status is Status.DECIDED
    assert second.result["min_votes"] == 46 and second.result["removal_passes"] is False
