"""Rules evaluation: slot-extraction accuracy and routing precision/recall on eval/rules_set.jsonl.

The command line is eval/rules_eval.py: `python -m eval.rules_eval [--verbose] [--json]`.

Routing: a prediction is the rule the router picks, or None when it abstains. Precision = correct rule
predictions / all rule predictions; recall = correct rule predictions / all questions whose gold is a rule;
abstention = share of non-rule questions the router leaves to retrieval. Slots: every expected slot value
is checked against the facts the gold rule would receive (extraction mapped onto the rule's slots; raw
extraction for non-rule questions); spurious = core slots extracted but not expected.

Follow-ups: a line with "history" (earlier user turns) is replayed through a fresh `Conversation`, as the answer
pipeline does; its prediction is the rule that answers the last turn (None when the conversation falls back to
retrieval) and its slots are the conversation's facts after that turn. A line with "result" also checks those
values of the rule's result dict (result accuracy).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any

from assistant.rules import Count, MoneyRange, RuleResult, RulesEngine, extract

# Facts every gold line lists exhaustively, so an extra one counts as spurious.
CORE = (
    "members",
    "staff",
    "women_count",
    "women",
    "entity",
    "wage_total",
    "dispatch_wages",
    "annual_income",
    "monthly_income",
    "restructuring_kind",
    "votes",
    "proposers",
    "delegates",
    "days",
    "term_years",
    "rate",
    "elected_year",
)


def same(expected: Any, got: Any) -> bool:
    """Gold values are JSON: ints / {"low","high"} for counts, strings for amounts, bools, choice strings."""
    if got is None:
        return False
    if isinstance(expected, bool) or isinstance(got, bool):
        return expected is got
    if isinstance(got, Count):
        if isinstance(expected, int):
            return not got.approx and got.low == expected
        if isinstance(expected, dict):
            return got.low == expected.get("low") and got.high == expected.get("high")
        return False
    if isinstance(got, MoneyRange):
        return isinstance(expected, dict) and str(got.low) == str(expected.get("low"))
    if isinstance(got, Decimal | int) and isinstance(expected, str | int):
        try:
            return Decimal(str(expected)) == Decimal(got)
        except InvalidOperation:
            return False
    return bool(expected == got)


def evaluate(engine: RulesEngine, items: list[dict[str, Any]]) -> dict[str, Any]:
    rules = list(engine.rules)
    tp: dict[str, int] = defaultdict(int)
    fp: dict[str, int] = defaultdict(int)
    fn: dict[str, int] = defaultdict(int)
    null_total = null_ok = 0
    slot_total = slot_ok = spurious = 0
    result_total = result_ok = 0
    by_slot: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    errors: list[str] = []
    for item in items:
        q, gold = item["q"], item["rule"]
        history: list[str] = list(item.get("history", []))
        outcome: RuleResult | None = None
        before: dict[str, Any] = {}
        if history:
            conv = engine.conversation()
            for turn in history:
                conv.ask(turn)
            before = dict(conv.facts)
            outcome = conv.ask(q)
            pred = outcome.rule_id if outcome is not None else None
            facts: dict[str, Any] = dict(conv.facts) if outcome is not None else {}
        else:
            route = engine.route(q)
            pred = route.rule_id if route else None
            facts = engine.prepare_for(gold, q).facts if gold else extract(q, engine.roles).facts
            if gold and item.get("result"):
                outcome = engine.decide(engine.prepare_for(gold, q))
        if gold is None:
            null_total += 1
            null_ok += pred is None
        if pred == gold:
            if pred is not None:
                tp[pred] += 1
        else:
            if pred is not None:
                fp[pred] += 1
            if gold is not None:
                fn[gold] += 1
            errors.append(f"route #{item['id']} {q}  gold={gold} pred={pred}")
        expected: dict[str, Any] = item.get("slots", {})
        for name, value in expected.items():
            slot_total += 1
            ok = same(value, facts.get(name))
            slot_ok += ok
            by_slot[name][0] += ok
            by_slot[name][1] += 1
            if not ok:
                errors.append(f"slot  #{item['id']} {q}  {name}: expected {value!r} got {facts.get(name)!r}")
        for name in CORE:
            # a follow-up is charged only for facts its own turn changed, not for those carried from history
            if name in facts and name not in expected and facts[name] != before.get(name):
                spurious += 1
                errors.append(f"extra #{item['id']} {q}  {name}={facts[name]!r}")
        for name, value in dict(item.get("result") or {}).items():
            result_total += 1
            got = outcome.result.get(name) if outcome is not None and outcome.rule_id == gold else None
            ok = got is not None and got == value and type(got) is type(value)
            result_ok += ok
            if not ok:
                errors.append(f"result #{item['id']} {q}  {name}: expected {value!r} got {got!r}")
    pred_total = sum(tp.values()) + sum(fp.values())
    gold_total = sum(1 for i in items if i["rule"] is not None)
    per_rule = {}
    for r in rules:
        p_den, r_den = tp[r] + fp[r], tp[r] + fn[r]
        per_rule[r] = {
            "precision": tp[r] / p_den if p_den else None,
            "recall": tp[r] / r_den if r_den else None,
            "support": r_den,
        }
    return {
        "questions": len(items),
        "rule_questions": gold_total,
        "non_rule_questions": null_total,
        "routing_precision": sum(tp.values()) / pred_total if pred_total else 0.0,
        "routing_recall": sum(tp.values()) / gold_total if gold_total else 0.0,
        "abstention_accuracy": null_ok / null_total if null_total else 0.0,
        "slot_values": slot_total,
        "slot_accuracy": slot_ok / slot_total if slot_total else 0.0,
        "spurious_core_slots": spurious,
        "result_values": result_total,
        "result_accuracy": result_ok / result_total if result_total else None,
        "per_rule": per_rule,
        "per_slot": {k: {"correct": v[0], "total": v[1]} for k, v in sorted(by_slot.items())},
        "errors": errors,
    }
