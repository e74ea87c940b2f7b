"""The reading on the real assistant: corrections shown, version words no law name, follow-ups routed whole."""

import pytest

pytestmark = pytest.mark.integration


def test_a_corrected_question_is_shown_and_answered(bot) -> None:  # type: ignore[no-untyped-def]
    r = bot.ask("我是劳务派谴工，想加如工会，派遣公司有工会，该入哪边？")
    assert r.rewritten_question is not None and "派遣" in r.rewritten_question and "加入" in r.rewritten_question
    assert r.rule is not None and r.rule.id == "dispatch-affiliation"


def test_a_version_word_is_no_unknown_law(bot) -> None:  # type: ignore[no-untyped-def]
    r = bot.ask("现行法怎么规定基层工会委员会的任期？")
    assert r.status.value == "answered" and "没有收录" not in r.answer


def test_another_laws_matter_is_declined_without_its_name(bot) -> None:  # type: ignore[no-untyped-def]
    r = bot.ask("开公司注册资本最少要多少，股东怎么分红？")
    assert r.status.value == "out_of_scope"
