"""Governance-number rules: term, extraordinary meeting, chair removal, contract extension, work time, relatives."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.rules import Count, Status
from assistant.rules.chair_contract_extension import ChairContractExtension
from assistant.rules.chair_removal import ChairRemoval
from assistant.rules.committee_relatives import CommitteeRelatives
from assistant.rules.extraordinary_meeting import ExtraordinaryMeeting
from assistant.rules.governance_term import GovernanceTerm
from assistant.rules.union_work_time import UnionWorkTime
from tests.rules.support import rule_result


@pytest.mark.parametrize(
    ("facts", "conforms", "status"),
    [
        ({"term_years": 3}, True, Status.DECIDED),
        ({"term_years": 5}, True, Status.DECIDED),
        ({"term_years": 4}, False, Status.DECIDED),
        ({"term_years": 2}, False, Status.DECIDED),
        ({"term_years": 6}, False, Status.DECIDED),
        ({"term_years": 3, "union_level": "地方总工会"}, False, Status.DECIDED),
        ({"term_years": 5, "union_level": "产业工会"}, True, Status.DECIDED),
        ({"term_years": 0}, None, Status.INVALID),
        ({"term_years": -3}, None, Status.INVALID),
        ({"term_years": 100}, None, Status.INVALID),
        ({"term_years": "3.5"}, None, Status.INVALID),
    ],
)
def test_term(facts: dict[str, Any], conforms: bool | None, status: Status) -> None:
    r = rule_result(GovernanceTerm(), facts)
    assert r.status is status
    if status is Status.DECIDED:
        assert r.result["conforms"] is conforms


def test_four_years_mentions_constitution_conflict() -> None:
    r = rule_result(GovernanceTerm(), {"term_years": 4})
    assert "acftu-constitution-2008/art-26" in r.clause_ids and "三年至五年" in r.conclusion


@pytest.mark.parametrize(
    ("members", "proposers", "minimum", "enough"),
    [
        (1, 1, 1, True),
        (3, 1, 1, True),  # exactly one third counts ("以上")
        (30, 10, 10, True),
        (30, 9, 10, False),
        (31, 10, 11, False),
        (90, 30, 30, True),
        (120, 35, 40, False),
        (200, 67, 67, True),
        (200, 66, 67, False),
    ],
)
def test_extraordinary(members: int, proposers: int, minimum: int, enough: bool) -> None:
    r = rule_result(ExtraordinaryMeeting(), {"members": members, "proposers": proposers})
    assert r.status is Status.DECIDED
    assert r.result["min_proposers"] == minimum and r.result["enough"] is enough


@pytest.mark.parametrize(("members", "body"), [(100, "会员大会"), (101, None)])
def test_small_union_holds_general_meeting(members: int, body: str | None) -> None:
    r = rule_result(ExtraordinaryMeeting(), {"members": members})
    assert r.result.get("body") == body


@pytest.mark.parametrize(
    "facts",
    [{"members": 0}, {"members": 10, "proposers": 11}, {"members": -1}, {"proposers": "0.5"}],
)
def test_extraordinary_invalid(facts: dict[str, Any]) -> None:
    assert rule_result(ExtraordinaryMeeting(), facts).status is Status.INVALID


def test_extraordinary_committee_needs_no_count() -> None:
    r = rule_result(ExtraordinaryMeeting(), {"by_committee": True})
    assert r.status is Status.DECIDED and "基层工会委员会提议" in r.conclusion


def test_extraordinary_proposers_without_members_asks() -> None:
    r = rule_result(ExtraordinaryMeeting(), {"proposers": 10})
    assert r.status is Status.NEEDS_MORE_INFO and r.missing[0].name == "members"


@pytest.mark.parametrize(
    ("body", "votes", "need", "passes"),
    [
        (1, 1, 1, True),
        (2, 1, 2, False),
        (50, 25, 26, False),
        (50, 26, 26, True),
        (60, 30, 31, False),
        (101, 51, 51, True),
    ],
)
def test_removal_majority_of_all(body: int, votes: int, need: int, passes: bool) -> None:
    r = rule_result(ChairRemoval(), {"members": body, "votes": votes})
    assert r.result["min_votes"] == need and r.result["removal_passes"] is passes


def test_removal_uses_delegates_when_given() -> None:
    r = rule_result(ChairRemoval(), {"members": 500, "delegates": 60, "votes": 31})
    assert r.result["body"] == 60 and r.result["removal_passes"] is True


@pytest.mark.parametrize("facts", [{"members": 10, "votes": 11}, {"members": 0}, {"votes": -1}])
def test_removal_invalid(facts: dict[str, Any]) -> None:
    assert rule_result(ChairRemoval(), facts).status is Status.INVALID


def test_removal_transfer_needs_consent() -> None:
    r = rule_result(ChairRemoval(), {"transfer": True})
    assert "本级工会委员会和上一级工会的同意" in r.conclusion


def test_removal_vague_votes() -> None:
    r = rule_result(ChairRemoval(), {"members": Count(90, 110), "votes": 60})
    assert r.status is Status.NEEDS_MORE_INFO


@pytest.mark.parametrize(
    ("facts", "status", "extended"),
    [
        ({"full_time": True}, Status.DECIDED, True),
        ({"full_time": False, "contract_shorter": True}, Status.DECIDED, True),
        ({"full_time": False, "contract_shorter": False}, Status.DECIDED, False),
        ({"full_time": False}, Status.DECIDED, True),  # the article's condition is stated: extended to term end
        ({}, Status.NEEDS_MORE_INFO, None),
        ({"full_time": True, "misconduct": True}, Status.DECIDED, False),
        ({"retirement": True}, Status.DECIDED, False),
        ({"full_time": "也许"}, Status.INVALID, None),
    ],
)
def test_contract_extension(facts: dict[str, Any], status: Status, extended: bool | None) -> None:
    r = rule_result(ChairContractExtension(), facts)
    assert r.status is status
    if status is Status.DECIDED:
        assert r.result["extended"] is extended


@pytest.mark.parametrize(
    ("days", "within", "status"),
    [
        (0, True, Status.DECIDED),
        (1, True, Status.DECIDED),
        (3, True, Status.DECIDED),
        ("3.5", False, Status.DECIDED),
        (4, False, Status.DECIDED),
        (31, False, Status.DECIDED),
        (32, None, Status.INVALID),
        (-1, None, Status.INVALID),
    ],
)
def test_work_time(days: object, within: bool | None, status: Status) -> None:
    r = rule_result(UnionWorkTime(), {"days": days})
    assert r.status is status
    if status is Status.DECIDED:
        assert r.result["within_limit"] is within


def test_work_time_full_time_is_article_42() -> None:
    assert "union-law-2021/art-42" in rule_result(UnionWorkTime(), {"full_time": True}).clause_ids


@pytest.mark.parametrize(
    ("facts", "eligible"),
    [
        ({"relative": True}, False),
        ({"relative": False}, True),
        ({}, None),
        ({"relative": True, "entity": "机关"}, None),
    ],
)
def test_relatives(facts: dict[str, Any], eligible: bool | None) -> None:
    r = rule_result(CommitteeRelatives(), facts)
    assert r.status is Status.DECIDED and r.result["eligible"] is eligible
