"""Answer evaluation: pure per-item scores (status, key facts, rule, citations, refusals) and their aggregates."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from assistant.clauses.store import ClauseStore
from assistant.clauses.versions import similarity
from assistant.eval.gold import AnswerItem
from assistant.eval.metrics import dedupe, latency_stats, mean, mean_or_none, percentile, ratio, retrieval_scores
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


def _strings(value: Any) -> list[str]:
    if isinstance(value, Mapping):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def rule_match(expected: Mapping[str, Any] | None, rule: Mapping[str, Any] | None) -> bool | None:
    """None when the item expects no rule; else the same rule id and every expected fact holds.

    A fact under a key the engine also reports (after RESULT_KEYS) must be equal (decisions and
    amounts exactly). A descriptive fact under a key the engine does not use ("form": "出租车联合基层
    工会") must appear in one of the engine's result texts or its conclusion. A decision or number
    under an unknown key cannot be checked and is left out; an item with nothing checkable fails.
    """
    if expected is None:
        return None
    if not rule or rule.get("id") != expected.get("id"):
        return False
    got = rule.get("result") or {}
    want = {RESULT_KEYS.get(k, k): v for k, v in (expected.get("result") or {}).items()}
    texts = [*_strings(got), str(rule.get("conclusion", ""))]
    checked = 0
    for key, value in want.items():
        if key in got:
            if not _same(value, got[key]):
                return False
            checked += 1
        elif isinstance(value, str):
            if not any(
                _text_same(value, t) or normalize(value).translate(_PUNCT) in normalize(t).translate(_PUNCT)
                for t in texts
            ):
                return False
            checked += 1
    return checked > 0 or not want


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
    quotes: int = 0  # citations given
    quotes_verified: int = 0  # of which the quote is verbatim in the cited clause
    retrieval: dict[str, float] = field(default_factory=dict)  # R@k/MRR/nDCG; answered items with gold only
    stages: dict[str, float] = field(default_factory=dict)  # ms per pipeline stage
    top1: bool | None = None  # the first citation is a gold clause (answered items with gold)
    coherent: bool | None = None  # the lead paragraph quotes one clause and no list intro is cut (answered)
    kind: str | None = None

    @property
    def passed(self) -> bool:
        return not self.reasons

    def metrics(self) -> dict[str, Any]:
        """The per-item scores as one JSON-able mapping."""
        return {
            "status_ok": self.status_ok,
            "key_facts": self.facts,
            "citation_precision": self.cite_precision,
            "citation_recall": self.cite_recall,
            "verified": self.verified,
            "rule_ok": self.rule_ok,
            "quotes": self.quotes,
            "quotes_verified": self.quotes_verified,
            "top1": self.top1,
            "coherent": self.coherent,
            **self.retrieval,
        }


def score_item(
    item: AnswerItem,
    reply: Mapping[str, Any],
    store: ClauseStore,
    latency_ms: float,
    *,
    ranked: Sequence[str] | None = None,
    stages: Mapping[str, float] | None = None,
) -> ItemResult:
    """Score one reply. `ranked` is the system's clause ranking for the retrieval metrics; by default
    the cited IDs in citation order."""
    status = str(reply.get("status"))
    cites = list(reply.get("citations") or [])
    ids = [str(c.get("id")) for c in cites]
    p, r = citation_pr(ids, item.gold) if item.status == "answered" else (1.0, 1.0)
    checks = [verified_quote(c, store) for c in cites]
    ver = mean([1.0 if ok else 0.0 for ok in checks]) if cites else 1.0
    facts = facts_found(str(reply.get("answer", "")), item.key_facts) if item.status != "out_of_scope" else 1.0
    rule_ok = rule_match(item.rule, reply.get("rule")) if item.status == "answered" else None
    ranking = list(ranked) if ranked is not None else dedupe(ids)
    retrieval = retrieval_scores(ranking, item.gold) if item.status == "answered" and item.gold else {}
    top1 = (bool(ids) and ids[0] in item.gold) if item.status == "answered" and item.gold else None
    coherent = lead_coherent(str(reply.get("answer", "")), store) if status == "answered" else None
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
        len(checks),
        sum(checks),
        retrieval,
        dict(stages or {}),
        top1,
        coherent,
        item.kind,
    )


_LEAD_SENTENCE = re.compile(r"[^。！？；]+[。！？；]?")


def lead_coherent(answer: str, store: ClauseStore) -> bool:
    """The answer's lead paragraph reads as one source: it does not end on a list's colon (a list intro cut before
    its items), and every sentence quoted verbatim from the corpus comes from one clause (the composer's own words,
    a rule's conclusion, are not quotes and do not count)."""
    lines = answer.strip().split("\n")
    lead = lines[0].strip()
    if not lead:
        return True
    nxt = lines[1].strip() if len(lines) > 1 else ""
    if lead.rstrip("”\"」 ").endswith(("：", ":")) and (not nxt or nxt.startswith(("依据", "相关规定", "注："))):
        return False  # what the colon opens is not there: "…职权是：" then straight to the sources
    common: set[str] | None = None
    for sentence in _LEAD_SENTENCE.findall(lead):
        norm = normalize(sentence).strip("。！？；，,")
        if len(norm) < 12:
            continue
        owners = {c.id for c in store if norm in c.norm}
        if not owners:
            continue
        common = owners if common is None else common & owners
        if not common:
            return False
    return True


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


def aggregate(results: Sequence[ItemResult]) -> dict[str, float | None]:
    """Every answer metric over a set of results; None where the set holds nothing to measure
    (no answered items, no refusals …), so a per-category table never shows an empty class as 0 or 1."""
    answered = [r for r in results if r.expected_status == "answered"]
    in_scope = [r for r in results if r.expected_status != "out_of_scope"]
    refused = [r for r in results if r.status == "out_of_scope"]
    true_refusals = [r for r in refused if r.expected_status == "out_of_scope"]
    oos = [r for r in results if r.expected_status == "out_of_scope"]
    rules = [r for r in results if r.rule_ok is not None]
    with_cites = [r for r in results if r.quotes]
    ranked = [r.retrieval for r in results if r.retrieval]
    lat = [r.latency_ms for r in results]
    out: dict[str, float | None] = {
        "items": len(results),
        "pass_rate": mean_or_none([1.0 if r.passed else 0.0 for r in results]),
        "status_accuracy": mean_or_none([1.0 if r.status_ok else 0.0 for r in results]),
        # key facts of what was answered; a wrong refusal is counted by false_refusal_rate instead
        "key_fact_accuracy": mean_or_none([r.facts for r in in_scope if r.status != "out_of_scope"]),
        "key_fact_accuracy_all": mean_or_none([r.facts for r in in_scope]),
        "citation_precision": mean_or_none([r.cite_precision for r in answered]),
        "citation_recall": mean_or_none([r.cite_recall for r in answered]),
        "verified_citations": mean_or_none([r.verified for r in with_cites]),
        "verified_quote_rate": ratio(sum(r.quotes_verified for r in results), sum(r.quotes for r in results)),
        "rule_exact_match": mean_or_none([1.0 if r.rule_ok else 0.0 for r in rules]),
        "top1_clause": mean_or_none([1.0 if r.top1 else 0.0 for r in results if r.top1 is not None]),
        "lead_coherent": mean_or_none([1.0 if r.coherent else 0.0 for r in results if r.coherent is not None]),
        "list_complete": mean_or_none(
            [1.0 if r.facts == 1.0 and r.status_ok else 0.0 for r in results if r.kind == "list"]
        ),
        "refusal_precision": ratio(len(true_refusals), len(refused)),
        "refusal_recall": ratio(len(true_refusals), len(oos)),
        "false_refusal_rate": mean_or_none([1.0 if r.status == "out_of_scope" else 0.0 for r in in_scope]),
        "latency_p50_ms": percentile(lat, 50) if lat else None,
        "latency_p95_ms": percentile(lat, 95) if lat else None,
        "answered_items": len(answered),
        "refusal_items": len(oos),
        "rule_items": len(rules),
    }
    for key in ("recall@1", "recall@5", "recall@10", "mrr", "ndcg@10"):
        out[key] = mean_or_none([r[key] for r in ranked])
    return out


def stage_latency(results: Sequence[ItemResult]) -> dict[str, dict[str, float]]:
    """Per stage: p50/p95 ms over the questions that reached it (a rule answer never retrieves, so the
    retrieval percentiles are those of retrieving questions), `per_question` = mean ms over all questions,
    `share` = the fraction of questions that reached it."""
    names = dedupe(s for r in results for s in r.stages)
    out = {}
    for name in names:
        ran = [r.stages[name] for r in results if r.stages.get(name, 0.0) > 0]
        stats = latency_stats(ran)
        out[name] = {
            "p50": stats["p50"],
            "p95": stats["p95"],
            "per_question": mean([r.stages.get(name, 0.0) for r in results]),
            "share": len(ran) / len(results) if results else 0.0,
        }
    return out


def aggregate_by_category(results: Sequence[ItemResult]) -> dict[str, dict[str, float | None]]:
    return {c: aggregate(rs) for c, rs in _categories(results).items()}


# What `summarize` reported for an empty class before `aggregate` said None; kept for its callers.
_LEGACY_EMPTY = {"verified_citations": 1.0, "rule_exact_match": 1.0, "refusal_precision": 1.0, "refusal_recall": 1.0}
_LEGACY_KEYS = (
    "items",
    "pass_rate",
    "status_accuracy",
    "key_fact_accuracy",
    "key_fact_accuracy_all",
    "citation_precision",
    "citation_recall",
    "verified_citations",
    "rule_exact_match",
    "top1_clause",
    "lead_coherent",
    "list_complete",
    "refusal_precision",
    "refusal_recall",
    "false_refusal_rate",
    "latency_p50_ms",
    "latency_p95_ms",
)


def summarize(results: Sequence[ItemResult]) -> dict[str, float]:
    """The headline metrics as plain floats (an empty class is 0, or 1 where nothing could go wrong)."""
    agg = aggregate(results)
    out = {}
    for key in _LEGACY_KEYS:
        value = agg[key]
        out[key] = value if value is not None else _LEGACY_EMPTY.get(key, 0.0)
    return out


def by_category(results: Sequence[ItemResult]) -> dict[str, dict[str, float]]:
    return {c: summarize(rs) for c, rs in _categories(results).items()}


def _categories(results: Sequence[ItemResult]) -> dict[str, list[ItemResult]]:
    cats: dict[str, list[ItemResult]] = {}
    for r in results:
        cats.setdefault(r.category, []).append(r)
    return dict(sorted(cats.items()))
