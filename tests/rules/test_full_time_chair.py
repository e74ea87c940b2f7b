"""full-time-chair vectors: 0, 1, 199, 200, 201, vague, members bound, 机关, bad input."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.rules import Count, Status
from assistant.rules.full_time_chair import FullTimeChair
from tests.rules.support import rule_result

RULE = FullTimeChair()


@pytest.mark.parametrize(
    ("facts", "status", "may"),
    [
        ({"staff": 1}, Status.DECIDED, False),
        ({"staff": 24}, Status.DECIDED, False),
        ({"staff": 25}, Status.DECIDED, False),
        ({"staff": 199}, Status.DECIDED, False),
        ({"staff": 200}, Status.DECIDED, True),
        ({"staff": 201}, Status.DECIDED, True),
        ({"staff": 1_000_000}, Status.DECIDED, True),
        ({"staff": Count(101, 199, "一百多")}, Status.DECIDED, False),
        ({"staff": Count(180, 220, "大约200")}, Status.NEEDS_MORE_INFO, None),
        ({"staff": Count(201, None, "超过200")}, Status.DECIDED, True),
        ({"members": 250}, Status.DECIDED, True),  # members ≤ staff
        ({"members": 150}, Status.NEEDS_MORE_INFO, None),
        ({}, Status.NEEDS_MORE_INFO, None),
        ({"staff": 0}, Status.INVALID, None),
        ({"staff": -1}, Status.INVALID, None),
        ({"staff": 10**15}, Status.INVALID, None),
        ({"staff": 100, "members": 150}, Status.INVALID, None),
    ],
)
def test_vectors(facts: dict[str, Any], status: Status, may: bool | None) -> None:
    r = rule_result(RULE, facts)
    assert r.status is status, r.conclusion
    if status is Status.DECIDED:
        assert r.result["may_have_full_time_chair"] is may
        assert "union-law-2021/art-14" in r.clause_ids


def test_below_200_says_law_is_silent_not_forbidden() -> None:
    r = rule_result(RULE, {"staff": 199})
    assert "法律对此未作规定" in r.conclusion and "不得" not in r.conclusion


def test_organs_are_not_in_article_14() -> None:
    r = rule_result(RULE, {"staff": 500, "entity": "机关"})
    assert "未列机关" in r.conclusion and "union-law-2021/art-57" in r.clause_ids
