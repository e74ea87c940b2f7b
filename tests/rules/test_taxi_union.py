"""taxi-union vectors: company (alone or joint), individual drivers, transport-union placement."""

from __future__ import annotations

import pytest

from assistant.rules import Status
from assistant.rules.taxi_union import TaxiUnion
from tests.rules.support import rule_result

RULE = TaxiUnion()


def test_small_company_joint_union() -> None:
    r = rule_result(RULE, {"entity": "出租车公司", "alone_possible": False})
    assert "运管部门牵头组建出租车联合基层工会" in r.conclusion
    assert "个体出租车工会" not in r.conclusion


def test_individual_drivers() -> None:
    r = rule_result(RULE, {"entity": "个体出租车"})
    assert "以区县为单位成立“个体出租车工会”" in r.conclusion and "补助" in r.conclusion
    assert "出租车联合基层工会" not in r.conclusion


def test_unknown_kind_gives_both() -> None:
    r = rule_result(RULE, {})
    assert "出租车公司" in r.conclusion and "个体出租车" in r.conclusion


def test_placement() -> None:
    assert rule_result(RULE, {}).result["leadership"] == "城市交通（建设）产业工会"
    r = rule_result(RULE, {"transport_union": False})
    assert "依托县（区）级出租车运管部门" in r.conclusion
    assert "guidance/3.p4" in r.clause_ids


def test_drivers_asking_for_themselves_are_asked_company_or_individual() -> None:
    r = rule_result(RULE, {"drivers": True})
    assert r.status is Status.NEEDS_MORE_INFO and r.missing[0].name == "entity"
    assert "个体出租" in r.conclusion and "联合基层工会" in r.conclusion
    assert rule_result(RULE, {"drivers": True, "entity": "个体出租车"}).result["individual"]


def test_a_plain_company_in_a_taxi_question_is_the_taxi_company() -> None:
    r = rule_result(RULE, {"entity": "企业", "drivers": True})
    assert r.status is Status.DECIDED and r.result["kind"] == "出租车公司"


@pytest.mark.parametrize(("members", "must"), [(80, True), (25, True), (12, False)])
def test_company_members_meet_the_threshold(members: int, must: bool) -> None:
    r = rule_result(RULE, {"entity": "出租车公司", "members": members})
    assert r.result["must_establish"] is must
    assert "union-law-2021/art-11" in r.clause_ids
    assert ("应当建立基层工会委员会" in r.conclusion) is must


def test_individual_union_funding() -> None:
    assert rule_result(RULE, {"entity": "个体出租车"}).result["funding"] == "由所在地方总工会予以补助"


def test_drivers_conversation(engine) -> None:  # type: ignore[no-untyped-def]
    chat = engine.conversation()
    first = chat.ask("我们出租车司机想建工会，怎么建？")
    assert first is not None and first.status is Status.NEEDS_MORE_INFO
    second = chat.ask("我们是个体的")
    assert second is not None and second.result["kind"] == "个体出租车"
