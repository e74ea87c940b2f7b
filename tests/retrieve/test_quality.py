"""The retrieval quality bars from eval/thresholds.toml, measured by the eval module on the gold set."""

import tomllib
from pathlib import Path

import pytest

from assistant.eval.retrieval import run

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


def test_hybrid_meets_bars(bot) -> None:  # type: ignore[no-untyped-def]
    bars = tomllib.loads((ROOT / "eval" / "thresholds.toml").read_text())["retrieval"]
    scores = {s.name: s for s in run(bot, ROOT / "eval" / "gold" / "retrieval.jsonl")}
    hybrid = scores["hybrid"]
    assert hybrid.n >= 80
    assert hybrid.recall5 >= bars["hybrid_recall5"], hybrid.misses
    assert hybrid.recall1 >= bars["hybrid_recall1"], hybrid.misses
    # the fusion must beat each component on MRR, or it is not earning its keep
    assert hybrid.mrr > scores["bm25"].mrr and hybrid.mrr > scores["dense"].mrr
