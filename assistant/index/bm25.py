"""BM25 over jieba search-mode tokens (bm25s), built in memory from the clause store in well under a second."""

from __future__ import annotations

import math
from collections.abc import Sequence

import bm25s
import numpy as np

from assistant.clauses.base import Clause
from assistant.text.tokenize import Tokenizer


def bm25_text(clause: Clause) -> str:
    """Indexed text: the citation and heading path help 'which law / which section' questions."""
    return " ".join((clause.short, clause.locator, *clause.heading_path, clause.text))


class BM25Index:
    def __init__(self, clauses: Sequence[Clause], tokenizer: Tokenizer) -> None:
        self.ids = [c.id for c in clauses]
        self.tokenizer = tokenizer
        corpus = [tokenizer.tokens(bm25_text(c)) for c in clauses]
        self._vocab: dict[str, int] = {}
        df: dict[str, int] = {}
        for toks in corpus:
            for t in toks:
                self._vocab.setdefault(t, len(self._vocab))
            for t in set(toks):
                df[t] = df.get(t, 0) + 1
        n = len(corpus)
        # Robertson–Spärck Jones idf, floored at a small positive weight; unseen tokens weigh most.
        self._idf = {t: max(0.05, math.log((n - f + 0.5) / (f + 0.5) + 1)) for t, f in df.items()}
        self._idf_unseen = math.log(n + 1)
        self._bm25 = bm25s.BM25(k1=1.2, b=0.75)
        self._bm25.index(
            bm25s.tokenization.Tokenized(ids=[[self._vocab[t] for t in toks] for toks in corpus], vocab=self._vocab),
            show_progress=False,
        )

    def idf(self, token: str) -> float:
        return self._idf.get(token, self._idf_unseen)

    def search(self, tokens: Sequence[str], k: int) -> list[tuple[str, float]]:
        """Top-k (clause id, score) with score > 0; unknown tokens are ignored."""
        ids = [self._vocab[t] for t in tokens if t in self._vocab]
        if not ids:
            return []
        scores = np.asarray(self._bm25.get_scores(ids))
        k = min(k, len(self.ids))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]
