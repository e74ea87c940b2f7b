"""Rule contract: typed slots, clause-grounded basis, pure decide() → RuleResult with conclusion, trace, citations."""

from __future__ import annotations

import math
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, ClassVar

from assistant.rules.money import format_yuan, to_fen, yuan_str
from assistant.text.numerals import int_to_cn

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

# Short titles exactly as ClauseStore's Clause.cite renders them (checked by the conformance test).
DOC_SHORT: dict[str, str] = {
    "union-law-2021": "工会法",
    "union-law-2009": "工会法（2009年修正）",
    "labor-contract-law": "劳动合同法",
    "labor-law": "劳动法",
    "labor-contract-regs": "劳动合同法实施条例",
    "labor-inspection-regs": "劳动保障监察条例",
    "acftu-constitution-2008": "中国工会章程（2008年文本）",
    "guidance": "建会入会指导材料",
    "acftu-dispatch-rule": "劳务派遣工入会规定",
    "acftu-membership-rule": "会籍管理办法",
}

_ART = re.compile(r"^art-(\d+)$")
_GUIDE_PARA = re.compile(r"^(\d+)\.p(\d+)$")
_GUIDE_ITEM = re.compile(r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?$")


def locator(clause_id: str) -> str:
    """'union-law-2021/art-11' → '第十一条'; 'guidance/4.p2' → '（四）第2段'; 'guidance/5.2.3' → '（五）2（3）'."""
    doc, _, key = clause_id.partition("/")
    if doc == "guidance":
        m = _GUIDE_PARA.match(key)
        if m:
            return f"（{int_to_cn(int(m.group(1)))}）第{m.group(2)}段"
        g = _GUIDE_ITEM.match(key)
        if not g:
            raise ValueError(f"bad guidance key {clause_id!r}")
        out = f"（{int_to_cn(int(g.group(1)))}）"
        if g.group(2):
            out += g.group(2)
        if g.group(3):
            out += f"（{g.group(3)}）"
        return out
    if key == "preamble":
        return "总则"
    m = _ART.match(key)
    if not m:
        raise ValueError(f"bad clause id {clause_id!r}")
    return f"第{int_to_cn(int(m.group(1)))}条"


def cite(clause_id: str) -> str:
    """How a person cites a clause ID: '《工会法》第十一条' (same text as Clause.cite, without a store)."""
    doc = clause_id.partition("/")[0]
    if doc not in DOC_SHORT:
        raise ValueError(f"unknown document in clause id {clause_id!r}")
    return f"《{DOC_SHORT[doc]}》{locator(clause_id)}"


class FactError(ValueError):
    """A fact that cannot be used as given; `message` is the Chinese text shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Count:
    """A head count, exact (low == high) or vague: '三十来个' ≈ 27–33, '四十多人' = 41–49, '200以上' = 200–∞."""

    low: int
    high: int | None
    text: str = ""

    def __post_init__(self) -> None:
        if self.high is not None and self.high < self.low:
            raise ValueError(f"Count high {self.high} < low {self.low}")

    @classmethod
    def exact(cls, n: int, text: str = "") -> Count:
        return cls(n, n, text)

    @property
    def approx(self) -> bool:
        return self.high != self.low

    @property
    def value(self) -> int | None:
        """The exact number, or None for a vague count."""
        return self.low if not self.approx else None

    def at_least(self, threshold: int) -> bool | None:
        """True/False when the whole range is on one side of the threshold; None when it straddles it."""
        if self.low >= threshold:
            return True
        if self.high is not None and self.high < threshold:
            return False
        return None

    def plus(self, other: Count) -> Count:
        """This count after `other` more people: 24 + 1 = 25; ranges add end to end."""
        high = None if self.high is None or other.high is None else self.high + other.high
        return Count(self.low + other.low, high, self.text)

    def minus(self, other: Count) -> Count:
        """This count after `other` people left, never below zero: 26 − 2 = 24."""
        low = max(0, self.low - (other.high if other.high is not None else self.low))
        high = None if self.high is None else max(low, self.high - other.low)
        return Count(low, high, self.text)

    def below(self) -> Count:
        """'fewer than this many': 0 … low − 1 (25 → 0–24)."""
        return Count(0, max(0, self.low - 1), f"不到{self.shown()}")

    def above(self) -> Count:
        """'more than this many': high + 1 … ∞ (25 → 26以上)."""
        return Count((self.high if self.high is not None else self.low) + 1, None, f"超过{self.shown()}")

    def shown(self) -> str:
        """'30' / '约27–33' / '200以上' — how the number appears in a trace."""
        if not self.approx:
            return str(self.low)
        if self.high is None:
            return f"{self.low}以上"
        return f"约{self.low}–{self.high}"

    def to_json(self) -> int | dict[str, Any]:
        if not self.approx:
            return self.low
        return {"low": self.low, "high": self.high, "approx": True, "text": self.text}


@dataclass(frozen=True)
class MoneyRange:
    """A vague amount ('五十多万' → 500,000–600,000): enough to estimate, not to compute a due amount. A hedged
    single figure ('差不多60万', '60万左右') keeps that figure as `point`: the rules compute an estimate from it."""

    low: Decimal
    high: Decimal | None
    text: str = ""
    point: Decimal | None = None

    @property
    def estimate(self) -> Decimal | None:
        return self.point

    def to_json(self) -> dict[str, Any]:
        return {
            "low": yuan_str(self.low),
            "high": None if self.high is None else yuan_str(self.high),
            "approx": True,
            "text": self.text,
            **({"point": yuan_str(self.point)} if self.point is not None else {}),
        }


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

    @property
    def cite(self) -> str:
        return cite(self.clause_id)

    def to_dict(self) -> dict[str, str]:
        return {"clause_id": self.clause_id, "cite": self.cite, "quote": self.quote}


@dataclass(frozen=True)
class Step:
    """One derivation step: '会员人数 30 ≥ 25 →《工会法》第十一条 → 应当建立基层工会委员会'."""

    text: str
    clause_id: str | None

    def to_dict(self) -> dict[str, str | None]:
        return {"text": self.text, "clause_id": self.clause_id}


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
    basis: tuple[Basis, ...]
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


class Rule(ABC):
    """A rule-as-code: inputs (slots), citations (basis), routing hints and a pure `decide`.

    Subclasses set the class attributes and implement `evaluate`, building results with
    `conclude`, `ask` and `invalid` so every answer carries its trace and basis.
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

    # -- contract -------------------------------------------------------------------------

    def decide(self, facts: Mapping[str, Any]) -> RuleResult:
        """Pure and deterministic: coerce the facts this rule knows, then evaluate; bad facts → INVALID."""
        try:
            f = self.coerce(facts)
        except FactError as err:
            return self._invalid_raw(facts, err.message)
        return self.evaluate(f)

    @abstractmethod
    def evaluate(self, f: Facts) -> RuleResult:
        """The decision itself, on coerced facts."""

    def decide_units(self, facts: Mapping[str, Any], units: Sequence[Mapping[str, Any]]) -> RuleResult:
        """Several units in one question ("两家所，一家18名会员、一家11名"): each decided on its own figures over the
        shared facts, then put together: an invalid or open unit answers for all (its message or question first),
        otherwise one conclusion per unit plus the rule's `joint` remark."""
        results = [self.decide({**facts, **u}) for u in units]
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
            lines.append(joint.text)
            trace.append(joint)
            basis = (*basis, *(b for b in self.basis if b.clause_id == joint.clause_id and b not in basis))
        return RuleResult(self.id, Status.DECIDED, "\n".join(lines), result, tuple(trace), basis, inputs)

    def joint(self, units: Sequence[Mapping[str, Any]], results: Sequence[RuleResult]) -> Step | None:
        """What holds for the units together (a rule may say; none by default)."""
        return None

    # -- helpers for subclasses -------------------------------------------------------------

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

    def question_for(self, slot: Slot, f: Facts) -> Slot:
        """The slot as asked in this context (a rule may reword the question, e.g. 贵所 for a firm)."""
        return slot

    def step(self, fact: str, clause_id: str | None, outcome: str) -> Step:
        """'fact →《short》locator → outcome' (or 'fact → outcome' when no clause)."""
        if clause_id is None:
            return Step(f"{fact} → {outcome}", None)
        return Step(f"{fact} →{cite(clause_id)} → {outcome}", clause_id)

    def conclude(
        self,
        f: Facts,
        conclusion: str,
        result: dict[str, Any],
        trace: Iterable[Step],
        cited: Iterable[str] = (),
    ) -> RuleResult:
        steps = tuple(trace)
        used = list(dict.fromkeys([*cited, *(s.clause_id for s in steps if s.clause_id)]))
        basis = tuple(b for cid in used for b in self.basis if b.clause_id == cid)
        return RuleResult(self.id, Status.DECIDED, conclusion, result, steps, basis, f.json())

    def ask(
        self,
        f: Facts,
        names: Iterable[str],
        note: str | None = None,
        trace: Iterable[Step] = (),
        result: dict[str, Any] | None = None,
    ) -> RuleResult:
        missing = tuple(self.question_for(self.slot(n), f) for n in names)
        questions = "".join(s.question for s in missing)
        message = f"{note}{questions}" if note else questions
        steps = tuple(trace)
        used = list(dict.fromkeys([*self.summary_cites, *(s.clause_id for s in steps if s.clause_id)]))
        basis = tuple(b for cid in used for b in self.basis if b.clause_id == cid)
        return RuleResult(
            self.id,
            Status.NEEDS_MORE_INFO,
            f"{self.summary}{message}",
            dict(result or {}),
            steps,
            basis,
            f.json(),
            missing,
            message,
        )

    def invalid(self, f: Facts, message: str) -> RuleResult:
        return RuleResult(self.id, Status.INVALID, message, {}, (), (), f.json(), (), message)

    def _invalid_raw(self, facts: Mapping[str, Any], message: str) -> RuleResult:
        names = {s.name for s in self.slots}
        inputs = {k: jsonable(v) for k, v in facts.items() if k in names and v is not None}
        return RuleResult(self.id, Status.INVALID, message, {}, (), (), inputs, (), message)

    # -- description ------------------------------------------------------------------------

    def clause_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(b.clause_id for b in self.basis))

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "summary": self.summary,
            "valid_for": list(self.valid_for),
            "basis": [b.to_dict() for b in self.basis],
            "slots": [s.to_dict() for s in self.slots],
        }

    def __repr__(self) -> str:
        return f"<Rule {self.id}>"
