"""Run orchestration without a model: option checks, a fake system through the scorer, results and comparisons."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from assistant.eval.answers import aggregate
from assistant.eval.run import (
    SYSTEMS,
    check_options,
    compare_runs,
    default_out,
    load_results,
    parse_systems,
    restore,
    results_document,
    run_system,
    run_systems,
    select_items,
)
from assistant.eval.systems import Outcome
from tests.eval.helpers import STORE, item, reply, tiny_runs

ROOT = Path(__file__).resolve().parents[2]


def tiny_doc() -> dict[str, Any]:
    items, runs = tiny_runs()
    return results_document(
        items,
        runs,
        {
            "created": "2026-01-01T00:00:00+00:00",
            "corpus_version": "v1",
            "gold": {"path": "g.jsonl", "sha": "s", "items": 3, "only": None},
        },
    )


def test_parse_systems_and_select_items() -> None:
    assert parse_systems("full, bm25,full") == ["full", "bm25"]
    assert parse_systems(SYSTEMS) == list(SYSTEMS)
    with pytest.raises(ValueError, match="unknown system"):
        parse_systems("full,gpt")
    items = [item("a1"), item("a2", category="fees")]
    assert [i.id for i in select_items(items, "fees")] == ["a2"]
    assert select_items(items, None) == items
    with pytest.raises(ValueError, match="categories: fees, union-law"):
        select_items(items, "taxi")


def test_check_options_before_loading_anything(tmp_path: Path) -> None:
    gold = ROOT / "eval" / "gold" / "answers.jsonl"
    items, names, prev = check_options(gold, "fees", "full,naive", None)
    assert items and {i.category for i in items} == {"fees"} and names == ["full", "naive"] and prev is None
    with pytest.raises(ValueError, match="not found"):
        check_options(tmp_path / "nope.jsonl", None, "full", None)
    with pytest.raises(FileNotFoundError):
        check_options(gold, None, "full", tmp_path / "missing.json")


class Echo:
    """A system that answers every question with one fixed reply and logs its calls."""

    def __init__(self, name: str = "echo", log: list[str] | None = None) -> None:
        self.name = name
        self.calls = 0
        self.log = log if log is not None else []

    def run(self, question: str, history: list[dict[str, str]]) -> Outcome:
        self.calls += 1
        self.log.append(f"{self.name}:{question}")
        rep = reply(answer="二十五人", cites=[("law/art-11", "二十五人")])
        return Outcome(rep, ["law/art-11"], {"retrieve": 1.0, "total": 2.0})


def test_run_system_warms_up_then_scores_each_item() -> None:
    sys = Echo()
    ticks: list[str] = []
    results = run_system(sys, [item("a1"), item("o1", status="out_of_scope")], STORE, ticks.append)
    assert sys.calls == 4 and ticks == ["echo", "echo"]  # two untimed warm-ups (a retrieval question, item 1)
    assert [r.passed for r in results] == [True, False]
    assert results[0].latency_ms == 2.0 and results[0].stages["retrieve"] == 1.0


def test_systems_run_interleaved_item_by_item() -> None:
    log: list[str] = []
    systems = [Echo("s1", log), Echo("s2", log)]
    runs = run_systems(systems, [item("a1"), item("a2")], STORE)
    assert list(runs) == ["s1", "s2"] and all(len(rs) == 2 for rs in runs.values())
    assert log[4:] == ["s1:问题a1", "s2:问题a1", "s1:问题a2", "s2:问题a2"]  # after 2 warm-ups each


def test_results_document_shape() -> None:
    doc = tiny_doc()
    assert doc["systems"] == ["full", "bm25"]
    assert doc["summary"]["full"]["pass_rate"] == 1.0
    assert doc["summary"]["bm25"]["refusal_recall"] == 0.0
    assert set(doc["by_category"]["full"]) == {"fees", "out-of-scope", "union-law"}
    row = doc["items"][0]
    assert row["expected"]["gold"] == ["law/art-11"]
    assert set(row["results"]) == {"full", "bm25"}
    full = row["results"]["full"]
    assert full["passed"] and full["reply"]["citations"][0]["id"] == "law/art-11" and "recall@1" in full["metrics"]
    json.dumps(doc)  # JSON-able as written


def test_compare_runs_flips_and_deltas(tmp_path: Path) -> None:
    before = tiny_doc()
    after = copy.deepcopy(before)
    after["created"] = "2026-01-02T00:00:00+00:00"
    a1 = after["items"][0]["results"]["full"]
    a1.update(passed=False, reasons=["key facts 0.00"])
    a2 = after["items"][1]["results"]["bm25"]
    assert not a2["passed"]
    a2.update(passed=True, reasons=[])
    cmp = compare_runs(after, before)
    full, bm25 = cmp["systems"]["full"], cmp["systems"]["bm25"]
    assert [f["id"] for f in full["to_fail"]] == ["a1"] and full["to_pass"] == []
    assert full["to_fail"][0]["reasons"] == ["key facts 0.00"]
    assert [f["id"] for f in bm25["to_pass"]] == ["a2"]
    # deltas are re-aggregated from the items, not read from the stored summaries
    assert full["deltas"]["pass_rate"] == {"before": 1.0, "after": 0.6667, "delta": -0.3333}
    assert full["common_items"] == 3 and full["new_items"] == full["dropped_items"] == 0
    assert cmp["previous"]["created"] == "2026-01-01T00:00:00+00:00"
    # items added or dropped between runs (another gold file, --only) are counted, and left out of the deltas
    after["items"] = [after["items"][1], {**after["items"][0], "id": "new"}]
    sub = compare_runs(after, before)["systems"]["full"]
    assert (sub["common_items"], sub["new_items"], sub["dropped_items"]) == (1, 1, 2)
    assert sub["deltas"]["pass_rate"]["before"] == 1.0 and sub["to_fail"] == []
    path = tmp_path / "run"
    path.mkdir()
    (path / "results.json").write_text(json.dumps(before), encoding="utf-8")
    assert load_results(path)["created"] == before["created"]  # a run folder or its results.json
    (tmp_path / "x.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ValueError, match="not an eval results file"):
        load_results(tmp_path / "x.json")


def test_default_out_is_a_timestamped_folder_under_the_data_dir(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    out = default_out(tmp_path, datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    assert out == tmp_path / "eval" / "reports" / "20260102-030405"


def test_restored_items_aggregate_to_the_stored_summary() -> None:
    doc = tiny_doc()
    for name in doc["systems"]:
        again = aggregate([restore(row, name) for row in doc["items"]])
        assert again == pytest.approx(doc["summary"][name], abs=1e-3)
