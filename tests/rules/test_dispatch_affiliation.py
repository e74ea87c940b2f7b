"""dispatch-affiliation vectors: agency's union first, else the user unit's; refusal and federation corrections."""

from __future__ import annotations

from assistant.rules import Status
from assistant.rules.dispatch_affiliation import DispatchAffiliation
from tests.rules.support import rule_result

RULE = DispatchAffiliation()


def test_concept_answer() -> None:
    r = rule_result(RULE, {})
    assert r.status is Status.DECIDED
    assert "首先参加劳务派遣单位工会" in r.conclusion and "直接参加用工单位工会" in r.conclusion


def test_agency_without_union() -> None:
    r = rule_result(RULE, {"agency_has_union": False})
    assert r.result["join"] == "用工单位工会"


def test_both_without_union() -> None:
    r = rule_result(RULE, {"agency_has_union": False, "user_has_union": False})
    assert "都应当依法建立工会组织" in r.conclusion


def test_agency_with_union() -> None:
    assert rule_result(RULE, {"agency_has_union": True}).result["join"] == "劳务派遣单位工会"


def test_no_labour_relation_is_no_ground() -> None:
    r = rule_result(RULE, {"refused": True})
    assert r.result["refusal_valid"] is False
    assert {"labor-contract-law/art-64", "guidance/6.1", "acftu-dispatch-rule/art-1"} <= set(r.clause_ids)


def test_entrusted_needs_agreement() -> None:
    r = rule_result(RULE, {"entrusted": True})
    assert "委托管理协议" in r.conclusion
    assert {"acftu-dispatch-rule/art-2", "acftu-membership-rule/art-9"} <= set(r.clause_ids)


def test_cross_region_federation_corrected() -> None:
    r = rule_result(RULE, {"cross_region": True})
    assert r.result["cross_region_federation"] == "应予纠正"
    assert "acftu-dispatch-rule/art-5" in r.clause_ids


def test_which_union_for_this_worker_asks_about_the_agency() -> None:
    r = rule_result(RULE, {"ask_join": True})
    assert r.status is Status.NEEDS_MORE_INFO and r.missing[0].name == "agency_has_union"
    assert "劳务派遣单位工会" in r.conclusion and "用工单位工会" in r.conclusion
    assert rule_result(RULE, {"ask_join": True, "agency_has_union": False}).result["join"] == "用工单位工会"


def test_day_to_day_management_adds_the_entrustment() -> None:
    r = rule_result(RULE, {"agency_has_union": True, "ask_manage": True})
    assert r.status is Status.DECIDED and "委托用工单位工会代管" in r.conclusion
    assert r.result["entrusted_management"] == "可以委托用工单位工会代管"


def test_order_of_preference_is_answered_which_union_is_asked(engine) -> None:  # type: ignore[no-untyped-def]
    general = engine.answer("劳务派遣工首先应该加入哪个工会？")
    assert general is not None and general.status is Status.DECIDED
    mine = engine.answer("我是派遣工，想入会，该入哪边？")
    assert mine is not None and mine.status is Status.NEEDS_MORE_INFO
    known = engine.answer("派遣公司有工会，我是派遣工，该入哪个工会？")
    assert known is not None and known.result["join"] == "劳务派遣单位工会"


def test_a_question_about_the_category_gets_the_general_rule(engine) -> None:  # type: ignore[no-untyped-def]
    r = engine.answer("劳务派遣工应该加入哪个工会？")
    assert r is not None and r.status is Status.DECIDED
    assert "首先参加劳务派遣单位工会" in r.conclusion and "直接参加用工单位工会" in r.conclusion
