"""CI gate: the full system on each answer gold set must meet every bar of its section in eval/thresholds.toml."""

from __future__ import annotations

import time
import tomllib
from pathlib import Path
from typing import Any

import pytest

from assistant.eval.gold import load_answers
from assistant.eval.report import summary_table
from assistant.eval.run import results_document, run_system
from assistant.eval.systems import FullSystem

ROOT = Path(__file__).resolve().parents[2]


def misses(summary: dict[str, Any], bars: dict[str, float]) -> list[str]:
    """Each bar the summary misses; a `_max` bar is an upper bound on the metric it names."""
    out = []
    for key, bar in bars.items():
        name, upper = (key.removesuffix("_max"), True) if key.endswith("_max") else (key, False)
        value = summary[name]  # a KeyError here is a typo in thresholds.toml
        if value is None or (value > bar if upper else value < bar):
            out.append(f"{name} = {value} {'>' if upper else '<'} {bar}")
    return out


def test_misses_reads_min_and_max_bars() -> None:
    assert misses({"a": 0.9, "b": 0.02}, {"a": 0.8, "b_max": 0.05}) == []
    assert misses({"a": 0.7, "b": 0.06}, {"a": 0.8, "b_max": 0.05}) == ["a = 0.7 < 0.8", "b = 0.06 > 0.05"]
    assert misses({"a": None}, {"a": 0.5}) == ["a = None < 0.5"]


@pytest.mark.integration
@pytest.mark.parametrize(
    ("gold", "section", "least"),
    [
        ("answers.jsonl", "answers", 200),
        # written after the tuning on answers.jsonl; a regression guard for questions the tuning never saw
        ("heldout.jsonl", "heldout", 60),
        ("heldout2.jsonl", "heldout2", 50),
        ("heldout3.jsonl", "heldout3", 40),
        ("heldout4.jsonl", "heldout4", 100),
        ("heldout5.jsonl", "heldout5", 100),
        ("heldout6.jsonl", "heldout6", 100),
        ("heldout7.jsonl", "heldout7", 100),
        ("heldout8.jsonl", "heldout8", 150),
    ],
)
def test_full_system_meets_the_answer_bars(bot, gold: str, section: str, least: int) -> None:  # type: ignore[no-untyped-def]
    bars = tomllib.loads((ROOT / "eval" / "thresholds.toml").read_text(encoding="utf-8"))[section]
    items = load_answers(ROOT / "eval" / "gold" / gold)
    assert len(items) >= least
    t0 = time.perf_counter()
    results = run_system(FullSystem(bot.answerer), items, bot.store)
    doc = results_document(items, {"full": results}, {})
    print(f"\n{len(items)} items in {time.perf_counter() - t0:.1f} s\n{summary_table(doc)}")
    # the per-stage timing proxies account for no more than the measured total
    assert all(sum(v for k, v in r.stages.items() if k != "total") <= r.stages["total"] + 0.01 for r in results)
    failed = misses(doc["summary"]["full"], bars)
    assert not failed, f"below eval/thresholds.toml [{section}]: " + "; ".join(failed)
