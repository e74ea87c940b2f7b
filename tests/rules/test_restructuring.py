"""restructuring vectors: each kind's outcome, termination, and illegal revocation (2009 → 2021 numbering)."""

from __future__ import annotations

import pytest

from assistant.rules import Status
from assistant.rules.restructuring import KINDS, Restructuring

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
    r = RULE.decide({"restructuring_kind": kind})
    assert r.status is Status.DECIDED
    assert phrase in r.conclusion
    assert "guidance/2.p2" in r.clause_ids or kind == "终止"


def test_all_kinds_covered() -> None:
    assert set(KINDS) == {"整体改制", "联合兼并", "重组", "租赁承包转让", "分立", "终止"}


def test_termination_assets_go_up() -> None:
    r = RULE.decide({"restructuring_kind": "终止"})
    assert r.result["assets"] == "上交上一级工会"
    assert "union-law-2021/art-13" in r.clause_ids


def test_revocation_is_illegal() -> None:
    r = RULE.decide({"union_revoked": True})
    assert r.result["revocation_lawful"] is False
    assert {"union-law-2021/art-13", "union-law-2021/art-54"} <= set(r.clause_ids)
    assert any("2009年文本" in s.text for s in r.trace)


def test_unknown_kind_asks_with_choices() -> None:
    r = RULE.decide({})
    assert r.status is Status.NEEDS_MORE_INFO
    assert r.missing[0].choices == KINDS


def test_bad_kind_invalid() -> None:
    assert RULE.decide({"restructuring_kind": "上市"}).status is Status.INVALID
