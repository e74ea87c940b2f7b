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
