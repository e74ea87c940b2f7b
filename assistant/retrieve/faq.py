"""FAQ matcher: the 问答对 question variant closest to a question, over the FAQ keys the index holds.

The keys are stored in the Chroma collection beside the clause windows (index/chroma.py `sync_faq`), where they
already lift their clause in dense retrieval; here their vectors are read once into memory so that the answer can
also know *which* entry matched, and how closely, without a second round trip per question. A match counts only
at `sure` cosine or above (E5 query–query similarity of a paraphrase; `python -m eval.faq` reports the margin).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from langchain_chroma import Chroma

from assistant.faq.base import Entry, Faq, Match
from assistant.index.chroma import faq_vectors
from assistant.retrieve.base import Query


class FaqMatcher:
    def __init__(
        self, faq: Faq, ids: list[str], vectors: np.ndarray, embed: Callable[[str], np.ndarray], sure: float
    ) -> None:
        by_id = {e.id: e for e in faq}
        keys: list[tuple[Entry, int]] = []
        rows: list[int] = []
        for row, key in enumerate(ids):  # "faq:<entry id>#<n>"; keys of entries no longer served are skipped
            entry_id, _, n = key.removeprefix("faq:").rpartition("#")
            entry = by_id.get(entry_id)
            if entry is not None and n.isdigit() and int(n) < len(entry.questions):
                keys.append((entry, int(n)))
                rows.append(row)
        self.keys = keys
        self.vectors = vectors[rows] if rows else np.zeros((0, vectors.shape[1] if vectors.ndim == 2 else 1))
        self.embed = embed
        self.sure = sure

    @classmethod
    def from_store(cls, faq: Faq, store: Chroma, embed: Callable[[str], np.ndarray], sure: float) -> FaqMatcher:
        ids, vectors = faq_vectors(store)
        return cls(faq, ids, vectors, embed, sure)

    def nearest(self, text: str) -> Match | None:
        """The closest variant at any similarity (None without keys)."""
        if not self.keys:
            return None
        v = np.asarray(self.embed(text), dtype=np.float32)
        v = v / (float(np.linalg.norm(v)) or 1.0)
        sims = self.vectors @ v
        i = int(sims.argmax())
        entry, n = self.keys[i]
        return Match(entry, entry.questions[n], float(sims[i]))

    def match(self, query: Query) -> Match | None:
        """The closest variant when it is at least `sure` close (the text the dense retriever embedded)."""
        best = self.nearest(query.expanded)
        return best if best is not None and best.score >= self.sure else None
