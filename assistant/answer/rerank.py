"""Lead-clause reranker: which retrieved clause the answer leads with, a logistic model over ranking signals.

The composer scores every sentence of the top clauses (terms and meaning); retrieval fuses BM25 and dense ranks.
Neither alone says which clause answers: a guidance paragraph that mentions a remedy often outranks the law
article that states it. Per candidate clause the model sees its retrieval rank and score share, its best
sentence's score, similarity and term share (absolute and against the best candidate), whether it holds the best
sentence, its tier (law, regulation, guidance, constitution, ACFTU rule), whether it is superseded, whether the
question names its document, whether a list question meets an enumerating clause, and its length. The model is
data (`corpus/models/rerank.json`: boosted trees as flat arrays), fitted offline by `python -m eval.rerank` on the
gold questions written from the sources; serving walks the trees. Without the file the composer leads with its best
sentence's clause.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.clauses.base import Clause

FEATURES = (
    "reciprocal_rank",
    "score_share",
    "best_score",
    "best_score_gap",
    "best_sim_gap",
    "best_lex",
    "holds_best",
    "law",
    "regulation",
    "guidance",
    "constitution",
    "acftu_rule",
    "superseded",
    "named",
    "list_enumerates",
    "log_length",
)
_ENUMERATES = re.compile(r"[（(][一二三四五六七八九十]+[）)]")


@dataclass(frozen=True)
class Candidate:
    """One clause among the composer's candidates, with the signals the model reads."""

    clause: Clause
    rank: int
    score: float  # retrieval's
    best_score: float  # its best sentence's composer score
    best_sim: float
    best_lex: float


def features(
    c: Candidate, all_: Sequence[Candidate], question: str, named: frozenset[str], listing: bool
) -> list[float]:
    top_score = max((x.score for x in all_), default=1.0) or 1.0
    top_best = max((x.best_score for x in all_), default=1.0) or 1.0
    top_sim = max((x.best_sim for x in all_), default=0.0)
    tier = c.clause.tier.value
    return [
        1.0 / (c.rank + 1),
        c.score / top_score,
        c.best_score,
        c.best_score / top_best,
        c.best_sim - top_sim,
        c.best_lex,
        1.0 if c.best_score >= top_best else 0.0,
        1.0 if tier == "law" else 0.0,
        1.0 if tier == "regulation" else 0.0,
        1.0 if tier == "guidance" else 0.0,
        1.0 if tier == "constitution" else 0.0,
        1.0 if tier == "acftu_rule" else 0.0,
        1.0 if c.clause.superseded else 0.0,
        1.0 if c.clause.doc_id in named else 0.0,
        1.0 if listing and _ENUMERATES.search(c.clause.text) else 0.0,
        math.log(1 + len(c.clause.text)) / 8,
    ]


@dataclass(frozen=True)
class Tree:
    """One regression tree of the boosted ensemble, as flat arrays (a leaf has left == -1)."""

    feature: tuple[int, ...]
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    value: tuple[float, ...]

    def __call__(self, row: Sequence[float]) -> float:
        node = 0
        while self.left[node] != -1:
            node = self.left[node] if row[self.feature[node]] <= self.threshold[node] else self.right[node]
        return self.value[node]


@dataclass(frozen=True)
class Reranker:
    """Gradient-boosted trees (a linear model missed the interactions: tier × how close the best sentence is)."""

    init: float  # the prior log-odds
    rate: float
    trees: tuple[Tree, ...]

    @classmethod
    def load(cls, path: Path) -> Reranker | None:
        """The fitted model; None when the file is missing. A file for other features fails loudly."""
        if not path.exists():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        if tuple(data.get("features", ())) != FEATURES:
            raise ValueError(f"{path}: fitted for features {data.get('features')}, not {list(FEATURES)}")
        trees = tuple(
            Tree(
                tuple(int(v) for v in t["feature"]),
                tuple(float(v) for v in t["threshold"]),
                tuple(int(v) for v in t["left"]),
                tuple(int(v) for v in t["right"]),
                tuple(float(v) for v in t["value"]),
            )
            for t in data["trees"]
        )
        return cls(float(data["init"]), float(data["rate"]), trees)

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(FEATURES),
            "init": self.init,
            "rate": self.rate,
            "trees": [
                {"feature": t.feature, "threshold": t.threshold, "left": t.left, "right": t.right, "value": t.value}
                for t in self.trees
            ],
        }

    def score(self, row: Sequence[float]) -> float:
        return self.init + self.rate * sum(t(row) for t in self.trees)

    def best(self, cands: Sequence[Candidate], question: str, named: frozenset[str], listing: bool) -> int:
        """The rank of the clause to lead with."""
        rows = [features(c, cands, question, named, listing) for c in cands]
        scores = [self.score(r) for r in rows]
        return cands[max(range(len(cands)), key=lambda i: (scores[i], -cands[i].rank))].rank
