"""Rule contract: typed slots, clause-grounded basis, a pure decide() → Outcome, phrase() → Chinese, → RuleResult."""

from __future__ import annotations

import math
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, ClassVar, Generic, TypeVar

from assistant.text.money import format_yuan, to_fen, yuan_str
from assistant.text.numerals import int_to_cn
from assistant.understand.values import Count as Count  # re-exported: rules take facts of these types
from assistant.understand.values import MoneyRange as MoneyRange

# Sanity ceilings: the largest Chinese employers have about 1.5 million staff and pay well under
# 10^11 元 a month, so anything above these is a typo or a test of the system, not a fact.
MAX_COUNT = 10_000_000
MAX_MONEY = Decimal(10) ** 12
MAX_NUMBER = Decimal(1_000_000)

# The unit kinds the sources distinguish; 企业 is the generic fallback for "公司/厂".
ENTITY_TYPES: tuple[str, ...] = (
    "会计师事务所",
    "律师事务所",
    "出租车公司",
    "个体出租车",
    "劳务派遣单位",
    "用工单位",
    "外商投资企业",
    "港澳台商投资企业",
    "私营企业",
    "国有企业",
    "集体企业",
    "民办非企业单位",
    "事业单位",
    "机关",
    "社会组织",
    "企业",
)


