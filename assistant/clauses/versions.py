"""Align the articles of two versions of one statute by text similarity (monotone, gaps allowed)."""

from __future__ import annotations

from collections.abc import Sequence


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def similarity(a: str, b: str) -> float:
    """Dice coefficient over character bigrams: robust to the small wording changes of an amendment."""
    x, y = _bigrams(a), _bigrams(b)
    if not x or not y:
        return 0.0
    return 2 * len(x & y) / (len(x) + len(y))


def align(old: Sequence[str], new: Sequence[str], threshold: float = 0.35) -> list[tuple[int, int, float]]:
    """Best order-preserving matching of old[i] ↔ new[j]; pairs below `threshold` are left unmatched.

    Needleman–Wunsch with zero gap cost and score = similarity − threshold, so a pair is only
    taken when it beats leaving both articles unmatched. Returns (i, j, similarity) index pairs.
    """
    n, m = len(old), len(new)
    sim = [[similarity(a, b) for b in new] for a in old]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = sim[i][j] - threshold + best[i + 1][j + 1] if sim[i][j] >= threshold else float("-inf")
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    pairs: list[tuple[int, int, float]] = []
    i = j = 0
    while i < n and j < m:
        if sim[i][j] >= threshold and best[i][j] == sim[i][j] - threshold + best[i + 1][j + 1]:
            pairs.append((i, j, sim[i][j]))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs
