"""chair-contract-extension: a grassroots chair's, vice-chair's or member's contract is extended while in office.

《工会法》(2021) 第十九条：基层工会专职主席、副主席或者委员自任职之日起，其劳动合同期限自动延长，延长期限相当于其任职
期间；非专职主席、副主席或者委员自任职之日起，其尚未履行的劳动合同期限短于任期的，劳动合同期限自动延长至任期期满。
但是，任职期间个人严重过失或者达到法定退休年龄的除外。

For a non-full-time officer whose remaining contract is not stated, the answer is the article's own condition:
the contract runs at least to the end of the term (extended to it when it would end sooner, unchanged otherwise).
Both outcomes fit in one sentence, so it is stated rather than asked ("那兼职的委员呢？").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from assistant.rules.base import Basis, Derivation, Facts, Outcome, Rule, Slot, SlotType

_A19 = "union-law-2021/art-19"


@dataclass(frozen=True)
class Extension:
    """Whether 第十九条 extends the contract: the exception that applies, or the kind of post and remaining term."""

    kind: Literal["excepted", "ask_full_time", "full_time", "part_time", "shorter", "not_shorter"]
    why: str = ""  # the exception: 任职期间个人严重过失 / 达到法定退休年龄


class ChairContractExtension(Rule):
    id = "chair-contract-extension"
    title = "基层工会主席、副主席、委员劳动合同的自动延长"
    summary = (
        "依《工会法》第十九条，基层工会专职主席、副主席或者委员的劳动合同期限自动延长，延长期限相当于其任职期间；"
        "非专职的，尚未履行的劳动合同期限短于任期的，自动延长至任期期满；任职期间个人严重过失或者达到法定退休年龄的除外。"
    )
    summary_cites = (_A19,)
    valid_for = ("union-law-2021",)
    slots = (
        Slot("full_time", SlotType.BOOL, "这位工会主席（副主席、委员）是专职还是非专职（兼职）？", label="是否专职"),
        Slot(
            "contract_shorter",
            SlotType.BOOL,
            "其尚未履行的劳动合同期限是否短于任期？",
            required=False,
            label="合同是否短于任期",
        ),
        Slot("misconduct", SlotType.BOOL, "任职期间是否有个人严重过失？", required=False, label="是否严重过失"),
        Slot("retirement", SlotType.BOOL, "是否已达到法定退休年龄？", required=False, label="是否达到退休年龄"),
    )
    basis = (
        Basis(
            _A19,
            "基层工会专职主席、副主席或者委员自任职之日起，其劳动合同期限自动延长，延长期限相当于其任职期间；"
            "非专职主席、副主席或者委员自任职之日起，其尚未履行的劳动合同期限短于任期的，劳动合同期限自动延长至任期期满。",
        ),
        Basis(_A19, "但是，任职期间个人严重过失或者达到法定退休年龄的除外。"),
    )
    examples = (
        "专职工会主席的劳动合同到期了怎么办？",
        "兼职工会副主席劳动合同比任期短，会自动延长吗？",
        "工会委员任期没满，劳动合同快到期了，公司能不续签吗？",
        "工会主席快退休了，劳动合同还会自动延长吗？",
    )
    keywords = ("劳动合同", "合同", "续签", "延长")
    patterns = (
        r"(?:主席|副主席|委员|工会干部).{0,20}(?:合同|续签|续约)",
        r"(?:合同|续签).{0,20}(?:主席|副主席|委员|任期)",
    )

    # "那副主席呢？" / "委员也一样吗？" after an answer: the article treats 主席、副主席 and 委员 alike
    followups = (r"(?:副主席|委员|主席)(?:呢|也一样|也适用|也会延长|也延长)",)

    def decide(self, f: Facts) -> Outcome[Extension]:
        full_time, shorter = f.flag("full_time"), f.flag("contract_shorter")
        if f.flag("misconduct") or f.flag("retirement"):
            why = "任职期间个人严重过失" if f.flag("misconduct") else "达到法定退休年龄"
            steps = [Derivation(why, _A19, "不适用劳动合同自动延长")]
            return self.decided(f, Extension("excepted", why), {"extended": False}, steps)
        if full_time is None:
            return self.need(f, ["full_time"], Extension("ask_full_time"))
        if full_time:
            step = Derivation("专职主席、副主席或者委员", _A19, "劳动合同期限自动延长，延长期限相当于其任职期间")
            result: dict[str, Any] = {"extended": True, "extension": "相当于任职期间"}
            return self.decided(f, Extension("full_time"), result, [step])
        if shorter is None:
            step = Derivation("非专职，尚未履行的合同期限短于任期的", _A19, "劳动合同期限自动延长至任期期满")
            result = {"extended": True, "extension": "至任期期满", "condition": "尚未履行的劳动合同期限短于任期"}
            return self.decided(f, Extension("part_time"), result, [step])
        if shorter:
            step = Derivation("非专职，尚未履行的合同期限短于任期", _A19, "劳动合同期限自动延长至任期期满")
            return self.decided(f, Extension("shorter"), {"extended": True, "extension": "至任期期满"}, [step])
        step = Derivation("非专职，合同期限不短于任期", _A19, "无需延长")
        return self.decided(f, Extension("not_shorter"), {"extended": False}, [step])

    def phrase(self, o: Outcome[Extension]) -> str:
        kind = o.case.kind
        if kind == "excepted":
            return f"{o.case.why}的，属于《工会法》第十九条规定的除外情形，劳动合同不因任职而自动延长。"
        if kind == "ask_full_time":
            return ""
        return _CONCLUSIONS[kind] + "任职期间个人严重过失或者达到法定退休年龄的除外。"


_CONCLUSIONS = {
    "full_time": (
        "专职主席、副主席或者委员自任职之日起，劳动合同期限自动延长，延长期限相当于其任职期间（《工会法》第十九条）。"
    ),
    "part_time": (
        "非专职主席、副主席或者委员自任职之日起，其尚未履行的劳动合同期限短于任期的，劳动合同期限自动延长至"
        "任期期满；剩余合同期限不短于任期的，合同按原期限履行，无需延长（《工会法》第十九条）。"
    ),
    "shorter": (
        "非专职主席、副主席或者委员尚未履行的劳动合同期限短于任期的，"
        "劳动合同期限自动延长至任期期满（《工会法》第十九条）。"
    ),
    "not_shorter": (
        "非专职主席、副主席或者委员的剩余劳动合同期限不短于任期，第十九条的自动延长不发生，合同按原期限履行。"
    ),
}