class FactError(ValueError):
    """A fact that cannot be used as given; `message` is the Chinese text shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _as_decimal(value: Any, label: str) -> Decimal:
    if isinstance(value, bool):
        raise FactError(f"{label}应当是一个数字，请重新告诉我。")
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise FactError(f"{label}不是有效数字，请重新告诉我。")
        d = Decimal(str(value))
    elif isinstance(value, str):
        try:
            d = Decimal(value.replace(",", "").replace("，", "").strip())
        except InvalidOperation:
            raise FactError(f"“{value}”不是有效的{label}，请用数字告诉我。") from None
    else:
        raise FactError(f"{label}应当是一个数字，请重新告诉我。")
    if not d.is_finite():
        raise FactError(f"{label}不是有效数字，请重新告诉我。")
    return d


def _count(value: Any, label: str) -> Count:
    if isinstance(value, Count):
        c = value
    elif isinstance(value, Mapping):
        try:
            low = int(value["low"])
            raw_high = value.get("high")
            high = None if raw_high is None else int(raw_high)
        except (KeyError, TypeError, ValueError):
            raise FactError(f"{label}的格式不对，请直接告诉我人数。") from None
        if high is not None and high < low:
            raise FactError(f"{label}的范围不对（{low}–{high}），请告诉我准确人数。")
        c = Count(low, high, str(value.get("text", "")))
    else:
        d = _as_decimal(value, label)
        if d < 0:
            raise FactError(f"{label}不能是负数（您给的是{d}），请核对后重新告诉我。")
        if d != d.to_integral_value():
            raise FactError(f"{label}必须是整数（您给的是{d}），人不能按小数计，请核对后重新告诉我。")
        c = Count.exact(int(d))
    if c.low < 0:
        raise FactError(f"{label}不能是负数（您给的是{c.low}），请核对后重新告诉我。")
    top = c.high if c.high is not None else c.low
    if top > MAX_COUNT:
        raise FactError(f"{label}{top}超出了任何单位的实际规模（上限按一千万人计），请核对后重新告诉我。")
    return c


def _money(value: Any, label: str) -> Decimal | MoneyRange:
    if isinstance(value, MoneyRange):
        r = value
    elif isinstance(value, Mapping):
        try:
            low = _as_decimal(value["low"], label)
            high = None if value.get("high") is None else _as_decimal(value["high"], label)
        except KeyError:
            raise FactError(f"{label}的格式不对，请直接告诉我金额。") from None
        r = MoneyRange(low, high, str(value.get("text", "")))
    else:
        d = _as_decimal(value, label)
        if d < 0:
            raise FactError(f"{label}不能是负数（您给的是{d}元），请核对后重新告诉我。")
        if d > MAX_MONEY:
            raise FactError(f"{label}{format_yuan(d)}超出了合理范围（上限按一万亿元计），请核对后重新告诉我。")
        return to_fen(d)  # money is counted in fen; sub-fen input is rounded once, here
    if r.low < 0:
        raise FactError(f"{label}不能是负数，请核对后重新告诉我。")
    if (r.high if r.high is not None else r.low) > MAX_MONEY:
        raise FactError(f"{label}超出了合理范围（上限按一万亿元计），请核对后重新告诉我。")
    return r


_YES = {"是", "有", "对", "yes", "true", "1", "已", "已经"}
_NO = {"否", "不是", "没有", "无", "不", "no", "false", "0", "未"}


class SlotType(StrEnum):
    """Kinds of fact a rule can ask for; `coerce` turns a raw value into the typed one or raises FactError."""

    COUNT = "count"  # people: Count (exact or vague), integer, 0 … MAX_COUNT
    MONEY = "money"  # yuan: Decimal rounded to the fen (or MoneyRange when vague), 0 … MAX_MONEY
    NUMBER = "number"  # a non-negative quantity such as days per month: Decimal
    PERCENT = "percent"  # 0 … 100: Decimal
    ENTITY = "entity"  # one of ENTITY_TYPES
    CHOICE = "choice"  # one of the slot's choices
    BOOL = "bool"
    TEXT = "text"

    def coerce(self, value: Any, label: str, choices: tuple[str, ...] = ()) -> Any:
        if self is SlotType.COUNT:
            return _count(value, label)
        if self is SlotType.MONEY:
            return _money(value, label)
        if self in (SlotType.NUMBER, SlotType.PERCENT):
            d = _as_decimal(value, label)
            top = Decimal(100) if self is SlotType.PERCENT else MAX_NUMBER
            if d < 0 or d > top:
                raise FactError(f"{label}{d}不在合理范围（0–{top}）内，请核对后重新告诉我。")
            return d
        if self is SlotType.BOOL:
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.strip().lower() in _YES:
                return True
            if isinstance(value, str) and value.strip().lower() in _NO:
                return False
            raise FactError(f"关于“{label}”，请回答“是”或“否”。")
        if self is SlotType.ENTITY:
            if value not in ENTITY_TYPES:
                raise FactError(f"“{value}”不是可识别的单位类型（可选：{'、'.join(ENTITY_TYPES)}）。")
            return value
        if self is SlotType.CHOICE:
            if value not in choices:
                raise FactError(f"关于“{label}”，请从以下选项中选择：{'、'.join(choices)}。")
            return value
        if not isinstance(value, str) or not value.strip():
            raise FactError(f"{label}应当是一段文字。")
        return value.strip()


_CJK = re.compile(r"[\u4e00-\u9fff]")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Slot:
    """One typed input; `question` is asked (in Chinese) when the fact is missing."""

    name: str
    type: SlotType
    question: str
    choices: tuple[str, ...] = ()
    required: bool = True
    label: str = ""

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(f"slot name {self.name!r} must be snake_case")
        SlotType(self.type)  # a bad type fails here, loudly
        if not _CJK.search(self.question) or not self.question.endswith("？"):
            raise ValueError(f"slot {self.name}: question must be a Chinese question ending in ？")
        if self.type is SlotType.CHOICE and not self.choices:
            raise ValueError(f"slot {self.name}: CHOICE needs choices")

    @property
    def display(self) -> str:
        return self.label or self.name

    def coerce(self, value: Any) -> Any:
        return self.type.coerce(value, self.display, self.choices)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type.value,
            "question": self.question,
            "choices": list(self.choices),
            "required": self.required,
            "label": self.display,
        }


@dataclass(frozen=True)
class Basis:
    """A citation as data: the clause ID and a verbatim span of that clause (checked against the corpus)."""

    clause_id: str
    quote: str


@dataclass(frozen=True)
class Citation:
    """A basis entry as answered: the clause ID, its citation text as the clause store renders it, the quote."""

    clause_id: str
    cite: str
    quote: str

    def to_dict(self) -> dict[str, str]:
        return {"clause_id": self.clause_id, "cite": self.cite, "quote": self.quote}


# How the citation text of a clause ID is found ('union-law-2021/art-11' → '《工会法》第十一条'): the engine passes the
# clause store's, so the rules never spell a document title or locator themselves.
Citer = Callable[[str], str]


@dataclass(frozen=True)
class Step:
    """One derivation step as answered: '会员人数 30 ≥ 25 →《工会法》第十一条 → 应当建立基层工会委员会'."""

    text: str
    clause_id: str | None

    def to_dict(self) -> dict[str, str | None]:
        return {"text": self.text, "clause_id": self.clause_id}


@dataclass(frozen=True)
class Derivation:
    """One derivation step as data: the fact, the clause that applies to it (if any) and what follows."""

    fact: str
    clause_id: str | None = None
    outcome: str = ""
    names_clause: bool = False  # the fact says how it reads the clause itself: shown as is, still linked to it

    def render(self, cite: Citer) -> Step:
        """'fact →《short》locator → outcome'; 'fact → outcome' without a clause; the bare fact without either."""
        if self.names_clause:
            return Step(self.fact, self.clause_id)
        if self.clause_id is not None:
            return Step(f"{self.fact} →{cite(self.clause_id)} → {self.outcome}", self.clause_id)
        return Step(f"{self.fact} → {self.outcome}" if self.outcome else self.fact, None)


def hedge_note(hedge: MoneyRange | None, basis: str) -> str:
    """'（您给的是大概数“差不多60万”，按600,000元（60万元）估算；准确金额以实际工资总额计算。）', or '' when exact."""
    if hedge is None or hedge.estimate is None:
        return ""
    return f"（您给的是大概数“{hedge.text}”，按{format_yuan(hedge.estimate)}估算；准确金额以{basis}计算。）"


class Status(StrEnum):
    DECIDED = "decided"
    NEEDS_MORE_INFO = "needs_more_info"
    INVALID = "invalid"


def _unit_label(unit: Mapping[str, Any]) -> str:
    """'会员18人' for a unit's figures, in the slots' labels."""
    names = {"members": "会员", "staff": "职工", "women_count": "女职工", "dispatched": "派遣工", "delegates": "代表"}
    parts = []
    for k, v in unit.items():
        if isinstance(v, Count):
            parts.append(f"{names.get(k, k)}{v.shown()}人")
        elif isinstance(v, Decimal | MoneyRange):
            parts.append(f"工资总额{v if isinstance(v, Decimal) else v.text}元")
    return "，".join(parts)


@dataclass(frozen=True)
class RuleResult:
    """A rule's answer; `result` and `inputs` are JSON-able (amounts as Decimal strings)."""

    rule_id: str
    status: Status
    conclusion: str
    result: dict[str, Any]
    trace: tuple[Step, ...]
    basis: tuple[Citation, ...]
    inputs: dict[str, Any]
    missing: tuple[Slot, ...] = ()
    message: str | None = None

    @property
    def clause_ids(self) -> tuple[str, ...]:
        """Every clause the answer rests on, basis first, then trace, without duplicates."""
        seen: dict[str, None] = {}
        for b in self.basis:
            seen[b.clause_id] = None
        for s in self.trace:
            if s.clause_id:
                seen[s.clause_id] = None
        return tuple(seen)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "status": self.status.value,
            "conclusion": self.conclusion,
            "result": self.result,
            "trace": [s.to_dict() for s in self.trace],
            "basis": [b.to_dict() for b in self.basis],
            "inputs": self.inputs,
            "missing": [s.to_dict() for s in self.missing],
            "message": self.message,
        }


