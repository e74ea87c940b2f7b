"""The routing/slot gold set: size, mix, schema; and the evaluation stays above its floor."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.eval.rules import evaluate
from assistant.rules import RulesEngine, all_rules

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "eval" / "rules_set.jsonl"


def _items() -> list[dict[str, object]]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_gold_set_shape() -> None:
    items = _items()
    ids = {r.id for r in all_rules()}
    assert len(items) >= 100
    assert len({i["id"] for i in items}) == len(items)
    assert len({i["q"] for i in items}) == len(items)
    rules = [i["rule"] for i in items]
    assert rules.count(None) >= 30, "non-rule questions must be mixed in"
    assert {r for r in rules if r is not None} == ids, "every rule has gold questions"
    required = {"id", "q", "rule", "slots", "split"}
    for i in items:
        assert required <= set(i) <= required | {"history", "result"}
        assert isinstance(i["slots"], dict)
        history = i.get("history", [])
        assert isinstance(history, list) and all(isinstance(t, str) and t for t in history)
        assert isinstance(i.get("result", {}), dict)


def test_holdout3_covers_follow_ups() -> None:
    """The follow-up split replays conversations: money, refer-back and count follow-ups, with guards."""
    items = [i for i in _items() if i["split"] == "holdout3"]
    assert len(items) >= 40
    assert sum(1 for i in items if i.get("history")) >= 15
    assert sum(1 for i in items if i.get("history") and i["rule"] is None) >= 3, "follow-ups that must fall back"


def test_evaluation_floor(engine: RulesEngine) -> None:
    m = evaluate(engine, _items())
    assert m["routing_precision"] >= 0.95
    assert m["routing_recall"] >= 0.9
    assert m["abstention_accuracy"] >= 0.9
    assert m["slot_accuracy"] >= 0.9
