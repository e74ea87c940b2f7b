"""Retrieval evaluation: Recall@1/5/10, MRR, nDCG@10 and latency for BM25, dense and hybrid on one gold set."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.eval.gold import RetrievalItem, load_retrieval
from assistant.eval.metrics import mean, ndcg_at, percentile, recall_at, reciprocal_rank


@dataclass
class RetrievalScores:
    name: str
    n: int
    recall1: float
    recall5: float
    recall10: float
    mrr: float
    ndcg10: float
    p50_ms: float
    p95_ms: float
    misses: list[dict[str, Any]] = field(default_factory=list)
    by_category: dict[str, float] = field(default_factory=dict)  # Recall@5


def evaluate(name: str, retriever: Any, items: list[RetrievalItem], k: int = 10) -> RetrievalScores:
    r1, r5, r10, rr, nd, lat = [], [], [], [], [], []
    cats: dict[str, list[float]] = {}
    misses = []
    retriever.search(items[0].question, k)  # warm-up outside the timing
    for it in items:
        t0 = time.perf_counter()
        ranked = [h.clause.id for h in retriever.search(it.question, k)]
        lat.append((time.perf_counter() - t0) * 1000)
        r1.append(recall_at(ranked, it.gold, 1))
        r5.append(recall_at(ranked, it.gold, 5))
        r10.append(recall_at(ranked, it.gold, 10))
        rr.append(reciprocal_rank(ranked, it.gold))
        nd.append(ndcg_at(ranked, it.gold, 10))
        cats.setdefault(it.category, []).append(r5[-1])
        if not r1[-1]:
            misses.append({"id": it.id, "question": it.question, "gold": it.gold, "got": ranked[:5]})
    return RetrievalScores(
        name,
        len(items),
        mean(r1),
        mean(r5),
        mean(r10),
        mean(rr),
        mean(nd),
        percentile(lat, 50),
        percentile(lat, 95),
        misses,
        {c: mean(v) for c, v in sorted(cats.items())},
    )


def run(bot: Any, gold: Path) -> list[RetrievalScores]:
    items = load_retrieval(gold)
    return [evaluate(name, getattr(bot, name), items) for name in ("bm25", "dense", "hybrid")]


def table(scores: list[RetrievalScores]) -> str:
    lines = [
        "| retriever | n | R@1 | R@5 | R@10 | MRR | nDCG@10 | p50 ms | p95 ms |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for s in scores:
        lines.append(
            f"| {s.name} | {s.n} | {s.recall1:.3f} | {s.recall5:.3f} | {s.recall10:.3f} | {s.mrr:.3f} | "
            f"{s.ndcg10:.3f} | {s.p50_ms:.1f} | {s.p95_ms:.1f} |"
        )
    return "\n".join(lines)
