"""RulesEngine: route a question to a rule, merge the facts it states over earlier ones, decide; plus the catalogue."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from assistant.clauses import ClauseStore
from assistant.rules.base import Facts, Rule, RuleResult, SlotType, Status
from assistant.rules.catalogue import all_rules
from assistant.rules.router import Route, Router
from assistant.rules.slots import Extraction, extract
from assistant.text.normalize import normalize

_YES = re.compile(r"^(?:是|是的|对|对的|有|有的|已经?|嗯|yes|y)[。!！.]*$")
_NO = re.compile(r"^(?:否|不是|没有|没|无|不|还没有?|未|no|n)[。!！.]*$")
_GENERIC = ("count", "amount")


class RuleBasisError(ValueError):
    """A rule cites a clause that does not exist or quotes text that is not in it."""


def check_basis(rule: Rule, store: ClauseStore) -> list[str]:
    """Problems with a rule's citations against the corpus (empty when every quote is verbatim)."""
    problems: list[str] = []
    ids = [b.clause_id for b in rule.basis] + list(rule.summary_cites)
    for cid in dict.fromkeys(ids):
        if cid not in store:
            problems.append(f"{rule.id}: clause {cid} not in corpus")
    for b in rule.basis:
        clause = store.get(b.clause_id)
        if clause is not None and b.quote not in clause.text and normalize(b.quote) not in clause.norm:
            problems.append(f"{rule.id}: quote not verbatim in {b.clause_id}: {b.quote[:30]}…")
    return problems


@dataclass
class Prepared:
    """What the engine gives a rule: merged facts plus the extraction they came from."""

    rule: Rule
    facts: dict[str, Any]
    extraction: Extraction
    route: Route | None