def jsonable(value: Any) -> Any:
    """Best-effort JSON form of a fact value (Decimal → str, Count → int or range dict)."""
    if isinstance(value, Count | MoneyRange):
        return value.to_json()
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return str(value)


@dataclass(frozen=True)
class Facts:
    """The coerced inputs of one decision, with typed getters."""

    values: Mapping[str, Any]
    types: Mapping[str, SlotType] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        return self.values.get(name) is not None

    def count(self, name: str) -> Count | None:
        v = self.values.get(name)
        return v if isinstance(v, Count) else None

    def money(self, name: str) -> Decimal | MoneyRange | None:
        v = self.values.get(name)
        return v if isinstance(v, Decimal | MoneyRange) else None

    def estimated(self, name: str) -> tuple[Decimal | MoneyRange | None, MoneyRange | None]:
        """The money fact with a hedged single figure ("差不多60万", "大概12万") taken at that figure, and the hedge
        (None for an exact figure): a rule computes from it and says it is an estimate (`hedge_note`). A range
        without a figure ("五十多万") stays a range."""
        v = self.money(name)
        if isinstance(v, MoneyRange) and v.estimate is not None:
            return v.estimate, v
        return v, None

    def number(self, name: str) -> Decimal | None:
        v = self.values.get(name)
        return v if isinstance(v, Decimal) else None

    def flag(self, name: str) -> bool | None:
        v = self.values.get(name)
        return v if isinstance(v, bool) else None

    def text(self, name: str) -> str | None:
        v = self.values.get(name)
        return v if isinstance(v, str) else None

    def json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in self.values.items():
            if v is None:
                continue
            if self.types.get(k) is SlotType.MONEY and isinstance(v, Decimal):
                out[k] = yuan_str(v)
            else:
                out[k] = jsonable(v)
        return out


C = TypeVar("C")


