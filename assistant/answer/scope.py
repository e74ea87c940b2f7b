"""Scope gate: off-topic tasks are refused; otherwise a calibrated score decides (with the intent classifier).

The score is a logistic model over three features of the question — best dense similarity, log BM25
top score and the number of domain terms it contains — fitted by `python -m eval.scope` on
eval/scope (out-of-scope) + eval/gold/retrieval.jsonl (in-scope); the fitted weights and the chosen
threshold live in corpus/dict/scope.json so a corpus change can recalibrate without code changes.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from assistant.text.normalize import normalize

# Tasks that are never about union policy, whatever words they contain ("写一首赞美工会的诗").
_OFF_TASK = re.compile(
    r"(写|作|来)(一)?(首|篇|段)?.{0,8}(诗|词|歌|对联|笑话|小说|作文)|讲个笑话|天气|气温|下雨|股票|买基金|基金定投|彩票|比特币|"
    r"菜谱|怎么做菜|翻译|写(一段)?代码|写(个|一个|段|一段)?.{0,12}(脚本|程序|爬虫)|python|爬下来|快速排序|^[\d\s.+\-*/×÷^()=？?等于多少是乘以除以加减的次方]+$",
)
_ARITH = re.compile(r"\d+(\.\d+)?\s*(乘以|除以|加上|减去|[+\-*/×÷^]|的\d+次方)\s*\d+")


class Verdict(StrEnum):
    IN_SCOPE = "in_scope"
    OUT_OF_SCOPE = "out_of_scope"
    INJECTION = "injection"


@dataclass(frozen=True)
class ScopeModel:
    """Logistic weights over (dense, log1p(bm25), domain terms) and the decision threshold."""

    w_dense: float
    w_bm25: float
    w_domain: float
    bias: float
    threshold: float

    @classmethod
    def load(cls, path: Path) -> ScopeModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(**{k: float(data[k]) for k in ("w_dense", "w_bm25", "w_domain", "bias", "threshold")})

    def probability(self, dense: float, bm25: float, domain: int) -> float:
        z = self.w_dense * dense + self.w_bm25 * math.log1p(max(bm25, 0.0)) + self.w_domain * min(domain, 3) + self.bias
        return 1.0 / (1.0 + math.exp(-z))


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

    def judge(self, question: str, dense: float, bm25: float) -> ScopeResult:
        pre = self.precheck(question)
        if pre is not None:
            return pre
        p = self.model.probability(dense, bm25, self.domain_hits(question))
        verdict = Verdict.IN_SCOPE if p >= self.model.threshold else Verdict.OUT_OF_SCOPE
        return ScopeResult(verdict, p, "score")
