"""Hybrid retriever: BM25 and dense rankings fused (RRF, weighted min-max scores, or both combined — the default)."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ConfigDict

from assistant.config import Fusion
from assistant.retrieve.base import ClauseRetriever, Hit, Query


@dataclass(frozen=True)
class Signals:
    """Top scores of the component retrievers: how well the corpus covers the question at all."""

    bm25_top: float
    dense_top: float


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


def combined(rankings: list[tuple[list[tuple[str, float]], float]], k: int = 60) -> list[tuple[str, float]]:
    """Mean of the weighted score fusion and the RRF (scaled to its maximum): scores decide the
    top when one retriever is confident, RRF rewards clauses that both retrievers rank."""
    w = dict(weighted(rankings))
    r = rrf(rankings, k)
    wmax = max(w.values(), default=0.0) or 1.0
    rmax = r[0][1] if r else 1.0
    fused = ((cid, w.get(cid, 0.0) / wmax + s / rmax) for cid, s in r)
    return sorted(fused, key=lambda kv: -kv[1])


class HybridRetriever(ClauseRetriever):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    sparse: ClauseRetriever
    dense: ClauseRetriever
    fusion: Fusion = Fusion.COMBINED
    rrf_k: int = 60
    bm25_weight: float = 1.0
    dense_weight: float = 1.0
    candidates: int = 40

    def _current_first(self, query: Query, ranking: list[tuple[str, float]]) -> list[tuple[str, float]]:
        """Credit a superseded clause's match to its current version, and move the old one to the end.

        The 2009 and 2021 twins of an article match the same questions; left in place the old twin
        takes a rank slot from another clause in the fusion.
        """
        if query.wants_old:
            return ranking
        current: list[tuple[str, float]] = []
        old: list[tuple[str, float]] = []
        seen: set[str] = set()
        for cid, score in ranking:
            clause = self.store.get(cid)
            if clause is not None and clause.superseded:
                old.append((cid, score))
                cid = self.store.current(clause).id
                if cid == clause.id:
                    continue
            if cid not in seen:
                seen.add(cid)
                current.append((cid, score))
        return current + old

    def rank(self, query: Query, n: int) -> list[tuple[str, float]]:
        return self._fuse(query, n)[0]

    def retrieve(self, query: Query, k: int) -> tuple[list[Hit], Signals]:
        """Hits plus the component top scores the scope gate needs (no second retrieval)."""
        ranked, signals = self._fuse(query, max(k * 4, 40))
        return self.finish(query, ranked, k), signals

    def _fuse(self, query: Query, n: int) -> tuple[list[tuple[str, float]], Signals]:
        n = max(n, self.candidates)
        sparse = self.sparse.rank(query, n)
        dense = self.dense.rank(query, n)
        signals = Signals(bm25_top=sparse[0][1] if sparse else 0.0, dense_top=dense[0][1] if dense else 0.0)
        rankings = [
            (self._current_first(query, sparse), self.bm25_weight),
            (self._current_first(query, dense), self.dense_weight),
        ]
        return self._combine(rankings), signals

    def _combine(self, rankings: list[tuple[list[tuple[str, float]], float]]) -> list[tuple[str, float]]:
        if self.fusion is Fusion.RRF:
            return rrf(rankings, self.rrf_k)
        if self.fusion is Fusion.WEIGHTED:
            return weighted(rankings)
        return combined(rankings, self.rrf_k)
