"""Deterministic routing: a rule's patterns plus char-bigram TF-IDF similarity to its examples; abstains when unsure.

A rule is eligible when the question matches one of its patterns or topic keywords and none of its exclusions.
Score = 0.6 + 0.4 × similarity when one of its patterns matches, else the similarity alone. The best
rule wins only if its score ≥ `threshold` and beats the runner-up by `margin`; otherwise the router
returns None and the caller falls back to retrieval. Questions asking for reasons, measures, history or
promotion policy ("原因/措施/推动…") are never routed: no rule decides them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.rules.base import Rule
from assistant.text.normalize import normalize
from assistant.text.tokenize import fold_numbers

_PUNCT = re.compile(r"[\s,，。.;；:：!！?？、“”\"'‘’（）()《》<>【】\[\]…—-]+")
_STOP = set("的了吗呢吧啊呀么嘛")
# Intent words that no rule decides: these questions belong to retrieval.
# "哪年" asks history ("工会法是哪年修订的") unless it asks when a term ends ("哪年该换届"), which a rule computes.
_VETO = re.compile(
    r"原因|意义|措施|成效|成绩|经验|做法|哪年(?!.{0,4}(?:换届|届满|改选|选|到期))|历史|推动|推进|有哪些方式|哪些途径|方式有哪些|怎么回事"
)
# An amount of money ("25万", "36万元", "八千块") is never a head count: masked before patterns, keywords and
# similarity see the question, so "那如果是25万呢" cannot hit the "25人" threshold pattern.
_AMOUNT = re.compile(
    r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"
    r"(?:[万亿](?:多|来|余)?(?:元|块钱?)?(?![人名个位]|职工|员工|会员|工人)|元|块钱?)"
)


def mask_amounts(text: str) -> str:
    """'那如果是25万呢' → '那如果是¥呢' (text already normalised)."""
    return _AMOUNT.sub("¥", text)


# Per-rule exclusions: words that mean the question belongs to a neighbouring rule.
EXCLUDES: dict[str, str] = {
    "committee-threshold": r"派遣|出租|的士|的哥|专职|罢免|临时|乡镇|街道|联合会|社区|村工会|楼宇|行业工会|产业工会"
    r"|经费|改制|兼并|重组|破产|上级工会|派人|帮助|指导|阻挠|不让|不准|阻止|主任|由谁|谁来担任|谁担任|挂靠|八大群体|新就业形态|货车司机|网约",
    "union-fund": r"派遣|会费(?!.{0,4}经费)|审查|主要用|用在|用于|用来|怎么用|怎么花|花在|发福利|开支|使用|侵占|挪用"
    r"|管理办法|分成|分配|留成|上解|注销|破产|改制|终止|撤销|资产",
    "dispatch-affiliation": r"经费|2%|百分之二|拨付|拨缴|留用",
    "full-time-chair": r"合同|续签|罢免|调走|调动",
    "governance-term": r"合同|续签|调走|调动|罢免",
    # a merger's effect on a worker's own contract or pay is 《劳动合同法》's, not the union's (第三十四条)
    "restructuring": r"派遣|罢免|^(?!.*(?:工会|会员|经费|会籍)).*(?:劳动合同|合同还|工资|社保|补偿|工龄)",
    "chair-removal": r"近亲属|儿子|女儿|老婆|亲戚",
    # 《劳动合同法》's own remedies for ending a contract, not 《工会法》第五十三条
    "dismissal-remedy": r"经济补偿|赔偿金|违法解除|试用期|(?:没|未)签(?:订)?(?:书面)?(?:劳动)?合同",
}


def _grams(text: str) -> Counter[str]:
    t = _PUNCT.sub(" ", mask_amounts(normalize(text).lower()))
    chars = [c for c in t if c not in _STOP]
    s = "".join(chars)
    grams: Counter[str] = Counter()
    for chunk in s.split(" "):
        for i in range(len(chunk) - 1):
            grams[chunk[i : i + 2]] += 1
    return grams


@dataclass(frozen=True)
class Route:
    """The chosen rule and why: its score, the runner-up and the margin, the patterns that matched."""

    rule_id: str
    score: float
    similarity: float
    hits: int
    runner_up: str | None
    margin: float


@dataclass(frozen=True)
class Score:
    rule_id: str
    score: float
    similarity: float
    hits: int


class Router:
    def __init__(self, rules: Iterable[Rule], threshold: float = 0.6, margin: float = 0.08) -> None:
        self.rules = tuple(rules)
        self.threshold = threshold
        self.margin = margin
        self._patterns = {r.id: tuple(re.compile(p) for p in r.patterns) for r in self.rules}
        self._keywords = {r.id: tuple(normalize(k).lower() for k in r.keywords) for r in self.rules}
        self._excludes = {rid: re.compile(rx) for rid, rx in EXCLUDES.items()}
        docs = [(r.id, _grams(e)) for r in self.rules for e in r.examples]
        df: Counter[str] = Counter()
        for _, g in docs:
            df.update(set(g))
        n = len(docs)
        self._idf = {g: math.log((1 + n) / (1 + c)) + 1.0 for g, c in df.items()}
        self._default_idf = math.log(1 + n) + 1.0
        self._examples: dict[str, list[dict[str, float]]] = {}
        for rid, g in docs:
            self._examples.setdefault(rid, []).append(self._vector(g))

    def _vector(self, grams: Counter[str]) -> dict[str, float]:
        vec = {g: c * self._idf.get(g, self._default_idf) for g, c in grams.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {g: v / norm for g, v in vec.items()}

    def excluded(self, rule_id: str, question: str) -> bool:
        """Whether the (normalised) question names a topic that belongs to a neighbour of `rule_id`."""
        ex = self._excludes.get(rule_id)
        return ex is not None and ex.search(question) is not None

    def similarity(self, question: str, rule_id: str) -> float:
        q = self._vector(_grams(question))
        best = 0.0
        for ex in self._examples.get(rule_id, []):
            best = max(best, sum(w * ex.get(g, 0.0) for g, w in q.items()))
        return best

    def scores(self, question: str) -> list[Score]:
        """Every eligible rule's score, best first (empty when the question is vetoed)."""
        q = mask_amounts(normalize(question).lower())
        if _VETO.search(q):
            return []
        both = f"{q}\n{fold_numbers(q)}"  # patterns see "二百一十人" and "210人" alike
        out: list[Score] = []
        for r in self.rules:
            ex = self._excludes.get(r.id)
            if ex is not None and ex.search(q):
                continue
            hits = sum(1 for p in self._patterns[r.id] if p.search(both))
            if not hits and not any(k in q for k in self._keywords[r.id]):
                continue
            sim = self.similarity(q, r.id)
            score = 0.6 + 0.4 * sim if hits else sim
            out.append(Score(r.id, round(score, 4), round(sim, 4), hits))
        return sorted(out, key=lambda s: (-s.score, -s.hits, s.rule_id))

    def route(self, question: str) -> Route | None:
        ranked = self.scores(question)
        if not ranked or ranked[0].score < self.threshold:
            return None
        best = ranked[0]
        second = ranked[1] if len(ranked) > 1 else None
        margin = best.score - (second.score if second else 0.0)
        if second is not None and margin < self.margin:
            return None
        return Route(
            best.rule_id, best.score, best.similarity, best.hits, second.rule_id if second else None, round(margin, 4)
        )
