"""Several units in one question: each decided on its own figures, with what holds for them together."""

from pathlib import Path

from assistant.clauses import ClauseStore
from assistant.rules import RulesEngine
from assistant.rules.base import Status


def test_each_unit_is_decided_and_joint_establishment_offered(corpus_dir: Path) -> None:
    engine = RulesEngine(ClauseStore.load(corpus_dir))
    r = engine.conversation().ask("我们两家会计所，一家18名会员、一家11名，必须单独建工会委员会吗？")
    assert r is not None and r.status is Status.DECIDED
    assert [u["must_establish"] for u in r.result["units"]] == [False, False]
    assert "第一家" in r.conclusion and "第二家" in r.conclusion and "联合建立" in r.conclusion
    assert any(s.clause_id == "union-law-2021/art-11" for s in r.trace)


def test_a_unit_at_the_threshold_must_establish(corpus_dir: Path) -> None:
    engine = RulesEngine(ClauseStore.load(corpus_dir))
    r = engine.conversation().ask("两个厂，一个30名会员一个13名，要建工会委员会吗")
    assert r is not None and [u["must_establish"] for u in r.result["units"]] == [True, False]
    assert "合计" not in r.conclusion  # not every unit is under 25: no joint remark


def test_an_annual_total_asked_monthly_gives_the_monthly_levy(corpus_dir: Path) -> None:
    engine = RulesEngine(ClauseStore.load(corpus_dir))
    r = engine.conversation().ask("我们小公司全年工资一共90万，工会经费要是按月拨，每个月该拨多少？")
    assert r is not None and r.status is Status.DECIDED
    assert r.result["amount"] == "1500.00" and r.result["annual_amount"] == "18000.00"  # 900,000 / 12 × 2%
    whole_year = engine.conversation().ask("全年工资总额120万，经费多少")
    assert whole_year is not None and whole_year.result["amount"] == "24000.00"  # no monthly question: the year's
