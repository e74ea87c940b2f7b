"""RulesEngine and Conversation: routing + extraction + decision, multi-turn slot filling, catalogue."""

from __future__ import annotations

import json

import pytest

from assistant.clauses import ClauseStore
from assistant.rules import Basis, Conversation, Rule, RuleBasisError, RulesEngine, Status
from assistant.rules.committee_threshold import CommitteeThreshold


def test_cpa_example_from_the_issue(engine: RulesEngine) -> None:
    r = engine.answer("我们会计师事务所有18名会员，能不能自己单独成立工会？")
    assert r is not None and r.rule_id == "committee-threshold" and r.status is Status.DECIDED
    assert r.result["must_establish"] is False
    assert "union-law-2021/art-11" in r.clause_ids and "guidance/4.p2" in r.clause_ids


def test_dispatch_fund_example_from_the_issue(engine: RulesEngine) -> None:
    r = engine.answer("派遣工工资总额每月50万元，工会经费交多少、交给谁？")
    assert r is not None and r.rule_id == "dispatch-fund"
    assert r.result["amount"] == "10000.00" and "10,000元（1万元）" in r.conclusion


def test_conversation_fills_the_asked_slot() -> None:
    engine = RulesEngine(ClauseStore.load(__import__("pathlib").Path("corpus")))
    chat = Conversation(engine)
    first = chat.ask("我们会计师事务所想建工会，怎么建？")
    assert first is not None and first.status is Status.NEEDS_MORE_INFO
    assert first.missing[0].question == "贵所目前有多少名工会会员？"
    second = chat.ask("我们有18个")
    assert second is not None and second.status is Status.DECIDED
    assert second.rule_id == "committee-threshold" and second.inputs["members"] == 18
    assert second.inputs["entity"] == "会计师事务所"  # kept from the first turn


def test_conversation_vague_then_exact(engine: RulesEngine) -> None:
    chat = engine.conversation()
    r1 = chat.ask("我们单位会员二十多人，要不要建工会委员会？")
    assert r1 is not None and r1.status is Status.NEEDS_MORE_INFO
    r2 = chat.ask("准确是26个")
    assert r2 is not None and r2.status is Status.DECIDED and r2.result["must_establish"] is True


def test_conversation_bool_reply(engine: RulesEngine) -> None:
    chat = engine.conversation()
    r1 = chat.ask("工会主席劳动合同会自动延长吗")
    assert r1 is not None and r1.missing[0].name == "full_time"
    r2 = chat.ask("是的")
    assert r2 is not None and r2.status is Status.DECIDED and r2.result["extended"] is True


def test_conversation_money_reply(engine: RulesEngine) -> None:
    chat = engine.conversation()
    r1 = chat.ask("工会经费交多少？")
    assert r1 is not None and r1.status is Status.NEEDS_MORE_INFO
    r2 = chat.ask("80万")
    assert r2 is not None and r2.result["amount"] == "16000.00"


def test_conversation_invalid_keeps_earlier_facts(engine: RulesEngine) -> None:
    chat = engine.conversation()
    chat.ask("我们律所想建工会")
    bad = chat.ask("-5个")
    assert bad is not None and bad.status is Status.INVALID and "负数" in (bad.message or "")
    good = chat.ask("18个")
    assert good is not None and good.status is Status.DECIDED and good.inputs["entity"] == "律师事务所"


def test_contradiction_is_invalid(engine: RulesEngine) -> None:
    r = engine.answer("我们会员18人，会员30人，要建工会吗")
    assert r is not None and r.status is Status.INVALID and "请确认" in (r.message or "")


@pytest.mark.parametrize(
    "question",
    [
        "公司有-5个会员能建工会吗",
        "我们有0.5个会员能建会吗",
        "工资总额10^15元，工会经费交多少",
        "会员10000000000人要建工会吗",
    ],
)
def test_bad_input_messages(engine: RulesEngine, question: str) -> None:
    r = engine.answer(question)
    assert r is not None and r.status is Status.INVALID
    assert r.message and r.message.endswith("。")


def test_facts_from_earlier_turns_are_merged(engine: RulesEngine) -> None:
    r = engine.answer("要不要建工会委员会？", facts={"members": 40, "entity": "律师事务所"})
    assert r is not None and r.result["must_establish"] is True


def test_extracted_facts_override_earlier_ones(engine: RulesEngine) -> None:
    r = engine.answer("会员30人要建工会吗", facts={"members": 10})
    assert r is not None and r.inputs["members"] == 30


def test_catalogue_lists_basis(engine: RulesEngine) -> None:
    cat = engine.catalogue()
    assert len(cat) == 15
    entry = next(e for e in cat if e["id"] == "committee-threshold")
    ids = [b["clause_id"] for b in entry["basis"]]
    assert "union-law-2021/art-11" in ids and "guidance/4.p2" in ids
    assert entry["basis"][0]["cite"] == "《工会法》第十一条" and entry["basis"][0]["locator"] == "第十一条"
    json.dumps(cat, ensure_ascii=False)


def _forged(basis: tuple[Basis, ...]) -> Rule:
    """CommitteeThreshold with a different basis (built with type() so the override is explicit)."""
    cls = type("Forged", (CommitteeThreshold,), {"basis": basis})
    rule: Rule = cls()
    return rule


def test_a_bad_quote_fails_loudly(store: ClauseStore) -> None:
    with pytest.raises(RuleBasisError):
        RulesEngine(store, rules=[_forged((Basis("union-law-2021/art-11", "用人单位有会员二十人以上的"),))])


def test_an_unknown_clause_fails_loudly(store: ClauseStore) -> None:
    with pytest.raises(RuleBasisError):
        RulesEngine(store, rules=[_forged((Basis("union-law-2021/art-99", "任何"),))])


def test_conversation_does_not_force_unrelated_questions(engine: RulesEngine) -> None:
    chat = engine.conversation()
    done = chat.ask("公司刚好25个会员，一定要建基层工会委员会吗？")
    assert done is not None and done.status is Status.DECIDED
    assert chat.ask("工会法是哪年修订的？") is None
    follow = chat.ask("那如果会员是20人呢")
    assert follow is not None and follow.rule_id == "committee-threshold" and follow.result["must_establish"] is False


def test_conversation_switches_rule_when_the_question_does(engine: RulesEngine) -> None:
    chat = engine.conversation()
    chat.ask("我们律所想建工会")
    other = chat.ask("工会经费按工资总额的百分之几拨缴？")
    assert other is not None and other.rule_id == "union-fund"
