"""Metrics on clause IDs and latencies: pure functions over ranked lists, gold sets and timings."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence


def recall_at(ranked: Sequence[str], gold: Sequence[str], k: int) -> float:
    """1 if any gold id is in the top k (a question is answered by one gold clause), else 0."""
    return 1.0 if set(ranked[:k]) & set(gold) else 0.0


def reciprocal_rank(ranked: Sequence[str], gold: Sequence[str]) -> float:
    for i, cid in enumerate(ranked, 1):
        if cid in gold:
            return 1.0 / i
    return 0.0


def ndcg_at(ranked: Sequence[str], gold: Sequence[str], k: int) -> float:
    """Binary-relevance nDCG@k."""
    g = set(gold)
    dcg = sum(1.0 / math.log2(i + 1) for i, cid in enumerate(ranked[:k], 1) if cid in g)
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(len(g), k) + 1))
    return dcg / ideal if ideal else 0.0


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100); 0.0 for no values."""
    if not values:
        return 0.0
    s = sorted(values)
    idx = max(0, math.ceil(p / 100 * len(s)) - 1)
    return s[idx]


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def ratio(num: float, den: float) -> float | None:
    """num/den, or None when there is nothing to measure (so an empty class never reads as 0 or 1)."""
    return num / den if den else None


def mean_or_none(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def dedupe(ids: Iterable[str]) -> list[str]:
    """First occurrence order: a system that cites one clause three times ranks it once."""
    return list(dict.fromkeys(ids))


def latency_stats(values: Sequence[float]) -> dict[str, float]:
    """p50/p95 (nearest rank) and mean, in the values' unit."""
    return {"p50": percentile(values, 50), "p95": percentile(values, 95), "mean": mean(values)}


def retrieval_scores(ranked: Sequence[str], gold: Sequence[str]) -> dict[str, float]:
    """The clause-ID retrieval metrics of one ranked list against one gold set."""
    return {
        "recall@1": recall_at(ranked, gold, 1),
        "recall@5": recall_at(ranked, gold, 5),
        "recall@10": recall_at(ranked, gold, 10),
        "mrr": reciprocal_rank(ranked, gold),
        "ndcg@10": ndcg_at(ranked, gold, 10),
    }
