"""The routing/slot gold set: size, mix, schema; and the evaluation stays above its floor."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

from assistant.rules import RulesEngine, all_rules

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "eval" / "rules_set.jsonl"


def _eval_module() -> ModuleType:
    # loaded by path: "eval" is also the name of tests/eval, so a package import would be ambiguous
    spec = importlib.util.spec_from_file_location("rules_eval", ROOT / "eval" / "rules_eval.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
    for i in items:
        assert set(i) == {"id", "q", "rule", "slots", "split"}
        assert isinstance(i["slots"], dict)


def test_evaluation_floor(engine: RulesEngine) -> None:
    m = _eval_module().evaluate(engine, _items())
    assert m["routing_precision"] >= 0.95
    assert m["routing_recall"] >= 0.9
    assert m["abstention_accuracy"] >= 0.9
    assert m["slot_accuracy"] >= 0.9