@dataclass(frozen=True)
class Outcome(Generic[C]):
    """What a rule decided, as data: `case` is the rule's own typed finding (which case applied, with its numbers),
    `steps` the derivation, `cited` the clauses it rests on besides the steps', `missing` the slots still needed.
    `result` is the public JSON result. No prose: `Rule.phrase` writes the Chinese from this."""

    status: Status
    case: C
    facts: Facts
    result: Mapping[str, Any] = field(default_factory=dict)
    steps: tuple[Derivation, ...] = ()
    cited: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()

    @property
    def clause_ids(self) -> tuple[str, ...]:
        """The clauses this outcome rests on: cited first, then the steps', without duplicates."""
        return tuple(dict.fromkeys([*self.cited, *(d.clause_id for d in self.steps if d.clause_id)]))


class Rule(ABC):
    """A rule-as-code: inputs (slots), citations (basis), routing hints, a pure `decide` and its `phrase`.

    Subclasses set the class attributes and implement `decide` (facts → Outcome, built with `decided`, `need` and
    `reject`) and `phrase` (Outcome → Chinese). The engine calls `result`, which renders the outcome's citations
    through the clause store into the public RuleResult.
    """

    id: ClassVar[str]
    title: ClassVar[str]
    summary: ClassVar[str]  # the general rule in one Chinese sentence, given even when facts are missing
    summary_cites: ClassVar[tuple[str, ...]]  # clauses the summary rests on (cited when asking for facts)
    slots: ClassVar[tuple[Slot, ...]]
    basis: ClassVar[tuple[Basis, ...]]
    valid_for: ClassVar[tuple[str, ...]]
    examples: ClassVar[tuple[str, ...]]
    keywords: ClassVar[tuple[str, ...]]  # topic anchors: a question must contain one to route here
    patterns: ClassVar[tuple[str, ...]]  # regexes over normalised text that are strong evidence
    default_count: ClassVar[str | None] = None  # slot a bare count ("我们有18个") fills on the first turn
    # (slot, fact): the engine fills the slot from this fact of the *current* question when the slot is absent
    borrow: ClassVar[tuple[tuple[str, str], ...]] = ()
    # regexes over the normalised question that, right after this rule answered, ask about one of the facts it
    # decides ("钱给谁？" after a fund answer): the conversation continues this rule instead of falling back
    followups: ClassVar[tuple[str, ...]] = ()

    # -- what a rule implements -------------------------------------------------------------

    @abstractmethod
    def decide(self, f: Facts) -> Outcome[Any]:
        """The decision itself, on coerced facts: pure, deterministic, no prose."""

    @abstractmethod
    def phrase(self, o: Outcome[Any]) -> str:
        """The Chinese for an outcome: the conclusion (decided), the note before the questions (needs more
        facts; may be empty) or the correction asked for (invalid)."""

    def joint(self, units: Sequence[Mapping[str, Any]], results: Sequence[RuleResult]) -> Derivation | None:
        """What holds for the units together (a rule may say; none by default)."""
        return None

    def question_for(self, slot: Slot, f: Facts) -> Slot:
        """The slot as asked in this context (a rule may reword the question, e.g. 贵所 for a firm)."""
        return slot

    # -- building outcomes --------------------------------------------------------------------

    def decided(
        self,
        f: Facts,
        case: C,
        result: Mapping[str, Any],
        steps: Iterable[Derivation],
        cited: Iterable[str] = (),
    ) -> Outcome[C]:
        return Outcome(Status.DECIDED, case, f, result, tuple(steps), tuple(cited))

    def need(
        self,
        f: Facts,
        names: Iterable[str],
        case: C,
        result: Mapping[str, Any] | None = None,
        steps: Iterable[Derivation] = (),
    ) -> Outcome[C]:
        """The slots `names` are still needed; asking rests on the summary's clauses."""
        return Outcome(Status.NEEDS_MORE_INFO, case, f, dict(result or {}), tuple(steps), (), tuple(names))

    def reject(self, f: Facts, case: C) -> Outcome[C]:
        """The facts contradict each other; `phrase` says which to correct."""
        return Outcome(Status.INVALID, case, f)

    # -- the public contract ------------------------------------------------------------------

    def result(self, facts: Mapping[str, Any], cite: Citer) -> RuleResult:
        """The public answer: coerce the facts this rule knows, decide, phrase, cite through `cite`; bad facts →
        INVALID. Deterministic for a given `cite` (the engine passes the clause store's)."""
        try:
            f = self.coerce(facts)
        except FactError as err:
            return self._invalid_raw(facts, err.message)
        return self.render(self.decide(f), cite)

    def render(self, o: Outcome[Any], cite: Citer) -> RuleResult:
        """The public RuleResult of an outcome: its phrase, its steps and basis with citations from `cite`."""
        text = self.phrase(o)
        if o.status is Status.INVALID:
            return self.refused(o.facts, text)
        trace = tuple(d.render(cite) for d in o.steps)
        inputs = o.facts.json()
        if o.status is Status.DECIDED:
            return RuleResult(
                self.id, o.status, text, dict(o.result), trace, self.citations(o.clause_ids, cite), inputs
            )
        missing = tuple(self.question_for(self.slot(n), o.facts) for n in o.missing)
        questions = "".join(s.question for s in missing)
        message = f"{text}{questions}" if text else questions
        used = dict.fromkeys([*self.summary_cites, *(d.clause_id for d in o.steps if d.clause_id)])
        return RuleResult(
            self.id,
            o.status,
            f"{self.summary}{message}",
            dict(o.result),
            trace,
            self.citations(used, cite),
            inputs,
            missing,
            message,
        )

    def citations(self, clause_ids: Iterable[str], cite: Citer) -> tuple[Citation, ...]:
        """The basis entries of these clauses, in their order, with the citation text `cite` gives."""
        return tuple(
            Citation(b.clause_id, cite(b.clause_id), b.quote)
            for cid in clause_ids
            for b in self.basis
            if b.clause_id == cid
        )

    def result_units(self, facts: Mapping[str, Any], units: Sequence[Mapping[str, Any]], cite: Citer) -> RuleResult:
        """Several units in one question ("两家所，一家18名会员、一家11名"): each decided on its own figures over the
        shared facts, then put together: an invalid or open unit answers for all (its message or question first),
        otherwise one conclusion per unit plus the rule's `joint` remark."""
        results = [self.result({**facts, **u}, cite) for u in units]
        for status in (Status.INVALID, Status.NEEDS_MORE_INFO):
            first = next((r for r in results if r.status is status), None)
            if first is not None:
                return first
        lines = [
            f"第{int_to_cn(i)}家（{_unit_label(u)}）：{r.conclusion}"
            for i, (u, r) in enumerate(zip(units, results, strict=True), 1)
        ]
        joint = self.joint(units, results)
        trace = [Step(f"第{int_to_cn(i)}家：{s.text}", s.clause_id) for i, r in enumerate(results, 1) for s in r.trace]
        basis = tuple({b.clause_id + b.quote: b for r in results for b in r.basis}.values())
        inputs = {**results[0].inputs, "units": [r.inputs for r in results]}
        # what every unit shares ("must_establish": false for both) also stands for the whole question
        shared = results[0].result
        result = {k: v for k, v in shared.items() if all(r.result.get(k) == v for r in results[1:])}
        result["units"] = [r.result for r in results]
        if joint is not None:
            step = joint.render(cite)
            lines.append(step.text)
            trace.append(step)
            extra = self.citations([joint.clause_id], cite) if joint.clause_id else ()
            basis = (*basis, *(b for b in extra if b not in basis))
        return RuleResult(self.id, Status.DECIDED, "\n".join(lines), result, tuple(trace), basis, inputs)

    def refused(self, f: Facts, message: str) -> RuleResult:
        """INVALID with the engine's own message (a fact the question states that cannot be read)."""
        return RuleResult(self.id, Status.INVALID, message, {}, (), (), f.json(), (), message)

    # -- helpers --------------------------------------------------------------------------------

    def slot(self, name: str) -> Slot:
        for s in self.slots:
            if s.name == name:
                return s
        raise KeyError(f"{self.id}: no slot {name!r}")

    def coerce(self, facts: Mapping[str, Any]) -> Facts:
        values: dict[str, Any] = {}
        for s in self.slots:
            raw = facts.get(s.name)
            if raw is None:
                continue
            values[s.name] = s.coerce(raw)
        return Facts(values, {s.name: s.type for s in self.slots})

    def _invalid_raw(self, facts: Mapping[str, Any], message: str) -> RuleResult:
        names = {s.name for s in self.slots}
        inputs = {k: jsonable(v) for k, v in facts.items() if k in names and v is not None}
        return RuleResult(self.id, Status.INVALID, message, {}, (), (), inputs, (), message)

    # -- description ------------------------------------------------------------------------

    def clause_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(b.clause_id for b in self.basis))

    def __repr__(self) -> str:
        return f"<Rule {self.id}>"
