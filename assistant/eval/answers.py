"""Answer evaluation: status, key facts, rule exact-match, citation precision/recall and verification, refusals.

Every metric is a pure function of (gold item, reply dict); `evaluate` runs a system over a gold set
and aggregates overall and per category. A "system" is anything with `ask(question, history)`
returning an object with `to_dict()` in the reply contract.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from assistant.clauses.store import ClauseStore
from assistant.clauses.versions import similarity
from assistant.eval.gold import AnswerItem
from assistant.eval.metrics import mean, percentile
from assistant.text.normalize import normalize


def facts_found(answer: str, key_facts: Sequence[Sequence[str]]) -> float:
    """Share of key-fact groups with at least one alternative present in the answer text."""
    if not key_facts:
        return 1.0
    text = normalize(answer).replace(",", "")
    hit = sum(1 for alts in key_facts if any(normalize(a).replace(",", "") in text for a in alts))
    return hit / len(key_facts)


def verified_quote(citation: Mapping[str, Any], store: ClauseStore) -> bool:
    """Independent of the system's own gate: the clause exists and the quote is verbatim in it."""
    clause = store.get(str(citation.get("id", "")))
    quote = normalize(str(citation.get("quote", "")))
    return clause is not None and bool(quote) and quote in clause.norm


def citation_pr(cited: Sequence[str], gold: Sequence[str]) -> tuple[float, float]:
    """(precision, recall) of cited clause IDs against gold IDs; empty on both sides counts as perfect."""
    c, g = set(cited), set(gold)
    if not c and not g:
        return 1.0, 1.0
    p = len(c & g) / len(c) if c else 0.0
    r = len(c & g) / len(g) if g else 1.0
    return p, r


# The gold set was written before the engine's result schema existed; these are the same facts
# under the engine's names (gold key → engine key). Values are never mapped, only names.
RESULT_KEYS = {
    "type": "kind",
    "action": "outcome",
    "union": "join",
    "term_years": "allowed_years",
    "passed": "removal_passes",
    "can_convene": "enough",
    "max_days_per_month": "limit_days_per_month",
}
_PUNCT = str.maketrans("", "", "、，,。；;：:（）()“”\"' ")


def _text_same(expected: str, got: str) -> bool:
    """Same wording, one inside the other, or mostly the same characters (bigram Dice ≥ 0.6)."""
    a, b = normalize(expected).translate(_PUNCT), normalize(got).translate(_PUNCT)
    return bool(a) and (a in b or b in a or similarity(a, b) >= 0.6)


def _same(expected: Any, got: Any) -> bool:
    """Decisions and amounts must be equal; descriptive text may be a shorter or longer wording."""
    if isinstance(expected, Mapping):
        return isinstance(got, Mapping) and all(k in got and _same(v, got[k]) for k, v in expected.items())
    if isinstance(expected, list):
        return isinstance(got, list) and all(any(_same(e, g) for g in got) for e in expected)
    if isinstance(expected, bool) or isinstance(got, bool):
        return expected is got
    try:
        return Decimal(str(expected)) == Decimal(str(got))
    except (InvalidOperation, ValueError):
        return _text_same(str(expected), str(got))


def rule_match(expected: Mapping[str, Any] | None, rule: Mapping[str, Any] | None) -> bool | None:
    """None when the item expects no rule; else the same rule id and every expected fact the engine
    states (under its own key name) is equal. Expected keys the engine does not report are not scored."""
    if expected is None:
        return None
    if not rule or rule.get("id") != expected.get("id"):
        return False
    got = rule.get("result") or {}
    want = {RESULT_KEYS.get(k, k): v for k, v in (expected.get("result") or {}).items()}
    compared = {k: v for k, v in want.items() if k in got}
    if want and not compared:
        return False
    return _same(compared, got)


@dataclass
class ItemResult:
    id: str
    category: str
    question: str
    expected_status: str
    status: str
    status_ok: bool
    facts: float
    cite_precision: float
    cite_recall: float
    verified: float
    rule_ok: bool | None
    latency_ms: float
    answer: str
    reasons: list[str] = field(default_factory=list)
    reply: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return not self.reasons


