"""restructuring vectors: each kind's outcome, termination, and illegal revocation (2009 → 2021 numbering)."""

from __future__ import annotations

import pytest

from assistant.rules import Status
from assistant.rules.restructuring import KINDS, Restructuring
from tests.rules.support import rule_result

RULE = Restructuring()


@pytest.mark.parametrize(
    ("kind", "phrase"),
    [
        ("整体改制", "名称随企业变化而变化"),
        ("联合兼并", "理顺工会隶属关系和机构设置"),
        ("重组", "按民主程序重新选举工会主席"),
        ("租赁承包转让", "应按新建企业要求组建工会"),
        ("分立", "工会资产移交"),
        ("终止", "会籍可以继续保留"),
    ],
)
def test_kinds(kind: str, phrase: str) -> None:
    r = rule_result(RULE, {"restructuring_kind": kind})
    assert r.status is Status.DECIDED
    assert phrase in r.conclusion
    assert "guidance/2.p2" in r.clause_ids or kind == "终止"


def test_all_kinds_covered() -> None:
    assert set(KINDS) == {"整体改制", "联合兼并", "重组", "租赁承包转让", "分立", "终止"}


def test_termination_assets_go_up() -> None:
    r = rule_result(RULE, {"restructuring_kind": "终止"})
    assert r.result["assets"] == "上交上一级工会"
    assert "union-law-2021/art-13" in r.clause_ids


def test_revocation_is_illegal() -> None:
    r = rule_result(RULE, {"union_revoked": True})
    assert r.result["revocation_lawful"] is False
    assert {"union-law-2021/art-13", "union-law-2021/art-54"} <= set(r.clause_ids)
    assert any("2009年文本" in s.text for s in r.trace)


def test_unknown_kind_asks_with_choices() -> None:
    r = rule_result(RULE, {})
    assert r.status is Status.NEEDS_MORE_INFO
    assert r.missing[0].choices == KINDS


def test_bad_kind_invalid() -> None:
    assert rule_result(RULE, {"restructuring_kind": "上市"}).status is Status.INVALID


# -- what the guidance requires of every restructuring: answered without asking the kind ------------------------


@pytest.mark.parametrize(
    ("aspect", "phrases", "clause"),
    [
        ("资产", ("防止流失", "不得侵占、挪用", "资产移交", "上交上一级工会"), "union-law-2021/art-47"),
        ("要求", ("工作不断线", "经费不断流", "会员不流失", "重新选举工会主席"), "union-law-2021/art-13"),
        ("人员", ("按照规定比例配备充实专职工会工作人员",), "guidance/2.p2"),
        ("会员", ("防止会员流失",), "guidance/2.p2"),
    ],
)
def test_aspect_without_kind_is_decided(aspect: str, phrases: tuple[str, ...], clause: str) -> None:
    r = rule_result(RULE, {"restructuring_aspect": aspect})
    assert r.status is Status.DECIDED
    assert all(p in r.conclusion for p in phrases)
    assert clause in r.clause_ids and r.result["aspect"] == aspect


def test_aspect_is_added_to_the_kind() -> None:
    r = rule_result(RULE, {"restructuring_kind": "联合兼并", "restructuring_aspect": "资产"})
    assert "理顺工会隶属关系" in r.conclusion and "侵占、挪用" in r.conclusion
    assert r.result["outcome"] and "union-law-2021/art-47" in r.clause_ids
    ended = rule_result(RULE, {"restructuring_kind": "终止", "restructuring_aspect": "资产"})
    assert ended.result["assets"] == "上交上一级工会" and "防止流失" in ended.conclusion


@pytest.mark.parametrize(
    ("question", "status", "aspect"),
    [
        ("企业改制过程中工会经费和财产怎么处理？", Status.DECIDED, "资产"),
        ("国企改制时工会工作要做到哪三个不？", Status.DECIDED, "要求"),
        ("公司重组，工会专职工作人员被精简了怎么办？", Status.DECIDED, "人员"),
        ("企业改制了，工会怎么办？", Status.NEEDS_MORE_INFO, None),  # the kind decides: asked
    ],
)
def test_aspect_questions_through_the_engine(engine, question: str, status: Status, aspect: str | None) -> None:  # type: ignore[no-untyped-def]
    r = engine.answer(question)
    assert r is not None and r.rule_id == "restructuring" and r.status is status
    assert r.result.get("aspect") == aspect


# -- the kind is asked only when the answer turns on it: what becomes of the union organisation ------------------


@pytest.mark.parametrize(
    ("question", "aspect"),
    [
        ("企业改制方案里，要不要把工会组织建设写进去？", "要求"),  # about the plan: every kind alike
        ("改制中工会要做什么工作？", "要求"),
        ("改制以后职工走的走、转的转，会员都散了，指导意见让工会咋办？", "会员"),  # the members, whatever the kind
        ("公司改制后会员流失严重怎么办？", "会员"),
    ],
)
def test_a_question_not_about_the_unions_fate_is_answered_without_the_kind(engine, question: str, aspect: str) -> None:  # type: ignore[no-untyped-def]
    r = engine.answer(question)
    assert r is not None and r.rule_id == "restructuring" and r.status is Status.DECIDED
    assert r.result["aspect"] == aspect and r.result["kind"] is None


@pytest.mark.parametrize(
    "question",
    [
        "企业改制了，工会怎么办？",
        "企业改制中工会组织怎么处理？",
        "公司改制，对工会有什么影响？",
        "改制以后工会还存在吗？",
        "改制后工会要改名吗？",
    ],
)
def test_the_unions_fate_needs_the_kind(engine, question: str) -> None:  # type: ignore[no-untyped-def]
    r = engine.answer(question)
    assert r is not None and r.rule_id == "restructuring" and r.status is Status.NEEDS_MORE_INFO
    assert r.missing[0].name == "restructuring_kind"


def test_a_kind_given_is_not_overridden_by_the_general_requirement(engine) -> None:  # type: ignore[no-untyped-def]
    r = engine.answer("企业重组以后工会主席还是原来那个吗？")
    assert r is not None and r.result["kind"] == "重组" and "aspect" not in r.result
