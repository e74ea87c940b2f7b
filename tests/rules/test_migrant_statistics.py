"""migrant-statistics vectors: destination union counts; origin union does not report."""

from __future__ import annotations

import pytest

from assistant.rules import Status
from assistant.rules.migrant_statistics import MigrantStatistics
from tests.rules.support import rule_result

RULE = MigrantStatistics()


@pytest.mark.parametrize(
    ("role", "phrase"), [(None, "输入地"), ("输出地", "不进行农民工会员统计上报"), ("输入地", "应由贵会统计")]
)
def test_roles(role: str | None, phrase: str) -> None:
    r = rule_result(RULE, {"migrant_role": role} if role else {})
    assert r.status is Status.DECIDED
    assert phrase in r.conclusion
    assert r.result["counted_by"] == "输入地（务工地）工会"
    assert r.clause_ids == ("guidance/5.2.3",)
