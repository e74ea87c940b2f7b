"""Conversation context: statements no rule answers are remembered, and a pending question yields to a new one."""

from __future__ import annotations

from assistant.rules import RulesEngine, Status


def test_statements_before_a_rule_are_remembered(engine: RulesEngine) -> None:
    chat = engine.conversation()
    assert chat.ask("我们公司用了不少派遣工。") is None
    assert chat.ask("派遣公司有工会。") is None
    r = chat.ask("那这些派遣工平时由哪个工会管、参加谁的活动？")
    assert r is not None and r.rule_id == "dispatch-affiliation" and r.status is Status.DECIDED
    assert r.result["join"] == "劳务派遣单位工会" and "代管" in r.conclusion


def test_a_newer_statement_replaces_an_older_one(engine: RulesEngine) -> None:
    chat = engine.conversation()
    chat.ask("派遣公司没有工会。")
    chat.ask("不对，派遣公司有工会。")
    r = chat.ask("我是派遣工，该入哪个工会？")
    assert r is not None and r.result["join"] == "劳务派遣单位工会"


def test_questions_asked_in_a_statement_turn_are_not_carried(engine: RulesEngine) -> None:
    chat = engine.conversation()
    chat.ask("这个要算多少？")  # routes nowhere; its ask_amount is about that turn only
    assert "ask_amount" not in chat.facts


def test_members_follow_up_after_a_fee_turn_returns_to_the_threshold(engine: RulesEngine) -> None:
    chat = engine.conversation()
    first = chat.ask("我们是一家民企，想组织大家入工会。")
    assert first is not None and first.rule_id == "committee-threshold"
    assert first.status is Status.NEEDS_MORE_INFO
    second = chat.ask("现在会员有20人。")
    assert second is not None and second.result["must_establish"] is False
    chat.ask("每月工资总额大概40万。")
    last = chat.ask("那要是以后会员发展到30个呢？")
    assert last is not None and last.rule_id == "committee-threshold" and last.result["must_establish"] is True


def test_a_new_question_is_not_taken_as_the_reply(engine: RulesEngine) -> None:
    chat = engine.conversation()
    asked = chat.ask("我是派遣工，想入会，该入哪边？")
    assert asked is not None and asked.status is Status.NEEDS_MORE_INFO
    assert chat.ask("工会法是哪年修订的？") is None
    reply = chat.ask("没有")  # still answers the question asked before
    assert reply is not None and reply.result["join"] == "用工单位工会"


def test_a_short_unclear_reply_keeps_the_question(engine: RulesEngine) -> None:
    chat = engine.conversation()
    chat.ask("我是派遣工，想入会，该入哪边？")
    again = chat.ask("不清楚")
    assert again is not None and again.rule_id == "dispatch-affiliation" and again.status is Status.NEEDS_MORE_INFO


def test_part_time_officer_gets_the_articles_condition(engine: RulesEngine) -> None:
    chat = engine.conversation()
    chat.ask("专职工会主席的劳动合同会自动延长吗？")
    r = chat.ask("那兼职的委员呢？")
    assert r is not None and r.status is Status.DECIDED
    assert r.result["extended"] is True and r.result["extension"] == "至任期期满"
    assert "延长至任期期满" in r.conclusion and "无需延长" in r.conclusion


def test_the_topic_of_an_unanswered_question_is_not_context(engine: RulesEngine) -> None:
    chat = engine.conversation()
    chat.ask("工会经费审查委员会怎么设？")
    r = chat.ask("企业重组以后工会主席还是原来那个吗？")
    assert r is not None and r.rule_id == "restructuring" and "aspect" not in r.result


def test_a_question_with_its_own_topic_does_not_continue_on_a_topic_word(engine: RulesEngine) -> None:
    chat = engine.conversation()
    chat.ask("企业兼并后工会怎么办？")
    assert chat.ask("工会经费审查委员会怎么设？") is None
    bare = chat.ask("那经费呢？")
    assert bare is not None and bare.rule_id == "restructuring" and bare.result["aspect"] == "资产"
