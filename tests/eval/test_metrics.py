"""Every eval metric on hand-made cases: retrieval, citations, key facts, rules, status, refusals, latency."""

from __future__ import annotations

import math

import pytest

from assistant.eval.answers import (
    aggregate,
    aggregate_by_category,
    by_category,
    citation_pr,
    facts_found,
    rule_match,
    stage_latency,
    summarize,
    verified_quote,
)
from assistant.eval.metrics import (
    dedupe,
    latency_stats,
    mean,
    mean_or_none,
    ndcg_at,
    percentile,
    ratio,
    recall_at,
    reciprocal_rank,
    retrieval_scores,
)
from tests.eval.helpers import STORE, item, reply, result, tiny_runs

# -- retrieval ---------------------------------------------------------------------------------------------


def test_recall_at_k() -> None:
    ranked = ["x", "g", "y"]
    assert recall_at(ranked, ["g"], 1) == 0.0
    assert recall_at(ranked, ["g"], 2) == 1.0
    assert recall_at(ranked, ["g", "z"], 5) == 1.0  # any gold clause answers
    assert recall_at([], ["g"], 5) == 0.0


def test_mrr_and_ndcg() -> None:
    assert reciprocal_rank(["x", "y", "g"], ["g"]) == pytest.approx(1 / 3)
    assert reciprocal_rank(["x"], ["g"]) == 0.0
    assert ndcg_at(["g"], ["g"], 10) == 1.0
    # one of two gold clauses at rank 2: (1/log2 3) / (1 + 1/log2 3)
    assert ndcg_at(["x", "g"], ["g", "h"], 10) == pytest.approx((1 / math.log2(3)) / (1 + 1 / math.log2(3)))
    assert ndcg_at(["x"], [], 10) == 0.0


def test_retrieval_scores_bundle() -> None:
    s = retrieval_scores(["x", "g"], ["g"])
    assert s == {"recall@1": 0.0, "recall@5": 1.0, "recall@10": 1.0, "mrr": 0.5, "ndcg@10": pytest.approx(s["ndcg@10"])}
    assert 0 < s["ndcg@10"] < 1


# -- small helpers -----------------------------------------------------------------------------------------


def test_percentile_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 95) == 95.0
    assert percentile([7.0], 95) == 7.0
    assert percentile([], 50) == 0.0


def test_latency_stats_and_means() -> None:
    assert latency_stats([1.0, 2.0, 3.0, 100.0]) == {"p50": 2.0, "p95": 100.0, "mean": 26.5}
    assert mean([]) == 0.0 and mean_or_none([]) is None and mean_or_none([1.0, 0.0]) == 0.5
    assert ratio(1, 4) == 0.25 and ratio(3, 0) is None
    assert dedupe(["b", "a", "b", "c", "a"]) == ["b", "a", "c"]


# -- citations ---------------------------------------------------------------------------------------------


def test_citation_precision_recall() -> None:
    assert citation_pr(["a", "b"], ["a"]) == (0.5, 1.0)
    assert citation_pr(["a", "a"], ["a", "c"]) == (1.0, 0.5)  # a repeated id is one citation of that clause
    assert citation_pr([], ["a"]) == (0.0, 0.0)
    assert citation_pr([], []) == (1.0, 1.0)


def test_verified_quote_is_verbatim_after_normalisation() -> None:
    assert verified_quote({"id": "law/art-11", "quote": "二十五人以上"}, STORE)  # type: ignore[arg-type]
    # full-width punctuation and traditional characters fold to the clause's normalised text
    assert verified_quote({"id": "law/art-11", "quote": "二十五人以上的，應當建立"}, STORE)  # type: ignore[arg-type]
    assert not verified_quote({"id": "law/art-11", "quote": "二十六人以上"}, STORE)  # type: ignore[arg-type]
    assert not verified_quote({"id": "law/art-99", "quote": "二十五人"}, STORE)  # type: ignore[arg-type]
    assert not verified_quote({"id": "law/art-11", "quote": ""}, STORE)  # type: ignore[arg-type]


# -- answers -----------------------------------------------------------------------------------------------


def test_key_facts_alternatives_and_number_forms() -> None:
    facts = [["1万元", "10,000元"], ["百分之二", "2%"]]
    assert facts_found("应拨缴10000元，按百分之二", facts) == 1.0  # the thousands comma is ignored
    assert facts_found("应拨缴1万元", facts) == 0.5
    assert facts_found("什么都没有", facts) == 0.0
    assert facts_found("任何回答", []) == 1.0
    assert facts_found("二十五人以上", [["２５人", "二十五人"]]) == 1.0


def test_rule_exact_match_decision_and_amount() -> None:
    want = {"id": "union-fund", "result": {"amount": "10000.00"}}
    assert rule_match(None, {"id": "x"}) is None
    assert rule_match(want, {"id": "union-fund", "result": {"amount": "10000"}}) is True  # same decimal
    assert rule_match(want, {"id": "union-fund", "result": {"amount": "10000.01"}}) is False
    assert rule_match(want, {"id": "dispatch-fund", "result": {"amount": "10000.00"}}) is False
    assert rule_match(want, None) is False
    decision = {"id": "committee-threshold", "result": {"must_establish": True}}
    assert rule_match(decision, {"id": "committee-threshold", "result": {"must_establish": True}}) is True
    assert rule_match(decision, {"id": "committee-threshold", "result": {"must_establish": False}}) is False
    # an expected key the engine never reports cannot pass by omission
    assert rule_match(decision, {"id": "committee-threshold", "result": {"other": 1}}) is False


