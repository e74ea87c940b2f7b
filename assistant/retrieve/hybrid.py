"""Hybrid retriever: BM25 and dense rankings fused by reciprocal rank (default) or weighted min-max scores."""

from __future__ import annotations

from pydantic import ConfigDict

from assistant.config import Fusion
from assistant.retrieve.base import ClauseRetriever, Query


def rrf(rankings: list[tuple[list[tuple[str, float]], float]], k: int = 60) -> list[tuple[str, float]]:
    """Σ weight / (k + rank) over the rankings each id appears in."""
    fused: dict[str, float] = {}
    for ranking, weight in rankings:
        for rank, (cid, _) in enumerate(ranking, 1):
            fused[cid] = fused.get(cid, 0.0) + weight / (k + rank)
    return sorted(fused.items(), key=lambda kv: -kv[1])


def weighted(rankings: list[tuple[list[tuple[str, float]], float]]) -> list[tuple[str, float]]:
    """Σ weight · min-max-normalised score; an id missing from a ranking gets 0 there."""
    fused: dict[str, float] = {}
    for ranking, weight in rankings:
        if not ranking:
            continue
        hi, lo = ranking[0][1], ranking[-1][1]
        span = (hi - lo) or 1.0
        for cid, s in ranking:
            fused[cid] = fused.get(cid, 0.0) + weight * (s - lo) / span
    return sorted(fused.items(), key=lambda kv: -kv[1])


class HybridRetriever(ClauseRetriever):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    sparse: ClauseRetriever
    dense: ClauseRetriever
    fusion: Fusion = Fusion.RRF
    rrf_k: int = 60
    bm25_weight: float = 1.0
    dense_weight: float = 1.0
    candidates: int = 40

    def rank(self, query: Query, n: int) -> list[tuple[str, float]]:
        n = max(n, self.candidates)
        rankings = [(self.sparse.rank(query, n), self.bm25_weight), (self.dense.rank(query, n), self.dense_weight)]
        if self.fusion is Fusion.RRF:
            return rrf(rankings, self.rrf_k)
        return weighted(rankings)
