"""Scope gate: off-topic tasks are refused; otherwise a calibrated score decides (with the intent classifier).

The score is a logistic model over five features of the question — best dense similarity, log BM25 top score,
the number of domain terms it contains, how much of it one retrieved sentence holds, and the intent classifier's
in-scope probability — fitted by `python -m eval.scope --write` on the gold sets' questions (in scope: answered or
needing facts; out: out_of_scope) and eval/scope; the weights and the threshold (chosen on cross-validated scores
for in-scope recall ≥ 0.99) live in corpus/dict/scope.json, so a corpus change recalibrates without code changes.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from assistant.text.normalize import normalize

# Tasks that are never about union policy, whatever words they contain ("写一首赞美工会的诗").
_OFF_TASK = re.compile(
    r"(写|作|来)(一)?(首|篇|段)?.{0,8}(诗|词|歌|对联|笑话|小说|作文)|讲个笑话|天气|气温|下雨|股票|买基金|基金定投|彩票|比特币|"
    r"菜谱|怎么做菜|翻译|写(一段)?代码|写(个|一个|段|一段)?.{0,12}(脚本|程序|爬虫)|python|爬下来|快速排序|^[\d\s.+\-*/×÷^()=？?等于多少是乘以除以加减的次方]+$",
)
_SENTENCES = re.compile(r"[。；;！!？?\n]")
_ARITH = re.compile(r"\d+(\.\d+)?\s*(乘以|除以|加上|减去|[+\-*/×÷^]|的\d+次方)\s*\d+")


class Verdict(StrEnum):
    IN_SCOPE = "in_scope"
    OUT_OF_SCOPE = "out_of_scope"
    INJECTION = "injection"


FEATURES = ("dense", "bm25", "domain", "cover", "intent_in")


@dataclass(frozen=True)
class ScopeModel:
    """Logistic weights over the named features (see `signals`) and the decision threshold."""

    weights: dict[str, float]
    bias: float
    threshold: float

    @classmethod
    def load(cls, path: Path) -> ScopeModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        weights = {k: float(data.get(f"w_{k}", 0.0)) for k in FEATURES}
        return cls(weights, float(data["bias"]), float(data["threshold"]))

    def probability(self, features: dict[str, float]) -> float:
        z = self.bias + sum(w * features.get(k, 0.0) for k, w in self.weights.items())
        return 1.0 / (1.0 + math.exp(-z))


def signals(dense: float, bm25: float, domain: int, cover: float, intent_in: float) -> dict[str, float]:
    """The gate's features: best dense similarity, log BM25 top score, domain terms (at most 3), how much of the
    question one retrieved sentence holds (`coverage`), and the intent classifier's in-scope probability."""
    return {
        "dense": dense,
        "bm25": math.log1p(max(bm25, 0.0)),
        "domain": float(min(domain, 3)),
        "cover": cover,
        "intent_in": intent_in,
    }


def coverage(tokens: Sequence[str], texts: Iterable[str], idf: Callable[[str], float]) -> float:
    """The largest idf-weighted share of the question's tokens that one sentence of the texts holds: 1.0 when a
    sentence says everything the question names ("社保基金能挪用吗" → 劳动法第七十四条), near 0 off the corpus."""
    toks = list(dict.fromkeys(t for t in tokens if t.strip()))
    total = sum(idf(t) for t in toks)
    if not total:
        return 0.0
    best = 0.0
    for text in texts:
        for sentence in _SENTENCES.split(normalize(text).lower()):
            if sentence:
                best = max(best, sum(idf(t) for t in toks if t in sentence) / total)
    return best


@dataclass(frozen=True)
class ScopeResult:
    verdict: Verdict
    probability: float
    reason: str


class ScopeGate:
    def __init__(self, model: ScopeModel, domain_terms: list[str]) -> None:
        self.model = model
        self.terms = sorted({normalize(t) for t in domain_terms if len(t) >= 2}, key=len, reverse=True)

    @staticmethod
    def load_terms(path: Path) -> list[str]:
        terms = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                terms.append(line.split()[0])
        return terms

    def domain_hits(self, question: str) -> int:
        q = normalize(question)
        hits = 0
        for t in self.terms:
            if t in q:
                hits += 1
                q = q.replace(t, " ")
        return hits

    def precheck(self, question: str) -> ScopeResult | None:
        """Off-topic tasks, decided before any retrieval (injected instructions are read by understand.safety)."""
        q = normalize(question)
        if _OFF_TASK.search(q) or _ARITH.search(q):
            return ScopeResult(Verdict.OUT_OF_SCOPE, 0.0, "off-task")
        return None

    def judge(
        self, question: str, dense: float, bm25: float, cover: float = 0.0, intent_in: float = 0.5
    ) -> ScopeResult:
        pre = self.precheck(question)
        if pre is not None:
            return pre
        p = self.model.probability(signals(dense, bm25, self.domain_hits(question), cover, intent_in))
        verdict = Verdict.IN_SCOPE if p >= self.model.threshold else Verdict.OUT_OF_SCOPE
        return ScopeResult(verdict, p, "score")