class RulesEngine:
    """Constructed with a ClauseStore (no global state); every rule's basis is verified against it."""

    def __init__(self, store: ClauseStore, rules: Iterable[Rule] | None = None, router: Router | None = None) -> None:
        self.store = store
        self.rules: dict[str, Rule] = {}
        for r in rules if rules is not None else all_rules():
            if r.id in self.rules:
                raise ValueError(f"duplicate rule id {r.id}")
            self.rules[r.id] = r
        problems = [p for r in self.rules.values() for p in check_basis(r, store)]
        if problems:
            raise RuleBasisError("; ".join(problems))
        self.router = router or Router(self.rules.values())

    def rule(self, rule_id: str) -> Rule:
        return self.rules[rule_id]

    def route(self, question: str) -> Route | None:
        return self.router.route(question)

    def prepare(
        self,
        question: str,
        facts: Mapping[str, Any] | None = None,
        rule_id: str | None = None,
        pending: str | None = None,
    ) -> Prepared | None:
        """Route (or continue `rule_id` when routing abstains) and merge the question's facts over `facts`."""
        route = self.router.route(question)
        rid = route.rule_id if route else rule_id
        if rid is None or rid not in self.rules:
            return None
        prepared = self.prepare_for(rid, question, facts, pending if rid == rule_id else None)
        prepared.route = route
        return prepared

    def prepare_for(
        self, rule_id: str, question: str, facts: Mapping[str, Any] | None = None, pending: str | None = None
    ) -> Prepared:
        """The facts `rule_id` would receive for this question (no routing): extraction mapped onto its slots."""
        rule = self.rules[rule_id]
        ex = extract(question)
        new = {k: v for k, v in ex.facts.items() if k not in _GENERIC}
        count, amount = ex.facts.get("count"), ex.facts.get("amount")
        if pending is not None:
            count, amount = self._fill_pending(rule, pending, question, new, count, amount)
        if count is not None and rule.default_count and rule.default_count not in new:
            new[rule.default_count] = count
        for target, source in rule.borrow:
            value = amount if source == "amount" else new.get(source)
            if target not in new and value is not None:
                new[target] = value
        merged = {**(facts or {}), **new}
        return Prepared(rule, merged, ex, None)

    @staticmethod
    def _fill_pending(
        rule: Rule, pending: str, question: str, new: dict[str, Any], count: Any, amount: Any
    ) -> tuple[Any, Any]:
        """A short reply fills the slot that was asked for: '我们有18个' → members, '是' → the BOOL slot."""
        try:
            slot = rule.slot(pending)
        except KeyError:
            return count, amount
        text = normalize(question).lower()
        if slot.type is SlotType.COUNT and pending not in new:
            if count is not None:
                new[pending], count = count, None
            else:
                # "18名职工" answering "多少名会员" stays staff; a lone role-less count was handled above
                pass
        elif slot.type is SlotType.MONEY and pending not in new:
            money = (
                amount
                if amount is not None
                else next((new.pop(k) for k in ("wage_total", "monthly_income") if k in new and k != pending), None)
            )
            if money is not None:
                new[pending], amount = money, None
        elif slot.type is SlotType.BOOL and pending not in new:
            if _YES.match(text):
                new[pending] = True
            elif _NO.match(text):
                new[pending] = False
        elif slot.type is SlotType.CHOICE and pending not in new:
            for choice in slot.choices:
                if choice in text:
                    new[pending] = choice
                    break
        return count, amount

    def decide(self, prepared: Prepared) -> RuleResult:
        if prepared.extraction.errors:
            rule = prepared.rule
            known = {s.name for s in rule.slots}
            facts = Facts({k: v for k, v in prepared.facts.items() if k in known})
            return rule.invalid(facts, "".join(prepared.extraction.errors))
        return prepared.rule.decide(prepared.facts)

    def answer(
        self,
        question: str,
        facts: Mapping[str, Any] | None = None,
        rule_id: str | None = None,
        pending: str | None = None,
    ) -> RuleResult | None:
        """The rule's result for this question, or None when no rule applies (fall back to retrieval)."""
        prepared = self.prepare(question, facts, rule_id, pending)
        if prepared is None:
            return None
        return self.decide(prepared)

    def catalogue(self) -> list[dict[str, Any]]:
        """Every rule with its legal basis: id, title, valid_for, and each clause's ID, citation and locator."""
        out: list[dict[str, Any]] = []
        for r in self.rules.values():
            basis = []
            for cid in r.clause_ids():
                c = self.store[cid]
                basis.append({"clause_id": cid, "cite": c.cite, "locator": c.locator, "source": c.source})
            out.append(
                {
                    "id": r.id,
                    "title": r.title,
                    "summary": r.summary,
                    "valid_for": list(r.valid_for),
                    "basis": basis,
                    "slots": [s.name for s in r.slots],
                }
            )
        return out

    def conversation(self) -> Conversation:
        return Conversation(self)


@dataclass
class Conversation:
    """Keeps filled slots across turns, so '我们有18个' completes the rule that asked for it."""

    engine: RulesEngine
    facts: dict[str, Any] = field(default_factory=dict)
    rule_id: str | None = None
    pending: str | None = None
    last: RuleResult | None = None

    def ask(self, question: str) -> RuleResult | None:
        """Answer a turn; a reply continues the last rule only if it was asking, or the reply states its facts."""
        follow = self.rule_id if self.pending is not None or self._states_facts_for_last_rule(question) else None
        prepared = self.engine.prepare(question, self.facts, follow, self.pending)
        if prepared is None:
            return None
        result = self.engine.decide(prepared)
        self.last = result
        self.rule_id = result.rule_id
        if result.status is Status.INVALID:
            return result  # keep the earlier facts so the user can correct the bad one
        self.facts = dict(prepared.facts)
        self.pending = result.missing[0].name if result.status is Status.NEEDS_MORE_INFO and result.missing else None
        return result

    def _states_facts_for_last_rule(self, question: str) -> bool:
        """'那如果会员是30人呢' follows up the last rule; '工会法是哪年修订的' does not."""
        if self.rule_id is None:
            return False
        names = {s.name for s in self.engine.rule(self.rule_id).slots} | set(_GENERIC)
        return any(k in names for k in extract(question).facts)

    def reset(self) -> None:
        self.facts, self.rule_id, self.pending, self.last = {}, None, None, None
