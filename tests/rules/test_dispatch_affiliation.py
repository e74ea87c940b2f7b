"""dispatch-affiliation vectors: agency's union first, else the user unit's; refusal and federation corrections."""

from __future__ import annotations

from assistant.rules import Status
from assistant.rules.dispatch_affiliation import DispatchAffiliation

RULE = DispatchAffiliation()


def test_concept_answer() -> None:
    r = RULE.decide({})
    assert r.status is Status.DECIDED
    assert "首先参加劳务派遣单位工会" in r.conclusion and "直接参加用工单位工会" in r.conclusion


def test_agency_without_union() -> None:
    r = RULE.decide({"agency_has_union": False})
    assert r.result["join"] == "用工单位工会"


def test_both_without_union() -> None:
    r = RULE.decide({"agency_has_union": False, "user_has_union": False})
    assert "都应当依法建立工会组织" in r.conclusion


def test_agency_with_union() -> None:
    assert RULE.decide({"agency_has_union": True}).result["join"] == "劳务派遣单位工会"


def test_no_labour_relation_is_no_ground() -> None:
    r = RULE.decide({"refused": True})
    assert r.result["refusal_valid"] is False
    assert {"labor-contract-law/art-64", "guidance/6.1", "acftu-dispatch-rule/art-1"} <= set(r.clause_ids)


def test_entrusted_needs_agreement() -> None:
    r = RULE.decide({"entrusted": True})
    assert "委托管理协议" in r.conclusion
    assert {"acftu-dispatch-rule/art-2", "acftu-membership-rule/art-9"} <= set(r.clause_ids)


def test_cross_region_federation_corrected() -> None:
    r = RULE.decide({"cross_region": True})
    assert r.result["cross_region_federation"] == "应予纠正"
    assert "acftu-dispatch-rule/art-5" in r.clause_ids