def test_score_item_pass_and_reasons() -> None:
    it = item("a1", facts=[["二十五人"]])
    ok = result(it, reply(answer="会员二十五人以上", cites=[("law/art-11", "二十五人以上")]))
    assert ok.passed and ok.status_ok and ok.cite_recall == 1.0 and ok.quotes == ok.quotes_verified == 1
    assert ok.retrieval["recall@1"] == 1.0
    bad = result(it, reply(status="out_of_scope", answer="超出", cites=[("law/art-43", "编造")]))
    assert not bad.passed
    assert {"status out_of_scope ≠ answered", "key facts 0.00", "unverified citation", "no gold clause cited"} <= set(
        bad.reasons
    )
    # a system's own ranking overrides the citation order for R@k
    ranked = result(it, reply(answer="二十五人", cites=[("law/art-11", "二十五人")]), ranked=["x", "law/art-11"])
    assert ranked.retrieval["recall@1"] == 0.0 and ranked.retrieval["mrr"] == 0.5


def test_status_refusal_and_false_refusal_rates() -> None:
    items = [item("a1"), item("a2"), item("o1", status="out_of_scope"), item("o2", status="out_of_scope")]
    replies = [
        reply(answer="二十五人", cites=[("law/art-11", "二十五人")]),
        reply(status="out_of_scope"),  # a false refusal
        reply(status="out_of_scope"),  # a true refusal
        reply(answer="胡说", cites=[("law/art-11", "二十五人")]),
    ]  # answered what it should refuse
    agg = aggregate([result(i, r) for i, r in zip(items, replies, strict=True)])
    assert agg["status_accuracy"] == 0.5
    assert agg["refusal_precision"] == 0.5  # 1 of 2 refusals was right
    assert agg["refusal_recall"] == 0.5  # 1 of 2 out-of-scope items refused
    assert agg["false_refusal_rate"] == 0.5  # 1 of 2 in-scope items refused
    assert agg["key_fact_accuracy"] == 1.0  # over what was answered
    assert agg["key_fact_accuracy_all"] == 0.5  # the refusal counts 0
    assert agg["citation_recall"] == 0.5 and agg["verified_quote_rate"] == 1.0


def test_rule_exact_match_rate_and_empty_classes() -> None:
    want = {"id": "union-fund", "result": {"amount": "100.00"}}
    items = [item("r1", rule=want, facts=[]), item("r2", rule=want, facts=[])]
    replies = [
        reply(
            answer="100元", cites=[("law/art-43", "百分之二")], rule={"id": "union-fund", "result": {"amount": "100"}}
        ),
        reply(answer="50元", cites=[("law/art-43", "百分之二")], rule={"id": "union-fund", "result": {"amount": "50"}}),
    ]
    agg = aggregate([result(i, r) for i, r in zip(items, replies, strict=True)])
    assert agg["rule_exact_match"] == 0.5 and agg["rule_items"] == 2
    assert agg["refusal_recall"] is None and agg["refusal_precision"] is None  # nothing to refuse, nothing refused
    assert summarize([result(i, r) for i, r in zip(items, replies, strict=True)])["refusal_recall"] == 1.0


def test_verified_rates_item_and_citation_weighted() -> None:
    it = item("a1")
    rs = [
        result(
            it,
            reply(
                answer="二十五人",
                cites=[("law/art-11", "二十五人"), ("law/art-11", "假的"), ("law/art-11", "工会会员")],
            ),
        ),
        result(it, reply(answer="二十五人", cites=[("law/art-11", "二十五人")])),
    ]
    agg = aggregate(rs)
    assert agg["verified_quote_rate"] == pytest.approx(3 / 4)
    assert agg["verified_citations"] == pytest.approx((2 / 3 + 1) / 2)


def test_per_category_breakdown() -> None:
    _, runs = tiny_runs()
    cats = aggregate_by_category(runs["full"])
    assert list(cats) == ["fees", "out-of-scope", "union-law"]
    assert cats["out-of-scope"]["citation_recall"] is None  # no answered item there: not a 0
    assert cats["fees"]["pass_rate"] == 1.0
    legacy = by_category(runs["full"])
    assert legacy["out-of-scope"]["citation_recall"] == 0.0  # the old float-only view keeps working


def test_stage_latency_over_questions_that_reach_the_stage() -> None:
    _, runs = tiny_runs()
    st = stage_latency(runs["full"])
    assert st["retrieve"]["share"] == pytest.approx(2 / 3)
    assert st["retrieve"]["p50"] == 18.0 and st["retrieve"]["p95"] == 25.0
    assert st["retrieve"]["per_question"] == pytest.approx(43 / 3)
    assert st["total"]["share"] == 1.0


def test_summarize_keeps_its_keys_and_floats() -> None:
    _, runs = tiny_runs()
    s = summarize(runs["bm25"])
    assert {
        "items",
        "pass_rate",
        "status_accuracy",
        "key_fact_accuracy",
        "citation_recall",
        "verified_citations",
        "rule_exact_match",
        "refusal_precision",
        "refusal_recall",
        "false_refusal_rate",
        "latency_p50_ms",
        "latency_p95_ms",
    } <= set(s)
    assert all(isinstance(v, int | float) for v in s.values())
    assert s["refusal_recall"] == 0.0 and s["refusal_precision"] == 1.0  # never refused: nothing refused wrongly