def score_item(item: AnswerItem, reply: Mapping[str, Any], store: ClauseStore, latency_ms: float) -> ItemResult:
    status = str(reply.get("status"))
    cites = list(reply.get("citations") or [])
    ids = [str(c.get("id")) for c in cites]
    p, r = citation_pr(ids, item.gold) if item.status == "answered" else (1.0, 1.0)
    ver = mean([1.0 if verified_quote(c, store) else 0.0 for c in cites]) if cites else 1.0
    facts = facts_found(str(reply.get("answer", "")), item.key_facts) if item.status != "out_of_scope" else 1.0
    rule_ok = rule_match(item.rule, reply.get("rule")) if item.status == "answered" else None
    reasons = []
    if status != item.status:
        reasons.append(f"status {status} ≠ {item.status}")
    if facts < 1.0:
        reasons.append(f"key facts {facts:.2f}")
    if ver < 1.0:
        reasons.append("unverified citation")
    if rule_ok is False:
        reasons.append("rule mismatch")
    if item.status == "answered" and r == 0.0:
        reasons.append("no gold clause cited")
    return ItemResult(
        item.id,
        item.category,
        item.question,
        item.status,
        status,
        status == item.status,
        facts,
        p,
        r,
        ver,
        rule_ok,
        latency_ms,
        str(reply.get("answer", "")),
        reasons,
        dict(reply),
    )


def run_items(
    ask: Callable[[str, list[dict[str, str]]], Any],
    items: Sequence[AnswerItem],
    store: ClauseStore,
    progress: Callable[[], None] | None = None,
) -> list[ItemResult]:
    out = []
    for it in items:
        t0 = time.perf_counter()
        reply = ask(it.question, it.history)
        ms = (time.perf_counter() - t0) * 1000
        out.append(score_item(it, reply.to_dict() if hasattr(reply, "to_dict") else reply, store, ms))
        if progress:
            progress()
    return out


def summarize(results: Sequence[ItemResult]) -> dict[str, float]:
    answered = [r for r in results if r.expected_status == "answered"]
    in_scope = [r for r in results if r.expected_status != "out_of_scope"]
    refused = [r for r in results if r.status == "out_of_scope"]
    true_refusals = [r for r in refused if r.expected_status == "out_of_scope"]
    oos = [r for r in results if r.expected_status == "out_of_scope"]
    rules = [r for r in results if r.rule_ok is not None]
    with_cites = [r for r in results if r.reply.get("citations")]
    return {
        "items": len(results),
        "pass_rate": mean([1.0 if r.passed else 0.0 for r in results]),
        "status_accuracy": mean([1.0 if r.status_ok else 0.0 for r in results]),
        "key_fact_accuracy": mean([r.facts for r in in_scope if r.status != "out_of_scope"] or [0.0]),
        "key_fact_accuracy_all": mean([r.facts for r in in_scope]),
        "citation_precision": mean([r.cite_precision for r in answered]),
        "citation_recall": mean([r.cite_recall for r in answered]),
        "verified_citations": mean([r.verified for r in with_cites]) if with_cites else 1.0,
        "rule_exact_match": mean([1.0 if r.rule_ok else 0.0 for r in rules]) if rules else 1.0,
        "refusal_precision": len(true_refusals) / len(refused) if refused else 1.0,
        "refusal_recall": len(true_refusals) / len(oos) if oos else 1.0,
        "false_refusal_rate": mean([1.0 if r.status == "out_of_scope" else 0.0 for r in in_scope]),
        "latency_p50_ms": percentile([r.latency_ms for r in results], 50),
        "latency_p95_ms": percentile([r.latency_ms for r in results], 95),
    }


def by_category(results: Sequence[ItemResult]) -> dict[str, dict[str, float]]:
    cats: dict[str, list[ItemResult]] = {}
    for r in results:
        cats.setdefault(r.category, []).append(r)
    return {c: summarize(rs) for c, rs in sorted(cats.items())}
