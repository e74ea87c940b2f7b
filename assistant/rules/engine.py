"""RulesEngine: route a question to a rule, merge the facts it states over earlier ones, decide; plus the catalogue."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from assistant.clauses import ClauseStore
from assistant.rules.base import Count, Facts, Rule, RuleResult, SlotType, Status
from assistant.rules.catalogue import all_rules
from assistant.rules.facts import Extraction, RoleReader, extract
from assistant.rules.router import Route, Router
from assistant.text.normalize import normalize

_YES = re.compile(r"^(?:是|是的|对|对的|有|有的|已经?|嗯|yes|y)[。!！.]*$")
_NO = re.compile(r"^(?:否|不是|没有|没|无|不|还没有?|未|no|n)[。!！.]*$")
_GENERIC = ("count", "amount")
# Facts about the previous turn's numbers ("又有5个人入会了", "不够这个人数"): resolved against the earlier facts
# of a conversation, never carried to the next turn.
_RELATIVE = ("members_added", "members_left", "count_ref")
_PERIOD_SLOTS = {"年": "annual_income", "月": "monthly_income"}


# What a bare follow-up is made of besides the facts it states: "那如果是25万的话呢", "要是以后发展到三十来个呢",
# "这笔钱由谁出", "那这样的话一共要交多少钱呢". Whatever is left names a topic of its own.
_FILLER = re.compile(
    r"那么|那|这样|这种|的话|如果|要是|假如|假设|若是|换成|改成|变成|涨到|降到|发展到|增加到|减少到|以后|将来|现在|目前"
    r"|一共|总共|大概|大约|需要|应该|我们|具体|每个月|每月|一个月|每年|一年|怎么|什么|可以|这笔|这部分|这些|最后|最终|到底|究竟"
    r"|手里|手上|工会经费|经费|情况|怎么样|咋样|咋办|怎么办|也一样|一样"
    r"|[要得该交缴拨付出钱呢吗啊呀吧嘛是就还又再了的我能算由给谁按有才只人个名位万元块]|[\s?？,，。!！、]"
)
# Facts that say what a question is about but are no follow-up on their own ("公司克扣工资，工会可以做什么？"
# mentions 公司 but asks something else): they continue the last rule only in a bare question ("那律所呢？").
# So do the topic of a restructuring question (经费, 人员: "工会经费审查委员会怎么设" is no follow-up) and a
# dismissal ("单位辞退职工要通知工会吗" asks something else than the remedy).
_WEAK = frozenset({"entity", "firm", "restructuring_aspect", "dismissed"})


def _bare(text: str, spans: Iterable[str]) -> bool:
    """Whether the question is only the given spans plus filler, naming no topic of its own."""
    rest = text
    for span in spans:
        if span:
            rest = rest.replace(span, "")
    return len(_FILLER.sub("", rest)) <= 1


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

    def __init__(
        self,
        store: ClauseStore,
        rules: Iterable[Rule] | None = None,
        router: Router | None = None,
        roles: RoleReader | None = None,
    ) -> None:
        self.store = store
        self.roles = roles  # the learned mention roles (understand/roles.py); None reads by the lexicon alone
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
        hint: str | None = None,
    ) -> Prepared | None:
        """Route (or continue `rule_id` when routing abstains, else take the intent classifier's `hint`) and merge
        the question's facts over `facts`."""
        route = self.router.route(question)
        rid = route.rule_id if route else (rule_id or hint)
        if rid is None or rid not in self.rules:
            return None
        continuing = rule_id is not None and rid == rule_id
        prepared = self.prepare_for(rid, question, facts, pending if continuing else None, continuing)
        prepared.route = route
        return prepared

    def prepare_for(
        self,
        rule_id: str,
        question: str,
        facts: Mapping[str, Any] | None = None,
        pending: str | None = None,
        continuing: bool = False,
    ) -> Prepared:
        """The facts `rule_id` would receive for this question (no routing): extraction mapped onto its slots.

        `continuing` means the question follows up an answer of this same rule, so a bare number refers to
        the fact the user gave before: "那如果是25万呢" replaces the amount, "那三十来个呢" the head count,
        "又有5个人入会了" adds to the members, "不够这个人数呢" is fewer than the last count.
        """
        rule = self.rules[rule_id]
        old = dict(facts or {})
        ex = extract(question, self.roles)
        new = {k: v for k, v in ex.facts.items() if k not in _GENERIC and k not in _RELATIVE}
        count, amount = ex.facts.get("count"), ex.facts.get("amount")
        if pending is not None:
            count, amount = self._fill_pending(rule, pending, question, new, count, amount)
        if continuing:
            count, amount = self._follow_up(rule, old, ex.facts, new, count, amount)
        if count is not None and rule.default_count and rule.default_count not in new:
            new[rule.default_count] = count
        for target, source in rule.borrow:
            value = amount if source == "amount" else new.get(source)
            if target not in new and value is not None:
                new[target] = value
        money = [s.name for s in rule.slots if s.type is SlotType.MONEY]
        if continuing and any(n in new for n in money):
            # a rule's amounts are alternatives (年收入 or 月收入): the newly stated one replaces the others
            old = {k: v for k, v in old.items() if k not in money}
        merged = {k: v for k, v in {**old, **new}.items() if k not in _RELATIVE}
        return Prepared(rule, merged, ex, None)

    @staticmethod
    def _follow_up(
        rule: Rule, old: Mapping[str, Any], stated: Mapping[str, Any], new: dict[str, Any], count: Any, amount: Any
    ) -> tuple[Any, Any]:
        """Numbers in a follow-up that point at the facts the user gave before (see `prepare_for`)."""
        counts = [s.name for s in rule.slots if s.type is SlotType.COUNT]
        money = [s.name for s in rule.slots if s.type is SlotType.MONEY]
        given = next((n for n in counts if isinstance(old.get(n), Count) and n not in new), None)
        if count is not None and given is not None and not any(n in new for n in counts):
            new[given], count = count, None
        if amount is not None and money and not any(n in new for n in money):
            # "那要是一年15万呢" is the annual amount even when the monthly one was given before
            by_period = _PERIOD_SLOTS.get(str(stated.get("wage_period")))
            target = by_period if by_period in money else next((n for n in money if old.get(n) is not None), money[0])
            new[target], amount = amount, None
        members = old.get("members")
        if "members" in counts and "members" not in new and isinstance(members, Count):
            added, left = stated.get("members_added"), stated.get("members_left")
            if isinstance(added, Count):
                members = members.plus(added)
            if isinstance(left, Count):
                members = members.minus(left)
            if added is not None or left is not None:
                new["members"] = members
        ref = stated.get("count_ref")
        staff = old.get("staff")
        if ref == "all" and "members" in counts and "members" not in new and isinstance(staff, Count):
            new["members"] = Count(staff.low, staff.high, "全部职工")  # everyone joined: members = staff
        elif ref in ("below", "above") and given is not None and given not in new and count is None:
            base = old[given]
            assert isinstance(base, Count)
            new[given] = base.below() if ref == "below" else base.above()
        return count, amount

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
        rule = prepared.rule
        known = {s.name for s in rule.slots}
        if prepared.extraction.errors:
            facts = Facts({k: v for k, v in prepared.facts.items() if k in known})
            return rule.refused(facts, "".join(prepared.extraction.errors))
        units = [u for u in prepared.extraction.groups if any(k in known for k in u)]
        if len(units) >= 2:  # several units, each with its own figures: one decision each
            grouped = {k for u in units for k in u}
            shared = {k: v for k, v in prepared.facts.items() if k not in grouped}
            return rule.result_units(shared, units, self.cite)
        return rule.result(prepared.facts, self.cite)

    def cite(self, clause_id: str) -> str:
        """The citation text of a clause, as the clause store renders it: '《工会法》第十一条'."""
        return self.store[clause_id].cite

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
    earlier: list[str] = field(default_factory=list)  # rules answered before the last one, newest first

    def ask(self, question: str, hint: str | None = None) -> RuleResult | None:
        """Answer a turn; a reply continues the last rule only if it answers what the rule asked or is about its facts.
        Failing that it may return to an earlier rule of the conversation whose facts it restates ('那要是以后
        会员发展到30个呢' after a fee question that followed a head-count one)."""
        follow = self.rule_id if self._replies(question) or self._continues(question, self.rule_id) else None
        if follow is None and self.engine.route(question) is None:
            follow = next((r for r in self.earlier if self._continues(question, r)), None)
        pending = self.pending if follow == self.rule_id else None
        prepared = self.engine.prepare(question, self.facts, follow, pending, hint=hint)
        if prepared is None:
            self._remember(question)
            return None
        result = self.engine.decide(prepared)
        self.last = result
        if self.rule_id is not None and self.rule_id != result.rule_id:
            self.earlier = [self.rule_id, *(r for r in self.earlier if r not in (self.rule_id, result.rule_id))][:3]
        self.rule_id = result.rule_id
        if result.status is Status.INVALID:
            return result  # keep the earlier facts so the user can correct the bad one
        self.facts = dict(prepared.facts)
        self.pending = result.missing[0].name if result.status is Status.NEEDS_MORE_INFO and result.missing else None
        return result

    def _remember(self, question: str) -> None:
        """A turn no rule answers may still state facts about the user's unit ('派遣公司有工会。', '我们是民企'):
        kept for the rules asked later (a newer statement replacing an older one), like the facts of answered turns.
        Questions asked ('多少', '超没超'), the aspect a question is about ('经费') and numbers relative to an
        earlier turn are about that turn only."""
        ex = extract(question, self.engine.roles)
        if ex.errors:
            return
        for k, v in ex.facts.items():
            if k not in _GENERIC and k not in _RELATIVE and k != "restructuring_aspect" and not k.startswith("ask_"):
                self.facts[k] = v

    def _replies(self, question: str) -> bool:
        """Whether the turn answers the fact the last rule asked for: it gives that fact or a bare value of its
        type ('我们有18个', '是的', '80万', '重组'), or is too short to be a question of its own ('不清楚').
        A new question with a topic of its own ('工会法是哪年修订的？') is not a reply, so it is routed afresh."""
        if self.pending is None or self.rule_id is None:
            return False
        try:
            slot = self.engine.rule(self.rule_id).slot(self.pending)
        except KeyError:
            return False
        text = normalize(question).lower()
        facts = extract(question, self.engine.roles).facts
        if self.pending in facts or len(_FILLER.sub("", text)) <= 4:
            return True
        if slot.type is SlotType.COUNT:
            return "count" in facts or any(isinstance(v, Count) for v in facts.values())
        if slot.type is SlotType.MONEY:
            return "amount" in facts or any(k in facts for k in ("wage_total", "monthly_income", "annual_income"))
        if slot.type is SlotType.BOOL:
            return bool(_YES.match(text) or _NO.match(text))
        if slot.type is SlotType.CHOICE:
            return any(c in text for c in slot.choices)
        return slot.type is SlotType.ENTITY and "entity" in facts

    def _continues(self, question: str, rule_id: str | None) -> bool:
        """Whether the question follows up the last rule: it states one of its facts ('那如果会员是30人呢'),
        gives a bare number of a kind the rule takes ('那如果是25万呢' after a fund question, never after a
        head-count rule), changes or points at the last count ('又有1个人入会了', '不够这个人数呢'), or asks
        about one of the rule's decided facts ('钱给谁？'). '工会法是哪年修订的' does not; nor does a question
        that names a neighbouring rule's topic (the router's exclusions for the last rule).
        """
        if rule_id is None:
            return False
        rule = self.engine.rule(rule_id)
        text = normalize(question).lower()
        if self.engine.router.excluded(rule.id, text):
            return False
        ex = extract(question, self.engine.roles)
        facts = ex.facts
        names = {s.name for s in rule.slots}
        kinds = {s.type for s in rule.slots}
        stated = [k for k in facts if k in names]
        if any(k not in _WEAK and not k.startswith("ask_") for k in stated):
            return True
        counted = [s.name for s in rule.slots if s.type is SlotType.COUNT and isinstance(self.facts.get(s.name), Count)]
        if "count_ref" in facts and counted:
            return True  # "不够这个人数呢" points at the count the user gave
        if ("members_added" in facts or "members_left" in facts) and "members" in counted:
            return True  # "又有1个人入会了" changes it
        spans = [ex.spans.get(k, "") for k in facts]
        generic = ("count" in facts and SlotType.COUNT in kinds) or ("amount" in facts and SlotType.MONEY in kinds)
        if (stated or generic) and _bare(text, spans):
            return True  # "那律所呢" / "那要交多少？" / "要是25万呢" — not "会员证补办要多少钱？"
        for rx in rule.followups:
            m = re.search(rx, text)
            if m and _bare(text, [*spans, m.group(0)]):
                return True  # "钱给谁？" — not "女职工委员会主任由谁担任"
        return False

    def reset(self) -> None:
        self.facts, self.rule_id, self.pending, self.last, self.earlier = {}, None, None, None, []
