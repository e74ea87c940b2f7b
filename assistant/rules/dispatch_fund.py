"""dispatch-fund: the user unit pays 2% of dispatched workers' wages to the agency's union, which remits upward.

《中华全国总工会关于组织劳务派遣工加入工会的规定》第三条（指导材料（六）2 逐字引用）：劳务派遣工的工会经费应由用工
单位按劳务派遣工工资总额的百分之二提取并拨付劳务派遣单位工会，属于应上缴上级工会的经费，由劳务派遣单位工会按规定
比例上缴。用工单位工会接受委托管理劳务派遣工会员的，工会经费留用部分由用工单位工会使用或由劳务派遣单位工会和用工
单位工会协商确定。

The upward share is "按规定比例": the sources do not state the ratio, so none is computed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from assistant.rules.base import Basis, Derivation, Facts, MoneyRange, Outcome, Rule, Slot, SlotType, hedge_note
from assistant.rules.union_fund import FUND_FOLLOWUPS
from assistant.text.money import format_yuan, percent_of, yuan_str

RATE = Decimal(2)
_A3 = "acftu-dispatch-rule/art-3"


@dataclass(frozen=True)
class DispatchLevy:
    """What 第三条 gives for the dispatched workers' wage bill: the range for a vague bill, or 2% of a stated one."""

    kind: Literal["estimate", "ask_wages", "levy", "amount"]
    stated_rate: Decimal | None  # a rate the user gave that is not the rule's 2%
    wages: Decimal | None = None
    period: str = "月"
    amount: Decimal | None = None
    entrusted: bool = False  # the user unit's union manages these members
    delayed: bool = False  # the user unit refuses: the wages are not in its wage bill
    hedge: MoneyRange | None = None  # the approximate figure the wages were estimated from


