"""taxi-union vectors: company (alone or joint), individual drivers, transport-union placement."""

from __future__ import annotations

from assistant.rules.taxi_union import TaxiUnion

RULE = TaxiUnion()


def test_small_company_joint_union() -> None:
    r = RULE.decide({"entity": "出租车公司", "alone_possible": False})
    assert "运管部门牵头组建出租车联合基层工会" in r.conclusion
    assert "个体出租车工会" not in r.conclusion


def test_individual_drivers() -> None:
    r = RULE.decide({"entity": "个体出租车"})
    assert "以区县为单位成立“个体出租车工会”" in r.conclusion and "补助" in r.conclusion
    assert "出租车联合基层工会" not in r.conclusion


def test_unknown_kind_gives_both() -> None:
    r = RULE.decide({})
    assert "出租车公司" in r.conclusion and "个体出租车" in r.conclusion


def test_placement() -> None:
    assert RULE.decide({}).result["leadership"] == "城市交通（建设）产业工会"
    r = RULE.decide({"transport_union": False})
    assert "依托县（区）级出租车运管部门" in r.conclusion
    assert "guidance/3.p4" in r.clause_ids
