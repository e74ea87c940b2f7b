"""Hand-made gold items, replies and a fake clause store for the eval unit tests (no model, no index)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant.eval.answers import ItemResult, score_item
from assistant.eval.gold import AnswerItem


@dataclass
class FakeClause:
    id: str
    norm: str


class FakeStore:
    """What the scorers need of a ClauseStore: `get(id)` → something with `.norm`."""

    def __init__(self, clauses: dict[str, str]) -> None:
        self.clauses = {k: FakeClause(k, v) for k, v in clauses.items()}

    def get(self, cid: str) -> FakeClause | None:
        return self.clauses.get(cid)


STORE = FakeStore(
    {
        "law/art-11": "工会会员二十五人以上的,应当建立基层工会委员会",
        "law/art-43": "按每月全部职工工资总额的百分之二向工会拨缴的经费",
        "guide/6.2": "劳务派遣工的工会经费应由用工单位按劳务派遣工工资总额的百分之二提取",
    }
)


def item(
    id: str,
    status: str = "answered",
    gold: list[str] | None = None,
    facts: list[list[str]] | None = None,
    rule: dict[str, Any] | None = None,
    category: str = "union-law",
) -> AnswerItem:
    return AnswerItem(
        id=id,
        question=f"问题{id}",
        category=category,
        status=status,
        gold=gold if gold is not None else ([] if status == "out_of_scope" else ["law/art-11"]),
        key_facts=facts if facts is not None else ([] if status == "out_of_scope" else [["二十五人"]]),
        rule=rule,
    )


def reply(
    status: str = "answered",
    answer: str = "",
    cites: list[tuple[str, str]] | None = None,
    rule: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "status": status,
        "answer": answer,
        "rule": rule,
        "citations": [{"id": i, "quote": q, "source": "s", "locator": "l", "tier": "law"} for i, q in cites or []],
    }


def result(
    it: AnswerItem,
    rep: dict[str, Any],
    ms: float = 10.0,
    stages: dict[str, float] | None = None,
    ranked: list[str] | None = None,
) -> ItemResult:
    return score_item(it, rep, STORE, ms, ranked=ranked, stages=stages)  # type: ignore[arg-type]


def tiny_runs() -> tuple[list[AnswerItem], dict[str, list[ItemResult]]]:
    """Three items (answered, answered, out of scope) under two systems: 'full' passes all, 'bm25' fails two."""
    items = [
        item("a1"),
        item("a2", gold=["law/art-43"], facts=[["百分之二"]], category="fees"),
        item("o1", status="out_of_scope", category="out-of-scope"),
    ]
    good = reply(answer="二十五人以上", cites=[("law/art-11", "二十五人以上")])
    fee = reply(answer="百分之二", cites=[("law/art-43", "百分之二")])
    refuse = reply(status="out_of_scope", answer="超出范围")
    full = [
        result(items[0], good, 1.0, {"retrieve": 0.0, "rules": 0.5, "total": 1.0}),
        result(items[1], fee, 30.0, {"retrieve": 25.0, "rules": 0.2, "total": 30.0}),
        result(items[2], refuse, 20.0, {"retrieve": 18.0, "rules": 0.1, "total": 20.0}),
    ]
    bm25 = [
        result(items[0], good, 0.2, {"retrieve": 0.2, "total": 0.2}),
        result(
            items[1], reply(answer="别的", cites=[("law/art-11", "二十五人以上")]), 0.3, {"retrieve": 0.3, "total": 0.3}
        ),
        result(
            items[2], reply(answer="别的", cites=[("law/art-11", "编造的话")]), 0.2, {"retrieve": 0.2, "total": 0.2}
        ),
    ]
    return items, {"full": full, "bm25": bm25}