class DispatchFund(Rule):
    id = "dispatch-fund"
    title = "劳务派遣工工会经费的提取与拨付"
    summary = (
        "依《劳务派遣工入会规定》第三条，劳务派遣工的工会经费由用工单位按劳务派遣工工资总额的百分之二提取，"
        "拨付劳务派遣单位工会，应上缴上级工会的部分由劳务派遣单位工会按规定比例上缴。"
    )
    summary_cites = ("acftu-dispatch-rule/art-3",)
    valid_for = ("acftu-dispatch-rule",)
    slots = (
        Slot(
            "dispatch_wages",
            SlotType.MONEY,
            "贵单位使用的劳务派遣工每月工资总额是多少元？",
            required=False,
            label="劳务派遣工工资总额",
        ),
        Slot("wage_period", SlotType.CHOICE, "这个工资总额是每月的还是全年的？", ("月", "年"), False, "工资总额的期间"),
        Slot(
            "entrusted",
            SlotType.BOOL,
            "用工单位工会是否接受委托管理这些劳务派遣工会员？",
            required=False,
            label="是否委托管理",
        ),
        Slot(
            "delayed", SlotType.BOOL, "用工单位是否拒不拨付劳务派遣工的工会经费？", required=False, label="是否拒不拨付"
        ),
        Slot("rate", SlotType.PERCENT, "您说的提取比例是多少？", required=False, label="提取比例"),
        Slot("ask_amount", SlotType.BOOL, "您是想算出具体金额吗？", required=False, label="是否计算金额"),
    )
    basis = (
        Basis(
            "acftu-dispatch-rule/art-3",
            "劳务派遣工的工会经费应由用工单位按劳务派遣工工资总额的百分之二提取并拨付劳务派遣单位工会,"
            "属于应上缴上级工会的经费,由劳务派遣单位工会按规定比例上缴。",
        ),
        Basis(
            "acftu-dispatch-rule/art-3",
            "用工单位工会接受委托管理劳务派遣工会员的,工会经费留用部分由用工单位工会使用或由劳务派遣单位工会和用工单位工会协商确定。",
        ),
        Basis(
            "guidance/6.2",
            "有的用工单位借口劳务派遣工的工资不在本单位工资总额内,抱着侥幸心理,拒不拨缴劳务派遣工的工会经费。",
        ),
        Basis("guidance/6.2", "理顺了劳务派遣工会员工会的经费来源"),
    )
    examples = (
        "派遣工工资总额每月50万元，工会经费交给谁、交多少？",
        "劳务派遣工的工会经费由哪个单位拨缴？",
        "用工单位要按派遣工工资的2%给派遣公司工会拨经费吗？",
        "用工单位工会代管派遣工，经费留用部分归谁？",
        "派遣工的工会经费上缴上级的部分谁来交？",
        "派遣员工的工资不在我们工资总额里，还要交工会经费吗？",
    )
    keywords = ("派遣",)
    patterns = (
        r"派遣.*(?:经费|2%|百分之二|拨付|拨缴|留用|上缴)",
        r"(?:经费|2%|拨付|拨缴|留用|上缴).*派遣",
    )
    borrow = (("dispatch_wages", "wage_total"), ("dispatch_wages", "amount"))
    followups = FUND_FOLLOWUPS

    def decide(self, f: Facts) -> Outcome[DispatchLevy]:
        wages, hedge = f.estimated("dispatch_wages")  # "差不多60万": computed from that figure, and said to be
        period = f.text("wage_period") or "月"
        entrusted, delayed, rate = bool(f.flag("entrusted")), bool(f.flag("delayed")), f.number("rate")
        stated = rate if rate is not None and rate != RATE else None
        result: dict[str, Any] = {
            "rate": "2",
            "payer": "用工单位",
            "payee": "劳务派遣单位工会",
            "upward": "属于应上缴上级工会的经费，由劳务派遣单位工会按规定比例上缴（资料未载明具体比例）",
            "retained_if_entrusted": "由用工单位工会使用或由两家工会协商确定",
        }
        if stated is not None:
            result["stated_rate"] = str(stated)
        if hedge is not None:
            result["approx"] = True
        if isinstance(wages, MoneyRange):
            low = percent_of(wages.low, RATE)
            high = None if wages.high is None else percent_of(wages.high, RATE)
            result["estimate"] = {"low": yuan_str(low), "high": None if high is None else yuan_str(high)}
            return self.need(f, ["dispatch_wages"], DispatchLevy("estimate", stated), result=result)
        if wages is None and f.flag("ask_amount"):
            return self.need(f, ["dispatch_wages"], DispatchLevy("ask_wages", stated), result=result)

        if wages is not None:
            amount = percent_of(wages, RATE)
            label = "劳务派遣工月工资总额" if period == "月" else "劳务派遣工全年工资总额"
            steps = [Derivation(f"{label} {format_yuan(wages)} × 2%", _A3, f"用工单位提取 {format_yuan(amount)}")]
            result.update({"dispatch_wages": yuan_str(wages), "period": period})
            result.update({"amount": yuan_str(amount), "amount_text": format_yuan(amount)})
            case = DispatchLevy("amount", stated, wages, period, amount, entrusted, delayed, hedge)
        else:
            steps = [Derivation("劳务派遣工工会经费", _A3, "用工单位按工资总额百分之二提取")]
            case = DispatchLevy("levy", stated, entrusted=entrusted, delayed=delayed)
        steps.append(Derivation("拨付对象", _A3, "劳务派遣单位工会；上缴部分由其按规定比例上缴"))
        if entrusted:
            steps.append(Derivation("用工单位工会受托管理", _A3, "留用部分由用工单位工会使用或两家工会协商确定"))
        if delayed:
            steps.append(Derivation("以工资不在本单位工资总额内为由拒不拨缴", "guidance/6.2", "不符合规定"))
        return self.decided(f, case, result, steps)

    def phrase(self, o: Outcome[DispatchLevy]) -> str:
        c = o.case
        note = "" if c.stated_rate is None else f"您提到的{c.stated_rate}%与规定不符，规定的比例是百分之二。"
        if c.kind == "estimate":
            return "准确金额需要准确的劳务派遣工工资总额。"
        if c.kind == "ask_wages":
            return note
        text = self.summary
        if c.wages is not None and c.amount is not None:
            label = "劳务派遣工月工资总额" if c.period == "月" else "劳务派遣工全年工资总额"
            text = (
                f"{label}{format_yuan(c.wages)}，依《劳务派遣工入会规定》第三条，用工单位应按百分之二提取"
                f"{format_yuan(c.amount)}，拨付劳务派遣单位工会；其中应上缴上级工会的部分由劳务派遣单位工会按规定比例上缴。"
            )
        if c.entrusted:
            text += "用工单位工会接受委托管理这些会员的，经费留用部分由用工单位工会使用，或由两家工会协商确定。"
        if c.delayed:
            text += "以派遣工工资不在本单位工资总额内为由拒不拨缴，正是指导材料指出的错误做法。"
        return note + text + hedge_note(c.hedge, "实际劳务派遣工工资总额")
